# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting on many jobs: one lead on the schedule and sweeps (the request floor), the worker bound,
errors kept to their job, one query each."""

import math
import random
import threading
import time

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import (
    REACHED, TIMED_OUT, UNREACHABLE, JobWatch, WaitGoal, Waiter, adaptive_pause)
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import FakeClock

GOAL = WaitGoal(EcsJobApi())


class Jobs:
    """Jobs that end at given seconds after the start (None: never), as a poll(job_id, deadline)."""

    def __init__(self, clock, ends, failing=(), broken=(), hold=0.0, gone_after=None):
        self.clock = clock
        self.hold = hold
        self.start = clock()
        self.ends = ends
        self.failing = failing
        self.broken = broken
        self.gone_after = gone_after or {}  # job id -> polls it answers before it is deleted
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
            if job_id in self.broken or len(self.polls_of(job_id)) > self.gone_after.get(job_id, math.inf):
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
    return {watch.job_id: watch for watch in watches}


def schedule_polls(length):
    """Polls one job of ``length`` seconds needs on the adaptive schedule from the wait's start."""
    moment, polls = 0.0, 1
    while moment < length:
        moment += adaptive_pause(moment)
        polls += 1
    return polls


def test_one_running_job_is_asked_on_the_schedule_and_the_next_only_when_it_ends():
    clock = FakeClock()
    jobs = Jobs(clock, {'short': 3, 'long': 40})
    watches = watch_all(Waiter(600, clock=clock, sleep=clock.sleep), jobs, ['short', 'long'])
    assert watches['short'].verdict == REACHED and watches['long'].verdict == REACHED
    # The first job leads on the adaptive schedule; the second is not asked while the first runs.
    assert jobs.polls_of('short') == [0.0, 1.0, 2.0, 3.0]
    long_polls = jobs.polls_of('long')
    assert long_polls[0] == 3.0
    # ... then it leads, on the same schedule (the pause grows with the time the task has waited).
    for before, after in zip(long_polls, long_polls[1:]):
        assert after - before == pytest.approx(adaptive_pause(before))
    assert long_polls[-2] < 40 <= long_polls[-1]
    assert watches['long'].polls == len(long_polls)
    assert watches['short'].elapsed == 3.0
    # The task returned within the lateness bound of the last job's end.
    assert watches['long'].elapsed - 40 <= max(1.0, 0.1 * 40)


def spread(count, shortest=5.0, longest=30.0):
    return [shortest + (longest - shortest) * index / max(1, count - 1) for index in range(count)]


@pytest.mark.parametrize('count', [1, 10, 100])
@pytest.mark.parametrize('order', ['shuffled', 'ending first to last', 'ending last to first'])
def test_a_many_job_wait_costs_about_one_request_per_job_plus_one_schedule(count, order):
    clock = FakeClock()
    lengths = spread(count)
    if order == 'shuffled':
        random.Random(count).shuffle(lengths)
    elif order == 'ending last to first':
        lengths.reverse()
    ids = ['job-%03d' % index for index in range(count)]
    jobs = Jobs(clock, dict(zip(ids, lengths)))
    watches = watch_all(Waiter(600, clock=clock, sleep=clock.sleep, workers=8), jobs, ids)
    assert all(watch.verdict == REACHED and watch.status == 'SUCCESS' for watch in watches.values())
    for job_id in ids:
        # Every job is seen finished by its last request, and never asked after that.
        assert watches[job_id].polls == len(jobs.polls_of(job_id)) >= 1
    total, longest = len(jobs.polls), max(lengths)
    # Each job once, one schedule, one "still running" answer per lead (a lead changes only at a
    # poll of the schedule), and a few more where a sweep's batch met running jobs.
    assert total <= count + 3 * schedule_polls(longest)
    if order == 'ending last to first':
        # The first job outlives every other: it leads throughout, and each other job is asked once.
        assert total == count - 1 + schedule_polls(longest)
    if count == 100 and order == 'shuffled':
        assert total <= 1.5 * count
    ended = max(watch.elapsed for watch in watches.values())
    assert longest <= ended <= longest + max(1.0, 0.1 * longest)


def test_a_failing_and_a_deleted_job_among_many_keep_their_meaning():
    clock = FakeClock()
    ends = {'job-%02d' % index: length for index, length in enumerate(spread(10, 2, 20))}
    jobs = Jobs(clock, ends, failing=('job-03',), gone_after={'job-07': 1})
    ids = sorted(ends)
    # job-07 is seen once while job-00..06 run, then deleted: it is asked again when it comes up.
    jobs.ends['job-07'] = 50
    watches = watch_all(Waiter(600, clock=clock, sleep=clock.sleep, workers=4), jobs, ids)
    assert watches['job-03'].verdict == REACHED and watches['job-03'].status == 'FAIL'
    assert watches['job-07'].error is not None and 'Common.0011' in str(watches['job-07'].error)
    assert len(jobs.polls_of('job-07')) == 2
    assert [job_id for job_id in ids if watches[job_id].status == 'SUCCESS'] == [job_id for job_id in ids if job_id not in ('job-03', 'job-07')]


def test_wait_for_with_leads_to_is_judged_per_job():
    """DataArts real-time jobs: NORMAL is reached; EXCEPTION can only lead to a stop, so it cannot reach NORMAL."""
    clock = FakeClock()
    api = DataArtsJobApi()
    goal = WaitGoal(api, ['normal'])
    timelines = {'a': [('STARTING', 0), ('NORMAL', 4)], 'b': [('STARTING', 0), ('EXCEPTION', 2)], 'c': [('STARTING', 0), ('NORMAL', 9)]}

    def poll(job_id, deadline):
        moment = clock() - 1000.0
        return [status for status, at in timelines[job_id] if at <= moment][-1], {}

    watches = [JobWatch(job_id, goal) for job_id in 'abc']
    Waiter(60, clock=clock, sleep=clock.sleep).watch(poll, watches)
    assert [(watch.verdict, watch.status) for watch in watches] == [(REACHED, 'NORMAL'), (UNREACHABLE, 'EXCEPTION'), (REACHED, 'NORMAL')]
    assert watches[2].elapsed <= 9 + 1.0


def test_a_timed_out_many_job_wait_looks_at_every_job_left_once_more_before_the_deadline():
    clock = FakeClock()
    # 'stuck' leads and never ends; the others end early but are only seen when it ends or at the last look.
    jobs = Jobs(clock, {'stuck': None, 'b': 1, 'c': 2, 'd': 25})
    watches = watch_all(Waiter(20, clock=clock, sleep=clock.sleep, workers=2), jobs, ['stuck', 'b', 'c', 'd'])
    assert watches['stuck'].verdict == TIMED_OUT
    assert [watches[job_id].verdict for job_id in 'bcd'] == [REACHED, REACHED, TIMED_OUT]
    assert [len(jobs.polls_of(job_id)) for job_id in 'bcd'] == [1, 1, 1]
    assert watches['d'].status == 'RUNNING' and watches['d'].seen == pytest.approx(20.0)
    assert max(moment for dummy, moment in jobs.polls) <= 20.0


def test_a_transient_failure_at_the_deadline_is_a_timeout_not_a_job_error():
    clock = FakeClock()
    failure = JobwatchError('query ECS job a', 'throttled', status=429, code='APIG.0308', transient=True, throttled=True)

    def poll(job_id, deadline):
        if clock() - 1000.0 >= 5:
            clock.advance(max(0.0, deadline - clock()))
            raise failure
        return 'RUNNING', {}

    watches = [JobWatch('a', GOAL)]
    Waiter(30, clock=clock, sleep=clock.sleep).watch(poll, watches)
    assert watches[0].verdict == TIMED_OUT and watches[0].error is None
    assert watches[0].failure is failure and watches[0].status == 'RUNNING'


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
    # 'b' is first asked once 'a' has ended.
    assert seen == [('a', 'RUNNING'), ('a', 'SUCCESS'), ('b', 'RUNNING'), ('b', 'SUCCESS')]


# --- the worker pool, on the real clock (nothing here asserts how long anything took) ----------------------

@pytest.mark.parametrize('workers', [1, 3, 8])
def test_no_more_polls_in_flight_than_workers_and_every_job_ends_once(workers):
    ids = ['job-%02d' % number for number in range(40)]
    # Half the jobs end at once, the others after a second pause; a few fail, two are gone.
    ends = {job_id: 0 if number % 2 else 0.5 for number, job_id in enumerate(ids)}
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
