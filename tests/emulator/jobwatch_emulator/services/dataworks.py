# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud DataWorks ``GetJobStatus`` (API version 2024-05-18), behind Alibaba's gateway.

An RPC-style call: ``GET /`` with the headers ``x-acs-action: GetJobStatus`` and
``x-acs-version: 2024-05-18``, ``JobId`` in the query, signed with ``ACS3-HMAC-SHA256``
(``acs_gateway.py``). The route is chosen by the ``x-acs-action`` header, so it never meets the
Huawei routes; any other action sent to ``/`` gets Alibaba's "API not found" answer.

The answer has the fields of the "GetJobStatus" page, in its order::

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

An asynchronous operation that returns a ``JobId``: ``ImportWorkflowDefinition`` (2024-05-18; our
pick among the operations whose page says "call GetJobStatus"). Its SDK sends ``POST /`` with
``x-acs-action: ImportWorkflowDefinition`` and the parameters ``ProjectId`` (workspace id, a
number), ``Spec`` (FlowSpec JSON) and the optional ``DryRun`` (validate only; the SDK writes the
boolean as ``True``/``False``) form-encoded in the body; the query works too. Signed like
``GetJobStatus``: ``x-acs-content-sha256`` must be the hash of the form body received and is
signed, so a body changed or moved into the query is refused, and a request sent again with its
nonce is refused before it can start a second job (``acs_gateway.py``). A missing parameter gets
``MissingProjectId``/``MissingSpec`` (400); a ``ProjectId`` that is not a number, a ``Spec`` that
is not a JSON object or a ``DryRun`` other than true/false (any case) gets ``Invalid.Param``
(guess). A dry run answers like an import (the real API reports validation through the same
asynchronous job). The answer, HTTP 200, has the fields of the SDK's response model::

    {"RequestId": "...", "AsyncJob": {"Id", "Type": "Create", "Status": "Running", "Completed": false,
                                      "Progress": 0, "CreateTime": <epoch ms>}}

An Alibaba call (an ``x-acs-action`` header) to any other path is a ROA-style call (the path names
the resource, a body is JSON); DataWorks has none, so it gets ``InvalidApi.NotFound`` (404) - after
the gateway has checked its signature over that path and the body's hash, so that a ROA client's
signing is tested end to end (the real gateway's order of the two checks is not documented; guess).

(``Error`` and ``Response`` are left out while the job runs; their presence, and every value shown,
are our reading of the model, not of a printed example.) ``AsyncJob.Id`` is the ``JobId`` for
``GetJobStatus``; the job follows ``created_jobs.dataworks`` (default Running, then Success after 2 s).
"""

import json
import uuid
from typing import Any, Dict, List
from urllib.parse import parse_qsl

from ..acs_gateway import acs_error, acs_json
from ..acs3 import query_pairs
from ..routing import Route

NAME = "dataworks"
ACTION = "GetJobStatus"
IMPORT_ACTION = "ImportWorkflowDefinition"
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


def _rpc_parameters(request) -> Dict[str, str]:
    """An RPC call's parameters: the query, then a form-encoded body (which wins)."""
    parameters = dict(query_pairs(request.raw_query))
    content_type = (request.header("content-type") or "").lower()
    if request.body and "application/x-www-form-urlencoded" in content_type:
        parameters.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    return parameters


def import_workflow_definition(app, request, params, auth):  # pylint: disable=unused-argument
    """ImportWorkflowDefinition: an asynchronous job whose id GetJobStatus takes."""
    parameters = _rpc_parameters(request)
    for name in ("ProjectId", "Spec"):
        if not parameters.get(name):
            return acs_error(request, 400, "Missing%s" % name, "%s is mandatory for this action." % name)
    try:
        spec = json.loads(parameters["Spec"])
    except ValueError:
        spec = None
    dry_run = parameters.get("DryRun", "false").lower()
    if not parameters["ProjectId"].isdigit() or not isinstance(spec, dict) or dry_run not in ("true", "false"):
        return acs_error(request, *JOB_NOT_FOUND)  # Invalid.Param (guess)
    job_id = str(uuid.uuid4())
    job = app.jobs.get(NAME, app.jobs.add([app.creations.spec("dataworks", NAME, job_id, {"job_type": "Create"})])[0])
    phase = job.phase(app.now())
    return acs_json(request, 200, {"AsyncJob": {
        "Id": job_id, "Type": "Create", "Status": phase.status, "Completed": phase.status in TERMINAL_STATUSES,
        "Progress": 100 if phase.status in TERMINAL_STATUSES else 0, "CreateTime": int(round(phase.began_at * 1000))}})


def unknown_api(app, request, params, auth):  # pylint: disable=unused-argument
    """Another action, or GetJobStatus with another version: answered before any signature check."""
    if (request.header("x-acs-action") or "").strip() in (ACTION, IMPORT_ACTION):
        return acs_error(request, *INVALID_VERSION)
    return acs_error(request, *API_NOT_FOUND)


def unknown_roa_api(app, request, params, auth):  # pylint: disable=unused-argument
    """A ROA-style call, its signature accepted: no such API here."""
    return acs_error(request, *API_NOT_FOUND)


def _is_action(action):
    def test(request) -> bool:
        return (request.header("x-acs-action") or "").strip() == action and (request.header("x-acs-version") or "").strip() == VERSION
    return test


_is_get_job_status = _is_action(ACTION)


def _is_alibaba_call(request) -> bool:
    return request.header("x-acs-action") is not None


ROUTES: List[Route] = [
    Route("dataworks.get_job_status", "*", "/", get_job_status, auth="acs3", job_query="JobId", service=NAME,
          status_path=("JobStatus", "Status"), when=_is_get_job_status, dialect="alibaba"),
    Route("dataworks.import_workflow_definition", "*", "/", import_workflow_definition, auth="acs3", service=NAME,
          when=_is_action(IMPORT_ACTION), dialect="alibaba"),
    Route("dataworks.unknown_api", "*", "/", unknown_api, auth="none", when=_is_alibaba_call, dialect="alibaba"),
    Route("dataworks.unknown_roa_api", "*", "/{path*}", unknown_roa_api, auth="acs3", service=NAME, when=_is_alibaba_call,
          dialect="alibaba"),
]
