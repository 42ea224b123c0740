# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud conventions (errors, throttling, x-acs-retry-after) and AlibabaConnection.

The HTTP client runs against the scripted local server with Alibaba's error bodies
({RequestId, HostId, Code, Message, Recommend}); sleeping and the clock are fake. Where the
official code (alibabacloud-tea-openapi 0.4.6) has an opinion - how long x-acs-retry-after
asks to wait, whether a request's signature holds - it is asked, not restated.
"""

import hashlib
from urllib.parse import unquote

import pytest
from requests.structures import CaseInsensitiveDict

from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_cloud import AlibabaConnection, AlibabaConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import html_answer, json_answer

REQUEST_ID = '5E2BFE96-C0E0-5A98-85C8-633EC803198D'
JOB = {'RequestId': REQUEST_ID, 'JobStatus': {'JobId': 'job-1', 'Status': 'Running', 'Completed': 'False'}}
OK = json_answer(200, JOB)
SECRET = 'exampleSecretKEY0123456789abcdefXYZ'


def alibaba_error(status, code, message, request_id='req-err', headers=None):
    """An error as the POP gateway sends it."""
    body = {'RequestId': request_id, 'HostId': 'dataworks.cn-hangzhou.aliyuncs.com', 'Code': code, 'Message': message,
            'Recommend': 'https://api.aliyun.com/troubleshoot?q=%s' % code}
    return json_answer(status, body, headers=headers)


THROTTLED_USER = alibaba_error(400, 'Throttling.User', 'Request was denied due to user flow control.',
                               headers={'x-acs-retry-after': '1500'})


@pytest.fixture(name='client_defaults')
def _client_defaults():
    return dict(conventions=AlibabaConventions())


def get(client, server, host=None, **kwargs):
    url = 'http://%s/' % (host or server.host)
    return client.request('GET', url, 'query DataWorks job job-1', query=[('JobId', 'job-1')], **kwargs)


# --- the conventions, one by one --------------------------------------------------------------------

@pytest.mark.parametrize('headers, data, expected', [
    ({}, {'RequestId': REQUEST_ID}, REQUEST_ID),
    ({'x-acs-request-id': 'hdr-1'}, None, 'hdr-1'),
    ({'x-acs-request-id': 'hdr-1'}, {'Code': 'InternalError'}, 'hdr-1'),
    ({'x-acs-request-id': 'hdr-1'}, {'RequestId': REQUEST_ID}, REQUEST_ID),
    ({}, {}, None),
])
def test_request_id_from_the_body_or_the_header(headers, data, expected):
    assert AlibabaConventions.request_id(CaseInsensitiveDict(headers), data) == expected


def test_request_id_header_is_found_whatever_its_case():
    assert AlibabaConventions.request_id(CaseInsensitiveDict({'X-Acs-Request-Id': 'hdr-2'}), None) == 'hdr-2'


def test_error_is_read_from_code_and_message():
    body = {'RequestId': 'r', 'HostId': 'h', 'Code': 'Forbidden.RAM', 'Message': 'User not authorized', 'Recommend': 'u'}
    assert AlibabaConventions.read_error(body) == ('Forbidden.RAM', 'User not authorized')
    assert AlibabaConventions.read_error({'RequestId': 'r'}) == (None, None)


@pytest.mark.parametrize('status, code', [
    (400, 'Throttling'), (400, 'Throttling.User'), (400, 'Throttling.Api'),
    (403, 'Throttling.User'), (429, 'Throttling.Api'), (429, 'Throttling'), (429, None),
])
def test_throttling(status, code):
    assert AlibabaConventions.is_throttled(status, code) is True


@pytest.mark.parametrize('status, code', [
    (400, 'InvalidParameter'), (400, 'SignatureDoesNotMatch'), (403, 'Forbidden.RAM'), (404, 'InvalidJobId.NotFound'),
    (400, None), (500, 'InternalError'),
])
def test_not_throttling(status, code):
    assert AlibabaConventions.is_throttled(status, code) is False


@pytest.mark.parametrize('status, code', [
    (500, 'InternalError'), (500, 'UnknownError'), (503, 'ServiceUnavailable'),
    # The code alone is enough, whatever status a proxy put on it.
    (400, 'InternalError'), (400, 'UnknownError'), (400, 'ServiceUnavailable'),
    (500, None), (502, None), (503, None), (504, None),
])
def test_transient(status, code):
    assert AlibabaConventions.is_transient(status, code) is True


@pytest.mark.parametrize('status, code', [
    (400, 'InvalidParameter'), (400, 'SignatureDoesNotMatch'), (404, None), (403, 'Forbidden.RAM'), (501, None),
    (400, 'Throttling.User'),
])
def test_not_transient(status, code):
    assert AlibabaConventions.is_transient(status, code) is False


def _sdk_millis(value):
    """How long the official client waits for an x-acs-retry-after value, in ms (None: not a usable wait)."""
    sdk_utils = pytest.importorskip('alibabacloud_tea_openapi.utils')
    return sdk_utils.Utils.get_throttling_time_left({'x-acs-retry-after': value})


@pytest.mark.parametrize('value', ['1500', '1', '250', '60000', '999'])
def test_x_acs_retry_after_is_milliseconds_as_the_sdk_reads_it(value):
    seconds = AlibabaConventions.server_pause(CaseInsensitiveDict({'x-acs-retry-after': value, 'Retry-After': '99'}))
    assert seconds == pytest.approx(_sdk_millis(value) / 1000.0)


def test_x_acs_retry_after_hand_checked():
    assert AlibabaConventions.server_pause(CaseInsensitiveDict({'x-acs-retry-after': '1500'})) == pytest.approx(1.5)
    assert AlibabaConventions.server_pause(CaseInsensitiveDict({'X-Acs-Retry-After': '20'})) == pytest.approx(0.02)


@pytest.mark.parametrize('value', ['soon', '', '1,5', '0x10', '1500ms'])
def test_garbage_x_acs_retry_after_falls_back_to_retry_after(value):
    assert _sdk_millis(value) is None  # the SDK does not take it either
    headers = CaseInsensitiveDict({'x-acs-retry-after': value, 'Retry-After': '2'})
    assert AlibabaConventions.server_pause(headers) == 2.0
    assert AlibabaConventions.server_pause(CaseInsensitiveDict({'x-acs-retry-after': value})) is None


@pytest.mark.parametrize('value', ['inf', 'nan', '1e400', 'Infinity'])
def test_non_finite_x_acs_retry_after_falls_back_to_retry_after(value):
    assert _sdk_millis(value) is None
    assert AlibabaConventions.server_pause(CaseInsensitiveDict({'x-acs-retry-after': value, 'Retry-After': '2'})) == 2.0


def test_no_retry_after_at_all():
    assert AlibabaConventions.server_pause(CaseInsensitiveDict({})) is None
    assert AlibabaConventions.server_pause(CaseInsensitiveDict({'Retry-After': '3'})) == 3.0


@pytest.mark.parametrize('status, code', [
    (400, 'InvalidTimeStamp.Expired'), (400, 'InvalidTimeStamp.Format'), (400, 'InvalidTimestamp.Expired'),
])
def test_clock_codes_hint_at_the_clock(status, code):
    assert 'clock' in AlibabaConventions.hint(status, code)


@pytest.mark.parametrize('status, code', [
    (400, 'SignatureDoesNotMatch'), (400, 'IncompleteSignature'), (404, 'InvalidAccessKeyId.NotFound'),
    (400, 'InvalidAccessKeyId.Inactive'), (400, 'InvalidSecurityToken.Expired'), (403, 'Forbidden.RAM'), (401, None),
])
def test_credential_codes_hint_at_the_credentials(status, code):
    hint = AlibabaConventions.hint(status, code)
    assert 'access_key' in hint and 'secret_key' in hint and 'security_token' in hint


@pytest.mark.parametrize('status, code', [(400, 'InvalidParameter'), (500, 'InternalError'), (404, None), (400, None)])
def test_other_errors_have_no_hint(status, code):
    assert AlibabaConventions.hint(status, code) is None


# --- the HTTP client with Alibaba's errors ------------------------------------------------------------

def test_throttling_user_is_retried_after_the_milliseconds_asked_for(server, clock, make_client):
    server.add(THROTTLED_USER, OK)
    reply = get(make_client(retries=3, draw=0.0), server)
    assert reply.data == JOB and reply.request_id == REQUEST_ID
    assert len(server.requests) == 2
    assert clock.sleeps and clock.sleeps[0] >= 1.5
    assert sum(clock.sleeps) < 1.5 + 0.5


def test_throttling_pause_is_shared_with_the_next_request_to_the_same_host(server, clock, make_client):
    client = make_client(retries=0)
    server.add(THROTTLED_USER, OK, OK)
    with pytest.raises(JobwatchError) as caught:
        get(client, server)
    assert caught.value.code == 'Throttling.User' and caught.value.status == 400
    assert clock.sleeps == []
    # Another host name (same server) is not held back ...
    get(client, server, host='localhost:%d' % server.port)
    assert clock.sleeps == []
    # ... but a second request to the throttled host waits the 1.5 s out before it is sent.
    sent_before = client.requests_sent
    get(client, server)
    assert clock.sleeps == [pytest.approx(1.5)]
    assert client.requests_sent == sent_before + 1


@pytest.mark.parametrize('code', ['Throttling', 'Throttling.Api', 'Rejected.Throttling'])
def test_other_throttling_codes_are_retried_too(server, clock, make_client, code):
    server.add(alibaba_error(400, code, 'Request was denied due to flow control.'), OK)
    client = make_client(retries=3)
    assert get(client, server).data == JOB
    assert len(server.requests) == 2 and len(clock.sleeps) == 1
    assert client.throttled_answers == 1


@pytest.mark.parametrize('fault', [
    pytest.param(alibaba_error(500, 'InternalError', 'The request processing has failed due to some unknown error.'),
                 id='500-InternalError'),
    pytest.param(alibaba_error(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
                 id='503-ServiceUnavailable'),
    pytest.param(html_answer(502, '502 Bad Gateway', headers={'x-acs-request-id': 'slb-1'}), id='502-html'),
    pytest.param(alibaba_error(504, 'GatewayTimeout', 'timeout'), id='504'),
])
def test_transient_errors_are_retried(server, clock, make_client, fault):
    server.add(fault, OK)
    assert get(make_client(retries=3), server).data == JOB
    assert len(server.requests) == 2


def test_a_request_id_header_names_an_error_without_a_json_body(server, clock, make_client):
    server.set_default(html_answer(502, '502 Bad Gateway', headers={'x-acs-request-id': 'slb-7'}))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=1), server)
    assert caught.value.request_id == 'slb-7'
    assert "HTML page titled '502 Bad Gateway'" in str(caught.value)


def test_signature_does_not_match_is_not_retried_and_says_code_and_request_id(server, clock, make_client):
    server.add(alibaba_error(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.',
                             request_id='8AD0A2E1-7B0C-5A3A-9C61-AB1B20A3E0F1'))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=5), server)
    text = str(caught.value)
    assert len(server.requests) == 1 and clock.sleeps == []
    assert 'error code SignatureDoesNotMatch' in text
    assert 'Specified signature is not matched with our calculation.' in text
    assert '8AD0A2E1-7B0C-5A3A-9C61-AB1B20A3E0F1' in text
    assert 'HTTP 400' in text and 'secret_key' in text


def test_an_expired_timestamp_is_not_retried_and_points_at_the_clock(server, clock, make_client):
    server.add(alibaba_error(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=5), server)
    assert len(server.requests) == 1
    assert "check this machine's clock" in str(caught.value)


def test_an_infinite_x_acs_retry_after_does_not_crash_the_client(server, clock, make_client):
    server.set_default(alibaba_error(400, 'Throttling.User', 'flow control', headers={'x-acs-retry-after': 'inf'}))
    with pytest.raises(JobwatchError):
        get(make_client(retries=1), server)


def test_a_numeric_error_code_is_reported_not_a_crash(server, clock, make_client):
    server.add(json_answer(404, {'RequestId': 'r-1', 'Code': 404, 'Message': 'Not Found'}))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0), server)
    assert '404' in str(caught.value) and 'Not Found' in str(caught.value)


def test_lower_case_error_keys_are_read_as_the_sdk_reads_them(server, clock, make_client):
    server.add(json_answer(400, {'requestId': 'r-2', 'code': 'Throttling.User', 'message': 'flow control'}), OK)
    assert get(make_client(retries=3), server).data == JOB


# --- AlibabaConnection ----------------------------------------------------------------------------------

def params(**extra):
    values = dict(region='cn-hangzhou', endpoint=None, access_key='LTAI5tEXAMPLE', secret_key=SECRET, security_token=None,
                  timeout=5.0, validate_certs=True, ca_path=None)
    values.update(extra)
    return values


@pytest.mark.parametrize('region, url', [
    ('cn-hangzhou', 'https://dataworks.cn-hangzhou.aliyuncs.com'),
    ('ap-southeast-1', 'https://dataworks.ap-southeast-1.aliyuncs.com'),
    ('eu-central-1', 'https://dataworks.eu-central-1.aliyuncs.com'),
])
def test_endpoint_from_region(region, url):
    assert AlibabaConnection(params(region=region), 'dataworks').endpoint == url


def test_endpoint_overrides_region():
    connection = AlibabaConnection(params(endpoint='http://127.0.0.1:8080/'), 'dataworks')
    assert connection.endpoint == 'http://127.0.0.1:8080'
    assert AlibabaConnection(params(region=None, endpoint='https://dw.example.org'), 'dataworks').endpoint == 'https://dw.example.org'


@pytest.mark.parametrize('missing', [dict(access_key=None, secret_key=None), dict(secret_key=None), dict(access_key='')])
def test_missing_credentials_is_an_error_naming_the_environment_variables_and_sends_nothing(server, missing):
    with pytest.raises(JobwatchError) as caught:
        AlibabaConnection(params(endpoint=server.url, **missing), 'dataworks')
    text = str(caught.value)
    assert 'no credentials were given' in text
    assert 'ALIBABA_CLOUD_ACCESS_KEY_ID' in text and 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' in text
    assert server.requests == []


def test_no_region_and_no_endpoint_is_an_error():
    with pytest.raises(JobwatchError) as caught:
        AlibabaConnection(params(region=None), 'dataworks')
    assert 'neither endpoint nor region was given' in str(caught.value)


def test_no_region_hint_names_the_alibaba_variable():
    with pytest.raises(JobwatchError) as caught:
        AlibabaConnection(params(region=None), 'dataworks')
    assert 'HW_REGION_NAME' not in str(caught.value)
    assert 'ALIBABA_CLOUD_REGION_ID' in str(caught.value)


def _query_of(recorded):
    """The (key, value) pairs of a recorded request line, decoded as the gateway decodes them (no '+' as space)."""
    query = recorded.path.split('?', 1)[1] if '?' in recorded.path else ''
    return [tuple(unquote(part) for part in pair.split('=', 1)) for pair in query.split('&') if pair]


def _sdk_authorization(recorded, access_key, secret):
    """The Authorization the official code computes for the request as the server received it."""
    sdk_utils = pytest.importorskip('alibabacloud_tea_openapi.utils')
    dara_request = pytest.importorskip('darabonba.request')
    names = recorded.headers['Authorization'].split('SignedHeaders=', 1)[1].split(',', 1)[0].split(';')
    request = dara_request.DaraRequest()
    request.method = recorded.method
    request.pathname = recorded.path.split('?', 1)[0]
    request.query = dict(_query_of(recorded))
    request.headers = {name: recorded.headers[name] for name in names}
    payload = hashlib.sha256(recorded.body).hexdigest()
    return sdk_utils.Utils.get_authorization(request, 'ACS3-HMAC-SHA256', payload, access_key, secret)


@pytest.mark.parametrize('job_id', ['C664CDE3-9C0B-5792-B17F-6C543783BBBC', 'job 42', '~job~', 'ジョブ-ü', 'a+b&c=d'])
def test_call_sends_a_get_to_the_root_that_the_sdk_verifies(server, job_id):
    server.add(OK)
    connection = AlibabaConnection(params(endpoint=server.url), 'dataworks')
    reply = connection.call('GetJobStatus', '2024-05-18', [('JobId', job_id)], 'query DataWorks job')
    assert reply.data == JOB and reply.request_id == REQUEST_ID
    [recorded] = server.requests
    assert recorded.method == 'GET' and recorded.path.startswith('/?')
    assert _query_of(recorded) == [('JobId', job_id)]
    assert recorded.headers['x-acs-action'] == 'GetJobStatus' and recorded.headers['x-acs-version'] == '2024-05-18'
    assert recorded.headers['host'] == server.host
    assert recorded.headers['x-acs-content-sha256'] == hashlib.sha256(b'').hexdigest()
    assert recorded.body == b''
    assert recorded.headers['Authorization'] == _sdk_authorization(recorded, 'LTAI5tEXAMPLE', SECRET)


def test_call_with_sts_credentials_sends_and_signs_the_token(server):
    server.add(OK)
    connection = AlibabaConnection(params(endpoint=server.url, access_key='STS.NUexample', security_token='CAIS-token'), 'dataworks')
    connection.call('GetJobStatus', '2024-05-18', [('JobId', 'job-1')], 'query DataWorks job')
    [recorded] = server.requests
    assert recorded.headers['x-acs-security-token'] == 'CAIS-token'
    assert recorded.headers['x-acs-accesskey-id'] == 'STS.NUexample'
    signed_names = recorded.headers['Authorization'].split('SignedHeaders=', 1)[1].split(',', 1)[0].split(';')
    assert 'x-acs-security-token' in signed_names and 'x-acs-accesskey-id' in signed_names
    assert recorded.headers['Authorization'] == _sdk_authorization(recorded, 'STS.NUexample', SECRET)


def test_each_attempt_of_a_retried_call_has_its_own_nonce(server):
    # The gateway refuses a nonce it has seen: a retry must be signed again.
    server.add(alibaba_error(503, 'ServiceUnavailable', 'busy'), OK)
    connection = AlibabaConnection(params(endpoint=server.url), 'dataworks')
    connection.http._sleep = lambda seconds: None  # pylint: disable=protected-access
    connection.call('GetJobStatus', '2024-05-18', [('JobId', 'job-1')], 'query DataWorks job')
    first, second = server.requests
    assert first.headers['x-acs-signature-nonce'] != second.headers['x-acs-signature-nonce']
    assert second.headers['Authorization'] == _sdk_authorization(second, 'LTAI5tEXAMPLE', SECRET)
