# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity of the emulator: Huawei's official Cloud Firewall (CFW) client, pointed at it, is accepted.

The SDK (``huaweicloudsdkcfw`` 3.1.219) signs ``ListJob`` with ``SDK-HMAC-SHA256``; the emulator
must accept that and refuse a tampered secret as the gateway does.

The SDK cannot parse the emulator's default answer: its model declares ``begin_time`` and
``end_time`` as dates (the page's table documents ``yyyy-mm-ddThh:mm:ssZ`` strings), while the
page's example - and the emulator by default - send epoch-millisecond numbers. With
``python-dateutil`` installed the SDK fails after the 200 (``AttributeError``: an int has no
``endswith``); without it the SDK hands the number through unparsed. So acceptance of those
answers is asserted at the HTTP level: the emulator logged a 200 for the request and the SDK
raised no ``ClientRequestException`` (its way of reporting a refusal). A job answering in the
documented string form (``result.time_format: iso``) is parsed by the SDK.
"""

import datetime
import http.client
import importlib.util
import json
import re
from urllib.parse import urlsplit

import pytest

from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

sdk_credentials = pytest.importorskip("huaweicloudsdkcore.auth.credentials")
sdk_exceptions = pytest.importorskip("huaweicloudsdkcore.exceptions.exceptions")
cfw_v1 = pytest.importorskip("huaweicloudsdkcfw.v1")

CREDS = Identity()
NORTH = CREDS.projects["cn-north-4"]
EPOCH_JOB = "f588ce71-e26c-400d-8981-f854355f6849"
ISO_JOB = "0c8fa2e5-4b1d-4c6e-9f3a-7d2b1e0a9c41"
JOBS = [
    {"service": "cfw", "id": EPOCH_JOB, "timeline": [["Success", 0]]},
    {"service": "cfw", "id": ISO_JOB, "timeline": [["Running", 0]], "result": {"time_format": "iso"}},
]


@pytest.fixture(scope="module")
def emulator():
    with Emulator(jobs=JOBS) as emu:
        yield emu


def cfw_client(emu, credentials=None):
    credentials = credentials or sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key, NORTH)
    return cfw_v1.CfwClient.new_builder().with_credentials(credentials).with_endpoints([emu.url]).build()


def list_job(client, job_id):
    return client.list_job(cfw_v1.ListJobRequest(job_id=job_id))


def test_epoch_ms_answer_is_accepted_at_the_http_level(emulator):
    client = cfw_client(emulator)
    if importlib.util.find_spec("dateutil") is not None:
        # The SDK's date parser meets a number after the 200 was received.
        with pytest.raises(AttributeError):
            list_job(client, EPOCH_JOB)
    else:
        data = list_job(client, EPOCH_JOB).data
        assert (data.id, data.status) == (EPOCH_JOB, "Success")
        assert isinstance(data.begin_time, int) and isinstance(data.end_time, int)  # passed through, not parsed
    recent = emulator.requests()["recent"][-1]
    assert (recent["route"], recent["job_id"], recent["status"]) == ("cfw.list_job", EPOCH_JOB, "200")


def test_documented_string_times_are_parsed_by_the_sdk(emulator):
    response = list_job(cfw_client(emulator), ISO_JOB)
    assert response.status_code == 200
    data = response.data
    assert (data.id, data.status, data.end_time) == (ISO_JOB, "Running", None)
    if importlib.util.find_spec("dateutil") is not None:
        # Parsed into an aware date: the string was in the documented form.
        assert isinstance(data.begin_time, datetime.datetime) and data.begin_time.tzinfo is not None
    else:
        # Handed through unparsed: it must still be the documented yyyy-mm-ddThh:mm:ssZ.
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data.begin_time)


def test_temporary_keys_with_security_token(emulator):
    credentials = sdk_credentials.BasicCredentials(CREDS.temporary_access_key, CREDS.temporary_secret_key, NORTH)
    credentials = credentials.with_security_token(CREDS.security_token)
    assert list_job(cfw_client(emulator, credentials), ISO_JOB).data.status == "Running"


def test_tampered_secret_is_refused_like_the_gateway_does(emulator):
    credentials = sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key[:-1] + "X", NORTH)
    with pytest.raises(sdk_exceptions.ClientRequestException) as refused:
        list_job(cfw_client(emulator, credentials), EPOCH_JOB)
    error = refused.value
    assert (error.status_code, error.error_code) == (401, "APIGW.0301")
    assert error.error_msg == "Incorrect IAM authentication information: verify aksk signature fail"
    assert error.request_id


def test_unknown_job_gives_the_cfw_error_shape(emulator):
    with pytest.raises(sdk_exceptions.ClientRequestException) as missing:
        list_job(cfw_client(emulator), "no-such-job")
    assert (missing.value.status_code, missing.value.error_code) == (400, "CFW.00200005")


def test_token_auth_as_the_page_describes(emulator):
    """The page names X-Auth-Token: an IAM token from a password login is accepted too."""
    parts = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    login = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": CREDS.user_name, "password": CREDS.password, "domain": {"name": CREDS.domain_name}}}},
        "scope": {"project": {"name": "cn-north-4"}}}}
    connection.request("POST", "/v3/auth/tokens", body=json.dumps(login), headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.request("GET", "/v3/%s/jobs/%s" % (NORTH, EPOCH_JOB), headers={"X-Auth-Token": response.getheader("X-Subject-Token")})
    response = connection.getresponse()
    answer = json.loads(response.read().decode("utf-8"))
    assert response.status == 200 and set(answer) == {"data"}
    data = answer["data"]
    assert set(data) == {"id", "status", "begin_time", "end_time"}
    assert (data["id"], data["status"]) == (EPOCH_JOB, "Success")
    assert isinstance(data["begin_time"], int) and isinstance(data["end_time"], int)
