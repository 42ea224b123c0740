# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling one job until it reaches what we wait for, on a monotonic clock."""

import time

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


class Waiter(object):
    """Polls until the goal's verdict or the timeout; keeps what it saw for the result.

    ``poll(deadline)`` returns (status, payload); its errors end the wait. ``history``,
    ``polls`` and ``elapsed`` stay readable after an error, for the failure report.
    """

    def __init__(self, timeout, interval=None, clock=time.monotonic, sleep=time.sleep, on_change=None):
        self.timeout = timeout
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._on_change = on_change
        self._start = None
        self.history = []
        self.polls = 0

    @property
    def elapsed(self):
        return 0.0 if self._start is None else round(self._clock() - self._start, 3)

    def next_pause(self, elapsed):
        return self.interval if self.interval else adaptive_pause(elapsed)

    def run(self, poll, goal):
        """Return (verdict, status, payload)."""
        self._start = self._clock()
        deadline = self._start + self.timeout
        while True:
            status, payload = poll(deadline)
            self.polls += 1
            self._record(status)
            verdict = goal.verdict(status)
            if verdict:
                return verdict, status, payload
            now = self._clock()
            if now >= deadline:
                return TIMED_OUT, status, payload
            # The last pause is cut short so the final poll lands on the deadline.
            self._sleep(min(self.next_pause(now - self._start), deadline - now))

    def _record(self, status):
        if not self.history or self.history[-1]['status'] != status:
            entry = dict(status=status, elapsed=self.elapsed)
            self.history.append(entry)
            if self._on_change:
                self._on_change(entry)
