# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Callback used by ``make bench`` only: when each task started and returned, one JSON line each.

Enabled through ANSIBLE_CALLBACK_PLUGINS / ANSIBLE_CALLBACKS_ENABLED by hacking/bench; writes
to the file named by JOBWATCH_BENCH_TIMES. "Returned" is the moment the controller has the
task's final result (after every loop item and ``until`` retry). "unfinished" counts the jobs the
task did not see end: the module's ``jobs`` not ``finished``, or the loop items whose last answer
had no final ECS status (null when the result says neither, e.g. a module that failed as a whole).
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

# ECS job statuses after which a job does not move any more (the loop baseline's until: condition).
FINAL_STATUSES = ('SUCCESS', 'FAIL')

DOCUMENTATION = '''
name: jobwatch_bench_times
type: aggregate
short_description: Task start and return times for hacking/bench
description:
  - Appends one JSON line per finished task to the file named by E(JOBWATCH_BENCH_TIMES).
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'jobwatch_bench_times'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get('JOBWATCH_BENCH_TIMES')
        self._started = {}
        self._retries = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = time.time()  # pylint: disable=protected-access

    def v2_runner_retry(self, result):
        key = result._task._uuid  # pylint: disable=protected-access
        self._retries[key] = self._retries.get(key, 0) + 1

    def _write(self, result, outcome):
        returned = time.time()
        task = result._task  # pylint: disable=protected-access
        answer = result._result  # pylint: disable=protected-access
        entry = dict(task=task.get_name(), outcome=outcome, started=self._started.get(task._uuid),  # pylint: disable=protected-access
                     returned=returned, retries=self._retries.get(task._uuid, 0),  # pylint: disable=protected-access
                     polls=answer.get('polls'), elapsed=answer.get('elapsed'), items=len(answer.get('results') or []),
                     unfinished=_unfinished(answer), msg=str(answer.get('msg') or '')[:500] or None)
        if self._path:
            with open(self._path, 'a', encoding='utf-8') as handle:
                handle.write(json.dumps(entry) + '\n')

    def v2_runner_on_ok(self, result):
        self._write(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._write(result, 'skipped')


def _unfinished(answer):
    """Jobs the task did not see end, or None when its result says nothing about single jobs."""
    jobs = answer.get('jobs')
    if isinstance(jobs, list) and jobs:
        return sum(1 for job in jobs if not (isinstance(job, dict) and job.get('finished')))
    items = answer.get('results')
    if isinstance(items, list) and items:
        return sum(1 for item in items if not _final(item))
    return None


def _final(item):
    body = item.get('json') if isinstance(item, dict) else None
    return item.get('status') == 200 and isinstance(body, dict) and body.get('status') in FINAL_STATUSES
