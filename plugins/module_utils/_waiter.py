# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling jobs until they reach what we wait for, on a monotonic clock."""

import heapq
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import BLOCKED

REACHED = 'reached'
UNREACHABLE = 'unreachable'
TIMED_OUT = 'timed_out'

FIRST_PAUSE = 1.0
PAUSE_SHARE = 0.1
LONGEST_PAUSE = 30.0


def adaptive_pause(elapsed):
    """Pause about 10% of the time waited so far, between 1 and 30 seconds.

    The job ends at some moment inside the last pause, so we return at most ~10% (or 1 s)
    after it ended, and the number of polls grows with the log of the job's length.
    """
    return min(LONGEST_PAUSE, max(FIRST_PAUSE, PAUSE_SHARE * elapsed))


class WaitGoal(object):
    """Which statuses end a wait, and whether it ended where the user wanted."""

    def __init__(self, api, wait_for=None):
        self.api = api
        self.explicit = bool(wait_for)
        if wait_for:
            unknown = [name for name in wait_for if api.spelled(name) is None]
            if unknown:
                raise JobwatchError('check wait_for', '%s never reports %s' % (api.noun, ', '.join(repr(n) for n in unknown)),
                                    hint='Its statuses are %s' % ', '.join(sorted(api.statuses)))
            self.targets = frozenset(api.spelled(name) for name in wait_for)
        else:
            self.targets = frozenset(name for name, (state, finished) in api.statuses.items() if finished and state != BLOCKED)

    def verdict(self, status):
        """REACHED, UNREACHABLE (a final status none of the targets can follow), or None: keep waiting."""
        spelled = self.api.spelled(status or '')
        if spelled in self.targets:
            return REACHED
        if not self.api.lookup(status)[1]:
            return None
        # A final status may still move on (a running real-time job can be stopped); wait if that helps.
        return None if self.targets.intersection(self.api.leads_to.get(spelled, ())) else UNREACHABLE

    def describe(self):
        return ' or '.join(sorted(self.targets))


class JobWatch(object):
    """One job being waited on: what was seen of it, and how its wait ended."""

    def __init__(self, job_id, goal):
        self.job_id = job_id
        self.goal = goal
        self.history = []
        self.polls = 0
        self.status = None
        self.payload = None
        self.verdict = None     # REACHED, UNREACHABLE or TIMED_OUT once the wait for this job is over
        self.error = None       # a JobwatchError that ended it instead
        self.elapsed = None     # when it ended, in seconds since the wait began

    @property
    def done(self):
        return self.verdict is not None or self.error is not None


class Waiter(object):
    """Polls jobs until each reaches its goal's verdict, fails, or the shared timeout passes.

    Many jobs are polled by at most ``workers`` threads at once; each job keeps its own
    schedule (the adaptive pause grows with the time the task has waited), so the pool is
    busy only when polls are due and a long job costs no thread while it sleeps.
    ``once`` asks each job one time (a query without waiting).
    """

    def __init__(self, timeout, interval=None, clock=time.monotonic, sleep=time.sleep, on_change=None,
                 workers=1, once=False):
        self.timeout = timeout
        self.interval = interval
        self.workers = max(1, workers)
        self.once = once
        self._clock = clock
        self._sleep = sleep
        self._on_change = on_change
        self._start = None
        self._single = None

    @property
    def elapsed(self):
        return 0.0 if self._start is None else round(self._clock() - self._start, 3)

    # The one-job view, kept for the single-job result shape.
    @property
    def history(self):
        return self._single.history if self._single else []

    @property
    def polls(self):
        return self._single.polls if self._single else 0

    def next_pause(self, elapsed):
        return self.interval if self.interval else adaptive_pause(elapsed)

    def run(self, poll, goal):
        """Wait on one job; ``poll(deadline)`` returns (status, payload). Return (verdict, status, payload).

        Errors of ``poll`` are raised; ``history``, ``polls`` and ``elapsed`` stay readable.
        """
        self._single = JobWatch(None, goal)
        on_change, self._on_change = self._on_change, (lambda watch, entry: on_change(entry)) if self._on_change else None
        try:
            self.watch(lambda job_id, deadline: poll(deadline), [self._single])
        finally:
            self._on_change = on_change
        if self._single.error is not None:
            raise self._single.error
        return self._single.verdict, self._single.status, self._single.payload

    def watch(self, poll, watches):
        """Wait on every watch; ``poll(job_id, deadline)`` returns (status, payload).

        A JobwatchError from a poll ends that job's wait (``watch.error``); the others go on.
        """
        self._start = self._clock()
        # A single query has no wait to bound: its retries are bounded by the retry policy alone.
        deadline = None if self.once else self._start + self.timeout
        due = [(self._start, order, watch) for order, watch in enumerate(watches)]
        heapq.heapify(due)
        if self.workers == 1 or len(watches) == 1:
            self._watch_inline(poll, due, deadline)
        else:
            self._watch_pooled(poll, due, deadline)

    def _watch_inline(self, poll, due, deadline):
        while due:
            when, order, watch = heapq.heappop(due)
            now = self._clock()
            if when > now:
                self._sleep(when - now)
            self._poll(poll, watch, deadline)
            self._reschedule(due, order, watch, deadline)

    def _watch_pooled(self, poll, due, deadline):
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            running = {}
            while due or running:
                now = self._clock()
                while due and due[0][0] <= now and len(running) < self.workers:
                    when, order, watch = heapq.heappop(due)
                    running[pool.submit(self._poll, poll, watch, deadline)] = (order, watch)
                until_next = max(0.0, due[0][0] - now) if due else None
                if not running:
                    self._sleep(until_next)
                    continue
                finished, dummy = wait(list(running), timeout=until_next, return_when=FIRST_COMPLETED)
                for future in finished:
                    order, watch = running.pop(future)
                    future.result()
                    self._reschedule(due, order, watch, deadline)

    def _poll(self, poll, watch, deadline):
        try:
            status, payload = poll(watch.job_id, deadline)
        except JobwatchError as error:
            watch.error = error
            watch.elapsed = self.elapsed
            return
        watch.polls += 1
        watch.status, watch.payload = status, payload
        self._record(watch, status)
        watch.verdict = REACHED if self.once else watch.goal.verdict(status)
        if watch.done:
            watch.elapsed = self.elapsed

    def _reschedule(self, due, order, watch, deadline):
        if watch.done or deadline is None:
            return
        now = self._clock()
        if now >= deadline:
            watch.verdict = TIMED_OUT
            watch.elapsed = self.elapsed
            return
        # The last pause is cut short so the final poll lands on the deadline.
        heapq.heappush(due, (now + min(self.next_pause(now - self._start), deadline - now), order, watch))

    def _record(self, watch, status):
        if not watch.history or watch.history[-1]['status'] != status:
            entry = dict(status=status, elapsed=self.elapsed)
            watch.history.append(entry)
            if self._on_change:
                self._on_change(watch, entry)
