# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DataArtsJobApi (job names, the workspace header, nodes, real-time wait semantics) and the module.

PAGE_EXAMPLE is the sample success response of the vendor page ("Viewing Running Status of a Real-Time Job"),
copied as printed, with its odd ``LastInstanceStatus``. The percent-encodings below were worked
out by hand from the UTF-8 bytes (日 U+65E5 = E6 97 A5, 志 U+5FD7 = E5 BF 97, ü U+00FC = C3 BC).
"""


import pytest


from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConnection
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import job_result
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import REACHED, UNREACHABLE, WaitGoal
from ansible_collections.jobwatch.cloud.plugins.modules import dataarts_job_status
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import ScriptedServer, json_answer

PROJECT_ID = 'b384b9e9ab9b4ee8994c8633aabc9505'
SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY'
PAGE_EXAMPLE = {
    "name": "job_sms",
    "nodes": [
        {
            "bufferRecords": 0,
            "jobInstanceId": 0,
            "LastInstanceStatus": "waiting",
            "name": "MRS_Flink_Job_8635",
            "speed": 0,
            "totalGetBytes": 0,
            "totalGetRecords": 0,
            "totalPutBytes": 0,
            "totalPutRecords": 0
        }
    ],
    "status": "NORMAL"
}


# --- job names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('name', ['job_sms', 'job sms', 'a/b', '日志 job/ü~x', '~', '.hidden', 'a..b', '...', 'a/.b/c',
                                  'a?b#c%d+e', 'ジョブ', ' padded '])
def test_check_id_accepts_free_text_names(name):
    assert DataArtsJobApi().check_id(name) == name


@pytest.mark.parametrize('name, words', [
    ('', 'job_name is empty'),
    ('   ', 'job_name is empty'),
    (None, 'job_name is empty'),
    ('\t', 'job_name is empty'),
    ('\u3000', 'job_name is empty'),
    ('job\n', 'control characters'),
    ('a\rb', 'control characters'),
    ('a\x00b', 'control characters'),
    ('a\x1bb', 'control characters'),
    ('a\x7fb', 'control characters'),
    ('.', '"." or ".." part'),
    ('..', '"." or ".." part'),
    ('../x', '"." or ".." part'),
    ('a/../b', '"." or ".." part'),
    ('a/./b', '"." or ".." part'),
    ('x/..', '"." or ".." part'),
])
def test_check_id_refuses_what_cannot_travel_in_one_segment(name, words):
    with pytest.raises(JobwatchError) as caught:
        DataArtsJobApi().check_id(name)
    assert words in str(caught.value)
    assert str(caught.value).startswith('Failed to check job_name')


def connection_params(endpoint, **extra):
    values = dict(region='cn-north-4', cloud=None, endpoint=endpoint, iam_endpoint=None, project_id=PROJECT_ID,
                  access_key='AKEXAMPLE', secret_key=SECRET, security_token=None, auth_token=None, user_name=None,
                  password=None, domain_name=None, timeout=5.0, validate_certs=True, ca_path=None, workspace=None)
    values.update(extra)
    return values


@pytest.mark.parametrize('name, segment', [
    ('job_sms', 'job_sms'),
    ('job sms', 'job%20sms'),
    ('a/b', 'a%2Fb'),
    ('日志 job/ü~x', '%E6%97%A5%E5%BF%97%20job%2F%C3%BC~x'),
    ('a?b#c%d+e', 'a%3Fb%23c%25d%2Be'),
    ('..a', '..a'),
])
def test_the_name_is_one_percent_encoded_path_segment(name, segment):
    with ScriptedServer([json_answer(200, PAGE_EXAMPLE)]) as server:
        api = DataArtsJobApi()
        connection = HuaweiConnection(connection_params(server.url), api.service, on_secret=None)
        found, _request_id = api.fetch(connection, api.check_id(name), None)
        [request] = server.requests
    assert found == PAGE_EXAMPLE
    assert request.path == '/v1/%s/jobs/%s/status' % (PROJECT_ID, segment)


@pytest.mark.parametrize('workspace, sent', [('a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5', 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5'),
                                             (None, None), ('', None)])
def test_workspace_header_only_when_set(workspace, sent):
    with ScriptedServer([json_answer(200, PAGE_EXAMPLE)]) as server:
        api = DataArtsJobApi()
        connection = HuaweiConnection(connection_params(server.url, workspace=workspace), api.service, on_secret=None)
        api.fetch(connection, 'job_sms', None)
        [request] = server.requests
    assert request.headers.get('workspace') == sent
    signed = request.headers['Authorization'].split('SignedHeaders=', 1)[1].split(',', 1)[0].split(';')
    assert ('workspace' in signed) is (sent is not None)


def test_the_service_host_is_dayu_dlf():
    connection = HuaweiConnection(connection_params(None), DataArtsJobApi.service, on_secret=None)
    assert connection.endpoint == 'https://dayu-dlf.cn-north-4.myhuaweicloud.com'


# --- what the answer turns into ---------------------------------------------------------------------------

def test_the_pages_example_nodes_are_snake_cased():
    result = job_result(DataArtsJobApi(), PAGE_EXAMPLE, 'req-1')
    assert result['nodes'] == [{'buffer_records': 0, 'job_instance_id': 0, 'last_instance_status': 'waiting',
                                'name': 'MRS_Flink_Job_8635', 'speed': 0, 'total_get_bytes': 0, 'total_get_records': 0,
                                'total_put_bytes': 0, 'total_put_records': 0}]
    assert (result['status'], result['state'], result['finished'], result['succeeded']) == ('NORMAL', 'running', True, False)
    assert result['job']['name'] == 'job_sms'


def test_every_node_field_of_the_page_is_snake_cased():
    node = {'name': 'n1', 'status': 'NORMAL', 'logPath': 'obs://logs/n1', 'type': 'CS Job', 'lastInstanceStatus': 'running',
            'speed': 1.5, 'runningData': '{"a": 1}', 'totalPutBytes': 10, 'bufferRecords': 2, 'jobInstanceId': 10024,
            'extendCounter': 'x', 'totalGetBytes': 11, 'totalPutRecords': 12, 'totalGetRecords': 13}
    [snake] = DataArtsJobApi().extras({'status': 'NORMAL', 'nodes': [node]})['nodes']
    assert snake == {'name': 'n1', 'status': 'NORMAL', 'log_path': 'obs://logs/n1', 'type': 'CS Job',
                     'last_instance_status': 'running', 'speed': 1.5, 'running_data': '{"a": 1}', 'total_put_bytes': 10,
                     'buffer_records': 2, 'job_instance_id': 10024, 'extend_counter': 'x', 'total_get_bytes': 11,
                     'total_put_records': 12, 'total_get_records': 13}


@pytest.mark.parametrize('nodes', [None, [], ['not a node', None]])
def test_no_nodes(nodes):
    assert DataArtsJobApi().extras({'status': 'STOPPED', 'nodes': nodes})['nodes'] == []
    assert DataArtsJobApi().extras({'status': 'STOPPED'})['nodes'] == []


def test_times_are_also_given_as_iso():
    # 1714982400 s = 2024-05-06T08:00:00Z (date -u -d @1714982400).
    job = {'name': 'j', 'status': 'STOPPED', 'startTime': 1714982400000, 'endTime': 1714982400500,
           'lastUpdateTime': '1714982401000', 'createUser': 'alice', 'lastModifiyUser': 'bob'}
    result = job_result(DataArtsJobApi(), job, None)
    assert (result['start_time'], result['end_time'], result['last_update_time']) == \
        ('2024-05-06T08:00:00.000Z', '2024-05-06T08:00:00.500Z', '2024-05-06T08:00:01.000Z')
    assert result['job']['start_time'] == 1714982400000
    assert result['job']['last_modifiy_user'] == 'bob'


def test_failure_reason_names_the_nodes_in_exception():
    job = {'status': 'EXCEPTION', 'nodes': [{'name': 'n1', 'status': 'NORMAL'}, {'name': 'n2', 'status': 'EXCEPTION'},
                                            {'name': 'n3', 'status': 'EXCEPTION'}, 'junk']}
    assert DataArtsJobApi().failure_reason(job) == 'nodes in EXCEPTION: n2, n3'
    assert DataArtsJobApi().failure_reason({'status': 'EXCEPTION', 'nodes': [{'name': 'n1', 'status': 'NORMAL'}]}) is None


@pytest.mark.parametrize('status, state, finished', [
    ('STARTING', 'pending', False), ('NORMAL', 'running', True), ('EXCEPTION', 'failed', True),
    ('STOPPING', 'running', False), ('STOPPED', 'stopped', True),
])
def test_states(status, state, finished):
    result = job_result(DataArtsJobApi(), {'name': 'j', 'status': status}, None)
    assert (result['state'], result['finished'], result['succeeded']) == (state, finished, False)


# --- real-time wait semantics -------------------------------------------------------------------------------

def verdicts(goal):
    return {status: goal.verdict(status) for status in ('STARTING', 'NORMAL', 'EXCEPTION', 'STOPPING', 'STOPPED')}


def test_by_default_a_wait_ends_at_normal_exception_or_stopped():
    goal = WaitGoal(DataArtsJobApi())
    assert goal.targets == frozenset(['NORMAL', 'EXCEPTION', 'STOPPED'])
    assert verdicts(goal) == {'STARTING': None, 'NORMAL': REACHED, 'EXCEPTION': REACHED, 'STOPPING': None, 'STOPPED': REACHED}


def test_after_a_start_waiting_for_normal_gives_up_at_exception_or_stopped():
    assert verdicts(WaitGoal(DataArtsJobApi(), ['NORMAL'])) == {
        'STARTING': None, 'NORMAL': REACHED, 'EXCEPTION': UNREACHABLE, 'STOPPING': None, 'STOPPED': UNREACHABLE}


def test_after_a_stop_waiting_for_stopped_waits_through_normal_and_exception():
    # A job still NORMAL (or in EXCEPTION) right after a stop request is on its way to STOPPED.
    assert verdicts(WaitGoal(DataArtsJobApi(), ['stopped'])) == {
        'STARTING': None, 'NORMAL': None, 'EXCEPTION': None, 'STOPPING': None, 'STOPPED': REACHED}


def test_waiting_for_exception_gives_up_only_at_stopped():
    assert verdicts(WaitGoal(DataArtsJobApi(), ['EXCEPTION'])) == {
        'STARTING': None, 'NORMAL': None, 'EXCEPTION': REACHED, 'STOPPING': None, 'STOPPED': UNREACHABLE}


@pytest.mark.parametrize('answer', [
    # As the SDK's response model (huaweicloudsdkdlf ShowJobStatusResponse, RealTimeNodeStatus) spells them.
    {'name': 'job_sms', 'status': 'NORMAL', 'starttime': 1714982400000, 'nodes': [{'name': 'n1', 'nodeType': 'MRS Flink Job'}]},
    # As the API page spells them.
    {'name': 'job_sms', 'status': 'NORMAL', 'startTime': 1714982400000, 'nodes': [{'name': 'n1', 'type': 'MRS Flink Job'}]},
])
def test_start_time_and_node_type_in_either_spelling(answer):
    api = DataArtsJobApi()
    result = job_result(api, api.read_job(answer), 'req-1')
    assert result['start_time'] == '2024-05-06T08:00:00.000Z'
    assert result['job']['start_time'] == 1714982400000
    assert result['nodes'] == [{'name': 'n1', 'type': 'MRS Flink Job'}]


def test_the_pages_spelling_wins_when_both_are_sent():
    job = DataArtsJobApi().read_job({'status': 'NORMAL', 'startTime': 1, 'starttime': 2, 'nodes': [{'type': 'a', 'nodeType': 'b'}, 'odd']})
    assert (job['startTime'], job['nodes']) == (1, [{'type': 'a', 'nodeType': 'b'}, 'odd'])


# --- the module, run as Ansible runs it ----------------------------------------------------------------------


def run_module(args, capsys):
    return run_module_main(dataarts_job_status.main, args, capsys)


def module_args(server, **extra):
    args = dict(region='cn-north-4', endpoint=server.url, project_id=PROJECT_ID, access_key='AKEXAMPLE', secret_key=SECRET,
                job_name='job_sms')
    args.update(extra)
    return args


@pytest.mark.parametrize('change, words', [
    (dict(job_name='  '), 'job_name is empty'),
    (dict(job_name='../../v3/auth/tokens'), 'a "." or ".." part'),
    (dict(job_name='job\n'), 'control characters'),
    (dict(wait_for=['RUNNING']), "DataArts real-time job never reports 'RUNNING'"),
])
def test_bad_input_fails_clearly_before_any_request(server, capsys, change, words):
    result = run_module(module_args(server, **change), capsys)
    assert result['failed'] is True
    assert words in result['msg']
    assert server.requests == []


def test_one_query_with_a_workspace_and_an_awkward_name(server, capsys):
    server.add(json_answer(200, dict(PAGE_EXAMPLE, name='日志 job/ü~x'), headers={'X-Request-Id': 'req-dlf'}))
    result = run_module(module_args(server, job_name='日志 job/ü~x', workspace='ws-1'), capsys)
    assert result.get('failed') is not True, result.get('msg')
    assert (result['status'], result['state'], result['request_id']) == ('NORMAL', 'running', 'req-dlf')
    assert result['nodes'][0]['last_instance_status'] == 'waiting'
    [request] = server.requests
    assert request.path == '/v1/%s/jobs/%%E6%%97%%A5%%E5%%BF%%97%%20job%%2F%%C3%%BC~x/status' % PROJECT_ID
    assert request.headers['workspace'] == 'ws-1'


def test_waiting_for_normal_fails_at_exception_naming_the_nodes(server, capsys):
    server.add(json_answer(200, {'name': 'job_sms', 'status': 'EXCEPTION',
                                 'nodes': [{'name': 'MRS_Flink_Job_8635', 'status': 'EXCEPTION'}]}))
    result = run_module(module_args(server, wait_for=['NORMAL']), capsys)
    assert result['failed'] is True
    assert 'job_sms ended in EXCEPTION' in result['msg']
    assert 'so it can no longer reach NORMAL' in result['msg']
    assert result['msg'].endswith('nodes in EXCEPTION: MRS_Flink_Job_8635')
    assert len(server.requests) == 1


@pytest.mark.parametrize('code', ['DLF.0100', 'DLF.30100', 'DLF.1001'])
def test_each_job_not_found_code_mid_wait_is_a_job_gone(server, capsys, code):
    server.add(json_answer(200, {'name': 'job_sms', 'status': 'STARTING', 'nodes': []}),
               json_answer(400, {'error_code': code, 'error_msg': 'The job does not exists.'}))
    result = run_module(module_args(server, wait_for=['NORMAL'], wait_interval=0.5), capsys)
    assert result['failed'] is True
    assert result['msg'].startswith('DataArts real-time job job_sms disappeared during the wait (last seen STARTING after 1 poll)')
    assert len(server.requests) == 2


def test_waiting_for_normal_fails_at_stopped(server, capsys):
    server.add(json_answer(200, {'name': 'job_sms', 'status': 'STOPPED', 'nodes': []}))
    result = run_module(module_args(server, wait_for=['NORMAL']), capsys)
    assert result['failed'] is True
    assert 'ended in STOPPED' in result['msg'] and 'can no longer reach NORMAL' in result['msg']


def test_waiting_for_stopped_goes_through_normal_and_stopping(server, capsys):
    for status in ('NORMAL', 'STOPPING', 'STOPPED'):
        server.add(json_answer(200, {'name': 'job_sms', 'status': status, 'nodes': []}))
    result = run_module(module_args(server, wait_for=['STOPPED'], wait_interval=0.5), capsys)
    assert result.get('failed') is not True, result.get('msg')
    assert [entry['status'] for entry in result['history']] == ['NORMAL', 'STOPPING', 'STOPPED']
    assert (result['state'], result['polls']) == ('stopped', 3)


def test_a_default_wait_that_ends_in_exception_fails_the_task(server, capsys):
    server.add(json_answer(200, {'name': 'job_sms', 'status': 'STARTING'}),
               json_answer(200, {'name': 'job_sms', 'status': 'EXCEPTION'}))
    result = run_module(module_args(server, wait=True, wait_interval=0.5), capsys)
    assert result['failed'] is True and 'ended in EXCEPTION' in result['msg']
    assert 'can no longer reach' not in result['msg']


def test_a_default_wait_that_ends_normal_succeeds(server, capsys):
    server.add(json_answer(200, {'name': 'job_sms', 'status': 'STARTING'}), json_answer(200, PAGE_EXAMPLE))
    result = run_module(module_args(server, wait=True, wait_interval=0.5), capsys)
    assert result.get('failed') is not True, result.get('msg')
    assert result['status'] == 'NORMAL' and result['polls'] == 2


def test_a_cloud_error_is_reported_with_its_code(server, capsys):
    server.add(json_answer(400, {'error_code': 'DLF.30100', 'error_msg': 'The job does not exists.'},
                           headers={'X-Request-Id': 'req-400'}))
    result = run_module(module_args(server), capsys)
    assert result['failed'] is True
    assert result['msg'] == ('Failed to query DataArts real-time job job_sms, HTTP 400, error code DLF.30100: '
                             'The job does not exists. (request id req-400)')
