# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""huaweicloud_request: the request it builds and signs, check mode, the retry rule for calls that may
change something, the job id finder and the input it refuses before any request."""

import hashlib
import json
from urllib.parse import urlsplit

import pytest

from jobwatch_emulator import sdk_hmac

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import REPEAT_ALL, REPEAT_READS, REPEAT_UNSENT
from ansible_collections.jobwatch.cloud.plugins.module_utils._request_task import find_job_id
from ansible_collections.jobwatch.cloud.plugins.modules import huaweicloud_request
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import (
    answer, closed_port_url, drop, json_answer, slow)

PROJECT = '0123456789abcdef0123456789abcdef'
ACCESS_KEY = 'UNITTESTAK0000000001'
SECRET = 'unit-test-secret-key-0000000000000000'
BODY = {'server': {'name': 'web', 'count': 2, 'imageRef': 'img', 'flavorRef': 's6.small.1', 'vpcid': 'vpc',
                   'nics': [{'subnet_id': 'sub'}], 'root_volume': {'volumetype': 'SSD'}}}
CREATED = {'job_id': '70a599e031e749b7b260868f441e862b', 'serverIds': ['a', 'b']}
ERROR_BODY = {'error': {'code': 'Ecs.0005', 'message': 'request body is illegal.'}}


def args(server, **extra):
    values = dict(endpoint=server.url, project_id=PROJECT, access_key=ACCESS_KEY, secret_key=SECRET,
                  method='POST', path='/v1/{project_id}/cloudservers', body=BODY)
    values.update(extra)
    # None: the option is not given at all (Ansible counts a key given as None as present).
    return {key: value for key, value in values.items() if value is not None}


def run(server, capsys, **extra):
    return run_module_main(huaweicloud_request.main, args(server, **extra), capsys)


def verify(recorded):
    """Check a recorded request's signature with the emulator's own SDK-HMAC-SHA256 code (not ours)."""
    fields = sdk_hmac.parse_authorization(recorded.headers['Authorization'])
    names = fields['SignedHeaders'].split(';')
    parts = urlsplit(recorded.path)
    canonical = sdk_hmac.canonical_request(recorded.method, parts.path, parts.query,
                                           {name: recorded.headers[name] for name in names}, names,
                                           sdk_hmac.payload_hash(recorded.body))
    expected = sdk_hmac.signature(SECRET, sdk_hmac.string_to_sign(recorded.headers['X-Sdk-Date'], canonical))
    return fields['Access'] == ACCESS_KEY and expected == fields['Signature']


# --- building and signing ----------------------------------------------------------------------

def test_a_post_sends_the_body_as_json_signed_over_its_hash(server, capsys):
    server.add(json_answer(200, CREATED, headers={'X-Request-Id': 'req-1'}))
    result = run(server, capsys, query={'flag': True, 'tag': ['a', 'b']}, headers={'X-Language': 'en-us'})
    assert not result.get('failed'), result
    sent = server.requests[0]
    assert sent.method == 'POST'
    assert urlsplit(sent.path).path == '/v1/%s/cloudservers' % PROJECT
    assert urlsplit(sent.path).query == 'flag=true&tag=a&tag=b'
    assert json.loads(sent.body) == BODY
    assert sent.headers['Content-Type'] == 'application/json;charset=UTF-8'
    assert sent.headers['X-Language'] == 'en-us'
    assert sent.headers['X-Project-Id'] == PROJECT
    assert verify(sent)
    # The signature covers the body: the same headers over another body do not verify.
    tampered = type(sent)(sent.method, sent.path, sent.headers, sent.body.replace(b'web', b'bad'))
    assert not verify(tampered)
    assert hashlib.sha256(sent.body).hexdigest() != hashlib.sha256(tampered.body).hexdigest()
    assert result['changed'] is True
    assert result['status'] == 200
    assert result['json'] == CREATED
    assert result['job_id'] == CREATED['job_id']
    assert result['request_id'] == 'req-1'


def test_a_get_is_not_a_change_and_has_no_body(server, capsys):
    server.add(json_answer(200, {'servers': []}))
    result = run(server, capsys, method='get', body=None, path='/v1/{project_id}/cloudservers/detail')
    assert result['changed'] is False
    assert server.requests[0].method == 'GET' and server.requests[0].body == b''
    assert 'job_id' not in result
    assert verify(server.requests[0])


def test_a_non_json_answer_is_returned_as_content(server, capsys):
    server.add(answer(200, 'plain words', content_type='text/plain'))
    result = run(server, capsys)
    assert not result.get('failed'), result
    assert 'json' not in result and result['content'] == 'plain words'


def test_a_json_list_answer_is_returned_as_json(server, capsys):
    server.add(json_answer(200, [1, 2]))
    assert run(server, capsys)['json'] == [1, 2]


def test_a_4xx_fails_with_the_code_and_request_id(server, capsys):
    server.add(json_answer(400, ERROR_BODY, headers={'X-Request-Id': 'req-400'}))
    result = run(server, capsys)
    assert result['failed']
    assert 'HTTP 400' in result['msg'] and 'Ecs.0005' in result['msg'] and 'req-400' in result['msg']
    assert result['error']['code'] == 'Ecs.0005' and result['request_id'] == 'req-400'
    assert len(server.requests) == 1


def test_status_code_accepts_an_error_status_as_an_answer(server, capsys):
    server.add(json_answer(404, ERROR_BODY))
    result = run(server, capsys, method='GET', body=None, status_code=[200, 404])
    assert not result.get('failed'), result
    assert result['status'] == 404 and result['json'] == ERROR_BODY


def test_status_code_refuses_a_2xx_it_does_not_list(server, capsys):
    server.add(json_answer(202, CREATED))
    result = run(server, capsys, status_code=[200])
    assert result['failed'] and 'HTTP 202 is not among status_code (200)' in result['msg']
    assert result['job_id'] == CREATED['job_id']


def test_a_credential_header_is_masked_in_messages(server, capsys):
    token = 'header-secret-value-123456789'
    server.add(json_answer(403, {'error_code': 'X.1', 'error_msg': 'refused ' + token}))
    result = run(server, capsys, headers={'X-Custom-Token': token})
    assert result['failed'] and token not in json.dumps(result)


# --- check mode ------------------------------------------------------------------------------------

def test_check_mode_does_not_send_a_post_and_says_what_it_would_send(server, capsys):
    result = run(server, capsys, _ansible_check_mode=True, headers={'X-Client-Token': 'tok-1', 'X-Auth-Thing': 'hide-me'})
    assert server.requests == []
    assert result['changed'] is True
    assert result['request']['method'] == 'POST'
    assert result['request']['url'] == '%s/v1/%s/cloudservers' % (server.url, PROJECT)
    assert result['request']['body'] == BODY
    assert result['request']['headers']['X-Client-Token'] == '********'
    assert 'hide-me' not in json.dumps(result)
    assert 'status' not in result


def test_check_mode_sends_a_get(server, capsys):
    server.add(json_answer(200, {'servers': []}))
    result = run(server, capsys, _ansible_check_mode=True, method='GET', body=None)
    assert len(server.requests) == 1 and result['status'] == 200


# --- which failures a call is sent again after ------------------------------------------------

THROTTLED = json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'})
OK = json_answer(200, CREATED)


def test_a_throttled_post_is_sent_again(server, clock, make_client):
    server.add(THROTTLED, OK)
    reply = make_client().request('POST', server.url + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_UNSENT)
    assert reply.status == 200 and len(server.requests) == 2


def test_a_refused_post_is_sent_again(clock, make_client):
    client = make_client(retries=2)
    with pytest.raises(JobwatchError) as caught:
        client.request('POST', closed_port_url() + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_UNSENT)
    assert client.requests_sent == 3 and 'gave up after 3 attempts' in str(caught.value)


@pytest.mark.parametrize('fault', [json_answer(503, {'error_code': 'SYS.0503', 'error_msg': 'busy'}), drop(), slow(),
                                   answer(200, '{"job_id": "abc", "more": "', content_type='application/json', length=400)],
                         ids=['503', 'drop', 'timeout', 'cut'])
def test_a_post_that_may_have_been_carried_out_is_not_sent_again(server, clock, make_client, fault):
    server.add(fault, OK)
    client = make_client(retries=5, timeout=1.0)
    with pytest.raises(JobwatchError):
        client.request('POST', server.url + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_UNSENT, any_answer=True)
    assert client.requests_sent == 1


@pytest.mark.parametrize('fault', [json_answer(503, {'error_code': 'SYS.0503', 'error_msg': 'busy'}), drop()], ids=['503', 'drop'])
def test_an_idempotency_token_lets_a_post_be_sent_again(server, clock, make_client, fault):
    server.add(fault, OK)
    reply = make_client().request('POST', server.url + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_ALL)
    assert reply.status == 200 and len(server.requests) == 2


def test_by_default_a_throttled_post_is_not_sent_again(server, clock, make_client):
    server.add(THROTTLED, OK)
    with pytest.raises(JobwatchError):
        make_client().request('POST', server.url + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_READS)
    assert len(server.requests) == 1


def test_the_module_sends_a_throttled_creation_again_and_it_is_carried_out_once(server, capsys):
    server.add(THROTTLED, OK)
    result = run(server, capsys)
    assert not result.get('failed'), result
    assert [sent.method for sent in server.requests] == ['POST', 'POST']
    assert result['job_id'] == CREATED['job_id']


def test_the_module_does_not_send_a_creation_again_after_a_5xx(server, capsys):
    server.add(json_answer(503, {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable.'}), OK)
    result = run(server, capsys)
    assert result['failed'] and len(server.requests) == 1 and 'HTTP 503' in result['msg']


def test_the_module_sends_again_after_a_5xx_with_x_client_token(server, capsys):
    server.add(json_answer(503, {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable.'}), OK)
    result = run(server, capsys, headers={'X-Client-Token': 'create-web-1'})
    assert not result.get('failed'), result
    assert len(server.requests) == 2
    assert all(sent.headers['X-Client-Token'] == 'create-web-1' for sent in server.requests)


# --- the job id finder -----------------------------------------------------------------------

@pytest.mark.parametrize('data, expected', [
    ({'job_id': 'j1'}, 'j1'),
    ({'jobId': 'j2'}, 'j2'),
    ({'data': {'job_id': 'j3'}}, 'j3'),
    ({'data': {'jobId': 7}}, '7'),
    ({'AsyncJob': {'Id': 'j4'}}, 'j4'),
    ({'job_id': '', 'jobId': 'j5'}, 'j5'),
    ({'job_id': None}, None),
    ({'job_id': True}, None),
    ({'job_id': {'id': 'x'}}, None),
    ({'job_id': 'bad\nid'}, None),
    ({'server_id': 's1'}, None),
    ([{'job_id': 'j6'}], None),
    ('text', None),
])
def test_find_job_id(data, expected):
    assert find_job_id(data) == expected


# --- input refused before any request ---------------------------------------------------------

@pytest.mark.parametrize('extra, words', [
    (dict(path='v1/{project_id}/cloudservers'), 'does not start with /'),
    (dict(path='/v1/../admin'), '.. or . segment'),
    (dict(path='/v1/%2e%2e/admin'), '.. or . segment'),
    (dict(path='/v1/x\ny'), 'control character'),
    (dict(path='/v1/a b'), 'cannot carry'),
    (dict(path='/v1/{domain_id}/x'), 'placeholder {domain_id}'),
    (dict(path='/v1/{project_id/x'), 'unmatched'),
    (dict(method='TRACE'), 'method'),
    (dict(headers={'Bad Name': 'x'}), 'not an HTTP header name'),
    (dict(headers={'X-Thing': 'a\r\nInjected: 1'}), 'control character'),
    (dict(headers={'Authorization': 'x'}), 'set by the module itself'),
    (dict(headers={'x-sdk-date': 'x'}), 'set by the module itself'),
    (dict(body='a string'), 'body must be a dict or a list'),
    (dict(query={'a': {'b': 1}}), 'query'),
    (dict(status_code=[99]), 'status_code'),
    (dict(service='ECS!', endpoint=None), 'service'),
    (dict(endpoint=None), 'one of the following is required'),
])
def test_bad_input_is_refused_before_any_request(server, capsys, extra, words):
    result = run(server, capsys, **extra)
    assert result['failed'] and words in result['msg'], result['msg']
    assert server.requests == []
