# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud: options, endpoints, error conventions and the authenticated connection."""

import re
from urllib.parse import quote

from ansible.module_utils.basic import env_fallback

from ansible_collections.jobwatch.cloud.plugins.module_utils._checks import check_text
from ansible_collections.jobwatch.cloud.plugins.module_utils._connection import Connection
from ansible_collections.jobwatch.cloud.plugins.module_utils._conventions import Conventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import dicts_at, text, text_at
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_auth import AkSkAuth, PasswordAuth, TokenAuth
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_iam import IamEndpoint, iam_urls
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import HttpClient
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import JobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import check_cloud, check_endpoint, http_settings, service_url

ARGUMENT_SPEC = dict(
    region=dict(type='str', fallback=(env_fallback, ['HW_REGION_NAME', 'OS_REGION_NAME'])),
    cloud=dict(type='str', fallback=(env_fallback, ['HW_CLOUD'])),
    project_id=dict(type='str', fallback=(env_fallback, ['HW_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID', 'OS_PROJECT_ID'])),
    access_key=dict(type='str', no_log=False, fallback=(env_fallback, ['HW_ACCESS_KEY', 'HUAWEICLOUD_SDK_AK', 'OS_ACCESS_KEY'])),
    secret_key=dict(type='str', no_log=True, fallback=(env_fallback, ['HW_SECRET_KEY', 'HUAWEICLOUD_SDK_SK', 'OS_SECRET_KEY'])),
    security_token=dict(type='str', no_log=True, fallback=(env_fallback, ['HW_SECURITY_TOKEN', 'HUAWEICLOUD_SDK_SECURITY_TOKEN'])),
    auth_token=dict(type='str', no_log=True, fallback=(env_fallback, ['HW_AUTH_TOKEN'])),
    user_name=dict(type='str', fallback=(env_fallback, ['HW_USER_NAME'])),
    password=dict(type='str', no_log=True, fallback=(env_fallback, ['HW_USER_PASSWORD'])),
    domain_name=dict(type='str', fallback=(env_fallback, ['HW_DOMAIN_NAME'])),
    iam_endpoint=dict(type='str', fallback=(env_fallback, ['HW_AUTH_URL', 'HUAWEICLOUD_SDK_IAM_ENDPOINT'])),
)

CONSTRAINTS = dict(
    mutually_exclusive=[('access_key', 'auth_token'), ('access_key', 'user_name'), ('auth_token', 'user_name')],
    required_together=[('access_key', 'secret_key'), ('user_name', 'password', 'domain_name')],
    required_by=dict(security_token='access_key'),
)

# Sent as they are: in a header (access_key inside Authorization), or in the signature and the IAM login body.
HEADER_CREDENTIALS = ('access_key', 'security_token', 'auth_token')
OTHER_CREDENTIALS = ('secret_key', 'user_name', 'password', 'domain_name')
# Real project ids are 32 hex digits; anything else that fits one path segment and a header is let through.
PROJECT_ID_PATTERN = re.compile(r'^[A-Za-z0-9_-]+$')

CREDENTIALS_HINT = ('Give access_key and secret_key (or HW_ACCESS_KEY and HW_SECRET_KEY), auth_token (or HW_AUTH_TOKEN), '
                    'or user_name, password and domain_name (or HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME)')

THROTTLING_CODES = frozenset(('APIG.0308', 'APIGW.0308'))
# The gateway's 404 for a path it has no API at: a wrong endpoint or region, never a missing job.
NO_SUCH_API_CODES = frozenset(('APIG.0101', 'APIGW.0101'))
# Where an error's code and message are, in the order the SDK tries them.
ERROR_KEY_PAIRS = (('error_code', 'error_msg'), ('errorCode', 'errorMsg'), ('code', 'message'))
NESTING_READ = 3  # how deep nested error objects are looked into
# The gateway names the quota it applied: "policy user over ratelimit,limit:200,time:5 minute".
THROTTLE_POLICY = re.compile(r'limit:\s*(\d+)\s*,\s*time:\s*(\d+)\s*(second|minute|hour|day)s?', re.I)
UNIT_SECONDS = dict(second=1, minute=60, hour=3600, day=86400)
TRANSIENT_STATUSES = frozenset((500, 502, 503, 504))


class HuaweiConventions(Conventions):
    """How Huawei Cloud APIs and their gateway report errors and throttling.

    ``busy_codes``: a service's own "system busy, try again later" codes, retried like throttling.
    """

    def __init__(self, busy_codes=()):
        self.busy_codes = frozenset(busy_codes)

    @staticmethod
    def request_id(headers, data):
        # IAM names its answers with X-IAM-Trace-Id, the id the SDK quotes when a project lookup fails.
        return headers.get('X-Request-Id') or headers.get('X-IAM-Trace-Id') or text_at(data, 'request_id')

    @staticmethod
    def read_error(data):
        # As the SDK reads them (huaweicloudsdkcore exceptions/exception_handler.py): the first pair of
        # keys present at the top, else the same pairs inside a nested object ({"error": {code, message}}).
        code, message = _error_pair(data)
        if code is None and message is None:
            # A lone code without its message key: still the cloud's own word.
            code = next((data[key] for key, _message in ERROR_KEY_PAIRS if data.get(key) is not None), None)
        authorization = text(data.get('encoded_authorization_message'))
        if authorization:
            # IAM can decode it to say which policy denied the request: worth quoting in a ticket.
            note = '(encoded authorization message: %s)' % authorization
            message = '%s %s' % (text(message), note) if message is not None else note
        # Any JSON may stand there: a number, an object... Messages need text.
        return text(code), text(message)

    def is_throttled(self, status, code):
        return status == 429 or code in THROTTLING_CODES or code in self.busy_codes

    @staticmethod
    def is_transient(status, code):
        return status in TRANSIENT_STATUSES

    @staticmethod
    def throttle_policy(message):
        """(limit, window seconds) of the quota a throttling message names, or None."""
        match = THROTTLE_POLICY.search(str(message or ''))
        if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
            return None
        return int(match.group(1)), float(int(match.group(2)) * UNIT_SECONDS[match.group(3).lower()])

    @staticmethod
    def hint(status, code, message=None, auth=None):
        """What to do about an error; for a 401, the credential that was refused (``auth``) says what to check."""
        text = str(message or '').lower()
        if code in NO_SUCH_API_CODES:
            return 'The gateway has no such API at this address: check endpoint and region'
        if status == 401 and ('date' in text or 'signature expired' in text or 'time' in text):
            return ('The gateway refused the request\'s date (X-Sdk-Date): this machine\'s clock is off by more than '
                    '15 minutes. Set it right (NTP) and try again')
        if status == 401 and auth is not None:
            return auth.refused_hint()
        if status == 401:
            return 'Check the credentials (access_key and secret_key, security_token for temporary keys, or auth_token)'
        if status == 403:
            return 'Check that the credentials may read this project and that project_id is right'
        return None


def _error_pair(data, depth=0):
    for code_key, message_key in ERROR_KEY_PAIRS:
        if code_key in data and message_key in data:
            return data[code_key], data[message_key]
    if depth < NESTING_READ:
        for value in data.values():
            if isinstance(value, dict):
                found = _error_pair(value, depth + 1)
                if found != (None, None):
                    return found
    return None, None


def check_options(params):
    """The Huawei options that reach a URL, a header or the login body, before any request."""
    for option in HEADER_CREDENTIALS:
        check_text(params, option, header=True)
    for option in OTHER_CREDENTIALS:
        check_text(params, option)
    project_id = params.get('project_id')
    if project_id is not None and not PROJECT_ID_PATTERN.match(project_id):
        raise JobwatchError('check project_id', 'project_id %r has characters a project id never has' % project_id,
                            hint='Huawei Cloud project ids are 32 hexadecimal digits (letters, digits, - and _ at most)')
    check_cloud(params.get('cloud'))
    if params.get('iam_endpoint'):
        check_endpoint(params['iam_endpoint'], 'iam_endpoint', example='https://iam.REGION.myhuaweicloud.com')


def default_cloud(region):
    # The European site is a separate cloud with its own domain.
    return 'myhuaweicloud.eu' if region and region.startswith('eu-west-1') else 'myhuaweicloud.com'


class HuaweiConnection(Connection):
    """An authenticated way to GET one Huawei service's project-scoped resources."""

    def __init__(self, params, service, on_secret, busy_codes=()):
        self.params = params
        self.region = params.get('region')
        self._cloud = params.get('cloud') or default_cloud(self.region)
        self.endpoint = service_url(params.get('endpoint'), service, self.region, self._cloud)
        self.http = HttpClient(HuaweiConventions(busy_codes), **http_settings(params))
        self._project_id = params.get('project_id')
        self._iam = None
        self.auth = self._auth(params, on_secret)

    @property
    def iam(self):
        # Only password login and project lookup need IAM: its URL is worked out (and checked) on first use.
        if self._iam is None:
            self._iam = IamEndpoint(iam_urls(self.params.get('iam_endpoint'), self.region, self._cloud))
        return self._iam

    def _auth(self, params, on_secret):
        if params.get('auth_token'):
            return TokenAuth(params['auth_token'])
        if params.get('access_key'):
            return AkSkAuth(params['access_key'], params['secret_key'], params.get('security_token'))
        if params.get('user_name'):
            if not (self._project_id or self.region):
                raise JobwatchError('log in to IAM', 'password login needs a project: give region or project_id')
            return PasswordAuth(self.http, self.iam, params['user_name'], params['password'], params['domain_name'],
                                project_id=self._project_id, project_name=self.region, on_secret=on_secret)
        raise JobwatchError('authenticate to Huawei Cloud', 'no credentials were given', hint=CREDENTIALS_HINT)

    def prepare(self, deadline=None):
        """Find the project id (and log in) once, before concurrent polls need them, by ``deadline``."""
        self.resolve_project_id(deadline)
        if isinstance(self.auth, PasswordAuth):
            self.auth.ensure_login(deadline)

    def resolve_project_id(self, deadline=None):
        """The project id: the one given, else looked up (IAM, or the login token) by ``deadline`` the first time.

        The auth is given it too: AK/SK requests name their project in X-Project-Id.
        """
        if not self._project_id:
            self._project_id = self._find_project_id(deadline)
        self.auth.project_id = self._project_id
        return self._project_id

    @property
    def project_id(self):
        """The project id given or resolved so far (None before ``resolve_project_id`` found one)."""
        return self._project_id

    def _find_project_id(self, deadline):
        if isinstance(self.auth, PasswordAuth):
            # The project-scoped login token names its project: no extra call.
            self.auth.ensure_login(deadline)
            return self.auth.project_id
        if not self.region:
            raise JobwatchError('find the project', 'neither project_id nor region was given', hint='Give project_id or region')
        what = 'look up the project id of region %s in IAM' % self.region
        reply = self.iam.request(self.http, 'GET', '/v3/projects', what, query=[('name', self.region)],
                                 auth=self.auth, deadline=deadline)
        projects = [project for project in dicts_at(reply.data, 'projects') if text_at(project, 'id')]
        if not projects:
            raise JobwatchError(what, 'IAM knows no project named %s' % self.region, request_id=reply.request_id,
                                hint='Check region, or give project_id')
        if len(projects) > 1:
            # As the SDK does ("Multiple project ids found"): taking the first would watch a job in the wrong project.
            raise JobwatchError(what, 'multiple project ids found for the name %s: %s' % (
                self.region, ', '.join(text_at(project, 'id') for project in projects)), request_id=reply.request_id,
                hint='Give project_id: the one the job belongs to')
        return text_at(projects[0], 'id')

    def url(self, path, deadline=None, send=True):
        """``path`` with ``{project_id}`` filled in (looked up when not given, if a read can find it)."""
        if '{project_id}' in path or self.params.get('project_id'):
            if send or not isinstance(self.auth, PasswordAuth):
                path = path.replace('{project_id}', quote(self.resolve_project_id(deadline), safe='~'))
            # In check mode a password login (a POST) is not made: the URL keeps its placeholder.
        return self.endpoint + path

    def get(self, path, what, deadline=None, headers=None, answer_problem=None, **segments):
        """GET ``path`` (a template such as ``/v1/{project_id}/jobs/{job_id}``); each value fills one segment."""
        segments['project_id'] = self.resolve_project_id(deadline)
        encoded = {name: quote(str(value), safe='~') for name, value in segments.items()}
        return self.http.request('GET', self.endpoint + path.format(**encoded), what, headers=headers,
                                 auth=self.auth, deadline=deadline, answer_problem=answer_problem)


class HuaweiJobApi(JobApi):
    """Base of the Huawei Cloud job APIs: a host prefix and a path template describe each one."""

    argument_spec = ARGUMENT_SPEC
    constraints = CONSTRAINTS
    service = None   # host prefix: https://{service}.{region}.{cloud}
    path = None      # e.g. /v1/{project_id}/jobs/{job_id}; the id fills the id_option placeholder
    busy_codes = ()  # the service's "system busy, try again later" error codes: retried like throttling
    wrong_address_codes = NO_SUCH_API_CODES

    def check_params(self, params):
        check_options(params)

    def connect(self, params, on_secret):
        return HuaweiConnection(params, self.service, on_secret, busy_codes=self.busy_codes)

    def request_headers(self, params):
        return None

    def fetch(self, connection, job_id, deadline):
        reply = connection.get(self.path, 'query %s %s' % (self.noun, job_id), deadline,
                               headers=self.request_headers(connection.params), answer_problem=self.answer_problem,
                               **{self.id_option: job_id})
        return self.read_job(reply.data), reply.request_id
