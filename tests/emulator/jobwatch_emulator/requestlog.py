# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Counts of the requests the emulator answered, so tests can assert retry bounds and
"no request was sent" (``GET /_emulator/requests``)::

    {"total": 7, "jobs": {"job-1": 5}, "routes": {"ecs.show_job": 5, "iam.create_token": 2},
     "statuses": {"200": 4, "503": 2, "drop": 1}, "recent": [{"method", "path", "route", "job_id",
     "status", "fault", "request_id"}, ...]}

Every request to a cloud API counts, refused ones included (a wrong signature is still a request
sent); control API calls do not. ``recent`` keeps the last 500.
"""

import collections
import threading
from typing import Any, Deque, Dict, Optional

RECENT_LIMIT = 500


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._recent: Deque[Dict[str, Any]] = collections.deque(maxlen=RECENT_LIMIT)
        self._total = 0
        self._by_route: Dict[str, int] = collections.Counter()
        self._by_job: Dict[str, int] = collections.Counter()
        self._by_status: Dict[str, int] = collections.Counter()

    def record(self, method: str, path: str, route: Optional[str], job_id: Optional[str], status: str,
               fault: Optional[str], request_id: str) -> None:
        """One answered request; ``status`` is the HTTP status, or "drop"/"reset"."""
        with self._lock:
            self._total += 1
            self._by_route[route or "unrouted"] += 1
            if job_id is not None:
                self._by_job[job_id] += 1
            self._by_status[status] += 1
            self._recent.append({"method": method, "path": path, "route": route, "job_id": job_id,
                                 "status": status, "fault": fault, "request_id": request_id})

    def snapshot(self) -> Dict[str, Any]:
        with self._lock:
            return {
                "total": self._total,
                "jobs": dict(self._by_job),
                "routes": dict(self._by_route),
                "statuses": dict(self._by_status),
                "recent": list(self._recent),
            }

    def clear(self) -> None:
        with self._lock:
            self._recent.clear()
            self._total = 0
            for counter in (self._by_route, self._by_job, self._by_status):
                counter.clear()
