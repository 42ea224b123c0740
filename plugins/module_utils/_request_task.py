# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One task of a request module (``huaweicloud_request``, ``alicloud_request``): one call to any API of a
cloud, safe by default.

What every cloud shares lives here: the request options and their checks, check mode, which
failures a call that may change something is sent again after, ``changed``, and the result
(``status``, ``json``, ``request_id``, ``job_id``). What a cloud adds comes in as a ``RequestApi``:
its options, how it connects, how it encodes the query and the body, which headers are its own,
the idempotency token it honours.

``RequestTask(api, params, check_mode=...).run()`` returns ``(failed, result)`` and never raises.
"""

import json
import re
import time

from ansible_collections.jobwatch.cloud.plugins.module_utils._checks import text_problem
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import REPEAT_ALL, REPEAT_UNSENT
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import CONNECTION_SPEC, check_connection
from ansible_collections.jobwatch.cloud.plugins.module_utils._task_base import TaskBase

METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE')
READS = frozenset(('GET', 'HEAD'))

REQUEST_SPEC = dict(
    method=dict(type='str', default='GET'),
    path=dict(type='str', required=True),
    query=dict(type='dict'),
    body=dict(type='raw'),
    headers=dict(type='dict'),
    status_code=dict(type='list', elements='int'),
)

# A path as sent: RFC 3986 path characters (percent-escapes included) and placeholders in braces.
PATH_PATTERN = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/{}-]*$")
PLACEHOLDER = re.compile(r'\{([^{}]*)\}')
# RFC 9110 token characters: what a header name may be made of.
HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
# Headers whose names say they carry a credential: shown masked in check mode.
SECRET_HEADER = re.compile(r'auth|token|key|secret|password|cookie|signature|credential', re.I)
MASK = '********'
# Where the clouds put the id of the job a call started, in the order they are looked at.
JOB_ID_PATHS = (('job_id',), ('jobId',), ('JobId',), ('data', 'job_id'), ('data', 'jobId'), ('data', 'JobId'),
                ('AsyncJob', 'Id'), ('Data', 'JobId'))
LONGEST_JOB_ID = 128
# A body that is not JSON is returned as text up to this many characters.
CONTENT_SHOWN = 65536


def find_job_id(data):
    """The id of the job an answer names where the clouds put it (``job_id``, ``jobId``, ``data.job_id``, ...), or None."""
    for path in JOB_ID_PATHS:
        value = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            continue
        value = str(value)
        if value.strip() and len(value) <= LONGEST_JOB_ID and not text_problem(value, header=True):
            return value
    return None


class RequestApi:
    """What one cloud adds to a request module.

    A subclass must provide ``connect``; it sets the attributes that apply to it and overrides the
    methods whose default (a Huawei-style REST call: the path given, list values repeated in the
    query, a JSON body) its cloud does otherwise.
    """

    argument_spec = {}
    constraints = {}
    request_spec = {}          # changes to the request options of REQUEST_SPEC (another default, path not required)
    placeholders = ()          # the names a path may hold in braces, filled in by the connection
    reserved_headers = ()      # headers the module sets itself (signature, token, date): never the user's
    idempotency_header = None     # a header the API documents as an idempotency token (X-Client-Token)
    idempotency_parameter = None  # or a query or body parameter (ClientToken)

    def check_params(self, params):
        """Refuse the cloud's options before any request (raise a JobwatchError)."""

    def request_path(self, params):
        """The path to send the request to, before the checks every path gets."""
        return params['path']

    def query_pairs(self, query):
        """The (name, text) pairs of the ``query`` option: a list value repeats the parameter."""
        pairs = []
        for key, value in query.items():
            scalar_text('query', 'key %r' % key, key)
            for item in (value if isinstance(value, list) else [value]):
                pairs.append((str(key), scalar_text('query', repr(key), item)))
        return pairs

    def encode_body(self, params, body):
        """(bytes, Content-Type) of the ``body`` option (not None): JSON."""
        if not isinstance(body, (dict, list)):
            raise JobwatchError('check body', 'body must be a dict or a list (sent as JSON), got %s' % type(body).__name__)
        return json.dumps(body, ensure_ascii=False, separators=(',', ':')).encode('utf-8'), 'application/json;charset=UTF-8'

    def call_headers(self, params):
        """Headers the call itself needs besides the user's (the API's name and version), all reserved."""
        return {}

    def connect(self, params, on_secret):
        """A Connection (_connection.py) for these validated ``params``; ``on_secret`` as for JobApi.connect."""
        raise NotImplementedError


def argument_spec(api):
    spec = dict(api.argument_spec)
    spec.update(CONNECTION_SPEC)
    spec.update(REQUEST_SPEC)
    spec.update(api.request_spec)
    return spec, {key: list(value) if isinstance(value, (list, tuple)) else value for key, value in api.constraints.items()}


class Request:
    """A checked request: method, path, query pairs, headers, the body's bytes and the body as given."""

    def __init__(self, method, path, query, headers, body, status_code, given_body=None, parameters=()):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.status_code = status_code
        self.given_body = given_body
        # The names given at the top of the query and of a dict body (where an idempotency parameter goes).
        self.parameters = frozenset(parameters)

    def accepts(self, status):
        return status in self.status_code if self.status_code else 200 <= status < 300

    def carries_token(self, api):
        """Whether the request carries the idempotency token the API documents."""
        if api.idempotency_header and any(name.lower() == api.idempotency_header.lower() for name in self.headers):
            return True
        return bool(api.idempotency_parameter) and api.idempotency_parameter in self.parameters


def check_request(api, params):
    """The request the options describe, or a JobwatchError saying which option is wrong and why."""
    method = params['method'].strip().upper() if isinstance(params.get('method'), str) else ''
    if method not in METHODS:
        raise JobwatchError('check method', 'method %r is not one of %s' % (params.get('method'), ', '.join(METHODS)))
    path = api.request_path(params)
    check_path(api, path)
    query = params.get('query') or {}
    pairs = api.query_pairs(query)
    headers = _headers(api, params.get('headers') or {})
    body = params.get('body')
    data = b''
    if body is not None:
        data, content_type = api.encode_body(params, body)
        if not any(name.lower() == 'content-type' for name in headers):
            headers['Content-Type'] = content_type
    headers.update(api.call_headers(params))
    status_code = params.get('status_code') or []
    for status in status_code:
        if not 100 <= status <= 599:
            raise JobwatchError('check status_code', 'status_code %s is not an HTTP status (100 to 599)' % status)
    parameters = [str(key) for key in query] + ([str(key) for key in body] if isinstance(body, dict) else [])
    return Request(method, path, pairs, headers, data, frozenset(status_code), given_body=body, parameters=parameters)


def check_path(api, path):
    """Refuse a path that is not a plain URL path, or has a placeholder the connection does not fill in."""
    if not path.startswith('/'):
        raise JobwatchError('check path', 'path %r does not start with /' % path, hint='Give the path of the API, like /v1/{project_id}/cloudservers')
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        raise JobwatchError('check path', 'path has a control character')
    if not PATH_PATTERN.match(path):
        raise JobwatchError('check path', 'path %r has characters a URL path cannot carry (white space, ? # or non-ASCII)' % path,
                            hint='Give the query in query, and percent-encode other characters')
    if any(segment in ('.', '..') for segment in path.split('/')) or re.search(r'%2e%2e|%2f', path, re.I):
        raise JobwatchError('check path', 'path %r has a .. or . segment, or an encoded one' % path)
    for name in PLACEHOLDER.findall(path):
        if name not in api.placeholders:
            filled = ('only %s is filled in' % ', '.join('{%s}' % known for known in api.placeholders) if api.placeholders
                      else 'none is filled in: write the value itself')
            raise JobwatchError('check path', 'path %r has the placeholder {%s}; %s' % (path, name, filled))
    if PLACEHOLDER.sub('', path).count('{') or PLACEHOLDER.sub('', path).count('}'):
        raise JobwatchError('check path', 'path %r has an unmatched { or }' % path)


def scalar_text(option, key, value):
    """The text a scalar option value is sent as; a JobwatchError for a control character or a dict."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (str, int, float)):
        text = str(value)
        check_no_control_character(option, key, text)
        return text
    raise JobwatchError('check %s' % option, '%s %s must be a string, number or bool (or a list of them), got %s'
                        % (option, key, type(value).__name__))


def check_no_control_character(option, key, text):
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise JobwatchError('check %s' % option, '%s %s has a control character' % (option, key))


def _headers(api, headers):
    reserved = {name.lower() for name in api.reserved_headers}
    checked = {}
    for name, value in headers.items():
        if not HEADER_NAME.match(str(name)):
            raise JobwatchError('check headers', 'header name %r is not an HTTP header name' % str(name))
        if str(name).lower() in reserved:
            raise JobwatchError('check headers', 'header %s is set by the module itself' % name,
                                hint='Give credentials in their own options')
        if str(name).lower() in (other.lower() for other in checked):
            raise JobwatchError('check headers', 'header %s is given twice' % name)
        text = scalar_text('headers', name, value)
        problem = text_problem(text, header=True)
        if problem:
            # Never the value: it may be a secret.
            raise JobwatchError('check headers', 'the value of header %s %s' % (name, problem))
        checked[str(name)] = text
    return checked


class RequestTask(TaskBase):
    """Checks the input, sends the request (or, in check mode, says what it would send) and builds the result."""

    doing = 'sending the request'
    failed_keys = dict(changed=False)

    def __init__(self, api, params, warn=None, hide=None, check_mode=False, clock=time.monotonic):
        super().__init__(api, params, argument_spec(api)[0], warn=warn, hide=hide, clock=clock)
        self.check_mode = check_mode

    def _run(self):
        api, params = self.api, self.params
        # Every check on the input comes before the first request.
        request = check_request(api, params)
        check_connection(params)
        api.check_params(params)
        for name, value in request.headers.items():
            if SECRET_HEADER.search(name):
                # A credential in a header: masked in any message an answer brings back, and hidden like no_log options.
                self._secret_learnt(value)
        if not params['validate_certs']:
            self._warn('TLS certificate verification is off (validate_certs=false): anyone on the path can read '
                       'and change these requests. Use ca_path to trust a private CA instead.')
        changes = request.method not in READS
        connection = api.connect(params, on_secret=self._secret_learnt)
        connection.http.secrets = self._secrets
        send = not (self.check_mode and changes)
        url = connection.url(request.path, None, send)
        what = '%s %s' % (request.method, url)
        if not send:
            return False, dict(changed=True, request=self._preview(request, url),
                               msg='Check mode: the %s request was not sent' % request.method)
        token = request.carries_token(api)
        reply = connection.http.request(request.method, url, what, query=request.query, headers=request.headers,
                                        body=request.body, auth=connection.auth, repeat=REPEAT_ALL if token else REPEAT_UNSENT,
                                        accept=request.status_code, any_answer=True)
        result = dict(changed=changes, status=reply.status, request_id=reply.request_id, url=url)
        if reply.is_json:
            result['json'] = reply.json
        elif reply.text:
            result['content'] = reply.text[:CONTENT_SHOWN]
        job_id = find_job_id(reply.json) if reply.is_json else None
        if job_id is not None:
            result['job_id'] = job_id
        if not request.accepts(reply.status):
            result['msg'] = 'Failed to %s: HTTP %s is not among status_code (%s)%s' % (
                what, reply.status, ', '.join(str(status) for status in sorted(request.status_code)),
                ' (request id %s)' % reply.request_id if reply.request_id else '')
            return True, result
        return False, result

    def _preview(self, request, url):
        body = request.given_body
        headers = {name: MASK if SECRET_HEADER.search(name) else value for name, value in request.headers.items()}
        return dict(method=request.method, url=url, query=[list(pair) for pair in request.query], headers=headers, body=body)
