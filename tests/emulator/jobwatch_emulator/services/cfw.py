# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud Firewall (CFW): ``GET /v3/{project_id}/jobs/{job_id}`` (SDK ``ListJob``, "List Job Status").

Behind the Huawei gateway: the page names an IAM token (``X-Auth-Token``); AK/SK signatures are
accepted as for every Huawei API. The path has four segments, so it never meets IAM's
``/v3/projects`` or ``/v3/auth/tokens``.

The answer has the fields of the page (seed 001)::

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
"""

import datetime
from typing import Any, Dict, List, Optional

from ..apig import gateway_error
from ..messages import json_response
from ..routing import Route

NAME = "cfw"
TERMINAL_STATUSES = ("Success", "Failed")
TIME_FORMATS = ("epoch_ms", "iso", "iso+0800")
JOB_NOT_FOUND = (400, "CFW.00200005", "The operation content does not exist.")
PROJECT_FORBIDDEN = (403, "APIGW.0302", "The IAM user is not authorized to access the API.")  # (guess)
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


ROUTES: List[Route] = [
    Route("cfw.list_job", "GET", "/v3/{project_id}/jobs/{job_id}", list_job, job_param="job_id", service=NAME,
          status_path=("data", "status")),
]
