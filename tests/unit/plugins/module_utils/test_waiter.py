# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiter (pauses, deadline, history) and WaitGoal (which statuses end a wait), on a fake clock."""

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import BLOCKED, FAILED, JobApi, PENDING, RUNNING, STOPPED
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import (
    LAST_LOOK_SECONDS, REACHED, TIMED_OUT, UNREACHABLE, WaitGoal, adaptive_pause)
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.doubles import SingleJobWaiter


class StreamingApi(JobApi):
    """Like DataArts real-time jobs: the goal after a start (NORMAL) is not a finished status."""

    noun = 'streaming job'
    statuses = {
        'STARTING': (PENDING, False),
        'NORMAL': (RUNNING, False),
        'STOPPING': (RUNNING, False),
        'EXCEPTION': (FAILED, True),
        'STOPPED': (STOPPED, True),
        'PAUSED_BY_ADMIN': (BLOCKED, True),
    }


class SteadyStateApi(JobApi):
    """A real-time job whose steady states are final yet can still move on (``leads_to``)."""

    noun = 'real-time job'
    statuses = {
        'STARTING': (PENDING, False),
        'NORMAL': (RUNNING, True),
        'EXCEPTION': (FAILED, True),
        'STOPPING': (RUNNING, False),
        'STOPPED': (STOPPED, True),
    }
    leads_to = {'NORMAL': ('EXCEPTION', 'STOPPING', 'STOPPED'), 'EXCEPTION': ('STOPPING', 'STOPPED')}


class Timeline:
    """A job whose status follows ``[(seconds since start, status), ...]`` on the fake clock."""

    def __init__(self, clock, steps, poll_cost=0.0):
        self.clock = clock
        self.start = clock.now
        self.steps = steps
        self.poll_cost = poll_cost
        self.deadlines = []

    def __call__(self, deadline):
        self.deadlines.append(deadline)
        elapsed = self.clock.now - self.start
        status = [status for moment, status in self.steps if moment <= elapsed][-1]
        self.clock.advance(self.poll_cost)
        return status, {'status': status, 'seen_at': elapsed}


def run(clock, steps, goal, timeout=600, interval=None, poll_cost=0.0, on_change=None):
    waiter = SingleJobWaiter(timeout, interval, clock=clock, sleep=clock.sleep, on_change=on_change)
    timeline = Timeline(clock, steps, poll_cost)
    verdict, status, payload = waiter.run(timeline, goal)
    return waiter, timeline, verdict, status, payload


@pytest.fixture(name='clock_start')
def _clock_start():
    return 5000.0


@pytest.mark.parametrize('elapsed, pause', [(0, 1.0), (5, 1.0), (10, 1.0), (50, 5.0), (123.4, 12.34), (299, 29.9),
                                            (300, 30.0), (86400, 30.0)])
def test_adaptive_pause_is_a_tenth_of_the_wait_between_1_and_30_s(elapsed, pause):
    assert adaptive_pause(elapsed) == pytest.approx(pause)


def test_adaptive_pauses_start_at_one_second_grow_and_are_capped(clock):
    waiter, _timeline, verdict, _status, _payload = run(clock, [(0, 'RUNNING')], WaitGoal(EcsJobApi()), timeout=1200)
    assert verdict == TIMED_OUT
    elapsed = 0.0
    for pause in clock.sleeps[:-1]:  # the last one is cut to land on the deadline
        assert pause == pytest.approx(min(30.0, max(1.0, 0.1 * elapsed)))
        elapsed += pause
    assert clock.sleeps[:10] == [1.0] * 10
    assert max(clock.sleeps) == 30.0
    assert clock.sleeps == sorted(clock.sleeps[:-1]) + clock.sleeps[-1:]
    # Polls grow with the log of the wait (then linearly once capped): 20 minutes in well under 100 polls.
    assert waiter.polls < 100


@pytest.mark.parametrize('ends_at', [0.3, 4.0, 9.5, 10.0, 33.3, 123.4, 299.0, 301.0, 555.5])
def test_adaptive_wait_overshoots_the_end_of_the_job_by_at_most_10_percent_or_1_s(clock, ends_at):
    start = clock.now
    _waiter, _timeline, verdict, status, _payload = run(clock, [(0, 'RUNNING'), (ends_at, 'SUCCESS')], WaitGoal(EcsJobApi()))
    waited = clock.now - start
    assert (verdict, status) == (REACHED, 'SUCCESS')
    assert ends_at <= waited <= ends_at + min(30.0, max(1.0, 0.1 * ends_at)) + 1e-9


def test_fixed_interval(clock):
    waiter, timeline, verdict, _status, _payload = run(clock, [(0, 'INIT'), (12, 'SUCCESS')], WaitGoal(EcsJobApi()), interval=5)
    assert verdict == REACHED
    assert clock.sleeps == [5, 5, 5]
    assert waiter.polls == 4 == len(timeline.deadlines)


def test_last_pause_is_cut_to_land_on_the_deadline(clock):
    start = clock.now
    waiter, timeline, verdict, status, payload = run(clock, [(0, 'INIT'), (3, 'RUNNING')], WaitGoal(EcsJobApi()),
                                                     timeout=10, interval=4)
    assert clock.sleeps == [4, 4, 2]
    assert clock.now == start + 10
    assert (verdict, status) == (TIMED_OUT, 'RUNNING')
    assert payload == {'status': 'RUNNING', 'seen_at': 10}
    assert waiter.polls == 4
    # The last look (at the deadline) has a little time past it; the polls before it end by the deadline.
    assert timeline.deadlines == [start + 10] * 3 + [start + 10 + LAST_LOOK_SECONDS]


def test_adaptive_last_pause_is_cut_too(clock):
    _waiter, _timeline, verdict, _status, _payload = run(clock, [(0, 'RUNNING')], WaitGoal(EcsJobApi()), timeout=2.5)
    assert verdict == TIMED_OUT
    assert clock.sleeps == [1.0, 1.0, 0.5]


def test_slow_polls_never_make_a_negative_pause(clock):
    # Each poll takes 4 s (retries inside it): after the second poll the deadline has passed.
    waiter, _timeline, verdict, _status, _payload = run(clock, [(0, 'RUNNING')], WaitGoal(EcsJobApi()),
                                                        timeout=10, interval=5, poll_cost=4)
    assert verdict == TIMED_OUT
    assert clock.sleeps == [5]
    assert waiter.polls == 2


def test_history_records_only_changes_with_the_time_first_seen(clock):
    changes = []
    waiter, _timeline, verdict, _status, _payload = run(
        clock, [(0, 'INIT'), (2.5, 'RUNNING'), (4, 'INIT'), (5, 'RUNNING'), (6, 'SUCCESS')], WaitGoal(EcsJobApi()),
        interval=1, on_change=changes.append)
    assert verdict == REACHED
    assert waiter.history == [
        {'status': 'INIT', 'elapsed': 0.0}, {'status': 'RUNNING', 'elapsed': 3.0}, {'status': 'INIT', 'elapsed': 4.0},
        {'status': 'RUNNING', 'elapsed': 5.0}, {'status': 'SUCCESS', 'elapsed': 6.0}]
    assert changes == waiter.history
    assert waiter.polls == 7


def test_elapsed_before_and_after_a_run(clock):
    waiter = SingleJobWaiter(60, clock=clock, sleep=clock.sleep)
    assert waiter.elapsed == 0.0 and waiter.history == [] and waiter.polls == 0
    waiter.run(Timeline(clock, [(0, 'RUNNING'), (2, 'SUCCESS')]), WaitGoal(EcsJobApi()))
    clock.advance(0.25)
    assert waiter.elapsed == 2.25


def test_a_poll_error_ends_the_wait_and_keeps_what_was_seen(clock):
    waiter = SingleJobWaiter(60, clock=clock, sleep=clock.sleep)
    answers = iter(['INIT', 'RUNNING'])

    def poll(deadline):
        status = next(answers, None)
        if status is None:
            raise JobwatchError('query ECS job j1', 'no answer', status=503)
        return status, {}

    with pytest.raises(JobwatchError):
        waiter.run(poll, WaitGoal(EcsJobApi()))
    assert waiter.polls == 2
    assert [entry['status'] for entry in waiter.history] == ['INIT', 'RUNNING']
    assert waiter.elapsed == 2.0


def test_default_goal_is_any_finished_status_but_blocked_ones():
    assert WaitGoal(EcsJobApi()).targets == frozenset(['SUCCESS', 'FAIL'])
    assert WaitGoal(StreamingApi()).targets == frozenset(['EXCEPTION', 'STOPPED'])
    assert not WaitGoal(EcsJobApi()).explicit


@pytest.mark.parametrize('wait_for, status, verdict', [
    (None, 'SUCCESS', REACHED),
    (None, 'FAIL', REACHED),  # the job is over; whether that fails the task is the module's call
    (None, 'RUNNING', None),
    (None, 'INIT', None),
    (None, 'PENDING_PAYMENT', UNREACHABLE),
    (['SUCCESS'], 'FAIL', UNREACHABLE),
    (['SUCCESS'], 'PENDING_PAYMENT', UNREACHABLE),
    (['FAIL'], 'SUCCESS', UNREACHABLE),
    (['RUNNING'], 'INIT', None),
    (['RUNNING'], 'RUNNING', REACHED),
    (['RUNNING'], 'SUCCESS', UNREACHABLE),
    (['PENDING_PAYMENT'], 'PENDING_PAYMENT', REACHED),
    (['SUCCESS'], 'success', REACHED),
    (['SUCCESS'], 'MIGRATING', None),  # a status the module does not know is taken as still running
])
def test_ecs_verdicts(wait_for, status, verdict):
    assert WaitGoal(EcsJobApi(), wait_for).verdict(status) == verdict


@pytest.mark.parametrize('wait_for, status, verdict', [
    (['NORMAL'], 'STARTING', None),
    (['NORMAL'], 'NORMAL', REACHED),
    (['NORMAL'], 'EXCEPTION', UNREACHABLE),
    (['NORMAL'], 'STOPPED', UNREACHABLE),
    (['STOPPED'], 'STOPPING', None),
    (None, 'NORMAL', None),
    (None, 'PAUSED_BY_ADMIN', UNREACHABLE),
])
def test_streaming_verdicts(wait_for, status, verdict):
    assert WaitGoal(StreamingApi(), wait_for).verdict(status) == verdict


def test_waiting_for_success_ends_at_once_on_failure(clock):
    waiter, _timeline, verdict, status, _payload = run(clock, [(0, 'RUNNING'), (3, 'FAIL'), (9, 'SUCCESS')],
                                                       WaitGoal(EcsJobApi(), ['SUCCESS']), interval=1)
    assert (verdict, status) == (UNREACHABLE, 'FAIL')
    assert waiter.polls == 4


@pytest.mark.parametrize('wait_for', [None, ['SUCCESS'], ['success', 'fail']])
def test_pending_payment_ends_the_wait_at_once(clock, wait_for):
    waiter, _timeline, verdict, status, _payload = run(clock, [(0, 'PENDING_PAYMENT')], WaitGoal(EcsJobApi(), wait_for))
    assert (verdict, status) == (UNREACHABLE, 'PENDING_PAYMENT')
    assert waiter.polls == 1 and clock.sleeps == []


def test_wait_for_is_case_insensitive_and_kept_in_the_api_spelling():
    goal = WaitGoal(EcsJobApi(), ['success', ' Fail ', 'SUCCESS'])
    assert goal.targets == frozenset(['SUCCESS', 'FAIL'])
    assert goal.explicit
    assert goal.describe() == 'FAIL or SUCCESS'
    assert WaitGoal(StreamingApi(), ['normal']).targets == frozenset(['NORMAL'])


def test_unknown_wait_for_is_refused_with_the_valid_statuses():
    with pytest.raises(JobwatchError) as caught:
        WaitGoal(EcsJobApi(), ['success', 'DONE', 'finished'])
    text = str(caught.value)
    assert "'DONE'" in text and "'finished'" in text
    assert "'success'" not in text
    assert 'ECS job' in text
    assert 'FAIL, INIT, PENDING_PAYMENT, RUNNING, SUCCESS' in text


@pytest.mark.parametrize('wait_for, status, verdict', [
    (['STOPPED'], 'NORMAL', None),        # it can still be stopped: keep waiting
    (['STOPPED'], 'EXCEPTION', None),
    (['STOPPING'], 'NORMAL', None),
    (['NORMAL'], 'EXCEPTION', UNREACHABLE),  # a failed job is only ever stopped, never normal again
    (['NORMAL'], 'STOPPED', UNREACHABLE),    # STOPPED leads nowhere
    (['EXCEPTION'], 'STOPPED', UNREACHABLE),
    (['NORMAL'], 'NORMAL', REACHED),
    (None, 'NORMAL', REACHED),
    (None, 'STOPPING', None),
])
def test_final_statuses_that_can_still_move_keep_the_wait_going(wait_for, status, verdict):
    assert WaitGoal(SteadyStateApi(), wait_for).verdict(status) == verdict


def test_waiting_for_a_stop_through_a_steady_state(clock):
    waiter, _timeline, verdict, status, _payload = run(
        clock, [(0, 'NORMAL'), (4, 'STOPPING'), (7, 'STOPPED')], WaitGoal(SteadyStateApi(), ['stopped']), interval=1)
    assert (verdict, status) == (REACHED, 'STOPPED')
    assert [entry['status'] for entry in waiter.history] == ['NORMAL', 'STOPPING', 'STOPPED']
