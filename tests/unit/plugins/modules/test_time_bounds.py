# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_timeout bounds the whole task (look-ups, logins, hung requests), on the real clock.

The module runs as Ansible runs it against a scripted server whose hung requests are held 20 s
(far past every bound here): a bound that does not hold shows as a task that takes too long.
"""

import time

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import LAST_LOOK_SECONDS
from ansible_collections.jobwatch.cloud.plugins.modules import ecs_job_info
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import json_answer, slow

JOB_IDS = ['%032x' % number for number in range(1, 7)]
SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY'
# Starting Python, Ansible's argument checks and the first connection: seconds on a loaded machine.
OVERHEAD = 1.5


def run_timed(args, capsys):
    began = time.monotonic()
    result = run_module_main(ecs_job_info.main, args, capsys)
    return result, time.monotonic() - began


def module_args(server, **extra):
    args = dict(region='cn-north-4', endpoint=server.url, iam_endpoint=server.url, project_id='p-1',
                access_key='AKEXAMPLE', secret_key=SECRET, job_id=JOB_IDS[0], timeout=30, wait=True, wait_timeout=1)
    args.update(extra)
    return {key: value for key, value in args.items() if value is not None}


def job(job_id, status='SUCCESS'):
    return json_answer(200, {'status': status, 'job_id': job_id})


@pytest.mark.parametrize('hung, extra', [
    pytest.param('/v3/projects', dict(project_id=None), id='project-lookup'),
    pytest.param('/v3/auth/tokens', dict(access_key=None, secret_key=None, user_name='alice', password='pa55', domain_name='example'),
                 id='password-login'),
])
def test_what_comes_before_the_first_poll_counts_against_wait_timeout(server, capsys, hung, extra):
    server.route(hung, slow())
    result, took = run_timed(module_args(server, **extra), capsys)
    assert result['failed'] is True
    assert 'before the deadline' in result['msg']
    assert took < 1 + OVERHEAD
    assert 'pa55' not in str(result) and SECRET not in str(result)


def test_a_hung_job_holds_the_task_no_longer_than_wait_timeout(server, capsys):
    server.route('/v1/p-1/jobs/', slow())
    result, took = run_timed(module_args(server, wait_timeout=2), capsys)
    assert result['failed'] is True and 'Timed out after 2 s' in result['msg']
    assert took < 2 + LAST_LOOK_SECONDS + OVERHEAD


def test_hung_jobs_queued_behind_each_other_share_one_wait_timeout(server, capsys):
    # One worker; the first job runs, then none answers any more. The last look at the deadline
    # asks all four: not four timeouts in a row, one bound for all.
    server.route('/v1/p-1/jobs/%s' % JOB_IDS[0], job(JOB_IDS[0], 'RUNNING'), slow())
    server.route('/v1/p-1/jobs/', slow())
    result, took = run_timed(module_args(server, job_id=None, job_ids=JOB_IDS[:4], concurrency=1, timeout=3, wait_timeout=2,
                                         wait_interval=5), capsys)
    assert result['failed'] is True and result['counts'] == {'running': 1, 'unknown': 3}
    assert took < 2 + LAST_LOOK_SECONDS + OVERHEAD


def test_a_refused_retry_after_stalls_no_other_job(server, capsys):
    # One job's gateway asks to come back in a day: that job fails saying so, the others are
    # not held back by a pause that was never going to be waited for.
    refused, others = JOB_IDS[0], JOB_IDS[1:]
    server.route('/v1/p-1/jobs/%s' % refused, json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'slow down'},
                                                          headers={'Retry-After': '99999'}))
    for job_id in others:
        server.route('/v1/p-1/jobs/%s' % job_id, job(job_id))
    result, took = run_timed(module_args(server, job_id=None, job_ids=JOB_IDS, concurrency=2, wait_timeout=60), capsys)
    assert took < 5.0
    jobs = {entry['job_id']: entry for entry in result['jobs']}
    assert [jobs[job_id]['status'] for job_id in others] == ['SUCCESS'] * len(others)
    assert 'the server asked to come back after 99999 s' in jobs[refused]['msg']
    # The refused answer was asked once: refusing it is no reason to ask again.
    assert sum(1 for request in server.requests if refused in request.path) == 1
