# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time and size bounds of one request: the deadline, the whole-answer timeout, the body cap, nesting.

Tests that need a socket to really time out use the real monotonic clock and bounds well under
a second; the server holds or trickles far longer, so a missing bound shows as a slow test that
fails its elapsed-time assertion.
"""

import gzip
import json
import time
import tracemalloc

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import HttpClient, describe_body
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_auth import PasswordAuth, TokenAuth
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._reading import DEEPEST_NESTING, LARGEST_BODY
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import FakeClock, answer, json_answer, slow, trickle

from jobwatch_emulator.server import Emulator

JOB = {'status': 'RUNNING', 'job_id': 'j1'}
OK = json_answer(200, JOB, headers={'X-Request-Id': 'req-ok'})
EXPIRED = json_answer(401, {'error_code': 'APIGW.0307', 'error_msg': 'The token expires.'})


@pytest.fixture(name='client_defaults')
def _client_defaults():
    # No jitter: a retry comes at once. The real clock unless the test brings a fake one.
    return dict(retries=1, base=0.01, draw=0.0, clock=None)


def get(client, server, **kwargs):
    return client.request('GET', server.url + '/v1/p/jobs/j1', 'query ECS job j1', **kwargs)


def timed_failure(call):
    began = time.monotonic()
    with pytest.raises(JobwatchError) as caught:
        call()
    return caught.value, time.monotonic() - began


# --- the deadline ------------------------------------------------------------------------

def test_a_deadline_shortens_each_socket_wait(server, make_client, monkeypatch):
    clock = FakeClock()
    client = make_client(retries=0, timeout=12.5, clock=clock)
    seen = []
    real = client.session.request

    def spy(*args, **kwargs):
        seen.append(kwargs.get('timeout'))
        return real(*args, **kwargs)

    monkeypatch.setattr(client.session, 'request', spy)
    server.add(OK)
    get(client, server, deadline=clock.now + 3.0)
    assert seen == [(3.0, 3.0)]


def test_a_hanging_server_holds_a_request_only_until_the_deadline(server, make_client):
    server.set_default(slow())
    client = make_client(retries=5, timeout=30.0)
    error, took = timed_failure(lambda: get(client, server, deadline=time.monotonic() + 0.6))
    assert took < 1.5
    assert error.transient and 'no answer from %s in the 0.6 s left before the deadline' % server.host in str(error)


def test_no_request_is_started_with_no_time_left(server, make_client):
    clock = FakeClock()
    client = make_client(clock=clock)
    server.set_default(OK)
    error, dummy = timed_failure(lambda: get(client, server, deadline=clock.now + 0.05))
    assert error.transient and 'no time was left before the deadline to ask %s' % server.host in str(error)
    assert server.requests == []


def test_a_request_not_sent_for_lack_of_time_takes_no_turn_of_the_pace(server):
    # rate_limit 1/s: a turn taken and not used would hold the next request back a second.
    clock = FakeClock()
    client = HttpClient(HuaweiConventions(), sleep=clock.sleep, clock=clock, rate_limit=1.0)
    server.set_default(OK)
    with pytest.raises(JobwatchError):
        get(client, server, deadline=clock.now + 0.05)
    get(client, server)
    assert clock.sleeps == [] and len(server.requests) == 1
    client.session.close()


def test_a_token_refresh_logs_in_by_the_request_deadline(server, make_client):
    token_reply = {'token': {'project': {'id': 'p'}}}
    server.add(json_answer(201, token_reply, headers={'X-Subject-Token': 'login-1'}), OK, EXPIRED, slow())
    client = make_client(retries=0, timeout=30.0)
    ages = FakeClock()
    auth = PasswordAuth(client, server.url, 'alice', 'pa55', 'example', project_id='p', clock=ages)
    get(client, server, auth=auth)
    ages.advance(3600)
    error, took = timed_failure(lambda: get(client, server, auth=auth, deadline=time.monotonic() + 0.6))
    assert took < 1.5
    assert 'log in to IAM' in str(error) and 'before the deadline' in str(error)


# --- the whole answer within the timeout --------------------------------------------------

def test_a_trickling_body_is_cut_at_the_timeout(server, make_client):
    # 60-odd bytes at 20 a second: three seconds for an answer that must come whole in 0.5.
    server.set_default(trickle(OK, 0.05))
    client = make_client(retries=1, timeout=0.5)
    error, took = timed_failure(lambda: get(client, server))
    assert took < 2.0
    assert error.transient
    assert 'the answer from %s did not arrive whole within the 0.5 s timeout (gave up after 2 attempts)' % server.host in str(error)
    assert len(server.requests) == 2


def test_a_trickle_that_ends_in_time_is_read(server, make_client):
    server.add(trickle(OK, 0.001))
    assert get(make_client(timeout=5.0), server).data == JOB


def test_an_answer_read_whole_gives_its_connection_back_for_the_next_request(make_client):
    # The body is read from the stream by us, not by requests: the kept-alive connection must still be reused.
    client = make_client(retries=0)
    with Emulator(jobs=[{'id': 'job-1', 'timeline': [['RUNNING', 0]]}]) as emu:
        for _dummy in range(4):
            with pytest.raises(JobwatchError):  # a made-up token: 401, a whole answer all the same
                client.request('GET', emu.url + '/v1/p/jobs/job-1', 'query ECS job job-1', auth=TokenAuth('made-up'))
        [pool] = client.session.adapters['http://'].poolmanager.pools._container.values()  # pylint: disable=protected-access
        assert (pool.num_requests, pool.num_connections) == (4, 1)


# --- the size of the answer ----------------------------------------------------------------

def test_a_body_larger_than_the_cap_is_a_malformed_answer(server, make_client):
    huge = json.dumps(dict(JOB, padding='x' * LARGEST_BODY)).encode('utf-8')
    server.set_default(answer(200, huge, content_type='application/json'))
    error, dummy = timed_failure(lambda: get(make_client(retries=1), server))
    assert error.transient and 'the answer was larger than 8 MiB' in str(error) and 'gave up after 2 attempts' in str(error)
    assert len(server.requests) == 2


def test_a_gzip_bomb_is_cut_while_inflating(server, make_client):
    # 40 MB of zeros, about 40 KB on the wire: the cap must hold for what it inflates to.
    bomb = gzip.compress(b'0' * (5 * LARGEST_BODY), 9)
    assert len(bomb) < LARGEST_BODY // 100
    server.set_default(answer(200, bomb, headers={'Content-Encoding': 'gzip'}, content_type='application/json'))
    client = make_client(retries=0)
    tracemalloc.start()
    try:
        error, dummy = timed_failure(lambda: get(client, server))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 'the answer was larger than 8 MiB' in str(error)
    assert peak < 2 * LARGEST_BODY


@pytest.mark.parametrize('encoding, pack', [('gzip', gzip.compress), ('deflate', __import__('zlib').compress)])
def test_a_compressed_answer_is_read(server, make_client, encoding, pack):
    server.add(answer(200, pack(json.dumps(JOB).encode('utf-8')), headers={'Content-Encoding': encoding},
                      content_type='application/json'))
    client = make_client()
    assert get(client, server).data == JOB
    assert server.requests[0].headers['Accept-Encoding'] == 'gzip, deflate'


def test_an_encoding_not_asked_for_is_a_malformed_answer(server, make_client):
    server.set_default(answer(200, b'\x00\x01', headers={'Content-Encoding': 'br'}, content_type='application/json'))
    error, dummy = timed_failure(lambda: get(make_client(retries=1), server))
    assert error.transient and "encoded as 'br', which was not asked for" in str(error)


# --- how deep the answer nests -------------------------------------------------------------

def nested(depth):
    return '{"a": ' * (depth - 1) + '{}' + '}' * (depth - 1)


@pytest.mark.parametrize('body', [
    pytest.param('[' * 100000 + ']' * 100000, id='deeper-than-json.loads-recurses'),
    pytest.param(nested(DEEPEST_NESTING + 1), id='one-level-past-the-limit'),
])
def test_json_nested_too_deep_is_a_malformed_answer(server, make_client, body):
    server.set_default(answer(200, body, content_type='application/json'))
    error, dummy = timed_failure(lambda: get(make_client(retries=1), server))
    assert error.transient and 'the answer was JSON nested deeper than any job answer' in str(error)
    assert len(server.requests) == 2


def test_json_at_the_nesting_limit_is_read(server, make_client):
    document = json.loads(nested(DEEPEST_NESTING - 1))
    server.add(json_answer(200, dict(JOB, deep=document)))
    assert get(make_client(), server).data['deep'] == document


# --- describing a large body ---------------------------------------------------------------

@pytest.mark.parametrize('text', [
    pytest.param('<' * 1000000, id='unclosed-tags'),
    pytest.param('<title' * 200000, id='unclosed-titles'),
    pytest.param('<title>' + 'a<b ' * 250000, id='title-without-end'),
    pytest.param('<html><body>' + '<p>error</p>' * 90000 + '</body></html>', id='large-page'),
])
def test_describing_a_megabyte_body_is_cheap(text):
    # Measured on the dev box: 1 MB of "<" took 0.5 s per 20 KB before (quadratic), ~0.01 s now.
    began = time.process_time()
    description = describe_body(text, 'text/html')
    assert time.process_time() - began < 1.0
    assert len(description) < 200
