# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HttpClient against a real local HTTP server that answers from a script.

Sleeping and the monotonic clock are fake (injected), so retries and pauses cost no time and
no assertion depends on how fast this machine is. Only the timeout tests need a real socket
timeout; they use 0.2 s and a server that holds the request far longer than that.
"""

import socket
import threading
from urllib.parse import unquote

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._auth import Auth
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import SHORTEST_ATTEMPT, USER_AGENT, HttpClient, describe_body, encode_query
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_auth import AkSkAuth, PasswordAuth, TokenAuth
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._redact import Secrets
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.doubles import CountingPasswordAuth
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import answer, closed_port_url, drop, html_answer, json_answer, slow

JOB = {'status': 'RUNNING', 'job_id': 'j1'}
OK = json_answer(200, JOB, headers={'X-Request-Id': 'req-ok'})


class RecordingAuth(Auth):
    """An auth that stamps a token on each attempt and says whether a refresh is possible."""

    def __init__(self, refreshable):
        self.refreshable = refreshable
        self.refreshes = 0
        self.deadlines = []
        self.token = 'token-1'

    def apply(self, method, url, query, headers, body):
        headers = dict(headers)
        headers['X-Auth-Token'] = self.token
        return headers

    def refresh(self, deadline=None):
        self.refreshes += 1
        self.deadlines.append(deadline)
        if self.refreshable:
            self.token = 'token-%d' % (self.refreshes + 1)
        return self.refreshable

    @staticmethod
    def refused_hint():
        return 'Check the recording token'


def get(client, server, path='/v1/p/jobs/j1', **kwargs):
    return client.request('GET', server.url + path, 'query ECS job j1', **kwargs)


TRANSIENT_FAULTS = [
    pytest.param(json_answer(503, {'error_code': 'SYS.0503', 'error_msg': 'busy'}), id='503'),
    pytest.param(json_answer(500, {'error': {'code': 'Ecs.0001', 'message': 'internal'}}), id='500'),
    pytest.param(html_answer(502, '502 Bad Gateway'), id='502-html-page'),
    pytest.param(answer(504, ''), id='504-empty'),
    pytest.param(json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, headers={'Retry-After': '3'}),
                 id='429-retry-after'),
    pytest.param(json_answer(400, {'error_code': 'APIGW.0308', 'error_msg': 'The request is throttled.'}),
                 id='apigw-0308-body'),
    pytest.param(drop(), id='connection-dropped'),
    pytest.param(answer(200, '{"status": "RUNN', content_type='application/json'), id='malformed-json-200'),
    pytest.param(answer(200, '["status", "RUNNING"]', content_type='application/json'), id='json-list-200'),
    pytest.param(answer(200, '{"status": "SUCCESS"}', content_type='application/json', length=400),
                 id='body-cut-short'),
]


@pytest.mark.parametrize('fault', TRANSIENT_FAULTS)
def test_transient_failure_is_retried_then_answered(server, clock, make_client, fault):
    server.add(fault, OK)
    client = make_client(retries=3)
    reply = get(client, server)
    assert reply.data == JOB
    assert reply.request_id == 'req-ok'
    assert len(server.requests) == 2
    assert client.requests_sent == 2
    assert len(clock.sleeps) == 1


def test_retry_after_is_honoured_as_the_floor_of_the_pause(server, clock, make_client):
    server.add(json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, headers={'Retry-After': '7'}), OK)
    get(make_client(retries=3, draw=0.0), server)
    assert clock.sleeps and clock.sleeps[0] >= 7.0
    assert sum(clock.sleeps) <= 7.0 + 0.8


def test_retry_after_on_a_503_is_honoured_too(server, clock, make_client):
    server.add(json_answer(503, {'error_code': 'SYS.0503', 'error_msg': 'maintenance'}, headers={'Retry-After': '5'}), OK)
    get(make_client(retries=3, draw=0.0), server)
    assert clock.sleeps and clock.sleeps[0] >= 5.0


def test_an_answer_problem_is_retried_not_taken_as_the_answer(server, clock, make_client):
    server.add(json_answer(200, {'job_id': 'j1'}), json_answer(200, {'job_id': 'j1', 'status': 'SUCCESS'}))
    seen = []

    def answer_problem(data):
        seen.append(data)
        return None if data.get('status') else 'the answer has no job status in it'

    reply = get(make_client(retries=3), server, answer_problem=answer_problem)
    assert reply.data['status'] == 'SUCCESS'
    assert len(seen) == 2 and len(server.requests) == 2


def test_an_answer_problem_every_time_gives_up_saying_what_was_wrong(server, clock, make_client):
    server.set_default(json_answer(200, {'job_id': 'j1'}, headers={'X-Request-Id': 'req-7'}))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=2), server, answer_problem=lambda data: 'the answer has no job status in it')
    text = str(caught.value)
    assert 'the answer has no job status in it' in text
    assert 'gave up after 3 attempts' in text
    assert 'req-7' in text
    assert len(server.requests) == 3


def test_gives_up_after_the_bound_naming_code_and_request_id(server, clock, make_client):
    server.set_default(json_answer(503, {'error_code': 'SYS.0503', 'error_msg': 'The service is busy.'},
                                   headers={'X-Request-Id': 'abc-123'}))
    client = make_client(retries=2)
    with pytest.raises(JobwatchError) as caught:
        get(client, server)
    error = caught.value
    text = str(error)
    assert 'query ECS job j1' in text
    assert 'HTTP 503' in text and 'SYS.0503' in text and 'The service is busy.' in text
    assert 'abc-123' in text
    assert 'gave up after 3 attempts' in text
    assert (error.status, error.code, error.request_id) == (503, 'SYS.0503', 'abc-123')
    assert len(server.requests) == 3 and client.requests_sent == 3
    assert len(clock.sleeps) == 2


def test_connection_refused_is_retried_then_reported(clock, make_client):
    url = closed_port_url()
    client = make_client(retries=2)
    with pytest.raises(JobwatchError) as caught:
        client.request('GET', url + '/v1/p/jobs/j1', 'query ECS job j1')
    text = str(caught.value)
    assert 'connection to %s failed' % url.split('//')[1] in text
    assert 'gave up after 3 attempts' in text
    assert 'object at 0x' not in text and 'Traceback' not in text
    assert client.requests_sent == 3


@pytest.mark.parametrize('method', ['POST', 'PUT', 'DELETE'])
@pytest.mark.parametrize('fault', [json_answer(503, {'error_code': 'SYS.0503', 'error_msg': 'busy'}), drop(),
                                   json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'})],
                         ids=['503', 'drop', '429'])
def test_a_call_that_may_create_something_is_never_retried(server, clock, make_client, method, fault):
    server.add(fault, OK)
    client = make_client(retries=5)
    with pytest.raises(JobwatchError) as caught:
        client.request(method, server.url + '/v1/p/cloudservers', 'create servers', body=b'{}')
    assert len(server.requests) == 1
    assert client.requests_sent == 1
    assert clock.sleeps == []
    assert 'gave up' not in str(caught.value)


def test_401_is_not_retried_without_auth(server, clock, make_client):
    server.add(json_answer(401, {'error_code': 'APIGW.0301', 'error_msg': 'Incorrect IAM authentication information'}), OK)
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=5), server)
    assert caught.value.status == 401 and caught.value.code == 'APIGW.0301'
    assert 'Check the credentials' in str(caught.value)
    assert len(server.requests) == 1 and clock.sleeps == []


def test_401_is_not_retried_when_the_credential_cannot_be_renewed(server, clock, make_client):
    server.add(json_answer(401, {'error_code': 'APIGW.0301', 'error_msg': 'bad signature'}), OK)
    auth = RecordingAuth(refreshable=False)
    with pytest.raises(JobwatchError):
        get(make_client(retries=5), server, auth=auth)
    assert auth.refreshes == 1
    assert len(server.requests) == 1


def test_401_is_retried_exactly_once_after_a_refresh(server, clock, make_client):
    server.set_default(json_answer(401, {'error_code': 'APIGW.0307', 'error_msg': 'The token expires.'}))
    auth = RecordingAuth(refreshable=True)
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=5), server, auth=auth)
    assert caught.value.status == 401
    assert auth.refreshes == 1
    assert [request.headers['X-Auth-Token'] for request in server.requests] == ['token-1', 'token-2']


def test_401_then_success_after_a_refresh(server, clock, make_client):
    server.add(json_answer(401, {'error_code': 'APIGW.0307', 'error_msg': 'The token expires.'}), OK)
    auth = RecordingAuth(refreshable=True)
    reply = get(make_client(retries=5), server, auth=auth)
    assert reply.data == JOB
    assert [request.headers['X-Auth-Token'] for request in server.requests] == ['token-1', 'token-2']
    assert clock.sleeps == []


def test_password_login_token_expiring_mid_wait_is_renewed_once(server, clock, make_client):
    token_reply = {'token': {'project': {'id': 'project-from-token', 'name': 'cn-north-4'}}}
    server.add(json_answer(201, token_reply, headers={'X-Subject-Token': 'login-1'}),
               OK,
               json_answer(401, {'error_code': 'APIGW.0307', 'error_msg': 'The token expires.'}),
               json_answer(201, token_reply, headers={'X-Subject-Token': 'login-2'}),
               OK)
    client = make_client(retries=3)
    secrets = []
    auth = CountingPasswordAuth(client, server.url, 'alice', 'pa55', 'example', project_name='cn-north-4',
                                on_secret=secrets.append, clock=clock)
    get(client, server, auth=auth)
    clock.advance(3600)
    get(client, server, auth=auth)
    paths = [(request.method, request.path, request.headers.get('X-Auth-Token')) for request in server.requests]
    assert paths == [('POST', '/v3/auth/tokens', None), ('GET', '/v1/p/jobs/j1', 'login-1'), ('GET', '/v1/p/jobs/j1', 'login-1'),
                     ('POST', '/v3/auth/tokens', None), ('GET', '/v1/p/jobs/j1', 'login-2')]
    assert auth.logins == 2 and auth.project_id == 'project-from-token'
    assert secrets == ['login-1', 'login-2']


def test_password_login_token_refused_right_after_login_is_not_renewed(server, clock, make_client):
    # Logging in again would only loop: the token is refused for another reason than its age.
    token_reply = {'token': {'project': {'id': 'p'}}}
    server.add(json_answer(201, token_reply, headers={'X-Subject-Token': 'login-1'}),
               json_answer(401, {'error_code': 'APIGW.0302', 'error_msg': 'The IAM user is forbidden.'}))
    client = make_client(retries=3)
    auth = CountingPasswordAuth(client, server.url, 'alice', 'pa55', 'example', project_id='p', clock=clock)
    with pytest.raises(JobwatchError) as caught:
        get(client, server, auth=auth)
    assert caught.value.code == 'APIGW.0302'
    assert auth.logins == 1 and len(server.requests) == 2


def test_token_auth_sends_x_auth_token(server, clock, make_client):
    server.add(OK)
    get(make_client(), server, auth=TokenAuth('my-token'))
    assert server.requests[0].headers['X-Auth-Token'] == 'my-token'


def test_throttling_pauses_the_next_request_to_the_same_host(server, clock, make_client):
    client = make_client(retries=0)
    server.add(json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, headers={'Retry-After': '7'}), OK, OK)
    with pytest.raises(JobwatchError):
        get(client, server)
    assert clock.sleeps == []
    # Another host (same server, other name) is not held back ...
    client.request('GET', 'http://localhost:%d/v1/p/jobs/j1' % server.port, 'query ECS job j1')
    assert clock.sleeps == []
    # ... but the throttled one is, before anything is sent.
    sent_before = client.requests_sent
    get(client, server)
    assert clock.sleeps == [pytest.approx(7.0)]
    assert client.requests_sent == sent_before + 1


def test_a_shared_pause_is_cut_at_the_deadline(server, clock, make_client):
    client = make_client(retries=0)
    server.add(json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, headers={'Retry-After': '60'}), OK)
    with pytest.raises(JobwatchError):
        get(client, server)
    # The pause outlasts the deadline: sleep until it, then give up without sending anything.
    with pytest.raises(JobwatchError) as caught:
        get(client, server, deadline=clock.now + 5.0)
    assert clock.sleeps == [pytest.approx(5.0)]
    assert caught.value.transient and len(server.requests) == 1


def test_a_deadline_stops_retrying_early(server, clock, make_client):
    server.set_default(json_answer(503, {'error_code': 'SYS.0503', 'error_msg': 'busy'}))
    client = make_client(retries=10, draw=1.0, base=1.0)
    with pytest.raises(JobwatchError) as caught:
        get(client, server, deadline=clock.now + 2.5)
    # Pauses would be 1, 2, 4 ...: after the first (1 s), the next (2 s) would pass the deadline.
    assert clock.sleeps == [1.0]
    assert len(server.requests) == 2
    assert 'gave up after 2 attempts' in str(caught.value)


def test_a_pause_that_would_leave_no_time_for_an_attempt_is_not_slept(server, clock, make_client):
    server.set_default(json_answer(503, {'error_code': 'SYS.0503', 'error_msg': 'busy'}))
    client = make_client(retries=10, draw=1.0, base=1.0)
    deadline = clock.now + 3.1
    with pytest.raises(JobwatchError) as caught:
        get(client, server, deadline=deadline)
    # After the second attempt (at 1 s) the next pause (2 s) would end 0.1 s before the deadline, less
    # than the shortest attempt: given up at once, not after sleeping only to give up.
    assert clock.sleeps == [1.0]
    assert len(server.requests) == 2 and deadline - clock.now == pytest.approx(2.1)
    assert 'gave up after 2 attempts' in str(caught.value)


def test_a_retry_after_beyond_the_deadline_is_not_waited_for(server, clock, make_client):
    server.add(json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, headers={'Retry-After': '120'}), OK)
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=5), server, deadline=clock.now + 30.0)
    assert caught.value.status == 429
    assert clock.sleeps == [] and len(server.requests) == 1


def test_slow_answer_times_out_and_is_retried(server, clock, make_client):
    server.add(slow(), OK)
    client = make_client(retries=3, timeout=0.2)
    reply = get(client, server)
    assert reply.data == JOB
    assert client.requests_sent == 2 and len(server.requests) == 2


def test_slow_answers_every_time_give_a_clear_timeout_message(server, clock, make_client):
    server.set_default(slow())
    client = make_client(retries=1, timeout=0.2)
    with pytest.raises(JobwatchError) as caught:
        get(client, server)
    text = str(caught.value)
    assert 'no answer from %s within the 0.2 s timeout' % server.host in text
    assert 'gave up after 2 attempts' in text
    assert client.requests_sent == 2


def test_the_timeout_is_per_request(server, clock, make_client, monkeypatch):
    client = make_client(retries=0, timeout=12.5)
    seen = []
    real = client.session.request

    def spy(*args, **kwargs):
        seen.append(kwargs.get('timeout'))
        return real(*args, **kwargs)

    monkeypatch.setattr(client.session, 'request', spy)
    server.add(OK, OK)
    get(client, server, deadline=clock.now + 600)
    get(client, server)
    # (connect, read): each socket wait of the request.
    assert seen == [(12.5, 12.5), (12.5, 12.5)]


def test_html_error_page_is_described_by_its_title(server, clock, make_client):
    server.set_default(html_answer(502, '502   Bad\n Gateway', headers={'X-Request-Id': 'gw-1'}))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0), server)
    text = str(caught.value)
    assert "an HTML page titled '502 Bad Gateway'" in text
    assert 'HTTP 502' in text and 'gw-1' in text
    assert '<html' not in text and 'nginx' not in text


SECRET_TOKEN = 'MIIbad-input-token-DO-NOT-LEAK-3b9e-0123456789abcdef'


def test_a_title_cut_inside_an_echoed_token_shows_no_piece_of_it(server, clock, make_client):
    # Cut at 120 characters, the title kept a piece of the token, which no_log (whole values) missed.
    title = 'Forbidden: the gateway refused the credential this request presented, which was the token ' + SECRET_TOKEN
    server.set_default(html_answer(403, title))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0, secrets=Secrets([SECRET_TOKEN])), server)
    text = str(caught.value)
    assert 'which was the token ********' in text
    assert SECRET_TOKEN[:8] not in text


def test_a_title_that_folds_the_white_space_of_a_password_shows_none_of_it(server, clock, make_client):
    password = 'correct horse\n battery staple'
    server.set_default(html_answer(401, 'Login refused for password %s' % password))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0, secrets=Secrets([password])), server)
    text = str(caught.value)
    assert "titled 'Login refused for password ********'" in text
    assert 'horse battery' not in text


def test_a_cloud_error_message_that_echoes_a_token_is_masked(server, clock, make_client):
    client = make_client(retries=0)
    client.secrets.add(SECRET_TOKEN)  # a token learnt on the way (a login)
    message = 'The token %s... is not valid' % SECRET_TOKEN[:30]
    server.set_default(json_answer(400, {'error_code': 'APIGW.0101', 'error_msg': message}))
    with pytest.raises(JobwatchError) as caught:
        get(client, server)
    assert caught.value.message == 'The token ********... is not valid'
    assert SECRET_TOKEN[:8] not in str(caught.value)


def test_a_plain_text_body_echoing_a_secret_after_the_cut_length_is_masked_first(server, clock, make_client):
    body = 'denied ' + SECRET_TOKEN + ' ' * 50 + 'x' * (2 * 1024 * 1024)
    server.set_default(answer(500, body, content_type='text/plain'))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0, secrets=Secrets([SECRET_TOKEN])), server)
    text = str(caught.value)
    assert "('denied ******** x" in text and SECRET_TOKEN[:8] not in text


def test_plain_text_error_body_is_quoted_short(server, clock, make_client):
    server.set_default(answer(500, 'upstream connect error ' + 'x' * 500, content_type='text/plain; charset=utf-8'))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0), server)
    text = str(caught.value)
    assert "a text/plain body that is not valid JSON ('upstream connect error x" in text
    assert 'x' * 200 not in text


@pytest.mark.parametrize('body, code, message', [
    ({'error': {'code': 'Ecs.0612', 'message': 'The job does not exist.'}}, 'Ecs.0612', 'The job does not exist.'),
    ({'error_code': 'DLF.0100', 'error_msg': 'The job does not exists.'}, 'DLF.0100', 'The job does not exists.'),
    ({'code': 'Ecs.0614', 'message': 'Invalid job id.'}, 'Ecs.0614', 'Invalid job id.'),
])
def test_error_shapes_are_read_and_not_retried(server, clock, make_client, body, code, message):
    server.set_default(json_answer(404, body, headers={'X-Request-Id': 'rid-404'}))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=5), server)
    error = caught.value
    assert (error.status, error.code, error.message, error.request_id) == (404, code, message, 'rid-404')
    assert len(server.requests) == 1


def test_request_id_from_the_body_when_no_header(server, clock, make_client):
    server.add(json_answer(200, dict(JOB, request_id='rid-body')))
    assert get(make_client(), server).request_id == 'rid-body'


def test_query_is_encoded_like_the_signer_and_user_agent_sent(server, clock, make_client):
    server.add(OK)
    get(make_client(), server, path='/v3/projects', query=[('name', 'cn north~4 ü'), ('a', 'x/y+z&')])
    assert server.requests[0].path == '/v3/projects?name=cn%20north~4%20%C3%BC&a=x%2Fy%2Bz%26'
    assert server.requests[0].headers['User-Agent'] == USER_AGENT


def test_what_is_signed_is_what_is_sent(server, clock, make_client):
    """The official SDK signer, given the request as the server received it, computes the same Authorization."""
    sdk_request = pytest.importorskip('huaweicloudsdkcore.sdk_request')
    sdk_signer = pytest.importorskip('huaweicloudsdkcore.signer.signer')
    sdk_credentials = pytest.importorskip('huaweicloudsdkcore.auth.credentials')
    server.add(OK, OK)
    auth = AkSkAuth('AKEXAMPLE', 'secret/key+1', security_token='temporary-token')
    auth.project_id = 'p-1'
    client = make_client()
    get(client, server, path='/v1/p-1/jobs/%E6%97%A5%E5%BF%97%20job%2F%C3%BC~x/status', auth=auth,
        query=[('name', 'cn north~4 ü'), ('a', '2'), ('a', '1')], headers={'workspace': 'ws-1'})
    client.request('POST', server.url + '/v3/auth/tokens', 'log in', headers={'Content-Type': 'application/json'},
                   body='{"name": "jörg"}'.encode(), auth=auth)
    for received in server.requests:
        authorization = received.headers['Authorization']
        names = authorization.split('SignedHeaders=')[1].split(',')[0].split(';')
        assert {'host', 'x-sdk-date', 'x-project-id', 'x-security-token'} <= set(names)
        path, _sep, raw_query = received.path.partition('?')
        query = [tuple(unquote(part) for part in pair.split('=', 1)) for pair in raw_query.split('&')] if raw_query else []
        request = sdk_request.SdkRequest(method=received.method, schema='http', host=server.host, resource_path=path,
                                         query_params=query, header_params={name: received.headers[name] for name in names},
                                         body=received.body or None)
        signer = sdk_signer.Signer(sdk_credentials.BasicCredentials('AKEXAMPLE', 'secret/key+1'))
        assert signer.sign(request).header_params['Authorization'] == authorization


def test_tls_verification_is_on_unless_switched_off(make_client):
    assert make_client()._verify is True
    assert make_client(ca_path='/etc/my-ca.pem')._verify == '/etc/my-ca.pem'
    assert make_client(validate_certs=False)._verify is False
    assert make_client(validate_certs=False, ca_path='/etc/my-ca.pem')._verify is False


def test_encode_query_and_describe_body():
    assert encode_query([('a', 1), ('b c', 'ü~')]) == 'a=1&b%20c=%C3%BC~'
    assert describe_body('', None) == 'an untyped body that is not valid JSON (empty)'
    assert describe_body('<p>Hello <b>there</b></p>', 'text/html; charset=utf-8') == \
        "a text/html body that is not valid JSON ('Hello there')"


def test_a_retry_after_longer_than_the_policy_allows_is_not_waited_for(server, clock, make_client):
    server.add(json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, headers={'Retry-After': '3600'}), OK)
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=5), server)
    assert 'asked to come back after 3600 s' in str(caught.value)
    assert clock.sleeps == [] and len(server.requests) == 1


def test_a_json_answer_that_is_not_an_object_is_named_as_such(server, clock, make_client):
    server.add(json_answer(200, ['SUCCESS']), OK)
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0), server)
    assert 'a JSON list where an object was expected' in str(caught.value)


@pytest.mark.parametrize('body, shape', [(b'null', 'JSON null'), (b'"SUCCESS"', 'a JSON string'), (b'3', 'a JSON number'),
                                         (b'true', 'a JSON bool')])
def test_a_json_null_or_scalar_answer_is_named_as_such_not_called_invalid(server, clock, make_client, body, shape):
    server.add(answer(200, body, content_type='application/json'), OK)
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0), server)
    assert 'the answer was %s where an object was expected' % shape in str(caught.value)


def test_a_connection_closed_without_an_answer_is_told_in_words(clock, make_client):
    # A server that reads the request and hangs up: requests wraps the reason three levels deep.
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(1)

    def hang_up():
        connection, dummy = listener.accept()
        connection.recv(65536)
        connection.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    with pytest.raises(JobwatchError) as caught:
        make_client(retries=0).request('GET', 'http://127.0.0.1:%d/v1/p/jobs/j1' % listener.getsockname()[1], 'query job j1')
    thread.join(5)
    listener.close()
    assert 'Remote end closed connection without response' in str(caught.value)
    assert 'Connection aborted' not in str(caught.value) and '(' not in str(caught.value).split(':', 1)[1]


def test_rate_limit_spaces_requests_to_one_host_evenly(server, clock, make_client):
    server.set_default(OK)
    client = make_client(rate_limit=4.0)
    for _dummy in range(5):
        get(client, server)
    # The first goes at once; each next one waits for its slot, a quarter of a second apart.
    assert clock.sleeps == [pytest.approx(0.25)] * 4
    assert len(server.requests) == 5


def test_rate_limit_slots_are_shared_by_concurrent_workers(server, make_client):
    # Real clock: 8 threads asking at once must still leave with slots 1/rate apart.
    server.set_default(OK)
    client = HttpClient(HuaweiConventions(), timeout=5.0, rate_limit=50.0, pool_size=8)
    sent = []
    lock = threading.Lock()

    def one():
        get(client, server)
        sent.append(True)

    threads = [threading.Thread(target=one) for dummy in range(8)]
    slots = []
    original = client.pacer.reserve

    def recording(host):
        wait, start = original(host)
        with lock:
            slots.append(start)
        return wait, start

    client.pacer.reserve = recording
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    client.session.close()
    assert len(sent) == 8
    slots.sort()
    # Never closer than 1/rate (a worker late to reserve, on a busy machine, only widens its gap).
    assert all(later - earlier >= 0.02 - 1e-9 for earlier, later in zip(slots, slots[1:]))
    assert any(later - earlier == pytest.approx(0.02) for earlier, later in zip(slots, slots[1:]))


def test_a_redirect_says_where_to_and_is_not_followed(server, clock, make_client):
    server.add(answer(302, '<html><body>Found</body></html>', headers={'Location': 'https://login.example/portal'},
                      content_type='text/html'), OK)
    with pytest.raises(JobwatchError) as caught:
        get(make_client(), server)
    message = str(caught.value)
    assert 'redirected the request (HTTP 302) to https://login.example/portal' in message
    assert 'Check endpoint' in message and 'not valid JSON' not in message
    assert len(server.requests) == 1


def test_a_redirect_that_echoes_a_token_in_its_location_shows_none_of_it(server, clock, make_client):
    location = 'https://login.example/portal?' + 'x' * 150 + '&token=' + SECRET_TOKEN
    server.add(answer(302, '', headers={'Location': location}))
    with pytest.raises(JobwatchError) as caught:
        get(make_client(secrets=Secrets([SECRET_TOKEN])), server)
    message = str(caught.value)
    assert '&token=********' in message and SECRET_TOKEN[:8] not in message


def test_https_to_a_plain_http_port_says_the_port_does_not_speak_tls(server, clock, make_client):
    with pytest.raises(JobwatchError) as caught:
        make_client(retries=0).request('GET', server.url.replace('http://', 'https://') + '/v1/p/jobs/j1', 'query job j1')
    message = str(caught.value)
    assert 'does not speak TLS on that port' in message and 'Use http://' in message
    assert 'ca_path' not in message


def test_a_refused_proxy_is_named_without_its_password(server, clock, make_client, monkeypatch):
    proxy_port = closed_port_url().rsplit(':', 1)[1]
    monkeypatch.setenv('HTTP_PROXY', 'http://proxyuser:proxy-secret-9@127.0.0.1:%s' % proxy_port)
    monkeypatch.setenv('NO_PROXY', '')
    monkeypatch.delenv('no_proxy', raising=False)
    with pytest.raises(JobwatchError) as caught:
        get(make_client(retries=0), server)
    message = str(caught.value)
    assert 'through the proxy http://127.0.0.1:%s failed' % proxy_port in message
    assert 'proxy-secret-9' not in message and 'proxyuser' not in message
    assert 'HTTPS_PROXY' in message
    assert server.requests == []


def test_a_refused_password_login_names_the_login_options(server, clock, make_client):
    server.add(json_answer(401, {'error': {'code': 401, 'message': 'The username or password is wrong.', 'title': 'Unauthorized'}}))
    auth = PasswordAuth(make_client(), server.url, 'demo-user', 'demo-password-1', 'demo-domain', project_id='p')
    with pytest.raises(JobwatchError) as caught:
        auth.ensure_login()
    message = str(caught.value)
    assert 'Check user_name, password and domain_name' in message and 'HW_USER_PASSWORD' in message
    assert 'access_key' not in message and 'demo-password-1' not in message


class ThreadClock:
    """A clock per thread, moved only by that thread's sleeps: threads that all run at once, on any machine."""

    def __init__(self, start=1000.0):
        self.start = start
        self._elapsed = threading.local()

    def __call__(self):
        return self.start + getattr(self._elapsed, 'seconds', 0.0)

    def sleep(self, seconds):
        assert seconds >= 0, 'asked to sleep a negative time: %r' % seconds
        self._elapsed.seconds = getattr(self._elapsed, 'seconds', 0.0) + seconds


def test_requests_queued_by_rate_limit_do_not_burst_at_the_deadline(server):
    # 8 workers at once, 1 request a second, 5.15 s left: they take the turns at 0, 1, ... 7 s. Only
    # the turns that leave a request its shortest attempt (0.2 s) are used (0 to 4 s: the turn at 5 s
    # would leave 0.15 s); the other workers wait until the deadline and give up, sending nothing.
    server.set_default(OK)
    clock = ThreadClock()
    client = HttpClient(HuaweiConventions(), timeout=5.0, rate_limit=1.0, pool_size=8, sleep=clock.sleep, clock=clock)
    deadline = clock() + 5.15
    outcomes, sent_at, lock = [], [], threading.Lock()
    original = client._attempt

    def timed_attempt(*args):
        with lock:
            sent_at.append(clock() - clock.start)
        return original(*args)

    client._attempt = timed_attempt

    def one():
        try:
            get(client, server, deadline=deadline)
            outcome = 'answered'
        except JobwatchError as error:
            outcome = str(error)
        with lock:
            outcomes.append((outcome, clock()))

    threads = [threading.Thread(target=one) for dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    client.session.close()
    # Each turn used 1/rate after the last, each with at least the shortest attempt's time left.
    assert sorted(sent_at) == pytest.approx([0.0, 1.0, 2.0, 3.0, 4.0])
    assert len(server.requests) == 5
    assert all(clock.start + moment <= deadline - SHORTEST_ATTEMPT for moment in sent_at)
    refused = [(text, ended) for text, ended in outcomes if text != 'answered']
    assert len(refused) == 3 and len(outcomes) == 8
    # Not a burst at the deadline: they waited it out and said why nothing was sent.
    assert all('rate_limit (1.0 a second) left no turn in time' in text for text, ended in refused)
    assert all(ended == pytest.approx(deadline) for text, ended in refused)
