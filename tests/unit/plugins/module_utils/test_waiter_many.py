# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting on many jobs: per-job schedules, the worker bound, errors kept to their job, one query each."""

import threading
import time

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import (
    REACHED, TIMED_OUT, UNREACHABLE, JobWatch, WaitGoal, Waiter, adaptive_pause)
from ansible_collections.jobwatch.cloud.plugins.modules.ecs_job_info import EcsJobApi
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import FakeClock

GOAL = WaitGoal(EcsJobApi())


class Jobs(object):
    """Jobs that end at given seconds after the start (None: never), as a poll(job_id, deadline)."""

    def __init__(self, clock, ends, failing=(), broken=(), hold=0.0):
        self.clock = clock
        self.hold = hold
        self.start = clock()
        self.ends = ends
        self.failing = failing
        self.broken = broken
        self.polls = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0

    def __call__(self, job_id, deadline):
        with self.lock:
            self.polls.append((job_id, self.clock() - self.start))
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.hold:
                # Hold the worker for a moment, so that concurrent polls overlap for real.
                time.sleep(self.hold)
            if job_id in self.broken:
                raise JobwatchError('query ECS job %s' % job_id, 'the job is gone', status=404, code='Common.0011')
            end = self.ends[job_id]
            if end is None or self.clock() - self.start < end:
                return 'RUNNING', {'job_id': job_id}
            return ('FAIL' if job_id in self.failing else 'SUCCESS'), {'job_id': job_id}
        finally:
            with self.lock:
                self.in_flight -= 1

    def polls_of(self, job_id):
        return [moment for polled, moment in self.polls if polled == job_id]


def watch_all(waiter, jobs, ids):
    watches = [JobWatch(job_id, GOAL) for job_id in ids]
    waiter.watch(jobs, watches)
    return dict((watch.job_id, watch) for watch in watches)


def test_each_job_keeps_its_own_adaptive_schedule():
    clock = FakeClock()
    jobs = Jobs(clock, {'short': 3, 'long': 40})
    watches = watch_all(Waiter(600, clock=clock, sleep=clock.sleep), jobs, ['short', 'long'])
    assert watches['short'].verdict == REACHED and watches['long'].verdict == REACHED
    # Both follow the same adaptive schedule from the task's start, independently of each other.
    assert jobs.polls_of('short') == [0.0, 1.0, 2.0, 3.0]
    long_polls = jobs.polls_of('long')
    assert long_polls[:4] == [0.0, 1.0, 2.0, 3.0]
    for before, after in zip(long_polls, long_polls[1:]):
        assert after - before == pytest.approx(adaptive_pause(before))
    assert long_polls[-2] < 40 <= long_polls[-1]
    assert watches['long'].polls == len(long_polls)
    assert watches['short'].elapsed == 3.0


def test_the_timeout_is_shared_by_all_jobs():
    clock = FakeClock()
    jobs = Jobs(clock, {'done': 2, 'never': None, 'late': 500})
    watches = watch_all(Waiter(30, clock=clock, sleep=clock.sleep), jobs, ['done', 'never', 'late'])
    assert watches['done'].verdict == REACHED
    assert watches['never'].verdict == TIMED_OUT and watches['late'].verdict == TIMED_OUT
    # The last poll of a job still waiting lands on the deadline, not beyond it.
    assert jobs.polls_of('never')[-1] == pytest.approx(30.0)
    assert max(moment for dummy, moment in jobs.polls) <= 30.0


def test_an_error_ends_only_its_own_job():
    clock = FakeClock()
    jobs = Jobs(clock, {'good': 2, 'gone': 2, 'bad': 1}, failing=('bad',), broken=('gone',))
    watches = watch_all(Waiter(60, clock=clock, sleep=clock.sleep), jobs, ['good', 'gone', 'bad'])
    assert watches['good'].verdict == REACHED and watches['good'].status == 'SUCCESS'
    assert watches['gone'].error is not None and watches['gone'].verdict is None
    assert 'Common.0011' in str(watches['gone'].error)
    # A job that is gone is reported once, not polled again until the timeout.
    assert len(jobs.polls_of('gone')) == 1
    assert watches['bad'].verdict == REACHED and watches['bad'].status == 'FAIL'


def test_once_asks_each_job_a_single_time_without_sleeping():
    clock = FakeClock()
    jobs = Jobs(clock, {'a': 10, 'b': 0, 'c': None})
    watches = watch_all(Waiter(600, clock=clock, sleep=clock.sleep, once=True), jobs, ['a', 'b', 'c'])
    assert sorted(job_id for job_id, dummy in jobs.polls) == ['a', 'b', 'c']
    assert clock.sleeps == []
    assert [watches[job_id].status for job_id in 'abc'] == ['RUNNING', 'SUCCESS', 'RUNNING']


def test_once_passes_no_deadline_so_retries_are_bounded_by_the_policy_only():
    clock = FakeClock()
    seen = []
    watches = [JobWatch('a', GOAL)]

    def poll(job_id, deadline):
        seen.append(deadline)
        return 'RUNNING', {}

    Waiter(600, clock=clock, sleep=clock.sleep, once=True).watch(poll, watches)
    assert seen == [None]


def test_an_unreachable_goal_ends_that_job_only():
    clock = FakeClock()
    jobs = Jobs(clock, {'bad': 1, 'good': 3}, failing=('bad',))
    goal = WaitGoal(EcsJobApi(), ['SUCCESS'])
    watches = [JobWatch('bad', goal), JobWatch('good', goal)]
    Waiter(60, clock=clock, sleep=clock.sleep).watch(jobs, watches)
    assert watches[0].verdict == UNREACHABLE and watches[1].verdict == REACHED


def test_changes_are_reported_with_their_job():
    clock = FakeClock()
    seen = []
    jobs = Jobs(clock, {'a': 1, 'b': 2})
    Waiter(60, clock=clock, sleep=clock.sleep, on_change=lambda watch, entry: seen.append((watch.job_id, entry['status']))).watch(
        jobs, [JobWatch('a', GOAL), JobWatch('b', GOAL)])
    assert seen == [('a', 'RUNNING'), ('b', 'RUNNING'), ('a', 'SUCCESS'), ('b', 'SUCCESS')]


# --- the worker pool, on the real clock (nothing here asserts how long anything took) ----------------------

@pytest.mark.parametrize('workers', [1, 3, 8])
def test_no_more_polls_in_flight_than_workers_and_every_job_ends_once(workers):
    ids = ['job-%02d' % number for number in range(40)]
    # Half the jobs end at once, the others after a second pause; a few fail, two are gone.
    ends = dict((job_id, 0 if number % 2 else 0.5) for number, job_id in enumerate(ids))
    jobs = Jobs(time.monotonic, ends, failing=ids[:3], broken=ids[-2:], hold=0.01)
    watches = [JobWatch(job_id, GOAL) for job_id in ids]
    Waiter(60, interval=0.5, workers=workers).watch(jobs, watches)
    assert jobs.most_in_flight <= workers
    if workers > 1:
        assert jobs.most_in_flight > 1
    assert all(watch.done for watch in watches)
    assert [watch.job_id for watch in watches if watch.error is not None] == ids[-2:]
    assert sorted(watch.job_id for watch in watches if watch.status == 'FAIL') == ids[:3]
    # Every job that was not gone was polled until it ended, and never again afterwards.
    for watch in watches:
        if watch.error is None:
            assert len(jobs.polls_of(watch.job_id)) == watch.polls
            assert watch.history[-1]['status'] == watch.status


def test_pooled_waits_share_the_deadline():
    ids = ['a', 'b', 'c', 'd']
    jobs = Jobs(time.monotonic, {'a': 0, 'b': None, 'c': None, 'd': 0}, hold=0.01)
    watches = [JobWatch(job_id, GOAL) for job_id in ids]
    Waiter(1, interval=0.2, workers=2).watch(jobs, watches)
    assert [watch.verdict for watch in watches] == [REACHED, TIMED_OUT, TIMED_OUT, REACHED]
