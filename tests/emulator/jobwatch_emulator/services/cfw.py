# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud Firewall (CFW): ``GET /v3/{project_id}/jobs/{job_id}`` (SDK ``ListJob``, "List Job Status").

Behind the Huawei gateway: the page names an IAM token (``X-Auth-Token``); AK/SK signatures are
accepted as for every Huawei API. The path has four segments, so it never meets IAM's
``/v3/projects`` or ``/v3/auth/tokens``.

The answer has the fields of the "List Job Status" page::

    {"data": {"id", "status", "begin_time", "end_time"}}

- ``status`` follows the timeline: ``Running``, then ``Success`` or ``Failed``;
- ``begin_time`` is the clock start, ``end_time`` when a terminal status began (``null`` before);
- times are epoch-millisecond **numbers** as in the page's example; the page's table documents
  ``yyyy-mm-ddThh:mm:ssZ`` strings instead, so ``result.time_format`` may choose ``iso``
  (``2022-01-05T08:15:01Z``) or ``iso+0800`` (``2022-01-05T16:15:01+0800``, the page's Beijing
  example); the default is ``epoch_ms``. (Huawei's ``huaweicloudsdkcfw`` models these fields as
  dates and cannot read the numbers: it fails after a 200.)
- other ``result`` keys are copied into ``data``.

Errors: ``{"error_code": "CFW.xxxx", "error_msg": ...}``. An unknown job (or one of another
project) gets 400 ``CFW.00200005``: the code and status are in CFW's error code table
("操作内容不存在", the operation content does not exist); using it for an unknown job, and its
English wording, are our guesses. A caller whose token or ``X-Project-Id`` names another project
gets the gateway's 403 ``APIGW.0302`` (guess, as for DataArts).

``POST /v2/{project_id}/firewall`` (SDK ``CreateFirewall``, "Creating a Firewall") starts the job
that ``ListJob`` reports on. The body needs ``name``, ``flavor.version`` and
``charge_info.charge_mode`` (the page's mandatory fields); otherwise 400 ``CFW.00100001``
(guess: code and wording). The answer follows the page's response table, HTTP 200: a pay-per-use
firewall (``postPaid``) gets ``{"job_id": "<uuid>", "data": {...}}`` where ``data``
(``CreateFirewallReq``) repeats the request's ``name``, ``enterprise_project_id`` (default
``"0"``), ``tags``, ``flavor`` and ``charge_info``; the page returns ``job_id`` "only when the billing
mode is postpaid", so a ``prePaid`` one gets ``order_id`` instead and no job. The job follows
``created_jobs.cfw`` (default Running, then Success after 2 s; see creations.py). Not emulated:
quotas, an existing firewall, ``X-Client-Token`` idempotency.
"""

import datetime
import uuid
from typing import Any, Dict, List, Optional

from ..apig import gateway_error
from ..messages import json_response
from ..routing import Route

NAME = "cfw"
TERMINAL_STATUSES = ("Success", "Failed")
TIME_FORMATS = ("epoch_ms", "iso", "iso+0800")
JOB_NOT_FOUND = (400, "CFW.00200005", "The operation content does not exist.")
PROJECT_FORBIDDEN = (403, "APIGW.0302", "The IAM user is not authorized to access the API.")  # (guess)
BAD_FIREWALL_REQUEST = (400, "CFW.00100001", "The request parameter is invalid.")  # (guess)
CHARGE_MODES = ("postPaid", "prePaid")
_ECHOED = ("name", "enterprise_project_id", "tags", "flavor", "charge_info")
_BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def cfw_error(status: int, code: str, message: str):
    return json_response(status, {"error_code": code, "error_msg": message})


def check_spec(job) -> None:
    if job.result.get("time_format", "epoch_ms") not in TIME_FORMATS:
        raise ValueError("result.time_format must be one of %s" % ", ".join(TIME_FORMATS))


def format_time(timestamp: Optional[float], time_format: str = "epoch_ms"):
    """A time as the answer shows it: epoch milliseconds, or one of the page's string forms."""
    if timestamp is None:
        return None
    if time_format == "epoch_ms":
        return int(round(timestamp * 1000))
    if time_format == "iso":
        return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return datetime.datetime.fromtimestamp(timestamp, _BEIJING).strftime("%Y-%m-%dT%H:%M:%S%z")


def render(job, now: float) -> Dict[str, Any]:
    """The ListJob answer for ``job`` at time ``now``."""
    phase = job.phase(now)
    time_format = job.result.get("time_format", "epoch_ms")
    data = {
        "id": job.job_id,
        "status": phase.status,
        "begin_time": format_time(phase.began_at, time_format),
        "end_time": format_time(phase.entered_at if phase.status in TERMINAL_STATUSES else None, time_format),
    }
    for key, value in job.result.items():
        if key != "time_format":
            data[key] = value
    return {"data": data}


def list_job(app, request, params, auth):
    project_id, job_id = params["project_id"], params["job_id"]
    if not auth.allows_project(project_id):
        return gateway_error(request, *PROJECT_FORBIDDEN)
    job = app.jobs.get(NAME, job_id)
    if job is None or job.project_id != project_id:
        return cfw_error(*JOB_NOT_FOUND)
    return json_response(200, render(job, app.now()))


def _valid_firewall_request(body) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
        return False
    flavor, charge_info = body.get("flavor"), body.get("charge_info")
    return (isinstance(flavor, dict) and isinstance(flavor.get("version"), str) and bool(flavor["version"])
            and isinstance(charge_info, dict) and charge_info.get("charge_mode") in CHARGE_MODES)


def create_firewall(app, request, params, auth):
    """CreateFirewall: a pay-per-use firewall answers the id of the job that creates it."""
    project_id = params["project_id"]
    if not auth.allows_project(project_id):
        return gateway_error(request, *PROJECT_FORBIDDEN)
    try:
        body = request.json()
    except ValueError:
        body = None
    if not _valid_firewall_request(body):
        return cfw_error(*BAD_FIREWALL_REQUEST)
    data = {key: body[key] for key in _ECHOED if key in body}
    data.setdefault("enterprise_project_id", "0")
    if body["charge_info"]["charge_mode"] == "prePaid":
        return json_response(200, {"order_id": "CS%s" % uuid.uuid4().hex[:18].upper(), "data": data})
    job_id = str(uuid.uuid4())
    app.jobs.add([app.creations.spec("cfw", NAME, job_id, project_id=project_id)])
    return json_response(200, {"job_id": job_id, "data": data})


ROUTES: List[Route] = [
    Route("cfw.create_firewall", "POST", "/v2/{project_id}/firewall", create_firewall, service=NAME),
    Route("cfw.list_job", "GET", "/v3/{project_id}/jobs/{job_id}", list_job, job_param="job_id", service=NAME,
          status_path=("data", "status")),
]
