# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud DataWorks ``GetJobStatus`` (API version 2024-05-18), behind Alibaba's gateway.

An RPC-style call: ``GET /`` with the headers ``x-acs-action: GetJobStatus`` and
``x-acs-version: 2024-05-18``, ``JobId`` in the query, signed with ``ACS3-HMAC-SHA256``
(``acs_gateway.py``). The route is chosen by the ``x-acs-action`` header, so it never meets the
Huawei routes; any other action sent to ``/`` gets Alibaba's "API not found" answer.

The answer has the fields of the "GetJobStatus" page (seed 000), in its order::

    {"RequestId": "5E2BFE96-...", "JobStatus": {"JobId", "JobType", "Completed", "Status", "Error", "CreateTime"}}

- ``Status`` follows the timeline: ``Running``, then ``Success``, ``Fail`` or ``Cancel``;
- ``Completed`` is the string ``"True"`` once the status is terminal, else ``"False"``; a job
  spec's ``result.completed`` replaces it once terminal (the page's own example shows
  ``"Completed": "False"`` with ``"Status": "Success"``);
- ``JobType``: ``result.job_type`` (default ``Create``; the page lists Create, Update, Cancel);
- ``Error``: ``result.error``, shown only once terminal, and left out when there is none;
- ``CreateTime``: when the job's clock started, epoch milliseconds as a **number** like the page's
  example (the page's table says string, and so does the SDK model: ``result.create_time_as_string``
  sends it as a string);
- other ``result`` keys are copied into ``JobStatus`` as they are.

Errors use the gateway's body (``acs_gateway.acs_error``). ``Invalid.Param`` "The request
parameter is invalid." (400) is a DataWorks code from its error center; answering it for an
unknown ``JobId`` is our choice (guess). ``MissingJobId``, ``InvalidVersion`` and
``InvalidApi.NotFound`` (404) follow Alibaba's common error table
(``Missing{ParameterName}``, "Specified api is not found, please check your url and method.").
"""

from typing import Any, Dict, List

from ..acs_gateway import acs_error, acs_json
from ..acs3 import query_pairs
from ..routing import Route

NAME = "dataworks"
ACTION = "GetJobStatus"
VERSION = "2024-05-18"
TERMINAL_STATUSES = ("Success", "Fail", "Cancel")
JOB_NOT_FOUND = (400, "Invalid.Param", "The request parameter is invalid.")
MISSING_JOB_ID = (400, "MissingJobId", "JobId is mandatory for this action.")
INVALID_VERSION = (400, "InvalidVersion", "Specified parameter Version is not valid.")
API_NOT_FOUND = (404, "InvalidApi.NotFound", "Specified api is not found, please check your url and method.")
_OPTIONS = ("job_type", "error", "completed", "create_time_as_string")


def check_spec(job) -> None:
    completed = job.result.get("completed")
    if completed is not None and completed not in ("True", "False"):
        raise ValueError('result.completed must be the string "True" or "False"')


def render(job, now: float) -> Dict[str, Any]:
    """The ``JobStatus`` object for ``job`` at time ``now``."""
    phase = job.phase(now)
    terminal = phase.status in TERMINAL_STATUSES
    result = job.result
    status = {
        "JobId": job.job_id,
        "JobType": result.get("job_type", "Create"),
        "Completed": result.get("completed", "True") if terminal else "False",
        "Status": phase.status,
    }
    if terminal and result.get("error") is not None:
        status["Error"] = result["error"]
    created = int(round(phase.began_at * 1000))
    status["CreateTime"] = str(created) if result.get("create_time_as_string") else created
    for key, value in result.items():
        if key not in _OPTIONS:
            status.setdefault(key, value)
    return status


def get_job_status(app, request, params, auth):  # pylint: disable=unused-argument
    job_id = dict(query_pairs(request.raw_query)).get("JobId")
    if not job_id:
        return acs_error(request, *MISSING_JOB_ID)
    job = app.jobs.get(NAME, job_id)
    if job is None:
        return acs_error(request, *JOB_NOT_FOUND)
    return acs_json(request, 200, {"JobStatus": render(job, app.now())})


def unknown_api(app, request, params, auth):  # pylint: disable=unused-argument
    """Another action, or GetJobStatus with another version: answered before any signature check."""
    if (request.header("x-acs-action") or "").strip() == ACTION:
        return acs_error(request, *INVALID_VERSION)
    return acs_error(request, *API_NOT_FOUND)


def _is_get_job_status(request) -> bool:
    return (request.header("x-acs-action") or "").strip() == ACTION and (request.header("x-acs-version") or "").strip() == VERSION


def _is_alibaba_call(request) -> bool:
    return request.header("x-acs-action") is not None


ROUTES: List[Route] = [
    Route("dataworks.get_job_status", "*", "/", get_job_status, auth="acs3", job_query="JobId", service=NAME,
          status_path=("JobStatus", "Status"), when=_is_get_job_status, dialect="alibaba"),
    Route("dataworks.unknown_api", "*", "/", unknown_api, auth="none", when=_is_alibaba_call, dialect="alibaba"),
]
