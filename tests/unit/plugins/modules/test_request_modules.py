# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What huaweicloud_request and alicloud_request share (_request_task.py and the client's rule for
sending again a call that may change something), tested once and run against each module: the
result, check mode, status_code, which failures a creation is sent again after, the job id finder
and the input refused before any request. What each cloud does its own way (signing, encoding,
its options) is in test_huaweicloud_request.py and test_alicloud_request.py.
"""

import json

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import REPEAT_ALL, REPEAT_READS, REPEAT_UNSENT
from ansible_collections.jobwatch.cloud.plugins.module_utils._request_task import find_job_id
from ansible_collections.jobwatch.cloud.plugins.modules import alicloud_request, huaweicloud_request
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import (
    answer, closed_port_url, drop, json_answer, slow)


class Cloud:
    """One request module: the options of a creation call, and the answers its cloud gives."""

    def __init__(self, name, main, args, read, path_args, created, request_id, error, error_code, throttled, busy, with_token):
        self.name = name
        self.main = main
        self.args = args            # a creation call (a POST with a body), endpoint left out
        self.read = read            # what makes it a read
        self.path_args = path_args  # what lets it take a path of its own
        self.created = created      # the creation's answer, naming a job and a request id
        self.request_id = request_id
        self.error = error          # a 4xx in the cloud's words, with request id "req-400"
        self.error_code = error_code
        self.throttled = throttled  # the gateway's "not carried out, slow down"
        self.busy = busy            # a 5xx: may have been carried out
        self.with_token = with_token  # the idempotency token the cloud's APIs document

    def run(self, server, capsys, **extra):
        values = dict(self.args, endpoint=server.url)
        values.update(extra)
        # None: the option is not given at all (Ansible counts a key given as None as present).
        return run_module_main(self.main, {key: value for key, value in values.items() if value is not None}, capsys)


HUAWEI_BODY = {'server': {'name': 'web', 'count': 2, 'imageRef': 'img', 'flavorRef': 's6.small.1', 'vpcid': 'vpc',
                          'nics': [{'subnet_id': 'sub'}], 'root_volume': {'volumetype': 'SSD'}}}
ALIBABA_BODY = {'ProjectId': 123456, 'Spec': '{"version": "1.1.0", "kind": "CycleWorkflow"}'}

HUAWEI = Cloud(
    'huaweicloud', huaweicloud_request.main,
    args=dict(project_id='0123456789abcdef0123456789abcdef', access_key='UNITTESTAK0000000001',
              secret_key='unit-test-secret-key-0000000000000000', method='POST', path='/v1/{project_id}/cloudservers',
              body=HUAWEI_BODY),
    read=dict(method='GET', body=None, path='/v1/{project_id}/cloudservers/detail'),
    path_args={},
    created=json_answer(200, {'job_id': '70a599e031e749b7b260868f441e862b', 'serverIds': ['a', 'b']},
                        headers={'X-Request-Id': 'req-1'}),
    request_id='req-1',
    error=json_answer(400, {'error': {'code': 'Ecs.0005', 'message': 'request body is illegal.'}}, headers={'X-Request-Id': 'req-400'}),
    error_code='Ecs.0005',
    throttled=json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}),
    busy=json_answer(503, {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable.'}),
    with_token=dict(headers={'X-Client-Token': 'create-web-1'}),
)

ALIBABA = Cloud(
    'alicloud', alicloud_request.main,
    args=dict(access_key='UNITTESTALIAK0000001', secret_key='unit-test-ali-secret-00000000000000000',
              action='ImportWorkflowDefinition', version='2024-05-18', body=ALIBABA_BODY),
    read=dict(method='GET', body=None, action='GetJobStatus', query={'JobId': 'j-1'}),
    path_args=dict(style='roa'),
    created=json_answer(200, {'RequestId': 'REQ-1', 'AsyncJob': {'Id': '9c1b6a2e-5d3f-4e7a-8b9c-0d1e2f3a4b5c', 'Status': 'Running'}}),
    request_id='REQ-1',
    error=json_answer(400, {'RequestId': 'req-400', 'Code': 'MissingSpec', 'Message': 'Spec is mandatory for this action.'}),
    error_code='MissingSpec',
    throttled=json_answer(400, {'RequestId': 'req-429', 'Code': 'Throttling.User', 'Message': 'Request was denied due to user flow control.'}),
    busy=json_answer(503, {'RequestId': 'req-503', 'Code': 'ServiceUnavailable', 'Message': 'The request has failed.'}),
    with_token=dict(body=dict(ALIBABA_BODY, ClientToken='import-workflow-1')),
)


@pytest.fixture(name='cloud', params=[HUAWEI, ALIBABA], ids=lambda cloud: cloud.name)
def _cloud(request):
    return request.param


# --- the result ---------------------------------------------------------------------------------

def test_a_creation_is_a_change_and_returns_the_answer_and_its_job(server, capsys, cloud):
    server.add(cloud.created)
    result = cloud.run(server, capsys)
    assert not result.get('failed'), result
    assert server.requests[0].method == 'POST' and server.requests[0].body
    assert result['changed'] is True and result['status'] == 200
    assert result['json'] == json.loads(cloud.created['body'])
    assert result['job_id'] == find_job_id(result['json']) and result['job_id']
    assert result['request_id'] == cloud.request_id


def test_a_get_is_not_a_change_and_has_no_body(server, capsys, cloud):
    server.add(json_answer(200, {'items': []}))
    result = cloud.run(server, capsys, **cloud.read)
    assert result['changed'] is False
    assert server.requests[0].method == 'GET' and server.requests[0].body == b''
    assert 'job_id' not in result


def test_a_non_json_answer_is_returned_as_content(server, capsys, cloud):
    server.add(answer(200, 'plain words', content_type='text/plain'))
    result = cloud.run(server, capsys)
    assert not result.get('failed'), result
    assert 'json' not in result and result['content'] == 'plain words'


def test_a_json_list_answer_is_returned_as_json(server, capsys, cloud):
    server.add(json_answer(200, [1, 2]))
    assert cloud.run(server, capsys)['json'] == [1, 2]


def test_a_4xx_fails_with_the_code_and_request_id(server, capsys, cloud):
    server.add(cloud.error)
    result = cloud.run(server, capsys)
    assert result['failed']
    assert 'HTTP 400' in result['msg'] and cloud.error_code in result['msg'] and 'req-400' in result['msg']
    assert result['error']['code'] == cloud.error_code and result['request_id'] == 'req-400'
    assert len(server.requests) == 1


def test_status_code_accepts_an_error_status_as_an_answer(server, capsys, cloud):
    server.add(cloud.error)
    result = cloud.run(server, capsys, status_code=[200, 400])
    assert not result.get('failed'), result
    assert result['status'] == 400 and result['json'] == json.loads(cloud.error['body'])


def test_status_code_refuses_a_2xx_it_does_not_list(server, capsys, cloud):
    server.add(dict(cloud.created, status=202))
    result = cloud.run(server, capsys, status_code=[200])
    assert result['failed'] and 'HTTP 202 is not among status_code (200)' in result['msg']
    assert result['job_id']


def test_a_credential_header_is_masked_in_messages(server, capsys, cloud):
    token = 'header-secret-value-123456789'
    server.add(json_answer(403, {'error_code': 'X.1', 'error_msg': 'refused ' + token, 'Code': 'X.1', 'Message': 'refused ' + token}))
    result = cloud.run(server, capsys, headers={'X-Custom-Token': token})
    assert result['failed'] and token not in json.dumps(result)


# --- check mode ------------------------------------------------------------------------------------

def test_check_mode_does_not_send_a_post_and_says_what_it_would_send(server, capsys, cloud):
    result = cloud.run(server, capsys, _ansible_check_mode=True, headers={'X-Custom-Token': 'tok-1', 'X-Auth-Thing': 'hide-me'})
    assert server.requests == []
    assert result['changed'] is True and 'status' not in result
    assert result['request']['method'] == 'POST'
    assert result['request']['url'].startswith(server.url + '/')
    assert result['request']['body'] == cloud.args['body']
    assert result['request']['headers']['X-Custom-Token'] == '********'
    assert 'hide-me' not in json.dumps(result) and 'tok-1' not in json.dumps(result)


def test_check_mode_sends_a_get(server, capsys, cloud):
    server.add(json_answer(200, {'items': []}))
    result = cloud.run(server, capsys, _ansible_check_mode=True, **cloud.read)
    assert len(server.requests) == 1 and result['status'] == 200


# --- which failures a creation is sent again after -----------------------------------------------

def test_a_throttled_creation_is_sent_again_and_carried_out_once(server, capsys, cloud):
    server.add(cloud.throttled, cloud.created)
    result = cloud.run(server, capsys)
    assert not result.get('failed'), result
    assert [sent.method for sent in server.requests] == ['POST', 'POST']
    assert result['job_id']


def test_a_creation_is_not_sent_again_after_a_5xx(server, capsys, cloud):
    server.add(cloud.busy, cloud.created)
    result = cloud.run(server, capsys)
    assert result['failed'] and len(server.requests) == 1 and 'HTTP 503' in result['msg']


def test_the_idempotency_token_lets_a_creation_be_sent_again_after_a_5xx(server, capsys, cloud):
    server.add(cloud.busy, cloud.created)
    result = cloud.run(server, capsys, **cloud.with_token)
    assert not result.get('failed'), result
    assert len(server.requests) == 2 and server.requests[0].body == server.requests[1].body


OK = json_answer(200, {'job_id': 'j'})


def test_a_throttled_post_is_sent_again(server, clock, make_client):
    server.add(HUAWEI.throttled, OK)
    reply = make_client().request('POST', server.url + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_UNSENT)
    assert reply.status == 200 and len(server.requests) == 2


def test_a_refused_post_is_sent_again(clock, make_client):
    client = make_client(retries=2)
    with pytest.raises(JobwatchError) as caught:
        client.request('POST', closed_port_url() + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_UNSENT)
    assert client.requests_sent == 3 and 'gave up after 3 attempts' in str(caught.value)


@pytest.mark.parametrize('fault', [HUAWEI.busy, drop(), slow(),
                                   answer(200, '{"job_id": "abc", "more": "', content_type='application/json', length=400)],
                         ids=['503', 'drop', 'timeout', 'cut'])
def test_a_post_that_may_have_been_carried_out_is_not_sent_again(server, clock, make_client, fault):
    server.add(fault, OK)
    client = make_client(retries=5, timeout=1.0)
    with pytest.raises(JobwatchError):
        client.request('POST', server.url + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_UNSENT, any_answer=True)
    assert client.requests_sent == 1


@pytest.mark.parametrize('fault', [HUAWEI.busy, drop()], ids=['503', 'drop'])
def test_an_idempotency_token_lets_a_post_be_sent_again(server, clock, make_client, fault):
    server.add(fault, OK)
    reply = make_client().request('POST', server.url + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_ALL)
    assert reply.status == 200 and len(server.requests) == 2


def test_by_default_a_throttled_post_is_not_sent_again(server, clock, make_client):
    server.add(HUAWEI.throttled, OK)
    with pytest.raises(JobwatchError):
        make_client().request('POST', server.url + '/v1/p/cloudservers', 'create', body=b'{}', repeat=REPEAT_READS)
    assert len(server.requests) == 1


# --- the job id finder -----------------------------------------------------------------------

@pytest.mark.parametrize('data, expected', [
    ({'job_id': 'j1'}, 'j1'),
    ({'jobId': 'j2'}, 'j2'),
    ({'data': {'job_id': 'j3'}}, 'j3'),
    ({'data': {'jobId': 7}}, '7'),
    ({'AsyncJob': {'Id': 'j4'}}, 'j4'),
    ({'JobId': 'j7'}, 'j7'),
    ({'Data': {'JobId': 'j8'}}, 'j8'),
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
    (dict(method='TRACE'), 'method'),
    (dict(headers={'Bad Name': 'x'}), 'not an HTTP header name'),
    (dict(headers={'X-Thing': 'a\r\nInjected: 1'}), 'control character'),
    (dict(headers={'X-Thing': 'a', 'x-thing': 'b'}), 'given twice'),
    (dict(headers={'Authorization': 'x'}), 'set by the module itself'),
    (dict(status_code=[99]), 'status_code'),
    (dict(timeout=0), 'timeout'),
    (dict(secret_key='line\n'), 'secret_key has a control character'),
])
def test_bad_input_is_refused_before_any_request(server, capsys, cloud, extra, words):
    result = cloud.run(server, capsys, **extra)
    assert result['failed'] and words in result['msg'], result['msg']
    assert server.requests == []


@pytest.mark.parametrize('path, words', [
    ('v1/cloudservers', 'does not start with /'),
    ('/v1/../admin', '.. or . segment'),
    ('/v1/%2e%2e/admin', '.. or . segment'),
    ('/v1/x\ny', 'control character'),
    ('/v1/a b', 'cannot carry'),
    ('/v1/{domain_id}/x', 'has the placeholder {domain_id}'),
    ('/v1/{project_id/x', 'unmatched'),
])
def test_a_path_that_is_no_plain_url_path_is_refused_before_any_request(server, capsys, cloud, path, words):
    result = cloud.run(server, capsys, path=path, **cloud.path_args)
    assert result['failed'] and words in result['msg'], result['msg']
    assert server.requests == []
