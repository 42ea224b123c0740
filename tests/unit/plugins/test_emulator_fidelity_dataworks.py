# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity of the emulator: Alibaba's official DataWorks client, pointed at it, is accepted and parses it.

The client (``alibabacloud-dataworks-public20240518`` 9.11.0 over ``alibabacloud-tea-openapi``
0.4.6, tests/unit/requirements.txt) signs with its own ``ACS3-HMAC-SHA256`` code, so a request it
sends and the emulator accepts is evidence that the emulator verifies like Alibaba's gateway; a
tampered secret must be refused, and a request signed once and sent twice must be refused for
its used nonce. The same holds for the creation call, ``ImportWorkflowDefinition`` (a POST with a
form body), which our own signer (``form_body`` + ``sign``) must get accepted too.
"""

import http.client
import json
import time
from urllib.parse import urlsplit

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._acs3_signer import form_body
from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_cloud import Acs3Auth, AlibabaConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import HttpClient
from ansible_collections.jobwatch.cloud.plugins.module_utils._retry import RetryPolicy
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


# --- the creation call: ImportWorkflowDefinition ------------------------------------------------------

FLOW_SPEC = json.dumps({"version": "1.1.0", "kind": "CycleWorkflow", "spec": {"workflows": [{"name": "工作流 a+b"}]}},
                       ensure_ascii=False)


def import_workflow(dataworks, **fields):
    return dataworks.import_workflow_definition(dataworks_models.ImportWorkflowDefinitionRequest(
        project_id=fields.pop("project_id", 123456), spec=fields.pop("spec", FLOW_SPEC), **fields))


def dataworks_jobs(emu):
    return len(emu.app.jobs.of_service("dataworks"))


@pytest.mark.parametrize("sts", [False, True], ids=["permanent", "sts"])
def test_official_client_import_workflow_definition_is_accepted(emulator, sts):
    dataworks = client(emulator, CREDS.ali_sts_access_key, CREDS.ali_sts_secret_key, CREDS.ali_sts_token) if sts else client(emulator)
    before = dataworks_jobs(emulator)
    response = import_workflow(dataworks, dry_run=True)
    job = response.body.async_job
    assert response.status_code == 200 and (job.type, job.status, job.completed) == ("Create", "Running", False)
    assert dataworks_jobs(emulator) == before + 1
    assert get_job_status(dataworks, job.id).body.job_status.job_id == job.id


def test_official_client_import_with_a_tampered_secret_is_refused(emulator):
    before = dataworks_jobs(emulator)
    with pytest.raises(openapi_exceptions.ClientException) as refused:
        import_workflow(client(emulator, secret=CREDS.ali_secret_key[:-1] + "X"))
    assert (refused.value.status_code, refused.value.code) == (400, "SignatureDoesNotMatch")
    assert dataworks_jobs(emulator) == before


def test_official_client_import_sent_twice_is_refused_and_creates_one_job(emulator, monkeypatch):
    sent = []
    original = darabonba_core.DaraCore.do_action

    def spy(request, runtime_option=None):
        sent.append(request)
        return original(request, runtime_option)

    monkeypatch.setattr(darabonba_core.DaraCore, "do_action", staticmethod(spy))
    before = dataworks_jobs(emulator)
    assert import_workflow(client(emulator)).status_code == 200
    signed = sent[-1]
    body = signed.body if isinstance(signed.body, bytes) else signed.body.encode("utf-8")
    assert signed.headers["content-type"] == "application/x-www-form-urlencoded" and b"Spec=" in body
    parts = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request(signed.method, darabonba_core.DaraCore.compose_url(signed).split(parts.netloc, 1)[1],
                       body=body, headers=signed.headers)
    replay = connection.getresponse()
    assert replay.status == 400 and '"Code":"SignatureNonceUsed"' in replay.read().decode("utf-8")
    assert dataworks_jobs(emulator) == before + 1


def our_client(retries=0):
    return HttpClient(AlibabaConventions(), timeout=5, retry=RetryPolicy(retries=retries, base=0.01, cap=0.01), sleep=lambda _s: None)


def test_our_signer_import_workflow_definition_is_accepted(emulator):
    headers = {"x-acs-action": "ImportWorkflowDefinition", "x-acs-version": "2024-05-18", "accept": "application/json",
               "content-type": "application/x-www-form-urlencoded"}
    body = form_body({"ProjectId": 123456, "Spec": FLOW_SPEC, "DryRun": False})
    for auth in (Acs3Auth(CREDS.ali_access_key, CREDS.ali_secret_key),
                 Acs3Auth(CREDS.ali_sts_access_key, CREDS.ali_sts_secret_key, CREDS.ali_sts_token)):
        reply = our_client().request("POST", emulator.url + "/", "import a workflow", headers=headers, body=body, auth=auth)
        job_id = reply.data["AsyncJob"]["Id"]
        assert reply.status == 200 and reply.request_id == reply.data["RequestId"]
        assert get_job_status(client(emulator), job_id).body.job_status.job_id == job_id


def test_our_retries_are_signed_with_a_fresh_nonce():
    """A 5xx answered after the gateway accepted (and remembered) the nonce: the retry must not reuse it."""
    with Emulator(jobs=JOBS) as emu:
        emu.app.global_faults.extend([{"kind": "http_5xx", "times": 2, "service": "dataworks"}])
        headers = {"x-acs-action": "GetJobStatus", "x-acs-version": "2024-05-18", "accept": "application/json"}
        reply = our_client(retries=3).request("GET", emu.url + "/", "query a job", query=[("JobId", "job-failed")],
                                              headers=headers, auth=Acs3Auth(CREDS.ali_access_key, CREDS.ali_secret_key))
        assert reply.data["JobStatus"]["Status"] == "Fail"
        assert emu.requests()["statuses"] == {"503": 2, "200": 1}
