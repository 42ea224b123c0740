# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When the next request to a host may leave: throttling pauses, ``rate_limit`` and adaptive pacing.

Real gateways limit each account's rate over windows of seconds to minutes and often do not say
when to come back (Huawei answers 429 without ``Retry-After``). One ``Pacer`` serves every worker
of a task, so what one worker learns slows them all:

- a throttled answer pauses the host for every worker: for the server's ``Retry-After`` when it
  names one; else, when the window the cloud named in its message (Huawei: ``limit:200,time:5
  minute``) is full of our own requests it did not throttle, each request waits for its own place
  in it (those under way count, so that workers do not all take the one place that opens); else
  a jittered backoff ``min(30, 2 ** (k - 1)) * uniform(0.5, 1)`` seconds after the k-th throttled
  answer in a row;
- adaptive pacing (multiplicative cut, slow growth, as TCP does on congestion): a throttled answer
  sets the host's rate to half the rate we were sending at (the requests of the last 10 s over the
  time they took, at least 1 s; never below one request in 30 s) when at least half of the host's
  last 10 answers were throttled, at most once in 10 s (one job throttled among many that are
  answered is not the account's quota); once the cloud accepts again, requests are
  spaced 1 / rate apart and each accepted answer raises the rate by 5%; above 20 requests a
  second the pace is lifted;
- ``rate_limit`` (requests per second) stays the hard cap whatever the pace.
"""

import collections
import random
import threading
import time

SLOWDOWN = 0.5
SPEEDUP = 1.05
SLOWEST_RATE = 1.0 / 30
LIFTED_ABOVE = 20.0
MEASURED_SECONDS = 10.0
FIRST_BACKOFF = 1.0
LONGEST_BACKOFF = 30.0
# After the cloud's window has room again, a little more: the gateway's clock and ours differ.
WINDOW_MARGIN = 0.25
# How many of a host's last answers tell whether the account is being throttled.
RECENT_ANSWERS = 10
# Requests remembered before the cloud names its window (Huawei windows are minutes).
REMEMBERED = 5000
REMEMBERED_SECONDS = 3600.0


class _HostPace:
    def __init__(self):
        self.pause_until = 0.0
        self.next_slot = 0.0
        self.rate = None           # adaptive requests per second after throttling; None: not slowed
        self.throttled_in_row = 0
        self.cut_at = None         # when the rate was last cut
        self.answers = collections.deque(maxlen=RECENT_ANSWERS)  # True for each throttled one
        self.policy = None         # (limit, window seconds) the cloud named when it throttled
        self.sent = collections.deque()      # when requests left, for the rate we were sending at
        # When the requests the cloud counts against a quota left: every one it did not throttle,
        # those still under way included.
        self.counted = collections.deque(maxlen=REMEMBERED)


class Pacer:
    """Per host: pauses after throttling, ``rate_limit`` slots and the adaptive pace; thread-safe."""

    def __init__(self, rate_limit=None, clock=time.monotonic, rand=random.random):
        self.rate_limit = rate_limit
        self._clock = clock
        self._rand = rand
        self._lock = threading.Lock()
        self._hosts = collections.defaultdict(_HostPace)

    def reserve(self, host):
        """Take the next turn to send to ``host``; return (seconds to wait for it, moment it starts)."""
        with self._lock:
            pace, now = self._hosts[host], self._clock()
            start = max(now, pace.pause_until, self._window_opens(pace, now))
            # While the cloud keeps throttling, its backoff decides; the pace holds once it accepts again.
            paced = pace.rate if not pace.throttled_in_row else None
            rate = min(rate for rate in (self.rate_limit, paced, float('inf')) if rate)
            if rate != float('inf'):
                start = max(start, pace.next_slot)
                pace.next_slot = start + 1.0 / rate
            pace.sent.append(start)
            # Trimmed by the clock, not by this turn: a turn may lie well in the future.
            while pace.sent and pace.sent[0] < now - MEASURED_SECONDS:
                pace.sent.popleft()
            pace.counted.append(start)
            self._forget_old(pace, now)
            return start - now, start

    def paused_for(self, host):
        """Seconds ``host`` stays paused after throttling: a turn taken before the pause began waits too."""
        with self._lock:
            return max(0.0, self._hosts[host].pause_until - self._clock())

    def accepted(self, host):
        """The cloud answered a request without throttling it."""
        with self._lock:
            pace = self._hosts[host]
            pace.throttled_in_row = 0
            pace.answers.append(False)
            if pace.rate is not None:
                pace.rate *= SPEEDUP
                if pace.rate > LIFTED_ABOVE:
                    pace.rate = None

    def throttled(self, host, server_pause=None, policy=None, sent_at=None):
        """The cloud throttled a request: pause and slow every worker; return the pause in seconds.

        ``server_pause``: what the server asked for (``Retry-After``), believed;
        ``policy``: (limit, window seconds) the cloud named in its answer, if any;
        ``sent_at``: the turn the request took (``reserve()``): a throttled request is not counted.
        """
        with self._lock:
            pace, now = self._hosts[host], self._clock()
            if sent_at is not None and sent_at in pace.counted:
                pace.counted.remove(sent_at)
            pace.throttled_in_row += 1
            pace.answers.append(True)
            if 2 * sum(pace.answers) >= len(pace.answers) and (pace.cut_at is None or now - pace.cut_at >= MEASURED_SECONDS):
                pace.cut_at = now
                recent = [moment for moment in pace.sent if now - MEASURED_SECONDS <= moment <= now]
                measured = max(1, len(recent)) / max(1.0, now - min(recent)) if recent else 1.0 / MEASURED_SECONDS
                pace.rate = max(SLOWEST_RATE, min(pace.rate or measured, measured) * SLOWDOWN)
            if policy:
                pace.policy = policy
            opens = self._window_opens(pace, now) - now
            if server_pause is None and opens > 0:
                # Our own requests fill the named window: reserve() gives each request its place in
                # it, so no pause for the host (it would hold back the turns already given out).
                return opens
            if server_pause is not None:
                pause = server_pause
            else:
                ceiling = min(LONGEST_BACKOFF, FIRST_BACKOFF * 2 ** (pace.throttled_in_row - 1))
                pause = ceiling * (0.5 + 0.5 * self._rand())
            pace.pause_until = max(pace.pause_until, now + pause)
            return pause

    def rate(self, host):
        """The host's adaptive pace in requests per second, or None when it is not slowed."""
        with self._lock:
            return self._hosts[host].rate

    @staticmethod
    def _window_opens(pace, now):
        """When the cloud's named window has room for one more of our requests (0: it has now)."""
        if not pace.policy:
            return 0.0
        limit, window = pace.policy
        inside = sorted(moment for moment in pace.counted if moment > now - window)
        if len(inside) < limit:
            return 0.0
        return inside[-limit] + window + WINDOW_MARGIN

    @staticmethod
    def _forget_old(pace, now):
        # By age only: the requests still under way count too, and one of them may yet be
        # throttled (and taken out), so the log must not be cut to ``limit`` entries.
        window = pace.policy[1] if pace.policy else REMEMBERED_SECONDS
        while pace.counted and pace.counted[0] < now - window:
            pace.counted.popleft()
