# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller side: progress lines, and when the action runs the task itself or starts the module."""

from unittest.mock import MagicMock

import pytest

from ansible_collections.jobwatch.cloud.plugins.action.ecs_job_info import ActionModule
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import JobWatch, WaitGoal
from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.plugins.plugin_utils._job_action import Progress, duration
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import FakeClock


@pytest.mark.parametrize('seconds, text', [(0, '0.0s'), (9.46, '9.5s'), (59.9, '59.9s'), (60, '1m00s'), (252, '4m12s'),
                                           (3599, '59m59s'), (3600, '1h00m'), (3720, '1h02m')])
def test_duration_reads_like_a_person_says_it(seconds, text):
    assert duration(seconds) == text


def seen(watch, status, elapsed):
    entry = dict(status=status, elapsed=elapsed)
    watch.history.append(entry)
    watch.seen = elapsed
    return entry


def test_one_job_gets_a_line_per_change_naming_the_step():
    lines = []
    progress = Progress('ecs_job_info', 'web1', 1, out=lines.append)
    watch = JobWatch('2c9eb2c5', WaitGoal(EcsJobApi()))
    progress(watch, seen(watch, 'RUNNING', 0.02))
    progress(watch, seen(watch, 'SUCCESS', 252.4))
    assert lines == ['web1: ecs_job_info | job 2c9eb2c5 is RUNNING after 0.0s',
                     'web1: ecs_job_info | job 2c9eb2c5 RUNNING -> SUCCESS after 4m12s']


def test_many_jobs_get_a_summary_at_most_every_ten_seconds_and_a_last_one():
    lines = []
    clock = FakeClock()
    progress = Progress('ecs_job_info', 'localhost', 12, out=lines.append, clock=clock)
    watches = [JobWatch('job-%d' % number, WaitGoal(EcsJobApi())) for number in range(12)]
    progress(watches[0], seen(watches[0], 'RUNNING', 0.1))
    assert lines == ['localhost: ecs_job_info | 12 jobs after 0.1s: 1 running when last asked (0.0s ago at most); 11 not asked yet']
    for watch in watches[1:]:
        progress(watch, seen(watch, 'RUNNING', 0.1))
    clock.advance(3)
    progress(watches[0], seen(watches[0], 'SUCCESS', 3))
    clock.advance(4)
    progress(watches[1], seen(watches[1], 'FAIL', 7))
    assert len(lines) == 1
    clock.advance(7)
    # job-3 was asked again at 12 s (still running, so no change to report); job-4..11 last at 0.1 s.
    watches[3].seen = 12
    progress(watches[2], seen(watches[2], 'SUCCESS', 14))
    assert len(lines) == 2
    assert lines[-1] == ('localhost: ecs_job_info | 12 jobs after 14.0s: 1 failed, 2 succeeded; '
                         '9 running when last asked (13.9s ago at most)')
    # The change that ends the last job is always shown, however soon after the one before.
    for watch in watches[3:]:
        progress(watch, seen(watch, 'SUCCESS', 15))
    assert len(lines) == 3 and lines[-1] == 'localhost: ecs_job_info | 12 jobs after 15.0s: 1 failed, 11 succeeded'


def action(transport, args, task_vars=None, async_val=0):
    task = MagicMock()
    task.args = args
    task.async_val = async_val
    task.no_log = False
    task.environment = []
    task.check_mode = False
    connection = MagicMock()
    connection.transport = transport
    plugin = ActionModule(task, connection, MagicMock(), MagicMock(), MagicMock(), MagicMock())
    return plugin


@pytest.mark.parametrize('transport, async_val, progress_var, expected', [
    ('local', 0, None, True),
    ('ssh', 0, None, False),
    ('local', 30, None, False),
    ('local', 0, False, False),
    ('local', 0, 'no', False),
])
def test_the_task_runs_on_the_controller_only_for_local_synchronous_tasks(transport, async_val, progress_var, expected):
    task_vars = {} if progress_var is None else {'jobwatch_progress': progress_var}
    assert action(transport, {}, async_val=async_val)._runs_here(task_vars) is expected
