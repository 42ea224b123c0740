# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity of the emulator: Alibaba's official DataWorks client, pointed at it, is accepted and parses it.

The client (``alibabacloud-dataworks-public20240518`` 9.11.0 over ``alibabacloud-tea-openapi``
0.4.6, tests/unit/requirements.txt) signs with its own ``ACS3-HMAC-SHA256`` code, so a request it
sends and the emulator accepts is evidence that the emulator verifies like Alibaba's gateway; a
tampered secret must be refused, and a request signed once and sent twice must be refused for
its used nonce.
"""

import http.client
import time
from urllib.parse import urlsplit

import pytest

from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

openapi_models = pytest.importorskip("alibabacloud_tea_openapi.models")
openapi_exceptions = pytest.importorskip("alibabacloud_tea_openapi.exceptions")
openapi_utils = pytest.importorskip("alibabacloud_tea_openapi.utils")
darabonba_core = pytest.importorskip("darabonba.core")
dataworks_client = pytest.importorskip("alibabacloud_dataworks_public20240518.client")
dataworks_models = pytest.importorskip("alibabacloud_dataworks_public20240518.models")

CREDS = Identity()
JOBS = [
    {"service": "dataworks", "id": "70ecdaec-bf21-4c11-8ecb-4f77453ceea8", "timeline": [["Running", 0], ["Success", 0.3]]},
    {"service": "dataworks", "id": "job-failed", "timeline": [["Fail", 0]], "result": {"job_type": "Update", "error": "Not Found"}},
    {"service": "dataworks", "id": "job-throttled", "timeline": [["Running", 0]],
     "faults": [{"kind": "throttle", "retry_after": 2}, {"kind": "http_5xx"}]},
]


@pytest.fixture(scope="module")
def emulator():
    with Emulator(jobs=JOBS) as emu:
        yield emu


def client(emu, access_key=CREDS.ali_access_key, secret=CREDS.ali_secret_key, security_token=None):
    config = openapi_models.Config(access_key_id=access_key, access_key_secret=secret, security_token=security_token,
                                   endpoint=urlsplit(emu.url).netloc, protocol="http")
    return dataworks_client.Client(config)


def get_job_status(dataworks, job_id):
    return dataworks.get_job_status(dataworks_models.GetJobStatusRequest(job_id=job_id))


def test_permanent_key_and_the_seed_page_shape(emulator):
    dataworks = client(emulator)
    response = get_job_status(dataworks, "70ecdaec-bf21-4c11-8ecb-4f77453ceea8")
    assert response.status_code == 200
    body = response.body
    assert body.request_id == response.headers["x-acs-request-id"]
    status = body.job_status
    assert (status.job_id, status.job_type, status.status, status.completed) == ("70ecdaec-bf21-4c11-8ecb-4f77453ceea8", "Create", "Running", "False")
    assert status.error is None
    # The page's example sends CreateTime as a number; the SDK model keeps what it gets.
    assert isinstance(status.create_time, int) and abs(status.create_time / 1000.0 - time.time()) < 60

    time.sleep(0.4)
    done = get_job_status(dataworks, "70ecdaec-bf21-4c11-8ecb-4f77453ceea8").body.job_status
    assert (done.status, done.completed, done.create_time) == ("Success", "True", status.create_time)

    failed = get_job_status(dataworks, "job-failed").body.job_status
    assert (failed.status, failed.completed, failed.job_type, failed.error) == ("Fail", "True", "Update", "Not Found")


def test_sts_credentials_with_security_token(emulator):
    dataworks = client(emulator, CREDS.ali_sts_access_key, CREDS.ali_sts_secret_key, CREDS.ali_sts_token)
    assert get_job_status(dataworks, "job-failed").body.job_status.status == "Fail"


def test_sts_credentials_with_another_token_are_refused(emulator):
    dataworks = client(emulator, CREDS.ali_sts_access_key, CREDS.ali_sts_secret_key, "emulator-ali-sts-token-9999")
    with pytest.raises(openapi_exceptions.ClientException) as refused:
        get_job_status(dataworks, "job-failed")
    assert (refused.value.status_code, refused.value.code) == (400, "InvalidSecurityToken.MismatchWithAccessKey")


def test_tampered_secret_is_refused_like_the_gateway_does(emulator):
    dataworks = client(emulator, secret=CREDS.ali_secret_key[:-1] + "X")
    with pytest.raises(openapi_exceptions.ClientException) as refused:
        get_job_status(dataworks, "job-failed")
    error = refused.value
    assert (error.status_code, error.code) == (400, "SignatureDoesNotMatch")
    assert "Specified signature is not matched with our calculation." in error.message
    assert error.request_id and error.data["HostId"] == urlsplit(emulator.url).netloc


def test_unknown_access_key(emulator):
    with pytest.raises(openapi_exceptions.ClientException) as refused:
        get_job_status(client(emulator, access_key="LTAI5tNOSUCHKEY00000"), "job-failed")
    assert (refused.value.status_code, refused.value.code) == (404, "InvalidAccessKeyId.NotFound")


def test_unknown_job_gives_a_dataworks_error(emulator):
    with pytest.raises(openapi_exceptions.ClientException) as missing:
        get_job_status(client(emulator), "no-such-job")
    assert (missing.value.status_code, missing.value.code) == (400, "Invalid.Param")


def test_replayed_nonce_is_refused(emulator, monkeypatch):
    """Sign once with the SDK's own code, send the very same request twice."""
    sent = []
    original = darabonba_core.DaraCore.do_action

    def spy(request, runtime_option=None):
        sent.append(request)
        return original(request, runtime_option)

    monkeypatch.setattr(darabonba_core.DaraCore, "do_action", staticmethod(spy))
    assert get_job_status(client(emulator), "job-failed").status_code == 200
    signed = sent[-1]
    parts = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request(signed.method, darabonba_core.DaraCore.compose_url(signed).split(parts.netloc, 1)[1], headers=signed.headers)
    replay = connection.getresponse()
    body = replay.read().decode("utf-8")
    assert replay.status == 400 and '"Code":"SignatureNonceUsed"' in body
    assert replay.getheader("x-acs-request-id") in body


def test_sdk_reusing_a_nonce_is_refused(emulator, monkeypatch):
    """A client that does not make a fresh nonce per request (e.g. a retry not re-signed) is caught."""
    monkeypatch.setattr(openapi_utils.Utils, "get_nonce", staticmethod(lambda: "fixed-nonce-0001"))
    dataworks = client(emulator)
    assert get_job_status(dataworks, "job-failed").status_code == 200
    with pytest.raises(openapi_exceptions.ClientException) as replayed:
        get_job_status(dataworks, "job-failed")
    assert (replayed.value.status_code, replayed.value.code) == (400, "SignatureNonceUsed")


def test_throttling_and_server_errors_as_the_sdk_reads_them(emulator):
    dataworks = client(emulator)
    with pytest.raises(openapi_exceptions.ThrottlingException) as throttled:
        get_job_status(dataworks, "job-throttled")
    # x-acs-retry-after is read as milliseconds by the SDK: retry_after 2 s in the job spec.
    assert (throttled.value.status_code, throttled.value.code, throttled.value.retry_after) == (400, "Throttling.User", 2000)
    with pytest.raises(openapi_exceptions.ServerException) as unavailable:
        get_job_status(dataworks, "job-throttled")
    assert (unavailable.value.status_code, unavailable.value.code) == (503, "ServiceUnavailable")
    assert get_job_status(dataworks, "job-throttled").body.job_status.status == "Running"
