# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei ECS: ``GET /v1/{project_id}/jobs/{job_id}`` (SDK ``ShowJob``).

The answer has the fields of the "Querying Job Execution Status" page (seed 003). From a job
spec's ``result``:

- ``error_code`` and ``fail_reason`` appear only once the job is terminal (SUCCESS or FAIL);
- ``entities`` is always shown; while the job is not terminal each sub-job shows the parent's
  status with no end time or error, once it is terminal the sub-job's own ``status``,
  ``error_code``, ``fail_reason``, ``entities.errorcode_message`` (defaults: the parent's status
  and times, nulls); ``sub_jobs_total`` defaults to the number of sub-jobs;
- ``job_type`` defaults to ``createServer`` (a sub-job's to its parent's);
- any other key is copied into the answer as is.

Errors use the ECS shape ``{"error": {"code", "message"}}``. Codes and messages are those of
the ECS API reference's error code table (OTC edition, "Error Codes"): ``Common.0011`` "Failed to
query system tasks." (invalid job ID) and ``Ecs.0023`` "project_id in token mismatches with
project_id in url.". That table lists both with HTTP 400 but warns its HTTP statuses "may not be
accurate"; we answer 404 and 403 as the collection's design asks (a choice, not a fact).
"""

import datetime
import hashlib
from typing import Any, Dict, List

from ..messages import json_response
from ..routing import Route

NAME = "ecs"
TERMINAL_STATUSES = ("SUCCESS", "FAIL")
JOB_NOT_FOUND = (404, "Common.0011", "Failed to query system tasks.")
PROJECT_MISMATCH = (403, "Ecs.0023", "project_id in token mismatches with project_id in url.")
_TERMINAL_ONLY = ("error_code", "fail_reason")


def ecs_error(status: int, code: str, message: str):
    return json_response(status, {"error": {"code": code, "message": message}})


def iso_time(timestamp: float) -> str:
    """ECS's time format, e.g. 2016-04-25T20:04:47.591Z (milliseconds, UTC)."""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def show_job(app, request, params, auth):  # pylint: disable=unused-argument
    project_id, job_id = params["project_id"], params["job_id"]
    if not auth.allows_project(project_id):
        return ecs_error(*PROJECT_MISMATCH)
    job = app.jobs.get(NAME, job_id)
    if job is None or job.project_id != project_id:
        return ecs_error(*JOB_NOT_FOUND)
    return json_response(200, render(job, app.now()))


def render(job, now: float) -> Dict[str, Any]:
    """The ShowJob answer for ``job`` at time ``now``."""
    phase = job.phase(now)
    terminal = phase.status in TERMINAL_STATUSES
    result = job.result
    end_time = iso_time(phase.entered_at) if terminal else None
    answer = {
        "status": phase.status,
        "entities": {},
        "job_id": job.job_id,
        "job_type": result.get("job_type", "createServer"),
        "begin_time": iso_time(phase.began_at),
        "end_time": end_time,
        "error_code": result.get("error_code") if terminal else None,
        "fail_reason": result.get("fail_reason") if terminal else None,
    }
    entities = dict(result.get("entities") or {})
    if "sub_jobs" in entities:
        parent = {"status": phase.status, "job_type": answer["job_type"], "begin_time": answer["begin_time"], "end_time": end_time}
        entities["sub_jobs"] = [_sub_job(job.job_id, index, spec, parent, terminal) for index, spec in enumerate(entities["sub_jobs"])]
        entities.setdefault("sub_jobs_total", len(entities["sub_jobs"]))
    answer["entities"] = entities
    for key, value in result.items():
        if key not in answer and key not in _TERMINAL_ONLY:
            answer[key] = value
    return answer


def _sub_job(parent_id: str, index: int, spec: Dict[str, Any], parent: Dict[str, Any], terminal: bool) -> Dict[str, Any]:
    entities = dict(spec.get("entities") or {})
    if not terminal:
        entities.pop("errorcode_message", None)
    sub = {
        "status": spec.get("status", parent["status"]) if terminal else parent["status"],
        "entities": entities,
        # Real ids are 32 hex digits; derive a stable one when the spec gives none.
        "job_id": spec.get("job_id") or hashlib.sha256(("%s/%d" % (parent_id, index)).encode("utf-8")).hexdigest()[:32],
        "job_type": spec.get("job_type", parent["job_type"]),
        "begin_time": spec.get("begin_time", parent["begin_time"]),
        "end_time": spec.get("end_time", parent["end_time"]) if terminal else None,
        "error_code": spec.get("error_code") if terminal else None,
        "fail_reason": spec.get("fail_reason") if terminal else None,
    }
    for key, value in spec.items():
        sub.setdefault(key, value)
    return sub


ROUTES: List[Route] = [
    Route("ecs.show_job", "GET", "/v1/{project_id}/jobs/{job_id}", show_job, job_param="job_id", service=NAME),
]
