# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling jobs until they reach what we wait for, on a monotonic clock."""

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
# The last look at the jobs (see Waiter) starts at the deadline, so its requests may run this long
# past it: a look with no time left would be no look at all. wait_timeout thus bounds a task to
# within these few seconds, whatever the cloud does (a request that hangs is cut off here).
LAST_LOOK_SECONDS = 2.0


def adaptive_pause(elapsed):
    """Pause about 10% of the time waited so far, between 1 and 30 seconds.

    The job ends at some moment inside the last pause, so we return at most ~10% (or 1 s)
    after it ended, and the number of polls grows with the log of the job's length.
    """
    return min(LONGEST_PAUSE, max(FIRST_PAUSE, PAUSE_SHARE * elapsed))


class WaitGoal:
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


class JobWatch:
    """One job being waited on: what was seen of it, and how its wait ended."""

    def __init__(self, job_id, goal):
        self.job_id = job_id
        self.goal = goal
        self.history = []
        self.polls = 0
        self.status = None
        self.payload = None
        self.seen = None        # when its status was last read, in seconds since the wait began
        self.verdict = None     # REACHED, UNREACHABLE or TIMED_OUT once the wait for this job is over
        self.error = None       # a JobwatchError that ended it instead
        self.failure = None     # the transient failure (throttling, a 5xx) of its last poll, if it had no answer
        self.elapsed = None     # when it ended, in seconds since the wait began

    @property
    def done(self):
        return self.verdict is not None or self.error is not None


class Waiter:
    """Polls jobs until each reaches its goal's verdict, fails, or the shared timeout passes.

    A task waiting on many jobs cannot return while any of them runs, so it asks one job known
    to be running on the adaptive schedule (the lead) and the others only when the lead has
    ended: it sweeps them in order, each one seen finished is done, and the first still running
    becomes the next lead. Each job costs about one request to be seen finished, plus the one
    schedule the lateness bound needs, instead of one schedule per job. A sweep has one poll
    under way, then one more for each round of polls that all found their job finished, up to
    ``workers``: polls under way when a running job is found were sent for nothing, so the
    width grows slowly (after a job that gave no answer, to ``workers`` at once). Near the
    deadline every job not yet done is asked once more, so a timed-out result is fresh; those
    requests have until LAST_LOOK_SECONDS past the deadline, every other one until the deadline. A poll
    that got no answer (throttled or failing after the client's retries) leaves its job pending,
    asked again after the others, until the deadline.
    ``once`` asks each job one time (a query without waiting).
    """

    def __init__(self, timeout, interval=None, clock=time.monotonic, sleep=time.sleep, on_change=None,
                 workers=1, once=False, start=None):
        self.timeout = timeout
        self.interval = interval
        self.workers = max(1, workers)
        self.once = once
        self._clock = clock
        self._sleep = sleep
        self._on_change = on_change
        self._start = None
        self._began = start        # when the task began (its look-ups and logins count against the timeout)
        self._poll_seconds = 0.0   # how long a poll takes (moving average), to start the last sweep in time

    @property
    def elapsed(self):
        return 0.0 if self._start is None else round(self._clock() - self._start, 3)

    def next_pause(self, elapsed):
        return self.interval if self.interval else adaptive_pause(elapsed)

    def watch(self, poll, watches):
        """Wait on every watch; ``poll(job_id, deadline)`` returns (status, payload).

        A JobwatchError from a poll ends that job's wait (``watch.error``); the others go on.
        """
        self._start = self._clock() if self._began is None else self._began
        if self.once:
            # A single query has no wait to bound: its retries are bounded by the retry policy alone.
            self._poll_together(poll, watches, None)
            return
        deadline = self._start + self.timeout
        pending = list(watches)
        lead, due = None, self._start
        while pending and self._clock() < deadline:
            # The last look at every job left: its last round of polls starts at the deadline.
            last_look = deadline - self._poll_seconds * (-(-len(pending) // self.workers) - 1)
            if due >= last_look:
                self._sleep_until(last_look)
                self._poll_together(poll, pending, deadline + LAST_LOOK_SECONDS)
                break
            self._sleep_until(due)
            if lead is not None:
                self._poll(poll, lead, deadline)
                if lead.done:
                    pending.remove(lead)
                elif lead.failure is None:
                    due = self._clock() + self._pause()
                    continue
                else:
                    # No answer even after the client's retries: the others are asked before it again.
                    pending.remove(lead)
                    pending.append(lead)
            lead = self._sweep(poll, pending, deadline)
            due = self._clock() + self._pause()
        for watch in pending:
            if not watch.done:
                watch.verdict = TIMED_OUT
                watch.elapsed = self.elapsed

    def _pause(self):
        return self.next_pause(self._clock() - self._start)

    def _sleep_until(self, moment):
        if moment > self._clock():
            self._sleep(moment - self._clock())

    def _sweep(self, poll, pending, deadline):
        """Ask the pending jobs in order until one still runs; return it (the new lead), or None.

        Up to ``width`` polls are under way at once, the next one leaving as soon as one ends (a
        slow or failing job holds up no other). The width grows by one each time that many jobs
        were seen finished, and to ``workers`` after a job that gave no answer (or from the start,
        when one gave none last time). A job that gave no answer (throttled, failing) stays
        pending, behind the others.
        """
        queue, unanswered, lead = list(pending), [], None
        # Jobs left without an answer last time: ask all at once, none waits behind a failing one.
        width = self.workers if any(watch.failure is not None for watch in pending) else 1
        finished = 0
        if self.workers == 1 or len(queue) == 1:
            while queue and lead is None and self._clock() < deadline:
                watch = queue.pop(0)
                self._poll(poll, watch, deadline)
                lead = self._sorted(watch, pending, unanswered)
        else:
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                running = {}
                while queue or running:
                    while queue and lead is None and len(running) < width and self._clock() < deadline:
                        watch = queue.pop(0)
                        running[pool.submit(self._poll, poll, watch, deadline)] = watch
                    if not running:
                        break
                    ended, dummy = wait(list(running), return_when=FIRST_COMPLETED)
                    for future in ended:
                        watch = running.pop(future)
                        future.result()
                        found = self._sorted(watch, pending, unanswered)
                        if watch.done:
                            finished += 1
                            if finished >= width:
                                width, finished = min(self.workers, width + 1), 0
                        elif found is None:
                            # A job without an answer says nothing about the others: ask them all at once.
                            width = self.workers
                        elif lead is None:
                            lead = found
        for watch in unanswered:
            pending.remove(watch)
            pending.append(watch)
        return lead

    @staticmethod
    def _sorted(watch, pending, unanswered):
        """After a sweep's poll: drop a finished job, note one without an answer; return it if it runs."""
        if watch.done:
            pending.remove(watch)
        elif watch.failure is not None:
            unanswered.append(watch)
        else:
            return watch
        return None

    def _poll_together(self, poll, watches, deadline):
        if self.workers == 1 or len(watches) == 1:
            for watch in watches:
                self._poll(poll, watch, deadline)
            return
        with ThreadPoolExecutor(max_workers=min(self.workers, len(watches))) as pool:
            for future in [pool.submit(self._poll, poll, watch, deadline) for watch in watches]:
                future.result()

    def _poll(self, poll, watch, deadline):
        began = self._clock()
        try:
            status, payload = poll(watch.job_id, deadline)
        except JobwatchError as error:
            if error.transient and not self.once:
                # No answer this time (throttled, failing): asked again later, until the deadline.
                # The cloud's own last words are kept over "nothing could be sent in time".
                if watch.failure is None or error.status is not None:
                    watch.failure = error
                return
            watch.error = error
            watch.elapsed = self.elapsed
            return
        took = self._clock() - began
        self._poll_seconds = 0.8 * self._poll_seconds + 0.2 * took if self._poll_seconds else took
        watch.polls += 1
        watch.status, watch.payload = status, payload
        watch.seen = self.elapsed
        watch.failure = None
        self._record(watch, status)
        watch.verdict = REACHED if self.once else watch.goal.verdict(status)
        if watch.done:
            watch.elapsed = self.elapsed

    def _record(self, watch, status):
        if not watch.history or watch.history[-1]['status'] != status:
            entry = dict(status=status, elapsed=self.elapsed)
            watch.history.append(entry)
            if self._on_change:
                self._on_change(watch, entry)
