# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud: options, endpoints, error conventions and ACS3-signed RPC calls."""

from ansible.module_utils.basic import env_fallback

from ansible_collections.jobwatch.cloud.plugins.module_utils._acs3_signer import sign
from ansible_collections.jobwatch.cloud.plugins.module_utils._auth import Auth
from ansible_collections.jobwatch.cloud.plugins.module_utils._checks import check_text
from ansible_collections.jobwatch.cloud.plugins.module_utils._connection import Connection
from ansible_collections.jobwatch.cloud.plugins.module_utils._conventions import Conventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import text, text_at
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import HttpClient
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import JobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import http_settings, service_url
from ansible_collections.jobwatch.cloud.plugins.module_utils._retry import parse_retry_after, parse_seconds

ARGUMENT_SPEC = dict(
    region=dict(type='str', fallback=(env_fallback, ['ALIBABA_CLOUD_REGION_ID', 'ALICLOUD_REGION', 'ALICLOUD_REGION_ID'])),
    access_key=dict(type='str', no_log=False,
                    fallback=(env_fallback, ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY', 'ALICLOUD_ACCESS_KEY_ID'])),
    secret_key=dict(type='str', no_log=True, fallback=(env_fallback, ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'])),
    security_token=dict(type='str', no_log=True, fallback=(env_fallback, ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN'])),
)

CONSTRAINTS = dict(
    required_together=[('access_key', 'secret_key')],
    required_by=dict(security_token='access_key'),
)

CREDENTIALS_HINT = ('Give access_key and secret_key, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET '
                    '(with ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials)')

TRANSIENT_CODES = frozenset(('InternalError', 'UnknownError', 'ServiceUnavailable'))
TRANSIENT_STATUSES = frozenset((500, 502, 503, 504))
CREDENTIAL_CODES = ('InvalidAccessKeyId', 'SignatureDoesNotMatch', 'IncompleteSignature', 'InvalidSecurityToken', 'Forbidden')


def check_options(params):
    """Refuse credentials that cannot be sent, before any request."""
    # access_key and the STS token travel in headers; the secret signs them. Never shown.
    check_text(params, 'access_key', header=True)
    check_text(params, 'security_token', header=True)
    check_text(params, 'secret_key')


class AlibabaConventions(Conventions):
    """How Alibaba Cloud's POP gateway reports errors and throttling."""

    @staticmethod
    def request_id(headers, data):
        return text_at(data, 'RequestId') or text_at(data, 'requestId') or headers.get('x-acs-request-id')

    @staticmethod
    def read_error(data):
        # Some products answer in lower case; the official client reads both spellings.
        code = data.get('Code') or data.get('code')
        # Any JSON may stand there: a number, an object... Messages need text.
        return text(code), text(data.get('Message') or data.get('message'))

    @staticmethod
    def is_throttled(status, code):
        # Throttling, Throttling.User, Throttling.Api; Rejected.Throttling is flow control too.
        return status == 429 or bool(code and (code.startswith('Throttling') or code == 'Rejected.Throttling'))

    @staticmethod
    def is_transient(status, code):
        return status in TRANSIENT_STATUSES or code in TRANSIENT_CODES

    @staticmethod
    def server_pause(headers):
        # x-acs-retry-after is in milliseconds (read from the SDK's backoff code).
        pause = parse_seconds(headers.get('x-acs-retry-after'), unit=0.001)
        return pause if pause is not None else parse_retry_after(headers.get('Retry-After'))

    @staticmethod
    def throttle_policy(message):
        # POP's throttling answers do not name the quota.
        return None

    @staticmethod
    def hint(status, code, message=None, auth=None):
        code = code or ''
        if 'TimeStamp' in code or 'Timestamp' in code:
            return 'The request date was refused: check this machine\'s clock'
        if code.startswith(CREDENTIAL_CODES) or status in (401, 403):
            if auth is not None:
                return auth.refused_hint()
            return 'Check access_key, secret_key and, for STS credentials, security_token'
        return None


class Acs3Auth(Auth):
    """Access keys (with ``security_token`` for STS credentials), ACS3-signed per request."""

    def __init__(self, access_key, secret_key, security_token=None):
        self.access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token

    def apply(self, method, url, query, headers, body):
        return sign(method, url, headers, query, body, self.access_key, self._secret_key, self._security_token)

    def refused_hint(self):
        if self._security_token:
            return 'Check access_key, secret_key and security_token: STS credentials expire together (get new ones)'
        return 'Check access_key and secret_key; STS credentials (access keys starting STS.) also need security_token'


class AlibabaConnection(Connection):
    """Signed RPC-style calls (``GET /`` with the action in headers) to one Alibaba product."""

    def __init__(self, params, product, endpoint_map=None):
        if not (params.get('access_key') and params.get('secret_key')):
            raise JobwatchError('authenticate to Alibaba Cloud', 'no credentials were given', hint=CREDENTIALS_HINT)
        self.params = params
        region = params.get('region')
        self.endpoint = service_url(params.get('endpoint'), product, region, 'aliyuncs.com',
                                    region_variable='ALIBABA_CLOUD_REGION_ID')
        if not params.get('endpoint') and region in (endpoint_map or {}):
            # The product's own map, as its SDK client has it: some regions are served by another host.
            self.endpoint = 'https://' + endpoint_map[region]
        self.http = HttpClient(AlibabaConventions(), **http_settings(params))
        self.auth = Acs3Auth(params['access_key'], params['secret_key'], params.get('security_token'))

    # prepare: nothing to settle before polling, every request carries its own signature.

    def url(self, path, deadline=None, send=True):  # pylint: disable=unused-argument
        return self.endpoint + path

    def call(self, action, version, query, what, deadline=None, answer_problem=None):
        headers = {'x-acs-action': action, 'x-acs-version': version, 'Accept': 'application/json'}
        return self.http.request('GET', self.endpoint + '/', what, query=query, headers=headers, auth=self.auth,
                                 deadline=deadline, answer_problem=answer_problem)


class AlibabaJobApi(JobApi):
    """Base of the Alibaba Cloud job APIs: a product, an action and its version describe each one."""

    argument_spec = ARGUMENT_SPEC
    constraints = CONSTRAINTS
    product = None   # host prefix: https://{product}.{region}.aliyuncs.com
    endpoint_map = {}  # region -> host, where the product is not at {product}.{region}.aliyuncs.com
    action = None
    version = None
    id_parameter = None  # the query parameter holding the id

    def check_params(self, params):
        check_options(params)

    def connect(self, params, on_secret):
        return AlibabaConnection(params, self.product, self.endpoint_map)

    def fetch(self, connection, job_id, deadline):
        reply = connection.call(self.action, self.version, [(self.id_parameter, job_id)],
                                'query %s %s' % (self.noun, job_id), deadline, answer_problem=self.answer_problem)
        return self.read_job(reply.data), reply.request_id
