# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DataWorksJobApi (what the module knows about GetJobStatus) and the module run as Ansible runs it.

PAGE_EXAMPLE is the sample success response of the vendor page ("GetJobStatus"),
copied as printed: it pairs ``Completed: "False"`` with ``Status: "Success"``. Its CreateTime,
1729063449802 ms, is 2024-10-16T07:24:09.802Z (``date -u -d @1729063449``).
"""

import json

import pytest


from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import job_result
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import REACHED, UNREACHABLE, WaitGoal
from ansible_collections.jobwatch.cloud.plugins.modules import dataworks_job_info
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataworks_api import DataWorksJobApi
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import json_answer

JOB_ID = 'C664CDE3-9C0B-5792-B17F-6C543783BBBC'
REQUEST_ID = '5E2BFE96-C0E0-5A98-85C8-633EC803198D'
SECRET = 'exampleSecretKEY0123456789abcdefXYZ'
PAGE_EXAMPLE = {
    "RequestId": "5E2BFE96-C0E0-5A98-85C8-633EC803198D",
    "JobStatus": {
        "JobId": "C664CDE3-9C0B-5792-B17F-6C543783BBBC",
        "JobType": "Create",
        "Completed": "False",
        "Status": "Success",
        "Error": "Not Found",
        "CreateTime": 1729063449802
    }
}


def job(**fields):
    return dict(JobId=JOB_ID, JobType='Create', **fields)


# --- DataWorksJobApi -------------------------------------------------------------------------------

def connection_params(**extra):
    values = dict(region='cn-hangzhou', endpoint=None, access_key='LTAI5tEXAMPLE', secret_key='secret', security_token=None,
                  timeout=5.0, validate_certs=True, ca_path=None)
    values.update(extra)
    return values


# Known answers from the official SDK's endpoint map (alibabacloud-dataworks-public20240518 9.11.0).
@pytest.mark.parametrize('region, url', [
    ('cn-qingdao', 'https://dataworks.aliyuncs.com'),
    ('cn-huhehaote', 'https://dataworks.aliyuncs.com'),
    ('cn-wuhan', 'https://dataworks.aliyuncs.com'),
    ('ap-south-1', 'https://dataworks.aliyuncs.com'),
    ('ap-southeast-2', 'https://dataworks.aliyuncs.com'),
    ('cn-hangzhou', 'https://dataworks.cn-hangzhou.aliyuncs.com'),
    ('ap-southeast-1', 'https://dataworks.ap-southeast-1.aliyuncs.com'),
    ('me-central-1', 'https://dataworks.me-central-1.aliyuncs.com'),
    ('cn-wulanchabu', 'https://dataworks.cn-wulanchabu.aliyuncs.com'),
])
def test_the_host_of_each_region_is_the_sdks(region, url):
    assert DataWorksJobApi().connect(connection_params(region=region), on_secret=None).endpoint == url


def test_an_endpoint_given_wins_over_the_map():
    connection = DataWorksJobApi().connect(connection_params(region='cn-qingdao', endpoint='https://dw.example.org'), on_secret=None)
    assert connection.endpoint == 'https://dw.example.org'


def test_the_endpoint_map_is_the_sdks():
    sdk = pytest.importorskip('alibabacloud_dataworks_public20240518.client')
    openapi_models = pytest.importorskip('alibabacloud_tea_openapi.models')
    api = DataWorksJobApi()
    client = sdk.Client(openapi_models.Config(region_id='cn-qingdao', access_key_id='a', access_key_secret='b'))
    for region, host in client._endpoint_map.items():  # pylint: disable=protected-access
        assert api.connect(connection_params(region=region), on_secret=None).endpoint == 'https://' + host, region


def test_read_job_is_job_status():
    assert DataWorksJobApi().read_job(PAGE_EXAMPLE) == PAGE_EXAMPLE['JobStatus']


def test_the_pages_own_example_is_a_success():
    api = DataWorksJobApi()
    result = job_result(api, api.read_job(PAGE_EXAMPLE), PAGE_EXAMPLE['RequestId'])
    assert (result['status'], result['state'], result['finished'], result['succeeded']) == ('Success', 'succeeded', True, True)
    assert result['request_id'] == REQUEST_ID
    assert result['create_time'] == '2024-10-16T07:24:09.802Z'
    assert result['job'] == {'job_id': JOB_ID, 'job_type': 'Create', 'completed': 'False', 'status': 'Success',
                             'error': 'Not Found', 'create_time': 1729063449802}


@pytest.mark.parametrize('fields, status', [
    (dict(Status='Success', Completed='False'), 'Success'),
    (dict(Status='Running', Completed='True'), 'Running'),
    (dict(Status='Fail', Completed='False', Error='boom'), 'Fail'),
    (dict(Status='Cancel'), 'Cancel'),
])
def test_status_wins_over_completed(fields, status):
    assert DataWorksJobApi().read_status(job(**fields)) == status


@pytest.mark.parametrize('fields, status', [
    # Finished, but succeeded or cancelled? Not an answer: asked again.
    (dict(Completed='True'), None),
    (dict(Completed='true'), None),
    (dict(Completed='True', Status=None), None),
    (dict(Completed=True), None),
    (dict(Completed='True', Error='Quota exceeded'), 'Fail'),
    (dict(Completed='False'), 'Running'),
    (dict(Completed='FALSE', Status=''), 'Running'),
    (dict(), None),
    (dict(Completed='maybe'), None),
])
def test_completed_is_the_fallback_when_there_is_no_status(fields, status):
    assert DataWorksJobApi().read_status(job(**fields)) == status


@pytest.mark.parametrize('status, state, finished, succeeded', [
    ('Success', 'succeeded', True, True),
    ('Fail', 'failed', True, False),
    ('Cancel', 'cancelled', True, False),
    ('Running', 'running', False, False),
    ('SUCCESS', 'succeeded', True, True),
])
def test_statuses_mean_what_the_page_says(status, state, finished, succeeded):
    result = job_result(DataWorksJobApi(), job(Status=status), None)
    assert (result['state'], result['finished'], result['succeeded']) == (state, finished, succeeded)


@pytest.mark.parametrize('create_time', [1729063449802, '1729063449802'], ids=['number-as-on-the-page', 'string-as-in-the-sdk'])
def test_create_time_as_iso(create_time):
    assert DataWorksJobApi().extras(job(Status='Running', CreateTime=create_time)) == {'create_time': '2024-10-16T07:24:09.802Z'}


def test_no_create_time_no_key():
    assert DataWorksJobApi().extras(job(Status='Running')) == {}


def test_failure_reason_is_the_error():
    assert DataWorksJobApi().failure_reason(job(Status='Fail', Error='The workspace does not exist.')) == \
        'The workspace does not exist.'
    assert DataWorksJobApi().failure_reason(job(Status='Fail')) is None


@pytest.mark.parametrize('data', [
    {'RequestId': REQUEST_ID},
    {'RequestId': REQUEST_ID, 'JobStatus': None},
    {'RequestId': REQUEST_ID, 'JobStatus': {'JobId': JOB_ID}},
    {'Status': 'Success'},
])
def test_an_answer_without_a_job_status_is_not_an_answer(data):
    assert DataWorksJobApi().answer_problem(data) == 'the answer has no job status in it'


def test_a_job_status_that_is_no_object_is_not_an_answer():
    assert DataWorksJobApi().answer_problem({'RequestId': REQUEST_ID, 'JobStatus': 'Success'}) == \
        'the answer\'s job is a text ("Success"), not an object'


def test_an_answer_with_a_job_status_is_one():
    assert DataWorksJobApi().answer_problem(PAGE_EXAMPLE) is None
    assert DataWorksJobApi().answer_problem({'JobStatus': {'Completed': 'False'}}) is None


def test_default_wait_ends_at_success_fail_or_cancel():
    goal = WaitGoal(DataWorksJobApi())
    assert [goal.verdict(status) for status in ('Running', 'Success', 'Fail', 'Cancel')] == [None, REACHED, REACHED, REACHED]


def test_wait_for_success_cannot_be_reached_from_fail():
    goal = WaitGoal(DataWorksJobApi(), ['success'])
    assert (goal.verdict('Running'), goal.verdict('Success'), goal.verdict('Fail'), goal.verdict('Cancel')) == \
        (None, REACHED, UNREACHABLE, UNREACHABLE)


def test_wait_for_a_status_the_api_never_reports_is_refused():
    with pytest.raises(JobwatchError) as caught:
        WaitGoal(DataWorksJobApi(), ['Done'])
    assert "DataWorks job never reports 'Done'" in str(caught.value)


# --- the module, run as Ansible runs it ----------------------------------------------------------------


def run_module(args, capsys):
    return run_module_main(dataworks_job_info.main, args, capsys)


def module_args(server, **extra):
    """Options as a task gives them; None leaves an option out (so its environment fallback applies)."""
    args = dict(region='cn-hangzhou', endpoint=server.url, access_key='LTAI5tEXAMPLE', secret_key=SECRET, job_id=JOB_ID)
    args.update(extra)
    return {name: value for name, value in args.items() if value is not None}


def test_no_credentials_anywhere_fails_naming_the_variables_before_any_request(server, capsys):
    result = run_module(module_args(server, access_key=None, secret_key=None), capsys)
    assert result['failed'] is True
    assert 'no credentials were given' in result['msg']
    assert 'ALIBABA_CLOUD_ACCESS_KEY_ID' in result['msg'] and 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' in result['msg']
    assert server.requests == []


@pytest.mark.parametrize('change, words', [
    (dict(job_id='../x'), "job_id '../x' has characters a job id never has"),
    (dict(wait_for=['Done']), "DataWorks job never reports 'Done'. Its statuses are Cancel, Fail, Running, Success"),
    (dict(security_token='CAIS-temporary-token', access_key=None, secret_key=None),
     "missing parameter(s) required by 'security_token': access_key"),
])
def test_other_bad_input_fails_before_any_request(server, capsys, change, words):
    result = run_module(module_args(server, **change), capsys)
    assert result['failed'] is True
    assert words in result['msg']
    assert server.requests == []


def test_credentials_from_the_environment_and_one_query_of_the_pages_example(server, capsys, monkeypatch):
    monkeypatch.setenv('ALIBABA_CLOUD_ACCESS_KEY_ID', 'LTAIfromENV')
    monkeypatch.setenv('ALIBABA_CLOUD_ACCESS_KEY_SECRET', SECRET)
    server.add(json_answer(200, PAGE_EXAMPLE))
    result = run_module(module_args(server, access_key=None, secret_key=None), capsys)
    assert result.get('failed') is not True, result.get('msg')
    assert (result['status'], result['state'], result['succeeded'], result['polls']) == ('Success', 'succeeded', True, 1)
    assert result['create_time'] == '2024-10-16T07:24:09.802Z' and result['request_id'] == REQUEST_ID
    [request] = server.requests
    assert (request.method, request.path) == ('GET', '/?JobId=%s' % JOB_ID)
    assert request.headers['x-acs-action'] == 'GetJobStatus' and request.headers['x-acs-version'] == '2024-05-18'
    assert request.headers['Authorization'].startswith('ACS3-HMAC-SHA256 Credential=LTAIfromENV,SignedHeaders=')
    assert SECRET not in json.dumps(result)


def test_waiting_on_a_failed_job_fails_with_its_error(server, capsys):
    failed = job(Status='Fail', Completed='True', Error='Node quota exceeded')
    server.add(json_answer(200, {'RequestId': 'r-1', 'JobStatus': failed}))
    result = run_module(module_args(server, wait=True), capsys)
    assert result['failed'] is True
    assert result['msg'].startswith('DataWorks job %s ended in Fail after ' % JOB_ID)
    assert result['msg'].endswith(': Node quota exceeded')
    assert result['state'] == 'failed' and len(server.requests) == 1


def test_a_cloud_error_becomes_a_msg_with_code_and_request_id(server, capsys):
    server.add(json_answer(400, {'RequestId': 'E1-REQ', 'HostId': 'dataworks.cn-hangzhou.aliyuncs.com',
                                 'Code': 'InvalidParameter.JobId', 'Message': 'The specified JobId is invalid.'}))
    result = run_module(module_args(server), capsys)
    assert result['failed'] is True
    assert result['msg'] == ('Failed to query DataWorks job %s, HTTP 400, error code InvalidParameter.JobId: '
                             'The specified JobId is invalid. (request id E1-REQ)' % JOB_ID)
    assert result['error'] == {'status': 400, 'code': 'InvalidParameter.JobId', 'message': 'The specified JobId is invalid.'}
