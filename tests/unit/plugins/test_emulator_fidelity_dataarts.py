# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity of the emulator: Huawei's official DataArts Factory (DLF) client, pointed at it, is accepted and parses it.

The SDK (``huaweicloudsdkdlf`` 3.1.219) percent-encodes the job name as one path segment and signs
the request with ``SDK-HMAC-SHA256``, the ``workspace`` header included; the emulator must route on
the raw path, find the job by its decoded name and accept the signature. The SDK's response model
(``ShowJobStatusResponse``) drops fields the API sends (``startTime`` - it reads ``starttime`` -,
``createUser``, ``lastModifiyUser``, node ``type`` and counters), so parsing is asserted for what
the model has, and the full field list of the vendor page is checked on the raw JSON over plain
HTTP with an IAM token.
"""

import http.client
import json
import time
from urllib.parse import quote, urlsplit

import pytest

from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

sdk_credentials = pytest.importorskip("huaweicloudsdkcore.auth.credentials")
sdk_exceptions = pytest.importorskip("huaweicloudsdkcore.exceptions.exceptions")
dlf_v1 = pytest.importorskip("huaweicloudsdkdlf.v1")

CREDS = Identity()
NORTH = CREDS.projects["cn-north-4"]
WORKSPACE = "1dd3bcd8f5e346f5b9b2a3c4d5e6d93f"
# Space, "/" (sent as %2F), non-ASCII: the name must reach the emulator as one segment.
AWKWARD = "job sms/\u00e9t\u00e9 \u5b9e\u65f6\u4f5c\u4e1a"
PAGE_FIELDS = {"name", "status", "startTime", "endTime", "lastUpdateTime", "createUser", "lastModifiyUser", "nodes"}
PAGE_NODE_FIELDS = {"name", "status", "logPath", "type", "lastInstanceStatus", "speed", "runningData", "totalPutBytes",
                    "bufferRecords", "jobInstanceId", "extendCounter", "totalGetBytes", "totalPutRecords", "totalGetRecords"}
JOBS = [
    {"service": "dataarts", "name": AWKWARD, "workspace": WORKSPACE, "project_id": NORTH,
     "timeline": [["STARTING", 0], ["NORMAL", 0.3]],
     "result": {"nodes": [{"name": "MRS_Flink_Job_8635", "type": "MRS Flink Job", "totalPutRecords": 10}]}},
    {"service": "dataarts", "name": "job_sms", "timeline": [["STOPPING", 0], ["STOPPED", 0.3]]},
]


@pytest.fixture(scope="module")
def emulator():
    with Emulator(jobs=JOBS) as emu:
        yield emu


def dlf_client(emu, credentials=None):
    credentials = credentials or sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key, NORTH)
    return dlf_v1.DlfClient.new_builder().with_credentials(credentials).with_endpoints([emu.url]).build()


def show_job_status(client, job_name, workspace=None):
    return client.show_job_status(dlf_v1.ShowJobStatusRequest(job_name=job_name, workspace=workspace))


def test_awkward_job_name_in_a_workspace(emulator):
    client = dlf_client(emulator)
    starting = show_job_status(client, AWKWARD, WORKSPACE)
    assert starting.status_code == 200
    assert (starting.name, starting.status) == (AWKWARD, "STARTING")
    node = starting.nodes[0]
    assert (node.name, node.status) == ("MRS_Flink_Job_8635", "STARTING")
    assert node.log_path.startswith("obs://")
    # Epoch milliseconds: the model declares strings and converts the numbers.
    assert starting.last_update_time.isdigit() and starting.end_time is None
    # The SDK sent the name as one encoded segment; the emulator counted it under the decoded name.
    recent = emulator.requests()["recent"][-1]
    assert recent["path"] == "/v1/%s/jobs/%s/status" % (NORTH, quote(AWKWARD, safe="")) and recent["job_id"] == AWKWARD

    time.sleep(0.4)
    normal = show_job_status(client, AWKWARD, WORKSPACE)
    assert (normal.status, normal.nodes[0].status) == ("NORMAL", "NORMAL")
    # What the model drops is still on the wire.
    raw = json.loads(normal.raw_content.decode("utf-8"))
    assert set(raw) == PAGE_FIELDS and set(raw["nodes"][0]) == PAGE_NODE_FIELDS
    assert raw["nodes"][0]["totalPutRecords"] == 10


def test_job_in_the_default_workspace_stops(emulator):
    client = dlf_client(emulator)
    assert show_job_status(client, "job_sms").status == "STOPPING"
    time.sleep(0.4)
    stopped = show_job_status(client, "job_sms", CREDS.dataarts_default_workspace)
    assert stopped.status == "STOPPED" and stopped.end_time.isdigit()


def test_workspace_is_honoured(emulator):
    client = dlf_client(emulator)
    with pytest.raises(sdk_exceptions.ClientRequestException) as no_workspace:
        show_job_status(client, AWKWARD)
    assert (no_workspace.value.status_code, no_workspace.value.error_code) == (400, "DLF.0100")
    assert no_workspace.value.error_msg == "The job does not exists."
    with pytest.raises(sdk_exceptions.ClientRequestException) as unknown_workspace:
        show_job_status(client, AWKWARD, "ffffffffffffffffffffffffffffffff")
    assert (unknown_workspace.value.status_code, unknown_workspace.value.error_msg) == (400, "Workspace does not exists")


def test_unknown_job(emulator):
    with pytest.raises(sdk_exceptions.ClientRequestException) as missing:
        show_job_status(dlf_client(emulator), "no such job")
    assert (missing.value.status_code, missing.value.error_code, missing.value.error_msg) == (400, "DLF.0100", "The job does not exists.")


def test_temporary_keys_with_security_token(emulator):
    credentials = sdk_credentials.BasicCredentials(CREDS.temporary_access_key, CREDS.temporary_secret_key, NORTH)
    credentials = credentials.with_security_token(CREDS.security_token)
    assert show_job_status(dlf_client(emulator, credentials), AWKWARD, WORKSPACE).name == AWKWARD


def test_tampered_secret_is_refused_like_the_gateway_does(emulator):
    credentials = sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key[:-1] + "X", NORTH)
    with pytest.raises(sdk_exceptions.ClientRequestException) as refused:
        show_job_status(dlf_client(emulator, credentials), AWKWARD, WORKSPACE)
    assert (refused.value.status_code, refused.value.error_code) == (401, "APIGW.0301")
    assert refused.value.error_msg == "Incorrect IAM authentication information: verify aksk signature fail"


def test_raw_answer_over_plain_http_with_a_token(emulator):
    """The page's field list, odd spelling included, as any HTTP client sees it (X-Auth-Token)."""
    parts = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    login = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": CREDS.user_name, "password": CREDS.password, "domain": {"name": CREDS.domain_name}}}},
        "scope": {"project": {"id": NORTH}}}}
    connection.request("POST", "/v3/auth/tokens", body=json.dumps(login), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    token = response.getheader("X-Subject-Token")
    path = "/v1/%s/jobs/%s/status" % (NORTH, quote(AWKWARD, safe=""))
    connection.request("GET", path, headers={"X-Auth-Token": token, "workspace": WORKSPACE})
    response = connection.getresponse()
    answer = json.loads(response.read().decode("utf-8"))
    assert response.status == 200 and set(answer) == PAGE_FIELDS
    assert (answer["name"], answer["createUser"], answer["lastModifiyUser"]) == (AWKWARD, CREDS.user_name, CREDS.user_name)
    for key in ("startTime", "lastUpdateTime"):
        assert isinstance(answer[key], int) and abs(answer[key] / 1000.0 - time.time()) < 60
    node = answer["nodes"][0]
    assert set(node) == PAGE_NODE_FIELDS
    assert (node["type"], node["totalPutRecords"], node["speed"], node["bufferRecords"]) == ("MRS Flink Job", 10, 0, 0)
    assert isinstance(node["jobInstanceId"], int)
