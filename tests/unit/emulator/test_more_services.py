# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DataWorks, DataArts and CFW in the emulator: routing, answers, workspaces, faults in each dialect."""

import http.client
import json
from urllib.parse import quote, urlsplit

import pytest

from jobwatch_emulator import faults
from jobwatch_emulator.app import EmulatorApp
from jobwatch_emulator.identity import Identity
from jobwatch_emulator.messages import json_response
from jobwatch_emulator.server import Emulator
from jobwatch_emulator.services import cfw, dataarts, dataworks

WHO = Identity()
NORTH, SOUTHEAST = WHO.projects["cn-north-4"], WHO.projects["ap-southeast-1"]
WORKSPACE = "b6d1e2c3a4f5061728394a5b6c7d8e9f"
AWKWARD = "job sms/\u00e9t\u00e9 \u4efb\u52a1"
# Field lists of the vendor pages (DataWorks GetJobStatus, CFW List Job Status, DataArts real-time job status), odd spellings included.
DATAWORKS_FIELDS = {"JobId", "JobType", "Completed", "Status", "Error", "CreateTime"}
DATAARTS_FIELDS = {"name", "status", "startTime", "endTime", "lastUpdateTime", "createUser", "lastModifiyUser", "nodes"}
DATAARTS_NODE_FIELDS = {"name", "status", "logPath", "type", "lastInstanceStatus", "speed", "runningData", "totalPutBytes",
                        "bufferRecords", "jobInstanceId", "extendCounter", "totalGetBytes", "totalPutRecords", "totalGetRecords"}
JOBS = [
    {"service": "dataworks", "id": "dw-1", "timeline": [["Running", 0], ["Fail", 2]], "result": {"error": "Not Found", "JobType": "x"}},
    {"service": "dataworks", "id": "dw-quirk", "timeline": [["Success", 0]],
     "result": {"completed": "False", "job_type": "Update", "create_time_as_string": True}},
    {"service": "dataarts", "name": AWKWARD, "workspace": WORKSPACE, "timeline": [["STARTING", 0], ["NORMAL", 2]],
     "result": {"nodes": [{"name": "n1", "type": "CDM Job", "totalPutRecords": 42, "status": "EXCEPTION"}, {"name": "n2"}]}},
    {"service": "dataarts", "id": "job_sms", "timeline": [["STOPPING", 0], ["STOPPED", 2]],
     "result": {"capitalized_last_instance_status": True, "createUser": "alice"}},
    {"service": "dataarts", "name": "elsewhere", "project_id": SOUTHEAST, "timeline": [["NORMAL", 0]]},
    {"service": "cfw", "id": "f588ce71-e26c-400d-8981-f854355f6849", "timeline": [["Running", 0], ["Success", 2]]},
    {"service": "cfw", "id": "cfw-iso", "timeline": [["Failed", 0]], "result": {"time_format": "iso"}},
    {"service": "cfw", "id": "cfw-bj", "timeline": [["Failed", 0]], "result": {"time_format": "iso+0800"}},
]


@pytest.fixture
def app(clock):
    return EmulatorApp(JOBS, now=clock)


def token_headers(app, project_id=NORTH, **extra):
    return dict({"X-Auth-Token": app.tokens.issue(project_id, app.now()).token}, **extra)


def dlf_path(name, project_id=NORTH):
    return "/v1/%s/jobs/%s/status" % (project_id, quote(name, safe=""))


@pytest.mark.parametrize("method, path, headers, route", [
    ("GET", "/v1/p/jobs/j", {}, "ecs.show_job"),
    ("GET", "/v1/p/jobs/a%2Fb/status", {}, "dataarts.show_job_status"),
    ("GET", "/v1/p/jobs/status/status", {}, "dataarts.show_job_status"),
    ("GET", "/v1/p/jobs/a/b/status", {}, None),  # an unencoded "/" is not one name
    ("GET", "/v3/p/jobs/j", {}, "cfw.list_job"),
    ("GET", "/v3/projects", {}, "iam.list_projects"),
    ("POST", "/v3/auth/tokens", {}, "iam.create_token"),
    ("GET", "/", {"x-acs-action": "GetJobStatus", "x-acs-version": "2024-05-18"}, "dataworks.get_job_status"),
    ("POST", "/", {"x-acs-action": "GetJobStatus", "x-acs-version": "2024-05-18"}, "dataworks.get_job_status"),
    ("GET", "/", {"x-acs-action": "GetJobStatus", "x-acs-version": "2020-05-18"}, "dataworks.unknown_api"),
    ("GET", "/", {"x-acs-action": "ListJobs", "x-acs-version": "2024-05-18"}, "dataworks.unknown_api"),
    ("GET", "/", {}, None),
    ("POST", "/clusters/c-1/nodepools", {"x-acs-action": "CreateClusterNodePool"}, "dataworks.unknown_roa_api"),
    ("GET", "/v1/p/jobs/j", {"x-acs-action": "GetJobStatus"}, "ecs.show_job"),
    ("GET", "/clusters/c-1", {}, None),
])
def test_router_is_unambiguous(app, make_request, method, path, headers, route):
    found, _params, _known = app.router.resolve(make_request(method, path, headers=headers))
    assert (found.name if found else None) == route


def test_dataworks_answers_along_the_timeline(app, clock, acs3_sdk_signed):
    def get(job_id):
        response = app.handle(acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, query={"JobId": job_id})[0])
        return response.status, response.json(), dict(response.headers)

    status, body, headers = get("dw-1")
    assert status == 200 and headers["x-acs-request-id"] == body["RequestId"]
    running = body["JobStatus"]
    assert running == {"JobId": "dw-1", "JobType": "Create", "Completed": "False", "Status": "Running",
                       "CreateTime": running["CreateTime"]}
    assert isinstance(running["CreateTime"], int) and abs(running["CreateTime"] - clock() * 1000) < 1
    clock.advance(2)
    failed = get("dw-1")[1]["JobStatus"]
    assert set(failed) == DATAWORKS_FIELDS
    assert (failed["Status"], failed["Completed"], failed["Error"], failed["JobType"]) == ("Fail", "True", "Not Found", "Create")
    assert failed["CreateTime"] == running["CreateTime"]

    quirk = get("dw-quirk")[1]["JobStatus"]  # the page's own example: Success but Completed "False"
    assert (quirk["Status"], quirk["Completed"], quirk["JobType"], quirk["CreateTime"]) == ("Success", "False", "Update", quirk["CreateTime"])
    assert isinstance(quirk["CreateTime"], str) and quirk["CreateTime"].isdigit()


def test_dataworks_errors(app, acs3_sdk_signed):
    unknown = app.handle(acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, query={"JobId": "nope"})[0])
    assert (unknown.status, unknown.json()["Code"]) == (400, "Invalid.Param")
    missing = app.handle(acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, query={})[0])
    assert (missing.status, missing.json()["Code"]) == (400, "MissingJobId")
    other_version = app.handle(acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, headers={"x-acs-version": "2020-05-18"})[0])
    assert (other_version.status, other_version.json()["Code"]) == (400, "InvalidVersion")
    other_action = app.handle(acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, headers={"x-acs-action": "ListJobs"})[0])
    assert (other_action.status, other_action.json()["Code"]) == (404, "InvalidApi.NotFound")
    counts = app.requests.snapshot()
    assert counts["jobs"] == {"nope": 1}  # no JobId, or not GetJobStatus: no job to count
    assert counts["routes"] == {"dataworks.get_job_status": 2, "dataworks.unknown_api": 2}


def test_dataworks_sts_expiry_and_replay_through_the_app(app, acs3_sdk_signed):
    sts = dict(access_key=WHO.ali_sts_access_key, secret=WHO.ali_sts_secret_key, security_token=WHO.ali_sts_token)
    request = acs3_sdk_signed(**sts, query={"JobId": "dw-1"})[0]
    assert app.handle(request).status == 200
    assert app.handle(request).json()["Code"] == "SignatureNonceUsed"
    app.sts_expired = True
    assert app.handle(acs3_sdk_signed(**sts, query={"JobId": "dw-1"})[0]).json()["Code"] == "InvalidSecurityToken.Expired"
    app.reset()
    assert app.handle(request).status == 200  # reset forgets nonces and the expiry
    assert app.requests.snapshot()["jobs"] == {"dw-1": 1}


def test_dataarts_answer_fields_and_timeline(app, clock, make_request):
    headers = token_headers(app, workspace=WORKSPACE)
    response = app.handle(make_request(path=dlf_path(AWKWARD), headers=headers))
    assert response.status == 200
    starting = response.json()
    assert set(starting) == DATAARTS_FIELDS
    assert (starting["name"], starting["status"], starting["endTime"], starting["createUser"]) == (AWKWARD, "STARTING", None, WHO.user_name)
    assert starting["startTime"] == starting["lastUpdateTime"] and isinstance(starting["startTime"], int)
    for node in starting["nodes"]:
        assert set(node) == DATAARTS_NODE_FIELDS
        assert (node["status"], node["lastInstanceStatus"]) == ("STARTING", "waiting")  # nodes follow the job until it settles
    assert starting["nodes"][0]["totalPutRecords"] == 42 and starting["nodes"][0]["type"] == "CDM Job"
    assert starting["nodes"][1]["type"] == "CS Job" and isinstance(starting["nodes"][1]["jobInstanceId"], int)

    clock.advance(2)
    normal = app.handle(make_request(path=dlf_path(AWKWARD), headers=headers)).json()
    assert (normal["status"], normal["endTime"], normal["lastUpdateTime"] - normal["startTime"]) == ("NORMAL", None, 2000)
    assert [(node["status"], node["lastInstanceStatus"]) for node in normal["nodes"]] == [("EXCEPTION", "fail"), ("NORMAL", "running")]
    assert app.requests.snapshot()["jobs"] == {AWKWARD: 2}


def test_dataarts_stop_and_the_pages_spelling_variant(app, clock, make_request):
    headers = token_headers(app)
    clock.advance(5)
    stopped = app.handle(make_request(path=dlf_path("job_sms"), headers=headers)).json()  # clock starts at this first request
    assert stopped["status"] == "STOPPING"
    clock.advance(2)
    stopped = app.handle(make_request(path=dlf_path("job_sms"), headers=headers)).json()
    assert (stopped["status"], stopped["endTime"], stopped["createUser"], stopped["lastModifiyUser"]) == (
        "STOPPED", stopped["lastUpdateTime"], "alice", WHO.user_name)
    node = stopped["nodes"][0]
    assert (node["name"], node["LastInstanceStatus"], "lastInstanceStatus" in node) == ("MRS_Flink_Job", "success", False)


@pytest.mark.parametrize("name, workspace, status, code", [
    (AWKWARD, WORKSPACE, 200, None),
    (AWKWARD, None, 400, "DLF.0100"),  # the job is not in the default workspace
    ("job_sms", WORKSPACE, 400, "DLF.0100"),  # a known workspace that does not hold the job
    ("job_sms", WHO.dataarts_default_workspace, 200, None),  # the default workspace named explicitly
    ("job_sms", "1234567890abcdef1234567890abcdef", 400, "DLF.0001"),  # no such workspace
    ("no such job", None, 400, "DLF.0100"),
    ("elsewhere", None, 400, "DLF.0100"),  # a job of another project
])
def test_dataarts_workspaces(app, make_request, name, workspace, status, code):
    headers = token_headers(app, **({"workspace": workspace} if workspace else {}))
    response = app.handle(make_request(path=dlf_path(name), headers=headers))
    assert response.status == status
    if code:
        assert response.json()["error_code"] == code
        assert response.json()["error_msg"] == ("The job does not exists." if code == "DLF.0100" else "Workspace does not exists")


def test_huawei_services_refuse_a_token_of_another_project(app, make_request):
    headers = token_headers(app, project_id=SOUTHEAST)
    for path in (dlf_path("job_sms"), "/v3/%s/jobs/cfw-iso" % NORTH):
        response = app.handle(make_request(path=path, headers=headers))
        assert (response.status, response.json()["error_code"]) == (403, "APIGW.0302")


def test_cfw_answers(app, clock, make_request):
    headers = token_headers(app)

    def get(job_id):
        response = app.handle(make_request(path="/v3/%s/jobs/%s" % (NORTH, job_id), headers=headers))
        return response.status, response.json()

    status, running = get("f588ce71-e26c-400d-8981-f854355f6849")
    assert status == 200 and set(running) == {"data"}
    assert running["data"]["status"] == "Running" and running["data"]["end_time"] is None
    assert isinstance(running["data"]["begin_time"], int)
    clock.advance(3)
    done = get("f588ce71-e26c-400d-8981-f854355f6849")[1]["data"]
    assert (done["status"], done["end_time"] - done["begin_time"]) == ("Success", 2000)
    iso = get("cfw-iso")[1]["data"]
    assert iso["begin_time"].endswith("Z") and len(iso["begin_time"]) == len("2022-01-05T08:15:01Z")
    beijing = get("cfw-bj")[1]["data"]
    assert beijing["end_time"].endswith("+0800") and len(beijing["end_time"]) == len("2022-01-05T16:15:01+0800")
    assert get("no-such-job") == (400, {"error_code": "CFW.00200005", "error_msg": "The operation content does not exist."})


def test_cfw_time_formats():
    assert cfw.format_time(1641370501.0) == 1641370501000
    assert cfw.format_time(1641370501.0, "iso") == "2022-01-05T08:15:01Z"
    assert cfw.format_time(1641370501.0, "iso+0800") == "2022-01-05T16:15:01+0800"
    assert cfw.format_time(None, "iso") is None


@pytest.mark.parametrize("spec, message", [
    ({"service": "dataarts", "timeline": [["NORMAL", 0]]}, "\"id\" \\(or 'name'\\)"),
    ({"service": "dataarts", "id": "a", "name": "b", "timeline": [["NORMAL", 0]]}, "differ"),
    ({"service": "dataarts", "name": "a", "workspace": 7, "timeline": [["NORMAL", 0]]}, "workspace must be"),
    ({"service": "dataarts", "name": "a", "timeline": [["NORMAL", 0]], "result": {"nodes": [{"type": "x"}]}}, "nodes must be"),
    ({"service": "ecs", "id": "a", "workspace": "w", "timeline": [["RUNNING", 0]]}, "unknown field"),
    ({"service": "cfw", "id": "a", "timeline": [["Running", 0]], "result": {"time_format": "rfc"}}, "time_format must be"),
    ({"service": "dataworks", "id": "a", "timeline": [["Running", 0]], "result": {"completed": True}}, "completed must be"),
])
def test_bad_specs_of_the_new_services(clock, spec, message):
    with pytest.raises(ValueError, match=message):
        EmulatorApp([spec], now=clock)


def test_summary_shows_the_workspace(app):
    summary = {job["id"]: job for job in app.jobs.summary()}
    assert summary[AWKWARD]["workspace"] == WORKSPACE and "workspace" not in summary["job_sms"]


def test_alibaba_fault_dialect(acs3_sdk_signed):
    request = acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key)[0]

    def normal():
        return json_response(200, {"RequestId": "x", "JobStatus": {"Status": "Running", "JobId": "j"}})

    def spoil(**spec):
        return faults.spoil(faults.Fault.from_spec(spec), request, normal, ("JobStatus", "Status"), "alibaba")

    throttled = spoil(kind="throttle", retry_after=1.5)
    body, headers = throttled.json(), dict(throttled.headers)
    assert (throttled.status, body["Code"], headers["x-acs-retry-after"]) == (400, "Throttling.User", "1500")
    assert sorted(body) == ["Code", "HostId", "Message", "Recommend", "RequestId"] and headers["x-acs-request-id"] == body["RequestId"]
    assert "Retry-After" not in headers
    assert spoil(kind="throttle", status=429).status == 429
    assert "x-acs-retry-after" not in dict(spoil(kind="throttle", retry_after=None).headers)
    assert "x-acs-retry-after" not in dict(spoil(kind="throttle").headers)  # by default none, as real answers often have
    assert (spoil(kind="http_5xx").status, spoil(kind="http_5xx").json()["Code"]) == (503, "ServiceUnavailable")
    assert spoil(kind="http_5xx", status=500).json()["Code"] == "InternalError"
    assert spoil(kind="missing_status").json() == {"RequestId": "x", "JobStatus": {"JobId": "j"}}
    # The Huawei dialect: 429, Retry-After in seconds only when asked for (APIG sends none).
    huawei = faults.spoil(faults.Fault.from_spec({"kind": "throttle", "retry_after": 1}), request, normal, ("status",))
    assert (huawei.status, dict(huawei.headers)["Retry-After"], huawei.json()["error_code"]) == (429, "1", "APIG.0308")
    huawei = faults.spoil(faults.Fault.from_spec({"kind": "throttle"}), request, normal, ("status",))
    assert (huawei.status, huawei.json()["error_code"], "Retry-After" in dict(huawei.headers)) == (429, "APIG.0308", False)


def test_job_faults_apply_to_the_new_services(clock, acs3_sdk_signed, make_request):
    app = EmulatorApp([
        {"service": "dataworks", "id": "dw", "timeline": [["Running", 0]], "faults": [{"kind": "throttle", "retry_after": 2}, {"kind": "gone"}]},
        {"service": "cfw", "id": "c", "timeline": [["Running", 0]], "faults": [{"kind": "missing_status"}]},
    ], now=clock)

    def dataworks_get():
        return app.handle(acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key, query={"JobId": "dw"})[0])

    throttled = dataworks_get()
    assert (throttled.status, dict(throttled.headers)["x-acs-retry-after"]) == (400, "2000")
    assert dataworks_get().json()["Code"] == "Invalid.Param"  # gone
    response = app.handle(make_request(path="/v3/%s/jobs/c" % NORTH, headers=token_headers(app)))
    assert response.status == 200 and "status" not in response.json()["data"]
    assert [entry["fault"] for entry in app.requests.snapshot()["recent"]] == ["throttle", "gone", "missing_status"]


def test_render_helpers_directly(app, clock):
    job = app.jobs.get("dataworks", "dw-1")
    assert dataworks.render(job, clock())["Status"] == "Running"
    job = app.jobs.get("dataarts", "job_sms")
    assert dataarts.render(job, clock(), "bob")["lastModifiyUser"] == "bob"


def test_sts_expiry_through_the_control_api_over_http(acs3_sdk_signed):
    sts = dict(access_key=WHO.ali_sts_access_key, secret=WHO.ali_sts_secret_key, security_token=WHO.ali_sts_token)
    with Emulator(jobs=[{"service": "dataworks", "id": "dw", "timeline": [["Running", 0]]}]) as emu:
        parts = urlsplit(emu.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)

        def call(method, path, headers=None):
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, json.loads(response.read().decode("utf-8"))

        def get_job():
            request, headers = acs3_sdk_signed(**sts, host=parts.netloc, query={"JobId": "dw"})
            return call("GET", "/?" + request.raw_query, headers)

        assert get_job()[1]["JobStatus"]["Status"] == "Running"
        assert call("POST", "/_emulator/sts/expire") == (200, {"expired": WHO.ali_sts_access_key})
        status, body = get_job()
        assert (status, body["Code"], body["HostId"]) == (400, "InvalidSecurityToken.Expired", parts.netloc)
        assert call("POST", "/_emulator/reset")[0] == 200
        assert get_job()[0] == 200
        assert call("GET", "/_emulator/jobs")[1]["jobs"][0]["service"] == "dataworks"
