# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CfwJobApi (the job inside ``data``, statuses, times as numbers or strings) and the module.

PAGE_EXAMPLE is the sample response of the vendor page ("List Job Status"), copied
as printed: its times are epoch milliseconds although the page documents them as
``yyyy-mm-ddThh:mm:ssZ`` strings with an offset such as ``+0800``. 1641370501 s is
2022-01-05T08:15:01Z and 1641370515 s is 2022-01-05T08:15:15Z (``date -u -d @...``).
"""


import pytest


from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConnection
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import job_result
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import REACHED, UNREACHABLE, WaitGoal
from ansible_collections.jobwatch.cloud.plugins.modules import cfw_job_info
from ansible_collections.jobwatch.cloud.plugins.module_utils._cfw_api import CfwJobApi
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import json_answer

JOB_ID = 'f588ce71-e26c-400d-8981-f854355f6849'
PROJECT_ID = '09bb24e6fe80d23d2fa2c010b53b418c'
SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY'
PAGE_EXAMPLE = {"data": {"begin_time": 1641370501000, "end_time": 1641370515000, "id": "f588ce71-e26c-400d-8981-f854355f6849",
                         "status": "Success"}}


def test_read_job_is_data():
    assert CfwJobApi().read_job(PAGE_EXAMPLE) == PAGE_EXAMPLE['data']


def test_the_pages_example():
    api = CfwJobApi()
    result = job_result(api, api.read_job(PAGE_EXAMPLE), 'req-1')
    assert (result['status'], result['state'], result['finished'], result['succeeded']) == ('Success', 'succeeded', True, True)
    assert (result['begin_time'], result['end_time']) == ('2022-01-05T08:15:01.000Z', '2022-01-05T08:15:15.000Z')
    assert result['job'] == PAGE_EXAMPLE['data']
    assert result['request_id'] == 'req-1'


@pytest.mark.parametrize('begin, end', [
    ('2022-01-05T16:15:01+0800', '2022-01-05T16:15:15+0800'),
    ('2022-01-05T08:15:01Z', '2022-01-05T08:15:15Z'),
    ('1641370501000', '1641370515000'),
    (1641370501000.0, 1641370515000.0),
], ids=['string-with-offset-as-documented', 'string-utc', 'digit-strings', 'floats'])
def test_times_as_numbers_or_strings(begin, end):
    extras = CfwJobApi().extras({'id': JOB_ID, 'status': 'Success', 'begin_time': begin, 'end_time': end})
    assert extras == {'begin_time': '2022-01-05T08:15:01.000Z', 'end_time': '2022-01-05T08:15:15.000Z'}


def test_a_running_job_has_no_end_time_yet():
    assert CfwJobApi().extras({'id': JOB_ID, 'status': 'Running', 'begin_time': 1641370501000}) == \
        {'begin_time': '2022-01-05T08:15:01.000Z'}


@pytest.mark.parametrize('status, state, finished, succeeded', [
    ('Running', 'running', False, False),
    ('Success', 'succeeded', True, True),
    ('Failed', 'failed', True, False),
    ('FAILED', 'failed', True, False),
])
def test_statuses(status, state, finished, succeeded):
    result = job_result(CfwJobApi(), {'id': JOB_ID, 'status': status}, None)
    assert (result['state'], result['finished'], result['succeeded']) == (state, finished, succeeded)


@pytest.mark.parametrize('data', [{}, {'data': None}, {'data': {'id': JOB_ID}}, {'error_code': 'CFW.0001', 'error_msg': 'x'},
                                  {'status': 'Success'}])
def test_an_answer_without_a_job_status_is_not_an_answer(data):
    assert CfwJobApi().answer_problem(data) == 'the answer has no job status in it'


def test_wait_goals():
    default = WaitGoal(CfwJobApi())
    assert (default.verdict('Running'), default.verdict('Success'), default.verdict('Failed')) == (None, REACHED, REACHED)
    success = WaitGoal(CfwJobApi(), ['success'])
    assert (success.verdict('Running'), success.verdict('Success'), success.verdict('Failed')) == (None, REACHED, UNREACHABLE)


def connection_params(**extra):
    values = dict(region='cn-north-4', cloud=None, endpoint=None, iam_endpoint=None, project_id=PROJECT_ID,
                  access_key='AKEXAMPLE', secret_key=SECRET, security_token=None, auth_token=None, user_name=None,
                  password=None, domain_name=None, timeout=5.0, validate_certs=True, ca_path=None)
    values.update(extra)
    return values


@pytest.mark.parametrize('region, url', [('cn-north-4', 'https://cfw.cn-north-4.myhuaweicloud.com'),
                                         ('eu-west-101', 'https://cfw.eu-west-101.myhuaweicloud.eu')])
def test_the_service_host(region, url):
    assert HuaweiConnection(connection_params(region=region), CfwJobApi.service, on_secret=None).endpoint == url


# --- the module, run as Ansible runs it ----------------------------------------------------------------------


def run_module(args, capsys):
    return run_module_main(cfw_job_info.main, args, capsys)


def module_args(server, **extra):
    args = dict(region='cn-north-4', endpoint=server.url, project_id=PROJECT_ID, access_key='AKEXAMPLE', secret_key=SECRET,
                job_id=JOB_ID)
    args.update(extra)
    return {name: value for name, value in args.items() if value is not None}


@pytest.mark.parametrize('change, words', [
    (dict(wait_for=['Done']), "CFW job never reports 'Done'. Its statuses are Failed, Running, Success"),
    (dict(job_id='a/../b'), "job_id 'a/../b' has characters a job id never has"),
    (dict(access_key=None, secret_key=None), 'no credentials were given'),
])
def test_bad_input_fails_clearly_before_any_request(server, capsys, change, words):
    result = run_module(module_args(server, **change), capsys)
    assert result['failed'] is True
    assert words in result['msg']
    assert server.requests == []


def test_one_query_with_a_token_as_the_page_describes(server, capsys):
    server.add(json_answer(200, PAGE_EXAMPLE, headers={'X-Request-Id': 'req-cfw'}))
    result = run_module(module_args(server, access_key=None, secret_key=None, auth_token='MIIZkgYJKoZIhvcNAQcCoIIZgzCCGX8C'),
                        capsys)
    assert result.get('failed') is not True, result.get('msg')
    assert (result['status'], result['begin_time'], result['end_time'], result['request_id']) == \
        ('Success', '2022-01-05T08:15:01.000Z', '2022-01-05T08:15:15.000Z', 'req-cfw')
    [request] = server.requests
    assert (request.method, request.path) == ('GET', '/v3/%s/jobs/%s' % (PROJECT_ID, JOB_ID))
    assert request.headers['X-Auth-Token'] == 'MIIZkgYJKoZIhvcNAQcCoIIZgzCCGX8C'
    assert 'Authorization' not in request.headers


def test_one_query_with_ak_sk(server, capsys):
    server.add(json_answer(200, {'data': {'id': JOB_ID, 'status': 'Running', 'begin_time': '2022-01-05T16:15:01+0800'}}))
    result = run_module(module_args(server), capsys)
    assert result.get('failed') is not True, result.get('msg')
    assert (result['state'], result['begin_time']) == ('running', '2022-01-05T08:15:01.000Z')
    assert 'end_time' not in result
    [request] = server.requests
    assert request.headers['Authorization'].startswith('SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=')


def test_waiting_on_a_failed_job_fails_the_task(server, capsys):
    server.add(json_answer(200, {'data': {'id': JOB_ID, 'status': 'Running'}}),
               json_answer(200, {'data': {'id': JOB_ID, 'status': 'Failed', 'begin_time': 1641370501000}}))
    result = run_module(module_args(server, wait=True, wait_interval=0.5), capsys)
    assert result['failed'] is True
    assert result['msg'].startswith('CFW job %s ended in Failed after ' % JOB_ID)
    assert [entry['status'] for entry in result['history']] == ['Running', 'Failed']


def test_a_cloud_error_is_reported_with_its_code(server, capsys):
    server.add(json_answer(400, {'error_code': 'CFW.00200005', 'error_msg': 'job not found'}, headers={'X-Request-Id': 'r-4'}))
    result = run_module(module_args(server), capsys)
    assert result['failed'] is True
    assert result['msg'] == 'Failed to query CFW job %s, HTTP 400, error code CFW.00200005: job not found (request id r-4)' % JOB_ID


def test_an_absurd_time_does_not_crash_the_module(server, capsys):
    server.add(json_answer(200, {'data': {'id': JOB_ID, 'status': 'Success', 'begin_time': 99999999999999999999}}))
    result = run_module(module_args(server), capsys)
    assert result['status'] == 'Success'
