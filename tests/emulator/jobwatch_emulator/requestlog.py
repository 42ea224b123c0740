# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Counts of the requests the emulator answered, so tests can assert retry bounds and
"no request was sent" (``GET /_emulator/requests``)::

    {"total": 7, "jobs": {"job-1": 5}, "routes": {"ecs.show_job": 5, "iam.create_token": 2},
     "statuses": {"200": 4, "503": 2, "drop": 1}, "faults": {"job-1": {"http_5xx": 2, "drop": 1}},
     "fault_kinds": {"http_5xx": 2, "drop": 1}, "throttled": 0, "throttled_jobs": {},
     "recent": [{"time", "wall_time", "method", "path", "route", "job_id", "status", "fault",
     "request_id", "throttled", "quota"}, ...]}

Every request to a cloud API counts, refused ones included (a wrong signature is still a request
sent, and so is a throttled one); control API calls do not. ``recent`` keeps the last 5000
(enough for a test of several hundred requests), oldest first, each with:

- ``time``: when the request arrived (before authentication and faults), ``time.monotonic()`` of
  the emulator's process in seconds (a float); on Linux the same clock as ``time.monotonic()`` in
  any other process of the machine, so a test can compare it with its own readings. Use it to
  check spacing (``rate_limit``) and pauses (throttling): it is real time even under a virtual clock
- ``wall_time``: the emulator's clock at arrival (epoch seconds; a virtual one under ``Emulator(now=...)``)
- ``status``: the HTTP status as a string, or ``drop``/``reset``/``cut`` for a broken connection
- ``fault``: the injected fault kind that spoiled the answer, or null
- ``throttled``: true for a throttling answer, from a request quota or a ``throttle`` fault
- ``quota``: the request quota that throttled it (short: ``"100/60s ecs"``), or null

``faults`` counts, per job, the requests answered with each fault kind; ``fault_kinds`` the same
over every request (global faults on requests without a job included). ``throttled`` counts the
throttling answers (quota or fault), ``throttled_jobs`` the same per job.
"""

import collections
import threading
import time
from typing import Any, Deque, Dict, Optional

RECENT_LIMIT = 5000


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._recent: Deque[Dict[str, Any]] = collections.deque(maxlen=RECENT_LIMIT)
        self._total = 0
        self._by_route: Dict[str, int] = collections.Counter()
        self._by_job: Dict[str, int] = collections.Counter()
        self._by_status: Dict[str, int] = collections.Counter()
        self._by_fault: Dict[str, int] = collections.Counter()
        self._by_job_fault: Dict[str, Dict[str, int]] = collections.defaultdict(collections.Counter)
        self._throttled = 0
        self._throttled_by_job: Dict[str, int] = collections.Counter()

    def record(self, method: str, path: str, route: Optional[str], job_id: Optional[str], status: str,
               fault: Optional[str], request_id: str, arrived: Optional[float] = None, wall_time: Optional[float] = None,
               throttled: bool = False, quota: Optional[str] = None) -> None:
        """One answered request; ``status`` is the HTTP status, or "drop"/"reset"/"cut".

        ``arrived``: ``time.monotonic()`` when it came in (default: now); ``wall_time``: the emulator's
        clock then (default: ``time.time()``); ``throttled``: answered as throttled (by ``quota``, the
        description of a request quota, or by a ``throttle`` fault).
        """
        entry = {"time": time.monotonic() if arrived is None else arrived, "wall_time": time.time() if wall_time is None else wall_time,
                 "method": method, "path": path, "route": route, "job_id": job_id, "status": status, "fault": fault,
                 "request_id": request_id, "throttled": throttled, "quota": quota}
        with self._lock:
            self._total += 1
            self._by_route[route or "unrouted"] += 1
            if job_id is not None:
                self._by_job[job_id] += 1
            self._by_status[status] += 1
            if fault is not None:
                self._by_fault[fault] += 1
                if job_id is not None:
                    self._by_job_fault[job_id][fault] += 1
            if throttled:
                self._throttled += 1
                if job_id is not None:
                    self._throttled_by_job[job_id] += 1
            self._recent.append(entry)

    def snapshot(self) -> Dict[str, Any]:
        with self._lock:
            return {
                "total": self._total,
                "jobs": dict(self._by_job),
                "routes": dict(self._by_route),
                "statuses": dict(self._by_status),
                "faults": {job_id: dict(kinds) for job_id, kinds in self._by_job_fault.items()},
                "fault_kinds": dict(self._by_fault),
                "throttled": self._throttled,
                "throttled_jobs": dict(self._throttled_by_job),
                "recent": [dict(entry) for entry in self._recent],
            }

    def clear(self) -> None:
        with self._lock:
            self._recent.clear()
            self._total = self._throttled = 0
            for counter in (self._by_route, self._by_job, self._by_status, self._by_fault, self._by_job_fault, self._throttled_by_job):
                counter.clear()
