# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The three ways to prove who you are to Huawei Cloud, each an ``auth`` for HttpClient."""

import json
import threading
import time

from ansible_collections.jobwatch.cloud.plugins.module_utils._auth import Auth
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import dict_at, text_at
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_iam import IamEndpoint
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_signer import sign

# A token rejected this soon after login is refused for another reason than age: logging in
# again would only loop.
FRESH_TOKEN_SECONDS = 1.0

LOGIN_HINT = ('Check user_name, password and domain_name (or HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME); '
              'a locked user or an expired password is refused the same way')


class AkSkAuth(Auth):
    """Permanent or temporary (with ``security_token``) access keys, signed per request."""

    def __init__(self, access_key, secret_key, security_token=None):
        self.access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        self.project_id = None

    def apply(self, method, url, query, headers, body):
        headers = dict(headers)
        if self.project_id:
            headers['X-Project-Id'] = self.project_id
        if self._security_token:
            headers['X-Security-Token'] = self._security_token
        return sign(method, url, headers, query, body, self.access_key, self._secret_key)

    def refused_hint(self):
        if self._security_token:
            return ('Check access_key, secret_key and security_token: temporary access keys expire together with '
                    'their security token (get new ones)')
        return ('Check access_key and secret_key; temporary access keys (from an agency or a federated login) also '
                'need security_token (or HW_SECURITY_TOKEN)')


class TokenAuth(Auth):
    """An IAM token the user already has, sent as ``X-Auth-Token``."""

    def __init__(self, token):
        self._token = token
        self.project_id = None

    def apply(self, method, url, query, headers, body):
        headers = dict(headers)
        headers['X-Auth-Token'] = self._token
        return headers

    @staticmethod
    def refused_hint():
        return 'The IAM token is not valid (tokens last 24 hours): give a new auth_token, or log in with user_name and password'


class PasswordAuth(Auth):
    """IAM password login to a project-scoped token, renewed once when it expires mid-wait."""

    def __init__(self, http, iam, user_name, password, domain_name, project_id=None, project_name=None,
                 on_secret=None, clock=time.monotonic):
        self._http = http
        # An IamEndpoint, or the URL of IAM when there is only one to try.
        self._iam = iam if isinstance(iam, IamEndpoint) else IamEndpoint([iam])
        self._user_name = user_name
        self._password = password
        self._domain_name = domain_name
        self.project_id = project_id
        self._project_name = project_name
        self._on_secret = on_secret or (lambda value: None)
        self._clock = clock
        self._token = None
        self._issued = None
        self._lock = threading.Lock()
        self._sent = threading.local()  # the token this thread sent last, to tell whose token was refused

    def login(self, deadline=None):
        """Log in, retrying IAM's transient failures by ``deadline`` (None: the retry policy's bound)."""
        scope = {'id': self.project_id} if self.project_id else {'name': self._project_name}
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': self._user_name, 'password': self._password, 'domain': {'name': self._domain_name}}}},
            'scope': {'project': scope},
        }}
        what = 'log in to IAM as %s in domain %s' % (self._user_name, self._domain_name)
        try:
            reply = self._iam.request(self._http, 'POST', '/v3/auth/tokens', what,
                                      headers={'Content-Type': 'application/json;charset=UTF-8'},
                                      body=json.dumps(body).encode('utf-8'), deadline=deadline)
        except JobwatchError as error:
            if error.status in (400, 401, 403):
                error.hint = LOGIN_HINT
            raise
        token = reply.headers.get('X-Subject-Token')
        if not token:
            raise JobwatchError(what, 'IAM answered without an X-Subject-Token header', status=reply.status,
                                request_id=reply.request_id)
        self._on_secret(token)
        self.project_id = self.project_id or text_at(dict_at(dict_at(reply.data, 'token'), 'project'), 'id')
        self._token = token
        self._issued = self._clock()

    def ensure_login(self, deadline=None):
        with self._lock:
            if self._token is None:
                self.login(deadline)
            return self._token

    def apply(self, method, url, query, headers, body):
        headers = dict(headers)
        headers['X-Auth-Token'] = self._sent.token = self.ensure_login()
        return headers

    @staticmethod
    def refused_hint():
        return ('IAM gave a token to user_name that the service refused: check that the user may use this project '
                '(project_id or region) and this service')

    def refresh(self, deadline=None):
        with self._lock:
            if self._token is None:
                return False
            if getattr(self._sent, 'token', None) != self._token:
                # Another worker already logged in again after the same expiry: use its token.
                return True
            if self._clock() - self._issued < FRESH_TOKEN_SECONDS:
                return False
            self.login(deadline)
            return True
