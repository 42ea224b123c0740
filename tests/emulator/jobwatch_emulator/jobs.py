# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jobs whose status moves on a scripted timeline.

A job spec (jobs file, ``POST /_emulator/jobs``, or ``Emulator(jobs=...)``)::

    {"service": "ecs", "id": "...", "project_id": "...",
     "timeline": [["INIT", 0], ["RUNNING", 1], ["SUCCESS", 3]],
     "result": {...}, "faults": [...], "start": "first_request"}

``[STATUS, seconds]``: the status holds from that many seconds after the job's clock started.
The clock starts at the job's first authenticated request (``"start": "first_request"``, the
default) or when the job is loaded (``"start": "created"``). What ``result`` means is up to
the service that renders the job (see services/). A service module may also allow more
top-level fields (``SPEC_FIELDS``, e.g. DataArts' ``workspace``), name another field that can
stand for ``id`` (``ID_FIELD``, DataArts' ``name``) and check a spec (``check_spec(job)``).
"""

import dataclasses
import threading
import time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from .faults import FaultQueue

START_MODES = ("first_request", "created")
COMMON_FIELDS = ("service", "id", "project_id", "timeline", "result", "faults", "start")


@dataclasses.dataclass(frozen=True)
class Phase:
    """Where a job stands at one moment."""

    status: str
    began_at: float  # wall time the job's clock started
    entered_at: float  # wall time the current status began
    final: bool  # the last timeline entry: the status will not change any more


def parse_timeline(value: Any) -> List[Tuple[str, float]]:
    """Validate ``[[STATUS, seconds], ...]``; entries come back sorted by time."""
    if not isinstance(value, list) or not value:
        raise ValueError("timeline must be a non-empty list of [STATUS, seconds]")
    timeline = []
    for entry in value:
        if (not isinstance(entry, (list, tuple)) or len(entry) != 2 or not isinstance(entry[0], str)
                or isinstance(entry[1], bool) or not isinstance(entry[1], (int, float)) or entry[1] < 0):
            raise ValueError("timeline entry %r is not [STATUS, seconds >= 0]" % (entry,))
        timeline.append((entry[0], float(entry[1])))
    return sorted(timeline, key=lambda item: item[1])


class Job:
    """One scripted job; thread-safe through its store's lock."""

    def __init__(self, spec: Mapping[str, Any], default_project_id: str, now: float, service_module: Any = None):
        extra_fields = tuple(getattr(service_module, "SPEC_FIELDS", ()))
        id_field = getattr(service_module, "ID_FIELD", "id")
        unknown = sorted(set(spec) - set(COMMON_FIELDS) - set(extra_fields))
        if unknown:
            raise ValueError("job %r: unknown field(s) %s" % (spec.get("id", spec.get(id_field)), ", ".join(unknown)))
        job_id = spec.get("id", spec.get(id_field))
        if not isinstance(job_id, str) or not job_id:
            also = "" if id_field == "id" else " (or %r)" % id_field
            raise ValueError("every job needs a non-empty string \"id\"%s" % also)
        if id_field != "id" and "id" in spec and id_field in spec and spec["id"] != spec[id_field]:
            raise ValueError("job %r: \"id\" and %r differ" % (job_id, id_field))
        self.spec = dict(spec)
        self.service = spec.get("service", "ecs")
        self.job_id = job_id
        self.extra = {name: spec[name] for name in extra_fields if name in spec and name != id_field}
        self.project_id = spec.get("project_id") or default_project_id
        try:
            self.timeline = parse_timeline(spec.get("timeline"))
        except ValueError as exc:
            raise ValueError("job %r: %s" % (self.job_id, exc)) from exc
        self.result = dict(spec.get("result") or {})
        self.faults = FaultQueue(spec.get("faults") or [])
        start = spec.get("start", "first_request")
        if start not in START_MODES:
            raise ValueError("job %r: start must be one of %s" % (self.job_id, ", ".join(START_MODES)))
        self.started_at: Optional[float] = now if start == "created" else None
        check = getattr(service_module, "check_spec", None)
        if check is not None:
            try:
                check(self)
            except (ValueError, TypeError) as exc:
                raise ValueError("job %r: %s" % (self.job_id, exc)) from exc

    @property
    def key(self) -> Tuple[str, str]:
        return self.service, self.job_id

    def touch(self, now: float) -> None:
        """A request reached the job: start its clock if it waits for one."""
        if self.started_at is None:
            self.started_at = now

    def phase(self, now: float) -> Phase:
        """The status at ``now``; before the clock starts, the first status at time zero."""
        began_at = self.started_at if self.started_at is not None else now
        elapsed = now - began_at
        index = 0
        for position, (_status, at) in enumerate(self.timeline):
            if at <= elapsed:
                index = position
        status, at = self.timeline[index]
        return Phase(status=status, began_at=began_at, entered_at=began_at + at, final=index == len(self.timeline) - 1)


class JobStore:
    """All jobs, keyed by (service, id); remembers the initial specs so a reset can reload them."""

    def __init__(self, services: Union[Iterable[str], Mapping[str, Any]], default_project_id: str,
                 now: Callable[[], float] = time.time):
        """``services``: service names, or a mapping of name to service module (see services/)."""
        self.modules: Mapping[str, Any] = dict(services) if isinstance(services, Mapping) else {}
        self.services = frozenset(services)
        self.default_project_id = default_project_id
        self.now = now
        self.lock = threading.RLock()
        self._jobs: Dict[Tuple[str, str], Job] = {}
        self._initial: List[Mapping[str, Any]] = []

    def load_initial(self, specs: Iterable[Mapping[str, Any]]) -> None:
        self._initial = list(specs)
        self.reset()

    def reset(self) -> None:
        """Back to the initially loaded jobs, clocks not started (``start: created`` restarts now)."""
        with self.lock:
            self._jobs.clear()
            self.add(self._initial)

    def add(self, specs: Iterable[Mapping[str, Any]]) -> List[str]:
        """Add or replace jobs; all specs are checked before any is stored."""
        now = self.now()
        jobs = []
        for spec in specs:
            if not isinstance(spec, Mapping):
                raise ValueError("a job must be a JSON object, got %r" % (spec,))
            service = spec.get("service", "ecs")
            if service not in self.services:
                raise ValueError("job %r: unknown service %r (known: %s)" % (spec.get("id"), service, ", ".join(sorted(self.services))))
            jobs.append(Job(spec, self.default_project_id, now, self.modules.get(service)))
        with self.lock:
            for job in jobs:
                self._jobs[job.key] = job
        return [job.job_id for job in jobs]

    def get(self, service: str, job_id: str) -> Optional[Job]:
        with self.lock:
            return self._jobs.get((service, job_id))

    def remove(self, service: str, job_id: str) -> None:
        """The job is gone (fault ``gone``): from now on it answers like an unknown job."""
        with self.lock:
            self._jobs.pop((service, job_id), None)

    def of_service(self, service: str) -> List[Job]:
        with self.lock:
            return [job for job in self._jobs.values() if job.service == service]

    def summary(self) -> List[Dict[str, Any]]:
        """Every job's current status, for GET /_emulator/jobs."""
        now = self.now()
        with self.lock:
            return [
                dict({"service": job.service, "id": job.job_id, "project_id": job.project_id,
                      "status": job.phase(now).status, "started": job.started_at is not None}, **job.extra)
                for job in self._jobs.values()
            ]
