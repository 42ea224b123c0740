# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei ECS: ``GET /v1/{project_id}/jobs/{job_id}`` (SDK ``ShowJob``).

The answer has the fields of the "Querying Job Execution Status" page. From a job
spec's ``result``:

- ``error_code`` and ``fail_reason`` appear only once the job is terminal (SUCCESS or FAIL);
- ``entities`` is always shown; while the job is not terminal each sub-job shows the parent's
  status with no end time or error, once it is terminal the sub-job's own ``status``,
  ``error_code``, ``fail_reason``, ``entities.errorcode_message`` (defaults: the parent's status
  and times, nulls); ``sub_jobs_total`` defaults to the number of sub-jobs;
- ``job_type`` defaults to ``createServer`` (a sub-job's to its parent's);
- any other key is copied into the answer as is.

``POST /v1/{project_id}/cloudservers`` ("Creating ECSs"; ``/v1.1/...`` too, SDK ``CreateServers``) starts a
``createServer`` job: the body must be ``{"server": {...}}`` with the fields the page marks
mandatory (``name``, ``imageRef``, ``flavorRef``, ``vpcid``, ``nics``, ``root_volume``), else 400
``Ecs.0005`` "request body is illegal." (the page's error example). ``server.count`` (default 1)
servers get fresh ids; the answer is the page's pay-per-use one, HTTP 200
``{"job_id": "<32 hex>", "serverIds": [...]}``. The job follows ``created_jobs.ecs`` (default INIT,
RUNNING, SUCCESS within 2 s, see creations.py) with one ``createSingleServer`` sub-job per server
whose ``entities.server_id`` is that server's id. Not emulated: yearly/monthly orders
(``order_id``), ``dry_run``, quotas, and every other check the real API makes on the body.

Errors use the ECS shape ``{"error": {"code", "message"}}``. Codes and messages are those of
the ECS API reference's error code table (OTC edition, "Error Codes"): ``Common.0011`` "Failed to
query system tasks." (invalid job ID) and ``Ecs.0023`` "project_id in token mismatches with
project_id in url.". That table lists both with HTTP 400 but warns its HTTP statuses "may not be
accurate"; we answer 400 for the unknown job as the table says, and 403 for the project mismatch
(a choice, not a fact).
"""

import datetime
import hashlib
import uuid
from typing import Any, Dict, List

from ..messages import json_response
from ..routing import Route

NAME = "ecs"
TERMINAL_STATUSES = ("SUCCESS", "FAIL")
JOB_NOT_FOUND = (400, "Common.0011", "Failed to query system tasks.")
PROJECT_MISMATCH = (403, "Ecs.0023", "project_id in token mismatches with project_id in url.")
BODY_ILLEGAL = (400, "Ecs.0005", "request body is illegal.")
SERVER_REQUIRED = ("name", "imageRef", "flavorRef", "vpcid", "nics", "root_volume")
MAX_COUNT = 500  # (guess) the page caps count by the quota; we refuse more than this
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


def _server_count(server: Dict[str, Any]):
    count = server.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        return None
    return count


def create_servers(app, request, params, auth):
    """CreateServers: a createServer job with one createSingleServer sub-job per new server."""
    project_id = params["project_id"]
    if not auth.allows_project(project_id):
        return ecs_error(*PROJECT_MISMATCH)
    try:
        body = request.json()
    except ValueError:
        body = None
    server = body.get("server") if isinstance(body, dict) else None
    count = _server_count(server) if isinstance(server, dict) else None
    if count is None or any(server.get(field) in (None, "", [], {}) for field in SERVER_REQUIRED):
        return ecs_error(*BODY_ILLEGAL)
    server_ids = [str(uuid.uuid4()) for _index in range(count)]
    job_id = uuid.uuid4().hex
    sub_jobs = [{"job_type": "createSingleServer", "entities": {"server_id": server_id}} for server_id in server_ids]
    app.jobs.add([app.creations.spec("ecs", NAME, job_id, {"job_type": "createServer", "entities": {"sub_jobs": sub_jobs}},
                                     project_id=project_id)])
    return json_response(200, {"job_id": job_id, "serverIds": server_ids})


ROUTES: List[Route] = [
    Route("ecs.show_job", "GET", "/v1/{project_id}/jobs/{job_id}", show_job, job_param="job_id", service=NAME),
    Route("ecs.create_servers", "POST", "/v1/{project_id}/cloudservers", create_servers, service=NAME),
    # The same answer for the v1.1 API (SDK huaweicloudsdkecs.v2 CreateServers), which also takes yearly/monthly orders.
    Route("ecs.create_servers", "POST", "/v1.1/{project_id}/cloudservers", create_servers, service=NAME),
]
