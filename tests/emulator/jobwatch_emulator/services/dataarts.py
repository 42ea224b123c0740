# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei DataArts Studio, DataArts Factory (service code DLF): the running status of a real-time job.

``GET /v1/{project_id}/jobs/{job_name}/status`` (SDK ``ShowJobStatus``) behind the Huawei
gateway (AK/SK or IAM token, as for ECS). ``job_name`` arrives percent-encoded as one path
segment (space ``%20``, ``/`` as ``%2F``, UTF-8 bytes of non-ASCII); the route matches the raw
path, so an encoded ``/`` stays inside the name, and the segment is decoded to find the job.

Jobs are keyed by their **name** (``"name"`` in the job spec; ``"id"`` is accepted as the same
thing), one job per name. A job may live in a ``"workspace"`` (a workspace id); without one it
is in the account's default workspace (``credentials.dataarts_default_workspace``). A request's
optional ``workspace`` header chooses the workspace (none: the default one):

- a workspace no job is in (and not the default one): 400 ``"Workspace does not exists"``, the
  message Huawei's FAQ quotes; the code ``DLF.0001`` is not documented anywhere we found (guess);
- the job is in another workspace (a request without the header for a job with a workspace, or
  with another workspace's id), of another project, or unknown: 400 ``DLF.0100``.

``DLF.0100`` is the "job does not exist" code of DataArts Factory's error code table (HTTP 400);
its message here, "The job does not exists.", is the one the API page's failure example prints
(next to the code ``DLF.30100``). A caller whose token or ``X-Project-Id`` names another project
gets the gateway's 403 ``APIGW.0302`` "The IAM user is not authorized to access the API." (guess).

The answer has the fields of the "Viewing Running Status of a Real-Time Job" page,
spellings included (``lastModifiyUser``)::

    {"name", "status", "startTime", "endTime", "lastUpdateTime", "createUser", "lastModifiyUser", "nodes": [
        {"name", "status", "logPath", "type", "lastInstanceStatus", "speed", "runningData", "totalPutBytes",
         "bufferRecords", "jobInstanceId", "extendCounter", "totalGetBytes", "totalPutRecords", "totalGetRecords"}]}

- ``status`` follows the timeline: STARTING, NORMAL, EXCEPTION, STOPPING, STOPPED (e.g.
  ``[["STARTING", 0], ["NORMAL", 2]]`` for a start, ``[["STOPPING", 0], ["STOPPED", 2]]`` for a stop);
- times are epoch milliseconds (numbers): ``startTime`` the clock start, ``lastUpdateTime`` when
  the current status began, ``endTime`` when EXCEPTION or STOPPED began (``null`` before);
- ``createUser``/``lastModifiyUser`` default to the IAM user's name;
- ``result.nodes``: node specs with the answer's own keys; a node shows the job's status (and a
  ``lastInstanceStatus`` derived from it: ours) until the job reaches its last timeline entry, then
  its own ``status``/``lastInstanceStatus`` if given. Missing counters are 0, ``type`` ``CS Job``,
  ``runningData``/``extendCounter`` ``""``, ``jobInstanceId`` a stable number. Without
  ``result.nodes`` the job has one node, ``MRS_Flink_Job`` (the page's example has one);
- ``result.capitalized_last_instance_status: true`` spells the node key ``LastInstanceStatus``
  as the page's example does; other ``result`` keys replace or add top-level answer fields.

``POST /v1/{project_id}/jobs/{job_name}/start`` and ``.../stop`` ("Starting a Job", "Stopping a
Job") find the job as ``ShowJobStatus`` does (same workspace and project checks, same errors) and
answer as the pages do: HTTP 204, no body. The job's status then follows
``created_jobs.dataarts_start`` (default STARTING, then NORMAL after 2 s) or
``created_jobs.dataarts_stop`` (STOPPING, then STOPPED), its clock starting at the call; its
nodes, workspace and pending faults stay. The optional start body (``jobParams``, a list) is
checked for shape only. Not emulated: refusing to start a running job or stop a stopped one
(the pages document no error for either).
"""

import hashlib
from typing import Any, Dict, List

from ..apig import gateway_error
from ..messages import Response, json_response
from ..routing import Route

NAME = "dataarts"
ID_FIELD = "name"
SPEC_FIELDS = ("name", "workspace")
ENDED_STATUSES = ("EXCEPTION", "STOPPED")
JOB_NOT_FOUND = (400, "DLF.0100", "The job does not exists.")
WORKSPACE_NOT_FOUND = (400, "DLF.0001", "Workspace does not exists")  # code: guess
PROJECT_FORBIDDEN = (403, "APIGW.0302", "The IAM user is not authorized to access the API.")  # (guess)
BAD_REQUEST_BODY = (400, "DLF.0002", "The request body is invalid.")  # (guess): code and wording
# lastInstanceStatus while a node follows its job (ours; the page's example shows "waiting").
_INSTANCE_STATUS = {"STARTING": "waiting", "NORMAL": "running", "STOPPING": "running", "STOPPED": "success", "EXCEPTION": "fail"}
_NODE_COUNTERS = ("speed", "totalPutBytes", "bufferRecords", "totalGetBytes", "totalPutRecords", "totalGetRecords")
_OPTIONS = ("nodes", "capitalized_last_instance_status")


def dlf_error(status: int, code: str, message: str):
    return json_response(status, {"error_code": code, "error_msg": message})


def check_spec(job) -> None:
    workspace = job.extra.get("workspace")
    if workspace is not None and (not isinstance(workspace, str) or not workspace):
        raise ValueError("workspace must be a non-empty string (a workspace id)")
    nodes = job.result.get("nodes", [])
    if not isinstance(nodes, list) or not all(isinstance(node, dict) and node.get("name") for node in nodes):
        raise ValueError("result.nodes must be a list of objects with a name")


def _ms(timestamp: float) -> int:
    return int(round(timestamp * 1000))


def render(job, now: float, user_name: str = "demo-user") -> Dict[str, Any]:
    """The ShowJobStatus answer for ``job`` at time ``now``."""
    phase = job.phase(now)
    result = job.result
    answer = {
        "name": job.job_id,
        "status": phase.status,
        "startTime": _ms(phase.began_at),
        "endTime": _ms(phase.entered_at) if phase.status in ENDED_STATUSES else None,
        "lastUpdateTime": _ms(phase.entered_at),
        "createUser": user_name,
        "lastModifiyUser": user_name,
    }
    node_specs = result.get("nodes") or [{"name": "MRS_Flink_Job"}]
    instance_key = "LastInstanceStatus" if result.get("capitalized_last_instance_status") else "lastInstanceStatus"
    answer["nodes"] = [_node(job, spec, phase, instance_key) for spec in node_specs]
    for key, value in result.items():
        if key not in _OPTIONS:
            answer[key] = value
    return answer


def _node(job, spec: Dict[str, Any], phase, instance_key: str) -> Dict[str, Any]:
    own = phase.final  # the job reached its last timeline entry: nodes show their own status
    status = spec.get("status", phase.status) if own else phase.status
    derived = _INSTANCE_STATUS.get(status, "running")
    instance_status = spec.get("lastInstanceStatus", spec.get("LastInstanceStatus", derived)) if own else derived
    digest = hashlib.sha256(("%s/%s" % (job.job_id, spec["name"])).encode("utf-8")).hexdigest()
    node = {
        "name": spec["name"],
        "status": status,
        "logPath": spec.get("logPath", "obs://dlf-log-%s/%s/" % (job.project_id, spec["name"])),
        "type": spec.get("type", "CS Job"),
        instance_key: instance_status,
        "speed": 0,
        "runningData": "",
        "totalPutBytes": 0,
        "bufferRecords": 0,
        "jobInstanceId": spec.get("jobInstanceId", int(digest[:12], 16)),
        "extendCounter": "",
        "totalGetBytes": 0,
        "totalPutRecords": 0,
        "totalGetRecords": 0,
    }
    for key, value in spec.items():
        if key not in ("status", "lastInstanceStatus", "LastInstanceStatus"):
            node[key] = value
    return node


def _find_job(app, request, params, auth):
    """(job, None) for the job a request names in its workspace and project, or (None, error answer)."""
    project_id, job_name = params["project_id"], params["job_name"]
    if not auth.allows_project(project_id):
        return None, gateway_error(request, *PROJECT_FORBIDDEN)
    default = app.identity.dataarts_default_workspace
    sent = (request.header("workspace") or "").strip()
    wanted = sent or default
    if sent and sent != default and all(job.extra.get("workspace") != sent for job in app.jobs.of_service(NAME)):
        return None, dlf_error(*WORKSPACE_NOT_FOUND)
    job = app.jobs.get(NAME, job_name)
    if job is None or job.project_id != project_id or job.extra.get("workspace", default) != wanted:
        return None, dlf_error(*JOB_NOT_FOUND)
    return job, None


def show_job_status(app, request, params, auth):
    job, error = _find_job(app, request, params, auth)
    if error is not None:
        return error
    return json_response(200, render(job, app.now(), app.identity.user_name))


def _change_state(kind):
    """StartJob / StopJob: the job's status follows the kind's timeline from now on; 204, no body."""

    def handler(app, request, params, auth):
        job, error = _find_job(app, request, params, auth)
        if error is not None:
            return error
        if kind == "dataarts_start" and request.body.strip():
            try:
                body = request.json()
            except ValueError:
                body = None
            if not isinstance(body, dict) or not isinstance(body.get("jobParams", []), list):
                return dlf_error(*BAD_REQUEST_BODY)
        spec = {key: value for key, value in job.spec.items() if key not in ("timeline", "start", "faults", "result")}
        spec.update(app.creations.spec(kind, NAME, job.job_id, job.result, project_id=job.project_id))
        with app.jobs.lock:
            app.jobs.add([spec])
            app.jobs.get(NAME, job.job_id).faults = job.faults  # pending faults stay with the job
        return Response(status=204)

    return handler


ROUTES: List[Route] = [
    Route("dataarts.show_job_status", "GET", "/v1/{project_id}/jobs/{job_name}/status", show_job_status,
          job_param="job_name", service=NAME),
    Route("dataarts.start_job", "POST", "/v1/{project_id}/jobs/{job_name}/start", _change_state("dataarts_start"),
          job_param="job_name", service=NAME),
    Route("dataarts.stop_job", "POST", "/v1/{project_id}/jobs/{job_name}/stop", _change_state("dataarts_stop"),
          job_param="job_name", service=NAME),
]
