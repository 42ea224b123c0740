# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The jobs that creation calls start (ECS create servers, CFW create firewall, DataArts start/stop,
DataWorks ImportWorkflowDefinition): the timeline and result each one gets.

By default every such job reaches its final status ``seconds`` after the call (2 s;
``--created-job-seconds`` / ``Emulator(created_job_seconds=...)``), through the statuses the real
service shows on the way. A jobs document may replace the timeline or add ``result`` keys per kind
under ``"created_jobs"``::

    {"jobs": [...], "created_jobs": {"ecs": {"timeline": [["INIT", 0], ["FAIL", 2]],
                                              "result": {"error_code": "Ecs.0013", "fail_reason": "..."}}}}

Kinds: ``ecs``, ``cfw``, ``dataarts_start``, ``dataarts_stop``, ``dataworks``. The clock of a created
job starts when it is created (``"start": "created"``), as on the real clouds.
"""

import math
from typing import Any, Dict, List, Mapping, Optional

from .jobs import parse_timeline

DEFAULT_SECONDS = 2.0
# Each kind's statuses, at fractions of the configured length.
_DEFAULT_TIMELINES = {
    "ecs": [("INIT", 0.0), ("RUNNING", 0.25), ("SUCCESS", 1.0)],
    "cfw": [("Running", 0.0), ("Success", 1.0)],
    "dataarts_start": [("STARTING", 0.0), ("NORMAL", 1.0)],
    "dataarts_stop": [("STOPPING", 0.0), ("STOPPED", 1.0)],
    "dataworks": [("Running", 0.0), ("Success", 1.0)],
}
KINDS = tuple(_DEFAULT_TIMELINES)
_FIELDS = ("timeline", "result")


def check_seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ValueError("created job seconds must be a finite number >= 0, got %r" % (value,))
    return float(value)


class Creations:
    """Per kind: the timeline and extra result of the jobs that creation calls start."""

    def __init__(self, settings: Optional[Mapping[str, Any]] = None, seconds: float = DEFAULT_SECONDS):
        seconds = check_seconds(seconds)
        settings = {} if settings is None else settings
        if not isinstance(settings, Mapping):
            raise ValueError('"created_jobs" must map kinds (%s) to {"timeline", "result"}' % ", ".join(KINDS))
        unknown = sorted(set(settings) - set(KINDS))
        if unknown:
            raise ValueError("created_jobs: unknown kind(s) %s (known: %s)" % (", ".join(unknown), ", ".join(KINDS)))
        self._kinds: Dict[str, Dict[str, Any]] = {}
        for kind, default in _DEFAULT_TIMELINES.items():
            setting = settings.get(kind, {})
            if not isinstance(setting, Mapping) or set(setting) - set(_FIELDS):
                raise ValueError("created_jobs.%s takes only %s" % (kind, " and ".join(_FIELDS)))
            if "timeline" in setting:
                try:
                    timeline = [[status, at] for status, at in parse_timeline(setting["timeline"])]
                except ValueError as exc:
                    raise ValueError("created_jobs.%s: %s" % (kind, exc)) from exc
            else:
                timeline = [[status, fraction * seconds] for status, fraction in default]
            result = setting.get("result", {})
            if not isinstance(result, Mapping):
                raise ValueError("created_jobs.%s.result must be an object" % kind)
            self._kinds[kind] = {"timeline": timeline, "result": dict(result)}

    def timeline(self, kind: str) -> List[List[Any]]:
        return [list(entry) for entry in self._kinds[kind]["timeline"]]

    def result(self, kind: str) -> Dict[str, Any]:
        return dict(self._kinds[kind]["result"])

    def spec(self, kind: str, service: str, job_id: str, result: Optional[Mapping[str, Any]] = None, **fields) -> Dict[str, Any]:
        """A job spec for the job store: the kind's timeline, ``result`` under the kind's extra keys."""
        merged = dict(result or {})
        merged.update(self.result(kind))
        spec = {"service": service, "id": job_id, "timeline": self.timeline(kind), "start": "created", "result": merged}
        spec.update(fields)
        return spec


def from_document(document: Any) -> Optional[Mapping[str, Any]]:
    """The ``"created_jobs"`` settings of a jobs document (None when it has none)."""
    if isinstance(document, Mapping):
        return document.get("created_jobs")
    return None
