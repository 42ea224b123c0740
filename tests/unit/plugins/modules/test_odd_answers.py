# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answers of a shape nobody promised, in every module's readers: a status that is a number or an
object, fields of the wrong type, error messages that are not text. Each is either a malformed
answer (asked again, then a clear message) or a field read as absent; never a crash, never
"Unexpected ... please report this", and in a many-job task never more than that job's entry.
"""

import json

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils import _retry
from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_cloud import AlibabaConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import job_result
from ansible_collections.jobwatch.cloud.plugins.modules import dataworks_job_info, ecs_job_info
from ansible_collections.jobwatch.cloud.plugins.module_utils._cfw_api import CfwJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataworks_api import DataWorksJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import json_answer

SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY'

# Each API, and how to put a status where it reads it.
APIS = [
    (EcsJobApi(), lambda status: {'status': status, 'job_id': 'j-1'}),
    (CfwJobApi(), lambda status: {'data': {'status': status, 'id': 'j-1'}}),
    (DataArtsJobApi(), lambda status: {'status': status, 'name': 'j 1'}),
    (DataWorksJobApi(), lambda status: {'RequestId': 'r-1', 'JobStatus': {'JobId': 'j-1', 'Status': status}}),
]
API_IDS = ['ecs', 'cfw', 'dataarts', 'dataworks']

ODD_STATUSES = [
    (3, "the answer's status is a number (3), not a status name"),
    (2.5, "the answer's status is a number (2.5), not a status name"),
    (True, "the answer's status is a bool (true), not a status name"),
    (['SUCCESS'], '''the answer's status is a list (["SUCCESS"]), not a status name'''),
    ({'name': 'SUCCESS'}, '''the answer's status is an object ({"name": "SUCCESS"}), not a status name'''),
    ('X' * 65, "the answer's status is a text of 65 characters, not a status name"),
    ('RUN\nNING', "the answer's status 'RUN\\nNING' has control characters, not a status name"),
    ('   ', 'the answer has no job status in it'),
]


@pytest.mark.parametrize('api, answer', APIS, ids=API_IDS)
@pytest.mark.parametrize('status, problem', ODD_STATUSES, ids=['int', 'float', 'bool', 'list', 'object', 'long', 'control', 'blank'])
def test_a_status_that_is_no_status_name_is_a_malformed_answer(api, answer, status, problem):
    assert api.answer_problem(answer(status)) == problem


@pytest.mark.parametrize('api, answer', APIS, ids=API_IDS)
@pytest.mark.parametrize('status', [None, ''])
def test_a_null_or_empty_status_is_no_status(api, answer, status):
    data = answer(status)
    if isinstance(api, DataWorksJobApi):
        data['JobStatus']['Completed'] = 'True'  # finished, no Status and no Error: nothing tells how it ended
    assert api.answer_problem(data) == 'the answer has no job status in it'


@pytest.mark.parametrize('status', [0, False, [], {}])
def test_dataworks_takes_no_falsy_odd_status_for_absent(status):
    # Status 0 beside Completed=False must not fall back to "Running": it is a malformed answer.
    data = {'JobStatus': {'Status': status, 'Completed': 'False'}}
    assert "not a status name" in DataWorksJobApi().answer_problem(data)


@pytest.mark.parametrize('api', [api for api, answer in APIS], ids=API_IDS)
@pytest.mark.parametrize('status', [3, None, {'a': 1}, ['x']])
def test_lookup_and_spelled_take_odd_statuses_for_unknown(api, status):
    assert api.lookup(status)[0] == 'running'
    assert api.spelled(status) is None


WRONG_TYPES = ['text', 7, True, None, ['a', 1, None], {'server_id': {'a': 1}}]


@pytest.mark.parametrize('odd', WRONG_TYPES, ids=['str', 'int', 'bool', 'null', 'list', 'dict'])
def test_ecs_fields_of_the_wrong_type_are_read_as_absent(odd):
    api = EcsJobApi()
    jobs = [
        {'status': 'FAIL', 'entities': odd, 'error_code': odd, 'fail_reason': odd},
        {'status': 'FAIL', 'entities': {'sub_jobs': odd, 'server_id': odd}},
        {'status': 'FAIL', 'entities': {'sub_jobs': [odd, {'status': odd, 'entities': odd}]}},
        {'status': 'FAIL', 'entities': {'sub_jobs': [{'status': 'FAIL', 'job_id': odd, 'job_type': odd, 'error_code': odd,
                                                      'fail_reason': odd, 'entities': {'errorcode_message': odd, 'server_id': odd}}]}},
    ]
    for job in jobs:
        extras = api.extras(job)
        assert all(isinstance(server_id, str) for server_id in extras['server_ids'])
        for sub in extras['failed_sub_jobs']:
            assert all(value is None or isinstance(value, str) for value in sub.values())
        reason = api.failure_reason(job)
        assert reason is None or ('{' not in reason and '[' not in reason)  # no dict or list str()-ed into it
        job_result(api, job, None)


def test_ecs_server_id_that_is_a_dict_is_left_out_and_a_number_is_text():
    job = {'status': 'SUCCESS', 'entities': {'server_id': {'id': 'srv-1'}, 'sub_jobs': [{'entities': {'server_id': 42}}]}}
    assert EcsJobApi().extras(job)['server_ids'] == ['42']


@pytest.mark.parametrize('odd', WRONG_TYPES + [[{'name': {'a': 1}, 'status': 'EXCEPTION'}, 'x', 3]],
                         ids=['str', 'int', 'bool', 'null', 'list', 'dict', 'odd-nodes'])
def test_dataarts_nodes_of_the_wrong_type_are_read_as_absent(odd):
    api = DataArtsJobApi()
    job = {'status': 'EXCEPTION', 'nodes': odd, 'startTime': odd, 'endTime': odd, 'lastUpdateTime': odd}
    result = job_result(api, job, None)
    assert all(isinstance(node, dict) for node in result['nodes'])
    assert all(result[key] is None or isinstance(result[key], str) for key in ('start_time', 'end_time', 'last_update_time'))
    reason = api.failure_reason(job)
    assert reason is None or reason == 'nodes in EXCEPTION: (unnamed)'


@pytest.mark.parametrize('odd', WRONG_TYPES, ids=['str', 'int', 'bool', 'null', 'list', 'dict'])
def test_cfw_and_dataworks_fields_of_the_wrong_type_do_not_crash(odd):
    cfw = job_result(CfwJobApi(), {'status': 'Success', 'begin_time': odd, 'end_time': odd}, None)
    assert all(cfw[key] is None or isinstance(cfw[key], str) for key in ('begin_time', 'end_time'))
    dataworks = DataWorksJobApi()
    job = {'Status': 'Fail', 'CreateTime': odd, 'Error': odd, 'Completed': odd}
    assert job_result(dataworks, job, None)['create_time'] is None or isinstance(odd, (str, int))
    reason = dataworks.failure_reason(job)
    assert reason is None or isinstance(reason, str)


def test_dataworks_error_that_is_an_object_is_quoted_as_json():
    job = {'Status': 'Fail', 'Error': {'Code': 'X', 'Detail': 'node 42'}}
    assert DataWorksJobApi().failure_reason(job) == '{"Code": "X", "Detail": "node 42"}'


@pytest.mark.parametrize('conventions, body', [
    (HuaweiConventions(), lambda code, message: {'error_code': code, 'error_msg': message}),
    (HuaweiConventions(), lambda code, message: {'error': {'code': code, 'message': message}}),
    (AlibabaConventions(), lambda code, message: {'Code': code, 'Message': message}),
], ids=['huawei', 'huawei-nested', 'alibaba'])
@pytest.mark.parametrize('odd, written', [
    (3, '3'), (True, 'true'), (['a', 1], '["a", 1]'), ({'why': 'quota'}, '{"why": "quota"}'),
    # Cut to 2000 characters, the last three of them "...".
    ({'text': 'x' * 3000}, '{"text": "' + 'x' * (2000 - 3 - 10) + '...'),
], ids=['int', 'bool', 'list', 'object', 'long-object'])
def test_error_code_and_message_of_any_type_are_read_as_text(conventions, body, odd, written):
    code, message = conventions.read_error(body(odd, odd))
    assert (code, message) == (written, written)
    # What the client does with them next must work on text.
    assert conventions.hint(403, code, message) is None or isinstance(conventions.hint(403, code, message), str)
    conventions.is_throttled(400, code)


@pytest.mark.parametrize('conventions, data', [
    (HuaweiConventions(), {'request_id': {'id': 'r'}}),
    (AlibabaConventions(), {'RequestId': ['r']}),
], ids=['huawei', 'alibaba'])
def test_a_request_id_that_is_no_text_is_left_out(conventions, data):
    assert conventions.request_id({}, data) is None


# --- the modules, run as Ansible runs them ----------------------------------------------------------

@pytest.fixture(autouse=True)
def _no_pause_between_retries(monkeypatch):
    monkeypatch.setattr(_retry.RetryPolicy, 'pause', lambda self, attempt, server_pause=None: 0.0)


def ecs_args(server, **extra):
    args = dict(endpoint=server.url, project_id='p-1', access_key='AKEXAMPLE', secret_key=SECRET)
    args.update(extra)
    return args


def test_a_query_answered_with_a_number_for_status_fails_clearly_after_the_retries(server, capsys):
    for _dummy in range(6):
        server.add(json_answer(200, {'status': 3, 'job_id': 'j-1'}))
    result = run_module_main(ecs_job_info.main, ecs_args(server, job_id='j-1'), capsys)
    assert result['failed'] is True
    assert "the answer's status is a number (3), not a status name (gave up after 6 attempts)" in result['msg']
    assert 'Unexpected' not in result['msg'] and 'exception' not in result
    assert len(server.requests) == 6


def test_an_odd_status_once_is_asked_again(server, capsys):
    server.add(json_answer(200, {'status': {'name': 'SUCCESS'}}), json_answer(200, {'status': 'SUCCESS'}))
    result = run_module_main(ecs_job_info.main, ecs_args(server, job_id='j-1'), capsys)
    assert result.get('failed') is not True, result.get('msg')
    assert result['status'] == 'SUCCESS' and len(server.requests) == 2


def test_one_odd_job_spoils_only_its_own_entry(server, capsys):
    server.add(json_answer(200, {'status': 'SUCCESS', 'entities': {'server_id': 'srv-1'}}))
    for _dummy in range(6):
        server.add(json_answer(200, {'status': ['SUCCESS']}))
    server.add(json_answer(200, {'status': 'FAIL', 'entities': 'odd', 'fail_reason': {'a': 1}}))
    result = run_module_main(ecs_job_info.main, ecs_args(server, job_ids=['j-1', 'j-2', 'j-3'], concurrency=1), capsys)
    assert result['failed'] is True
    assert [entry['job_id'] for entry in result['jobs']] == ['j-1', 'j-2', 'j-3']
    assert result['counts'] == {'succeeded': 1, 'unknown': 1, 'failed': 1}
    first, odd, third = result['jobs']
    assert first['server_ids'] == ['srv-1'] and 'msg' not in first
    assert "the answer's status is a list" in odd['msg'] and odd['error']['status'] == 200
    assert third['state'] == 'failed' and third['server_ids'] == []
    assert result['msg'].startswith('1 of 3 ECS jobs could not be read: (1) ')
    assert 'Unexpected' not in json.dumps(result)


def test_a_reader_that_raises_spoils_only_that_jobs_entry(server, capsys, monkeypatch):
    # Whatever a reader meets that nobody foresaw: that job's error, the other jobs and the counts stay.
    real_extras = EcsJobApi.extras

    def extras(self, job):
        if job.get('job_id') == 'j-2':
            raise TypeError("'int' object is not iterable")
        return real_extras(self, job)

    monkeypatch.setattr(EcsJobApi, 'extras', extras)
    for job_id in ('j-1', 'j-2'):
        server.add(json_answer(200, {'status': 'SUCCESS', 'job_id': job_id}))
    result = run_module_main(ecs_job_info.main, ecs_args(server, job_ids=['j-1', 'j-2'], concurrency=1), capsys)
    assert result['failed'] is True
    assert result['counts'] == {'succeeded': 1, 'unknown': 1}
    assert result['jobs'][0]['state'] == 'succeeded'
    assert result['jobs'][1]['msg'] == ("Failed to read the answer about ECS job j-2: the answer has a shape this module "
                                        "cannot read (TypeError: 'int' object is not iterable)")
    assert 'please report' not in json.dumps(result)


def test_a_poll_that_raises_spoils_only_that_jobs_entry(server, capsys, monkeypatch):
    monkeypatch.setattr(EcsJobApi, 'read_status', lambda self, job: job['status'] if job.get('job_id') != 'j-1' else job['nope'])
    for job_id in ('j-1', 'j-2'):
        server.add(json_answer(200, {'status': 'SUCCESS', 'job_id': job_id}))
    result = run_module_main(ecs_job_info.main, ecs_args(server, job_ids=['j-1', 'j-2'], concurrency=1), capsys)
    assert result['counts'] == {'unknown': 1, 'succeeded': 1}
    assert "cannot read (KeyError: 'nope')" in result['jobs'][0]['msg']


def test_dataworks_error_message_that_is_an_object_is_quoted(server, capsys):
    server.add(json_answer(400, {'RequestId': 'r-1', 'Code': 'Invalid.Param', 'Message': {'reason': 'bad JobId'}}))
    args = dict(endpoint=server.url, access_key='AKEXAMPLE', secret_key=SECRET, job_id='j-1')
    result = run_module_main(dataworks_job_info.main, args, capsys)
    assert result['failed'] is True
    assert 'error code Invalid.Param: {"reason": "bad JobId"} (request id r-1)' in result['msg']
    assert result['error']['message'] == '{"reason": "bad JobId"}'
