# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity of the emulator: Huawei's official ECS SDK, pointed at it, is accepted and parses it.

The SDK (``huaweicloudsdkecs`` 3.1.219, tests/unit/requirements.txt) signs with its own
``SDK-HMAC-SHA256`` signer and reads project ids from IAM itself, so a request it sends and the
emulator accepts is evidence that the emulator verifies like the real gateway; a tampered secret
must be refused the way the gateway refuses it.
"""

import pytest

from jobwatch_emulator.identity import DEFAULT_PROJECTS, Identity
from jobwatch_emulator.server import Emulator

sdk_credentials = pytest.importorskip("huaweicloudsdkcore.auth.credentials")
sdk_exceptions = pytest.importorskip("huaweicloudsdkcore.exceptions.exceptions")
sdk_region = pytest.importorskip("huaweicloudsdkcore.region.region")
ecs_v2 = pytest.importorskip("huaweicloudsdkecs.v2")

CREDS = Identity()
NORTH = DEFAULT_PROJECTS["cn-north-4"]
SOUTHEAST = DEFAULT_PROJECTS["ap-southeast-1"]
SERVER_ID = "bae51750-0089-41a1-9b18-5c777978ff6d"
JOBS = [
    {
        "service": "ecs", "id": "2c9eb2c5544cbf6101544f0602af2b4f", "project_id": NORTH,
        "timeline": [["SUCCESS", 0]],
        "result": {"job_type": "createServer", "entities": {"sub_jobs": [
            {"job_id": "2c9eb2c5544cbf6101544f0635672b60", "job_type": "createSingleServer", "entities": {"server_id": SERVER_ID}},
        ]}},
    },
    {
        "service": "ecs", "id": "job-running", "project_id": NORTH, "timeline": [["RUNNING", 0]],
        "result": {"entities": {"sub_jobs": [{"status": "SUCCESS", "entities": {"server_id": SERVER_ID}}]}},
    },
    {"service": "ecs", "id": "job-in-ap-southeast-1", "project_id": SOUTHEAST, "timeline": [["FAIL", 0]],
     "result": {"error_code": "Ecs.0013", "fail_reason": "Insufficient EIP quota."}},
]


@pytest.fixture(scope="module")
def emulator():
    with Emulator(jobs=JOBS) as emu:
        yield emu


def ecs_client(emu, credentials, region=None):
    builder = ecs_v2.EcsClient.new_builder().with_credentials(credentials)
    builder = builder.with_region(region) if region is not None else builder.with_endpoints([emu.url])
    return builder.build()


def show_job(client, job_id):
    return client.show_job(ecs_v2.ShowJobRequest(job_id=job_id))


def test_permanent_keys_and_the_seed_page_shape(emulator):
    client = ecs_client(emulator, sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key, NORTH))

    running = show_job(client, "job-running")
    assert running.status == "RUNNING"
    assert running.end_time is None
    # While the parent runs, its sub-jobs show the parent's status, not their final one.
    assert running.entities.sub_jobs[0].status == "RUNNING"

    done = show_job(client, "2c9eb2c5544cbf6101544f0602af2b4f")
    assert done.status == "SUCCESS"
    assert done.job_type == "createServer"
    assert done.entities.sub_jobs_total == 1
    sub_job = done.entities.sub_jobs[0]
    assert (sub_job.status, sub_job.job_id, sub_job.entities.server_id) == ("SUCCESS", "2c9eb2c5544cbf6101544f0635672b60", SERVER_ID)
    assert done.begin_time.endswith("Z") and done.end_time.endswith("Z")
    assert done.error_code is None and done.fail_reason is None


def test_temporary_keys_with_security_token(emulator):
    credentials = sdk_credentials.BasicCredentials(CREDS.temporary_access_key, CREDS.temporary_secret_key, NORTH)
    credentials = credentials.with_security_token(CREDS.security_token)
    assert show_job(ecs_client(emulator, credentials), "job-running").status == "RUNNING"


def test_temporary_keys_without_their_token_are_refused(emulator):
    credentials = sdk_credentials.BasicCredentials(CREDS.temporary_access_key, CREDS.temporary_secret_key, NORTH)
    with pytest.raises(sdk_exceptions.ClientRequestException) as refused:
        show_job(ecs_client(emulator, credentials), "job-running")
    assert (refused.value.status_code, refused.value.error_code) == (401, "APIGW.0301")


def test_sdk_looks_up_the_project_id_from_iam(emulator):
    """No project id given: the SDK asks IAM (GET /v3/projects?name=REGION) with a signed request."""
    before = emulator.requests()["routes"].get("iam.list_projects", 0)
    credentials = sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key).with_iam_endpoint(emulator.url)
    client = ecs_client(emulator, credentials, region=sdk_region.Region("ap-southeast-1", emulator.url))
    assert credentials.project_id == SOUTHEAST
    failed = show_job(client, "job-in-ap-southeast-1")
    assert (failed.status, failed.error_code, failed.fail_reason) == ("FAIL", "Ecs.0013", "Insufficient EIP quota.")
    assert emulator.requests()["routes"]["iam.list_projects"] == before + 1


def test_tampered_secret_is_refused_like_the_gateway_does(emulator):
    credentials = sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key[:-1] + "X", NORTH)
    with pytest.raises(sdk_exceptions.ClientRequestException) as refused:
        show_job(ecs_client(emulator, credentials), "job-running")
    error = refused.value
    assert (error.status_code, error.error_code) == (401, "APIGW.0301")
    assert error.error_msg == "Incorrect IAM authentication information: verify aksk signature fail"
    assert error.request_id  # from the X-Request-Id header


def test_unknown_job_gives_the_ecs_error_shape(emulator):
    client = ecs_client(emulator, sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key, NORTH))
    with pytest.raises(sdk_exceptions.ClientRequestException) as missing:
        show_job(client, "no-such-job")
    assert (missing.value.status_code, missing.value.error_code) == (400, "Common.0011")


def test_job_of_another_project_is_refused(emulator):
    """The SDK sends X-Project-Id; a job id from another project must not leak across."""
    client = ecs_client(emulator, sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key, NORTH))
    with pytest.raises(sdk_exceptions.ClientRequestException) as missing:
        show_job(client, "job-in-ap-southeast-1")
    assert missing.value.error_code == "Common.0011"


# --- the creation call: CreateServers (POST /v1/{project_id}/cloudservers) -------------------------

def create_servers(client, name="web 服务器", count=2):
    """The SDK's own CreateServers: it signs the JSON body's hash, as the gateway checks it."""
    server = ecs_v2.PrePaidServer(
        name=name, count=count, image_ref="1ce5800d-0f7a-4a0d-b1d2-2a1d2f6e1a3b", flavor_ref="s6.small.1",
        vpcid="0dae26c9-9a9d-4c9a-8a8c-2f9d3c3b5f6e", nics=[ecs_v2.PrePaidServerNic(subnet_id="7a5a2b0e-6b1c-4f1e-9d3e-1a2b3c4d5e6f")],
        root_volume=ecs_v2.PrePaidServerRootVolume(volumetype="SSD"))
    return client.create_servers(ecs_v2.CreateServersRequest(body=ecs_v2.CreateServersRequestBody(server=server)))


def ecs_jobs(emu):
    return len(emu.app.jobs.of_service("ecs"))


@pytest.mark.parametrize("temporary", [False, True], ids=["permanent", "temporary"])
def test_official_client_create_servers_is_accepted_and_its_job_found(emulator, temporary):
    if temporary:
        credentials = sdk_credentials.BasicCredentials(CREDS.temporary_access_key, CREDS.temporary_secret_key, NORTH)
        credentials = credentials.with_security_token(CREDS.security_token)
    else:
        credentials = sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key, NORTH)
    client = ecs_client(emulator, credentials)
    before = ecs_jobs(emulator)

    created = create_servers(client)

    assert created.status_code == 200
    assert len(created.server_ids) == 2 and len(created.job_id) == 32
    assert ecs_jobs(emulator) == before + 1
    job = show_job(client, created.job_id)
    assert job.job_type == "createServer" and job.status in ("INIT", "RUNNING", "SUCCESS")


def test_official_client_create_servers_with_a_tampered_secret_creates_nothing(emulator):
    client = ecs_client(emulator, sdk_credentials.BasicCredentials(CREDS.access_key, CREDS.secret_key[:-1] + "X", NORTH))
    before = ecs_jobs(emulator)
    with pytest.raises(sdk_exceptions.ClientRequestException) as refused:
        create_servers(client)
    assert (refused.value.status_code, refused.value.error_code) == (401, "APIGW.0301")
    assert ecs_jobs(emulator) == before
