# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creation calls in the emulator: ECS create servers, CFW create firewall, DataArts start/stop,
DataWorks ImportWorkflowDefinition - authentication, answers, the jobs they start and their timelines,
and the official SDK clients accepting them."""

import json
import os
import subprocess
import sys
import time
from urllib.parse import quote, urlencode

import pytest

from jobwatch_emulator import creations
from jobwatch_emulator.app import EmulatorApp
from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

WHO = Identity()
NORTH, SOUTHEAST = WHO.projects["cn-north-4"], WHO.projects["ap-southeast-1"]
WORKSPACE = "b6d1e2c3a4f5061728394a5b6c7d8e9f"
SERVER = {"name": "web", "imageRef": "img-1", "flavorRef": "s6.small.1", "vpcid": "vpc-1",
          "nics": [{"subnet_id": "subnet-1"}], "root_volume": {"volumetype": "SSD"}}
FIREWALL = {"name": "fw-1", "flavor": {"version": "Professional"}, "charge_info": {"charge_mode": "postPaid"}}
FLOW_SPEC = json.dumps({"version": "1.1.0", "kind": "CycleWorkflow", "spec": {"workflows": [{"name": "wf"}]}})
DATAARTS_JOBS = [
    {"service": "dataarts", "name": "job_sms", "timeline": [["STOPPED", 0]],
     "result": {"nodes": [{"name": "n1", "type": "CDM Job"}]}},
    {"service": "dataarts", "name": "in workspace", "workspace": WORKSPACE, "timeline": [["NORMAL", 0]]},
]


@pytest.fixture
def app(clock):
    return EmulatorApp(DATAARTS_JOBS, now=clock)


def token(app, project_id=NORTH):
    return app.tokens.issue(project_id, app.now()).token


def post(app, make_request, path, body=None, **headers):
    headers.setdefault("X-Auth-Token", token(app))
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8") if body is not None else b""
    return app.handle(make_request("POST", path, headers=headers, body=data))


def status_of(app, make_request, path, **headers):
    headers.setdefault("X-Auth-Token", token(app))
    return app.handle(make_request("GET", path, headers=headers)).json()


# --- timelines --------------------------------------------------------------------------------------


def test_default_timelines_end_after_the_configured_seconds():
    made = creations.Creations(seconds=3)
    assert made.timeline("ecs") == [["INIT", 0.0], ["RUNNING", 0.75], ["SUCCESS", 3.0]]
    assert made.timeline("dataarts_start") == [["STARTING", 0.0], ["NORMAL", 3.0]]
    assert made.timeline("dataarts_stop") == [["STOPPING", 0.0], ["STOPPED", 3.0]]
    assert creations.Creations().timeline("cfw") == [["Running", 0.0], ["Success", 2.0]]


def test_a_document_sets_a_kinds_timeline_and_result():
    made = creations.Creations({"ecs": {"timeline": [["FAIL", 1], ["INIT", 0]], "result": {"fail_reason": "quota"}}})
    spec = made.spec("ecs", "ecs", "j", {"job_type": "createServer"}, project_id="p")
    assert spec == {"service": "ecs", "id": "j", "timeline": [["INIT", 0.0], ["FAIL", 1.0]], "start": "created",
                    "result": {"job_type": "createServer", "fail_reason": "quota"}, "project_id": "p"}


@pytest.mark.parametrize("settings, seconds, message", [
    ({"rds": {}}, 2, "unknown kind(s) rds"),
    ({"ecs": {"timeline": []}}, 2, "created_jobs.ecs: timeline must be"),
    ({"ecs": {"faults": []}}, 2, "created_jobs.ecs takes only timeline and result"),
    ({"cfw": {"result": []}}, 2, "created_jobs.cfw.result must be an object"),
    ([], 2, '"created_jobs" must map kinds'),
    (None, -1, "created job seconds must be"),
])
def test_bad_settings_are_refused(settings, seconds, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        creations.Creations(settings, seconds)


def test_a_jobs_document_may_hold_created_jobs():
    with Emulator(jobs={"jobs": [], "created_jobs": {"cfw": {"timeline": [["Failed", 0]]}}}) as emu:
        assert emu.app.creations.timeline("cfw") == [["Failed", 0.0]]
    with pytest.raises(ValueError, match="unknown top-level"):
        Emulator(jobs={"jobs": [], "created_job": {}})


# --- ECS ----------------------------------------------------------------------------------------------


def test_create_servers_answers_a_job_whose_sub_jobs_name_the_servers(app, make_request, clock):
    answer = post(app, make_request, "/v1/%s/cloudservers" % NORTH, {"server": dict(SERVER, count=2)})
    assert answer.status == 200
    body = answer.json()
    assert set(body) == {"job_id", "serverIds"}
    assert len(body["job_id"]) == 32 and len(body["serverIds"]) == 2
    path = "/v1/%s/jobs/%s" % (NORTH, body["job_id"])
    first = status_of(app, make_request, path)
    assert (first["status"], first["job_type"]) == ("INIT", "createServer")
    clock.advance(0.6)
    assert status_of(app, make_request, path)["status"] == "RUNNING"
    clock.advance(1.5)
    done = status_of(app, make_request, path)
    assert done["status"] == "SUCCESS" and done["end_time"] is not None
    assert done["entities"]["sub_jobs_total"] == 2
    assert [sub["entities"]["server_id"] for sub in done["entities"]["sub_jobs"]] == body["serverIds"]
    assert {sub["job_type"] for sub in done["entities"]["sub_jobs"]} == {"createSingleServer"}


def test_create_servers_failure_comes_from_the_document(clock, make_request):
    app = EmulatorApp(now=clock, created_jobs={"ecs": {"timeline": [["RUNNING", 0], ["FAIL", 1]],
                                                       "result": {"error_code": "Ecs.0013", "fail_reason": "quota"}}})
    body = post(app, make_request, "/v1.1/%s/cloudservers" % NORTH, {"server": SERVER}).json()
    clock.advance(1)
    done = status_of(app, make_request, "/v1/%s/jobs/%s" % (NORTH, body["job_id"]))
    assert (done["status"], done["error_code"], done["fail_reason"]) == ("FAIL", "Ecs.0013", "quota")


@pytest.mark.parametrize("body", [
    None, b"not json", {"servers": SERVER}, {"server": dict(SERVER, name="")},
    {"server": {key: value for key, value in SERVER.items() if key != "nics"}},
    {"server": dict(SERVER, count=0)}, {"server": dict(SERVER, count="2")}, {"server": dict(SERVER, count=501)},
])
def test_create_servers_refuses_a_bad_body_as_ecs_does(app, make_request, body):
    answer = post(app, make_request, "/v1/%s/cloudservers" % NORTH, body)
    assert (answer.status, answer.json()) == (400, {"error": {"code": "Ecs.0005", "message": "request body is illegal."}})
    assert app.jobs.of_service("ecs") == []


def test_create_servers_checks_auth_and_project(app, make_request):
    unsigned = app.handle(make_request("POST", "/v1/%s/cloudservers" % NORTH, body=json.dumps({"server": SERVER}).encode()))
    assert unsigned.status == 401 and unsigned.json()["error_code"] == "APIGW.0301"
    other = post(app, make_request, "/v1/%s/cloudservers" % NORTH, {"server": SERVER}, **{"X-Auth-Token": token(app, SOUTHEAST)})
    assert (other.status, other.json()["error"]["code"]) == (403, "Ecs.0023")
    assert app.jobs.of_service("ecs") == []
    assert app.requests.snapshot()["routes"]["ecs.create_servers"] == 2


def test_create_servers_with_aksk(app, sdk_signed, make_request):
    body = json.dumps({"server": SERVER}).encode("utf-8")
    request = sdk_signed(WHO.access_key, WHO.secret_key, "/v1/%s/cloudservers" % NORTH, method="POST", body=body,
                         headers={"Content-Type": "application/json"})
    assert app.handle(request).status == 200


# --- CFW ----------------------------------------------------------------------------------------------


def test_create_firewall_answers_a_job_id_and_repeats_the_request(app, make_request, clock):
    answer = post(app, make_request, "/v2/%s/firewall" % NORTH, dict(FIREWALL, tags=[{"key": "k", "value": "v"}], extra=1))
    assert answer.status == 200
    body = answer.json()
    assert set(body) == {"job_id", "data"}
    assert body["data"] == {"name": "fw-1", "enterprise_project_id": "0", "tags": [{"key": "k", "value": "v"}],
                            "flavor": {"version": "Professional"}, "charge_info": {"charge_mode": "postPaid"}}
    path = "/v3/%s/jobs/%s" % (NORTH, body["job_id"])
    assert status_of(app, make_request, path)["data"]["status"] == "Running"
    clock.advance(2)
    data = status_of(app, make_request, path)["data"]
    assert (data["id"], data["status"]) == (body["job_id"], "Success") and data["end_time"] is not None


def test_a_yearly_firewall_gets_an_order_and_no_job(app, make_request):
    body = post(app, make_request, "/v2/%s/firewall" % NORTH, dict(FIREWALL, charge_info={"charge_mode": "prePaid"})).json()
    assert set(body) == {"order_id", "data"}
    assert app.jobs.of_service("cfw") == []


@pytest.mark.parametrize("body", [
    None, {"name": "fw"}, dict(FIREWALL, name=""), dict(FIREWALL, flavor={}),
    dict(FIREWALL, charge_info={"charge_mode": "free"}),
])
def test_create_firewall_refuses_a_bad_body(app, make_request, body):
    answer = post(app, make_request, "/v2/%s/firewall" % NORTH, body)
    assert (answer.status, answer.json()["error_code"]) == (400, "CFW.00100001")


def test_create_firewall_of_another_project_is_refused_by_the_gateway(app, make_request):
    answer = post(app, make_request, "/v2/%s/firewall" % NORTH, FIREWALL, **{"X-Auth-Token": token(app, SOUTHEAST)})
    assert (answer.status, answer.json()["error_code"]) == (403, "APIGW.0302")


# --- DataArts -----------------------------------------------------------------------------------------


def dlf(name, action, project_id=NORTH):
    return "/v1/%s/jobs/%s/%s" % (project_id, quote(name, safe=""), action)


def test_start_then_stop_a_real_time_job(app, make_request, clock):
    started = post(app, make_request, dlf("job_sms", "start"), {"jobParams": [{"name": "day", "value": "1"}]})
    assert (started.status, started.body) == (204, b"")
    answer = status_of(app, make_request, dlf("job_sms", "status"))
    assert answer["status"] == "STARTING" and answer["nodes"][0]["type"] == "CDM Job"
    clock.advance(2)
    assert status_of(app, make_request, dlf("job_sms", "status"))["status"] == "NORMAL"
    assert post(app, make_request, dlf("job_sms", "stop")).status == 204
    assert status_of(app, make_request, dlf("job_sms", "status"))["status"] == "STOPPING"
    clock.advance(2)
    stopped = status_of(app, make_request, dlf("job_sms", "status"))
    assert stopped["status"] == "STOPPED" and stopped["endTime"] is not None


def test_start_keeps_the_workspace_and_pending_faults(app, make_request):
    app.jobs.get("dataarts", "in workspace").faults.extend([{"kind": "http_5xx", "after": 1}])
    assert post(app, make_request, dlf("in workspace", "stop"), workspace=WORKSPACE).status == 204
    assert app.jobs.get("dataarts", "in workspace").extra == {"workspace": WORKSPACE}
    headers = {"X-Auth-Token": token(app), "workspace": WORKSPACE}
    assert app.handle(make_request("GET", dlf("in workspace", "status"), headers=headers)).status == 503  # the fault, after 1
    assert app.requests.snapshot()["faults"] == {"in workspace": {"http_5xx": 1}}
    assert status_of(app, make_request, dlf("in workspace", "status"), workspace=WORKSPACE)["status"] == "STOPPING"


@pytest.mark.parametrize("path, headers, code", [
    (dlf("no-such-job", "start"), {}, "DLF.0100"),
    (dlf("in workspace", "start"), {}, "DLF.0100"),  # another workspace
    (dlf("job_sms", "stop"), {"workspace": "ffffffffffffffffffffffffffffffff"}, "DLF.0001"),
    (dlf("job_sms", "start", SOUTHEAST), {"X-Project-Id": SOUTHEAST}, "APIGW.0302"),
])
def test_start_and_stop_find_the_job_as_the_status_call_does(app, make_request, path, headers, code):
    answer = post(app, make_request, path, **headers)
    assert answer.json()["error_code"] == code
    assert app.jobs.get("dataarts", "job_sms").timeline == [("STOPPED", 0.0)]


def test_start_refuses_a_body_that_is_not_an_object(app, make_request):
    answer = post(app, make_request, dlf("job_sms", "start"), [1])
    assert (answer.status, answer.json()["error_code"]) == (400, "DLF.0002")


# --- DataWorks ----------------------------------------------------------------------------------------


def import_request(acs3_sdk_signed, parameters, in_query=False):
    body = b"" if in_query else urlencode(parameters).encode("utf-8")
    headers = {"x-acs-action": "ImportWorkflowDefinition"}
    if not in_query:
        headers["content-type"] = "application/x-www-form-urlencoded"
    request, _headers = acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, query=parameters if in_query else {},
                                        headers=headers, method="POST", body=body)
    return request


@pytest.mark.parametrize("in_query", [False, True])
def test_import_workflow_definition_answers_an_async_job(app, acs3_sdk_signed, acs3_sdk_signed_get, clock, in_query):
    answer = app.handle(import_request(acs3_sdk_signed, {"ProjectId": "123456", "Spec": FLOW_SPEC}, in_query))
    assert answer.status == 200
    job = answer.json()["AsyncJob"]
    assert (job["Type"], job["Status"], job["Completed"], job["Progress"]) == ("Create", "Running", False, 0)
    assert answer.json()["RequestId"] == dict(answer.headers)["x-acs-request-id"]
    assert app.handle(acs3_sdk_signed_get(job["Id"])).json()["JobStatus"]["Status"] == "Running"
    clock.advance(2)
    status = app.handle(acs3_sdk_signed_get(job["Id"])).json()["JobStatus"]
    assert (status["JobId"], status["Status"], status["Completed"], status["JobType"]) == (job["Id"], "Success", "True", "Create")


@pytest.mark.parametrize("parameters, code", [
    ({"Spec": FLOW_SPEC}, "MissingProjectId"),
    ({"ProjectId": "1"}, "MissingSpec"),
    ({"ProjectId": "x1", "Spec": FLOW_SPEC}, "Invalid.Param"),
    ({"ProjectId": "1", "Spec": "[1]"}, "Invalid.Param"),
])
def test_import_workflow_definition_refuses_bad_parameters(app, acs3_sdk_signed, parameters, code):
    answer = app.handle(import_request(acs3_sdk_signed, parameters))
    assert (answer.status, answer.json()["Code"]) == (400, code)
    assert app.jobs.of_service("dataworks") == []


def test_import_workflow_definition_is_signed(app, acs3_sdk_signed, make_request):
    request = import_request(acs3_sdk_signed, {"ProjectId": "1", "Spec": FLOW_SPEC})
    request.body = request.body.replace(b"1", b"2", 1)  # tampered after signing
    assert app.handle(request).json()["Code"] == "SignatureDoesNotMatch"
    unsigned = make_request("POST", "/", headers={"x-acs-action": "ImportWorkflowDefinition", "x-acs-version": "2024-05-18"})
    assert app.handle(unsigned).json()["Code"] == "IncompleteSignature"
    other_version = make_request("POST", "/", headers={"x-acs-action": "ImportWorkflowDefinition", "x-acs-version": "2020-05-18"})
    assert app.handle(other_version).json()["Code"] == "InvalidVersion"


@pytest.mark.parametrize("dry_run", ["True", "false", "TRUE"])
def test_import_workflow_definition_takes_dry_run(app, acs3_sdk_signed, dry_run):
    answer = app.handle(import_request(acs3_sdk_signed, {"ProjectId": "1", "Spec": FLOW_SPEC, "DryRun": dry_run}))
    assert answer.status == 200 and answer.json()["AsyncJob"]["Status"] == "Running"


def test_import_workflow_definition_refuses_another_dry_run_value(app, acs3_sdk_signed):
    answer = app.handle(import_request(acs3_sdk_signed, {"ProjectId": "1", "Spec": FLOW_SPEC, "DryRun": "yes"}))
    assert (answer.status, answer.json()["Code"]) == (400, "Invalid.Param")
    assert app.jobs.of_service("dataworks") == []


def test_import_workflow_definition_checks_the_form_body_it_reads(app, acs3_sdk_signed):
    # The parameters come from the body: its hash must be the signed x-acs-content-sha256.
    body = urlencode({"ProjectId": "1", "Spec": FLOW_SPEC}).encode("utf-8")
    request, _headers = acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, query={}, method="POST", body=body,
                                        headers={"x-acs-action": "ImportWorkflowDefinition",
                                                 "content-type": "application/x-www-form-urlencoded"},
                                        sent_body=urlencode({"ProjectId": "2", "Spec": FLOW_SPEC}).encode("utf-8"))
    answer = app.handle(request)
    assert (answer.status, answer.json()["Code"]) == (400, "SignatureDoesNotMatch")
    assert "x-acs-content-sha256" in answer.json()["Message"]
    assert app.jobs.of_service("dataworks") == []


def test_a_replayed_import_is_refused_and_starts_no_second_job(app, acs3_sdk_signed):
    first = import_request(acs3_sdk_signed, {"ProjectId": "1", "Spec": FLOW_SPEC})
    assert app.handle(first).status == 200
    # The same request again, byte for byte (its signature still valid): refused for its nonce.
    assert app.handle(first).json()["Code"] == "SignatureNonceUsed"
    # A retry signed anew (new date) but with the first nonce: refused too.
    body = urlencode({"ProjectId": "1", "Spec": FLOW_SPEC}).encode("utf-8")
    retry, _headers = acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, query={}, method="POST", body=body,
                                      headers={"x-acs-action": "ImportWorkflowDefinition",
                                               "content-type": "application/x-www-form-urlencoded"},
                                      nonce=first.header("x-acs-signature-nonce"),
                                      date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1)))
    answer = app.handle(retry)
    assert (answer.status, answer.json()["Code"]) == (400, "SignatureNonceUsed")
    assert len(app.jobs.of_service("dataworks")) == 1
    # With a fresh nonce the call is carried out.
    assert app.handle(import_request(acs3_sdk_signed, {"ProjectId": "1", "Spec": FLOW_SPEC})).status == 200
    assert len(app.jobs.of_service("dataworks")) == 2


@pytest.fixture
def acs3_sdk_signed_get(acs3_sdk_signed):
    def get(job_id):
        return acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, query={"JobId": job_id})[0]
    return get


# --- the command line, and the official SDK clients over HTTP -----------------------------------------


def test_command_line_sets_the_seconds_of_created_jobs(tmp_path):
    emulator_dir = os.path.dirname(os.path.dirname(os.path.abspath(creations.__file__)))
    script = ("import json, os, sys, time, urllib.request\n"
              "base = os.environ['JOBWATCH_EMULATOR_URL']\n"
              "print(json.dumps(urllib.request.urlopen(base + '/_emulator/health').read().decode()))\n")
    result = subprocess.run([sys.executable, "-m", "jobwatch_emulator", "--created-job-seconds", "0.5", "--",
                             sys.executable, "-c", script], env=dict(os.environ, PYTHONPATH=emulator_dir),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    bad = subprocess.run([sys.executable, "-m", "jobwatch_emulator", "--created-job-seconds", "-1"],
                         env=dict(os.environ, PYTHONPATH=emulator_dir), capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "created job seconds must be" in bad.stderr


def test_official_sdk_clients_are_answered():
    credentials = pytest.importorskip("huaweicloudsdkcore.auth.credentials")
    ecs_v2 = pytest.importorskip("huaweicloudsdkecs.v2")
    cfw_v1 = pytest.importorskip("huaweicloudsdkcfw.v1")
    dlf_v1 = pytest.importorskip("huaweicloudsdkdlf.v1")
    with Emulator(jobs=DATAARTS_JOBS, created_job_seconds=0.2) as emu:
        basic = credentials.BasicCredentials(WHO.access_key, WHO.secret_key, NORTH)

        def client(module, name):
            return getattr(module, name).new_builder().with_credentials(basic).with_endpoints([emu.url]).build()

        server = ecs_v2.PrePaidServer(
            image_ref="img-1", flavor_ref="s6.small.1", name="web", vpcid="vpc-1", count=2,
            nics=[ecs_v2.PrePaidServerNic(subnet_id="subnet-1")], root_volume=ecs_v2.PrePaidServerRootVolume(volumetype="SSD"))
        created = client(ecs_v2, "EcsClient").create_servers(
            ecs_v2.CreateServersRequest(body=ecs_v2.CreateServersRequestBody(server=server)))
        assert len(created.job_id) == 32 and len(created.server_ids) == 2
        time.sleep(0.3)
        shown = client(ecs_v2, "EcsClient").show_job(ecs_v2.ShowJobRequest(job_id=created.job_id))
        assert shown.status == "SUCCESS"
        assert [sub.entities.server_id for sub in shown.entities.sub_jobs] == created.server_ids

        firewall = client(cfw_v1, "CfwClient").create_firewall(cfw_v1.CreateFirewallRequest(body=cfw_v1.CreateFirewallReq(
            name="fw-1", flavor=cfw_v1.CreateFirewallReqFlavor(version="Professional"),
            charge_info=cfw_v1.CreateFirewallReqChargeInfo(charge_mode="postPaid"))))
        assert firewall.job_id and firewall.data.name == "fw-1"

        dlf = client(dlf_v1, "DlfClient")
        assert dlf.start_job(dlf_v1.StartJobRequest(job_name="job_sms")).status_code == 204
        assert dlf.show_job_status(dlf_v1.ShowJobStatusRequest(job_name="job_sms")).status == "STARTING"
        assert dlf.stop_job(dlf_v1.StopJobRequest(job_name="job_sms")).status_code == 204
    routes = emu.requests()["routes"]
    assert routes["ecs.create_servers"] == 1 and routes["cfw.create_firewall"] == 1
    assert routes["dataarts.start_job"] == 1 and routes["dataarts.stop_job"] == 1


def test_official_dataworks_client_is_answered():
    open_api = pytest.importorskip("alibabacloud_tea_openapi.models")
    dataworks = pytest.importorskip("alibabacloud_dataworks_public20240518.client")
    models = pytest.importorskip("alibabacloud_dataworks_public20240518.models")
    with Emulator(created_job_seconds=0.2) as emu:
        config = open_api.Config(access_key_id=WHO.ali_access_key, access_key_secret=WHO.ali_secret_key,
                                 endpoint=emu.url.split("://", 1)[1], protocol="http", region_id="cn-hangzhou")
        client = dataworks.Client(config)
        job = client.import_workflow_definition(models.ImportWorkflowDefinitionRequest(project_id=123456, spec=FLOW_SPEC)).body.async_job
        assert (job.status, job.completed, job.type) == ("Running", False, "Create")
        time.sleep(0.3)
        status = client.get_job_status(models.GetJobStatusRequest(job_id=job.id)).body.job_status
        assert (status.job_id, status.status) == (job.id, "Success")
