# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-credential request quotas: sliding windows, scopes, each gateway's answer, where quotas come from."""

import json
import sys

import pytest
import requests

from jobwatch_emulator import __main__ as cli
from jobwatch_emulator import quotas
from jobwatch_emulator.app import EmulatorApp, load_document
from jobwatch_emulator.identity import Identity
from jobwatch_emulator.requestlog import RequestLog
from jobwatch_emulator.server import Emulator

WHO = Identity()
NORTH = WHO.default_project_id
JOBS = [
    {"id": "job-1", "timeline": [["RUNNING", 0], ["SUCCESS", 5]]},
    {"id": "job-2", "timeline": [["RUNNING", 0]]},
    {"service": "cfw", "id": "fw-1", "timeline": [["Running", 0]]},
    {"service": "dataworks", "id": "dw-1", "timeline": [["Running", 0]]},
]
USER = "user:" + WHO.user_name
THROTTLED_USER = "The throttling threshold has been reached: policy user over ratelimit,limit:%d,time:%s"


@pytest.fixture
def start(clock):
    """A whole second, so offsets added to it are exact and windows end exactly where expected."""
    clock.now = float(int(clock.now))
    return clock.now


def make_app(clock, *specs, jobs=None):
    return EmulatorApp(JOBS if jobs is None else jobs, now=clock, quota_specs=list(specs))


class Caller:
    """Sends requests to an EmulatorApp with one IAM token, at chosen offsets of the fake clock."""

    def __init__(self, app, clock, start, make_request):
        self.app, self.clock, self.start, self.make_request = app, clock, start, make_request
        self.token = app.tokens.issue(NORTH, start).token

    def at(self, offset):
        self.clock.now = self.start + offset
        return self

    def get(self, path, **headers):
        return self.app.handle(self.make_request("GET", path, headers=dict({"X-Auth-Token": self.token}, **headers)))

    def ecs(self, job_id="job-1"):
        return self.get("/v1/%s/jobs/%s" % (NORTH, job_id))

    def cfw(self, job_id="fw-1"):
        return self.get("/v3/%s/jobs/%s" % (NORTH, job_id))

    def projects(self):
        return self.get("/v3/projects")


@pytest.fixture
def caller(clock, start, make_request):
    return lambda app: Caller(app, clock, start, make_request)


def statuses(responses):
    return [response.status for response in responses]


# --- the sliding window ---------------------------------------------------------------------------

def test_sliding_window_on_the_app_clock(clock, caller):
    who = caller(make_app(clock, {"limit": 3, "window": 10}))
    assert statuses([who.at(0).ecs(), who.at(1).ecs(), who.at(2).ecs()]) == [200, 200, 200]
    assert statuses([who.at(3).ecs(), who.at(9.99).ecs()]) == [429, 429]
    assert who.at(10).ecs().status == 200  # the request of t=0 has left the window
    assert who.at(10.5).ecs().status == 429  # t=1, t=2 and t=10 are in it
    assert who.at(11).ecs().status == 200


def test_throttled_requests_do_not_count(clock, caller):
    who = caller(make_app(clock, {"limit": 1, "window": 60}))
    assert who.at(0).ecs().status == 200
    assert statuses([who.at(offset).ecs() for offset in range(1, 60)]) == [429] * 59  # a client hammering away
    assert who.at(60).ecs().status == 200  # had they counted, the window would still be full


# --- per credential -------------------------------------------------------------------------------

def test_each_credential_has_its_own_window(clock, caller, sdk_signed):
    app = make_app(clock, {"limit": 1, "window": 60})
    who = caller(app)
    path = "/v1/%s/jobs/job-1" % NORTH

    def signed(access_key, secret_key, **headers):
        return app.handle(sdk_signed(access_key, secret_key, path, headers=headers))

    assert statuses([who.at(0).ecs(), who.at(1).ecs()]) == [200, 429]  # the IAM user's window is full ...
    assert signed(WHO.access_key, WHO.secret_key).status == 200  # ... not the AK's
    assert signed(WHO.temporary_access_key, WHO.temporary_secret_key, **{"X-Security-Token": WHO.security_token}).status == 200
    assert signed(WHO.access_key, WHO.secret_key).status == 429
    assert app.quotas.snapshot(clock())["quotas"][0]["usage"] == {
        USER: 1, "ak:" + WHO.access_key: 1, "ak:" + WHO.temporary_access_key: 1}


def test_alibaba_access_keys_have_their_own_windows(clock, acs3_sdk_signed):
    app = make_app(clock, {"limit": 1, "window": 60, "service": "dataworks"})

    def get(**credentials):
        return app.handle(acs3_sdk_signed(query={"JobId": "dw-1"}, **credentials)[0])

    permanent = dict(access_key=WHO.ali_access_key, secret=WHO.ali_secret_key)
    sts = dict(access_key=WHO.ali_sts_access_key, secret=WHO.ali_sts_secret_key, security_token=WHO.ali_sts_token)
    assert statuses([get(**permanent), get(**sts), get(**permanent), get(**sts)]) == [200, 200, 400, 400]
    assert app.quotas.snapshot(clock())["quotas"][0]["usage"] == {"acs:" + WHO.ali_access_key: 1, "acs:" + WHO.ali_sts_access_key: 1}


# --- scopes ---------------------------------------------------------------------------------------

def test_service_quota_counts_only_that_service(clock, caller):
    who = caller(make_app(clock, {"limit": 2, "window": 60, "service": "ecs"}))
    assert statuses([who.ecs("job-1"), who.ecs("job-2"), who.ecs("job-1")]) == [200, 200, 429]  # every ECS API, every job
    assert statuses([who.cfw(), who.projects(), who.cfw()]) == [200, 200, 200]


def test_api_quota_counts_only_that_api(clock, caller):
    who = caller(make_app(clock, {"limit": 1, "window": 60, "api": "iam.list_projects"}))
    assert statuses([who.projects(), who.projects(), who.ecs(), who.ecs()]) == [200, 429, 200, 200]


def test_quota_without_scope_counts_every_authenticated_api(clock, caller):
    app = make_app(clock, {"limit": 3, "window": 60})
    who = caller(app)
    assert statuses([who.ecs(), who.cfw(), who.projects(), who.ecs()]) == [200, 200, 200, 429]
    login = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": WHO.user_name, "password": WHO.password, "domain": {"name": WHO.domain_name}}}}}}
    logins = [app.handle(who.make_request("POST", "/v3/auth/tokens", body=json.dumps(login).encode())) for _attempt in range(3)]
    assert statuses(logins) == [201, 201, 201]  # no gateway authentication, no credential to count


def test_several_quotas_throttle_when_any_is_full_and_count_against_none(clock, caller):
    app = make_app(clock, {"limit": 1, "window": 10, "api": "ecs.show_job"}, {"limit": 2, "window": 60, "service": "ecs"})
    who = caller(app)
    first = who.at(0).ecs()
    throttled = who.at(5).ecs()  # only the per-API quota is full
    assert (first.status, throttled.status) == (200, 429)
    assert "policy api over ratelimit,limit:1,time:10 second" in throttled.json()["error_msg"]
    usage = [quota["usage"] for quota in app.quotas.snapshot(clock())["quotas"]]
    assert usage == [{USER: 1}, {USER: 1}]  # the throttled request counted against neither
    assert who.at(10).ecs().status == 200
    # Both full at t=15: the answer names the one that stays full longer (the 60 s service quota, listed second).
    assert THROTTLED_USER % (2, "1 minute") == who.at(15).ecs().json()["error_msg"]
    assert [quota["throttled"] for quota in app.quotas.snapshot(clock())["quotas"]] == [1, 1]


# --- the answers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("window, text", [
    (60, "1 minute"), (300, "5 minute"), (1, "1 second"), (90, "90 second"), (3600, "1 hour"), (7200, "2 hour"),
    (120.0, "2 minute"), (0.5, "0.5 second"),
])
def test_window_as_huawei_writes_it(window, text):
    assert quotas.window_text(window) == text


def test_huawei_answer(clock, caller):
    who = caller(make_app(clock, {"limit": 1, "window": 300, "service": "ecs"}))
    who.ecs()
    response = who.ecs()
    assert response.status == 429
    assert response.json() == {"error_msg": THROTTLED_USER % (1, "5 minute"), "error_code": "APIG.0308",
                               "request_id": response.json()["request_id"]}
    assert len(response.json()["request_id"]) == 32
    assert [name for name, _value in response.headers if "retry" in name.lower()] == []  # APIG sends no Retry-After


def test_huawei_answer_per_api_and_with_another_code(clock, caller):
    who = caller(make_app(clock, {"limit": 1, "window": 90, "api": "cfw.list_job", "code": "APIGW.0308"}))
    who.cfw()
    response = who.cfw()
    assert (response.status, response.json()["error_code"], response.json()["error_msg"]) == (
        429, "APIGW.0308", "The throttling threshold has been reached: policy api over ratelimit,limit:1,time:90 second")
    assert response.headers == []


def test_alibaba_answer(clock, acs3_sdk_signed):
    app = make_app(clock, {"limit": 1, "window": 60, "service": "dataworks"})
    assert app.handle(acs3_sdk_signed(query={"JobId": "dw-1"}, access_key=WHO.ali_access_key, secret=WHO.ali_secret_key)[0]).status == 200
    request = acs3_sdk_signed(query={"JobId": "dw-1"}, access_key=WHO.ali_access_key, secret=WHO.ali_secret_key)[0]
    response = app.handle(request)
    body, headers = response.json(), dict(response.headers)
    assert (response.status, body["Code"], body["Message"]) == (400, "Throttling.User", "Request was denied due to user flow control.")
    assert sorted(body) == ["Code", "HostId", "Message", "Recommend", "RequestId"] and headers["x-acs-request-id"] == body["RequestId"]
    assert "x-acs-retry-after" not in headers and "Retry-After" not in headers  # by default none, as often on real answers


def test_alibaba_answer_per_api_with_retry_after_in_whole_milliseconds(clock, start, acs3_sdk_signed):
    app = make_app(clock, {"limit": 2, "window": 60, "api": "dataworks.get_job_status", "retry_after": True})

    def get(offset):
        clock.now = start + offset
        return app.handle(acs3_sdk_signed(query={"JobId": "dw-1"}, access_key=WHO.ali_access_key, secret=WHO.ali_secret_key)[0])

    assert statuses([get(0), get(10)]) == [200, 200]
    response = get(25)
    body = response.json()
    assert (response.status, body["Code"], body["Message"]) == (400, "Throttling.Api", "Request was denied due to api flow control.")
    assert dict(response.headers)["x-acs-retry-after"] == "35000"  # the request of t=0 leaves the window at t=60
    assert dict(get(59.9995).headers)["x-acs-retry-after"] == "1"  # rounded up: waiting it out is enough
    assert get(60).status == 200
    assert dict(get(61).headers)["x-acs-retry-after"] == "9000"  # now the request of t=10 is the oldest


def test_alibaba_answer_with_rejected_throttling(clock, acs3_sdk_signed):
    app = make_app(clock, {"limit": 1, "window": 60, "service": "dataworks", "code": "Rejected.Throttling"})
    for expected in (200, 400):
        response = app.handle(acs3_sdk_signed(query={"JobId": "dw-1"}, access_key=WHO.ali_access_key, secret=WHO.ali_secret_key)[0])
        assert response.status == expected
    assert response.json()["Code"] == "Rejected.Throttling" and "flow control" in response.json()["Message"]


# --- what a quota does not touch -------------------------------------------------------------------

def test_requests_refused_by_authentication_are_neither_counted_nor_throttled(clock, caller, acs3_sdk_signed):
    app = make_app(clock, {"limit": 1, "window": 60})
    who = caller(app)
    refused = [app.handle(who.make_request("GET", "/v1/%s/jobs/job-1" % NORTH, headers={"X-Auth-Token": "forged"})) for dummy in range(3)]
    assert statuses(refused) == [401, 401, 401]
    wrong_secret = acs3_sdk_signed(query={"JobId": "dw-1"}, access_key=WHO.ali_access_key, secret="wrong")[0]
    assert app.handle(wrong_secret).json()["Code"] == "SignatureDoesNotMatch"
    assert app.quotas.snapshot(clock())["quotas"][0]["usage"] == {}
    assert who.ecs().status == 200
    assert statuses([who.ecs(), app.handle(who.make_request("GET", "/v1/%s/jobs/job-1" % NORTH))]) == [429, 401]  # auth comes first


def test_throttled_request_does_not_reach_the_job_nor_use_up_faults(clock, caller):
    jobs = [dict(JOBS[0], faults=[{"kind": "http_5xx"}]), JOBS[1]]
    app = make_app(clock, {"limit": 1, "window": 60, "service": "ecs"}, jobs=jobs)
    app.global_faults.extend([{"kind": "drop", "service": "cfw"}])
    who = caller(app)
    assert who.at(0).ecs("job-2").status == 200  # fills the window
    assert who.at(1).ecs("job-1").status == 429
    job = app.jobs.get("ecs", "job-1")
    assert job.started_at is None  # its clock did not start
    assert job.faults.pending() == ["http_5xx"] and app.global_faults.pending() == ["drop"]
    assert who.at(60).ecs("job-1").status == 503  # the job's fault, now that the request gets through
    assert job.started_at == who.start + 60
    assert who.at(64).ecs("job-1").status == 429


# --- where quotas come from -----------------------------------------------------------------------

def test_jobs_document_and_emulator_argument(clock):
    document = {"jobs": JOBS[:1], "quotas": [{"limit": 5, "window": 60, "service": "ecs"}]}
    assert load_document(document) == (JOBS[:1], {}, document["quotas"])
    assert load_document(JOBS) == (JOBS, {}, [])
    emu = Emulator(jobs=document, quotas=[{"limit": 1, "window": 1, "api": "ecs.show_job", "code": "APIGW.0308"}], now=clock)
    try:
        assert [quota["description"] for quota in emu.quotas()["quotas"]] == ["5/60s ecs", "1/1s ecs.show_job"]
        assert emu.quotas()["quotas"][1] == {"limit": 1, "window": 1, "service": None, "api": "ecs.show_job", "code": "APIGW.0308",
                                             "retry_after": False, "description": "1/1s ecs.show_job", "usage": {}, "throttled": 0}
    finally:
        emu.stop()


@pytest.mark.parametrize("document, message", [
    ({"jobs": [], "quotas": {"limit": 1}}, '"quotas" must be a list'),
    ({"jobs": [], "quota": []}, "unknown top-level field(s) in jobs document: quota"),
])
def test_bad_documents(document, message):
    with pytest.raises(ValueError) as error:
        load_document(document)
    assert message in str(error.value)


@pytest.mark.parametrize("spec, message", [
    ({"limit": 1, "window": 60, "burst": 2}, "unknown field(s) burst (known: limit, window, service, api, code, retry_after)"),
    ({"window": 60}, "limit must be an integer >= 1"),
    ({"limit": 0, "window": 60}, "limit must be an integer >= 1"),
    ({"limit": "5", "window": 60}, "limit must be an integer >= 1"),
    ({"limit": True, "window": 60}, "limit must be an integer >= 1"),
    ({"limit": 1.5, "window": 60}, "limit must be an integer >= 1"),
    ({"limit": 1}, "window must be a number of seconds > 0"),
    ({"limit": 1, "window": 0}, "window must be a number of seconds > 0"),
    ({"limit": 1, "window": -1}, "window must be a number of seconds > 0"),
    ({"limit": 1, "window": "60"}, "window must be a number of seconds > 0"),
    ({"limit": 1, "window": float("inf")}, "window must be a number of seconds > 0"),
    ({"limit": 1, "window": 60, "service": "ecz"}, "unknown service 'ecz' (known: cfw, dataarts, dataworks, ecs, iam)"),
    ({"limit": 1, "window": 60, "api": "ecs.show_jobs"}, "unknown api 'ecs.show_jobs'"),
    ({"limit": 1, "window": 60, "api": "iam.create_token"}, "unknown api 'iam.create_token'"),  # nobody to count
    ({"limit": 1, "window": 60, "service": "cfw", "api": "ecs.show_job"}, "api ecs.show_job is not an API of service cfw"),
    ({"limit": 1, "window": 60, "code": ""}, "code must be a non-empty string"),
    ({"limit": 1, "window": 60, "retry_after": "yes"}, "retry_after must be true or false"),
    ({"limit": 1, "window": 60, "service": "ecs", "retry_after": True}, "Alibaba answers only"),
    ([1, 60], "a quota must be a JSON object"),
])
def test_bad_quota_specs(clock, spec, message):
    with pytest.raises(ValueError) as error:
        make_app(clock, spec)
    assert message in str(error.value)


@pytest.mark.parametrize("text, spec", [
    ("100/60", {"limit": 100, "window": 60}),
    ("100/60:ecs", {"limit": 100, "window": 60, "service": "ecs"}),
    ("20/1:ecs.show_job", {"limit": 20, "window": 1, "api": "ecs.show_job"}),
    ("5/0.5:dataworks", {"limit": 5, "window": 0.5, "service": "dataworks"}),
])
def test_quota_option(text, spec):
    assert quotas.parse_option(text) == spec


@pytest.mark.parametrize("text", ["100", "x/60", "100/x", "100/60:", "1.5/60", "/60", ""])
def test_bad_quota_option(text):
    with pytest.raises(ValueError) as error:
        quotas.parse_option(text)
    assert "expected LIMIT/WINDOW[:SCOPE]" in str(error.value)


def test_command_line(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--quota", "100"])
    assert exited.value.code == 2 and "argument --quota: expected LIMIT/WINDOW[:SCOPE]" in capsys.readouterr().err
    assert cli.main(["--quota", "100/60:ecz"]) == 2
    assert capsys.readouterr().err == (
        "jobwatch emulator: quota {\"limit\": 100, \"service\": \"ecz\", \"window\": 60}: unknown service 'ecz' "
        "(known: cfw, dataarts, dataworks, ecs, iam)\n")
    check = ("import json, os, sys, urllib.request; url = os.environ['JOBWATCH_EMULATOR_URL'] + '/_emulator/quotas'; "
             "quotas = json.load(urllib.request.urlopen(url))['quotas']; "
             "sys.exit(0 if [q['description'] for q in quotas] == ['2/60s ecs', '10/1s'] else 3)")
    assert cli.main(["--quota", "2/60:ecs", "--quota", "10/1", "--", sys.executable, "-c", check]) == 0


# --- control API ----------------------------------------------------------------------------------

def test_control_api_get_post_and_reset(clock, start):
    with Emulator(jobs=JOBS, quotas=[{"limit": 1, "window": 60, "service": "cfw"}], now=clock) as emu, requests.Session() as session:
        token = [emu.app.tokens.issue(NORTH, start).token]

        def ecs():
            return session.get(emu.url + "/v1/%s/jobs/job-1" % NORTH, headers={"X-Auth-Token": token[0]}, timeout=5).status_code

        def control(method, **body):
            response = session.request(method, emu.url + "/_emulator/quotas", json=body or None, timeout=5)
            return response.status_code, response.json()

        status, answer = control("POST", quotas=[{"limit": 2, "window": 60, "service": "ecs"}])
        assert status == 200 and [quota["description"] for quota in answer["quotas"]] == ["2/60s ecs"]
        assert [ecs(), ecs(), ecs()] == [200, 200, 429]
        status, answer = control("GET")
        assert (status, answer["quotas"][0]["usage"], answer["quotas"][0]["throttled"]) == (200, {USER: 2}, 1)
        clock.advance(30)
        assert control("GET")[1]["quotas"][0]["usage"] == {USER: 2}
        clock.advance(30)
        assert control("GET")[1]["quotas"][0]["usage"] == {USER: 0}  # both left the window

        status, answer = control("POST", quotas=[{"limit": 2, "window": 60, "service": "ecs"}, {"limit": 0, "window": 1}])
        assert status == 400 and "limit must be an integer >= 1" in answer["error"]
        assert control("GET")[1]["quotas"][0]["description"] == "2/60s ecs"  # a bad list changes nothing

        assert [ecs(), ecs()] == [200, 200]
        assert control("POST", quotas=[{"limit": 2, "window": 60, "service": "ecs"}])[1]["quotas"][0]["usage"] == {}  # counts anew
        assert ecs() == 200
        session.post(emu.url + "/_emulator/reset", timeout=5)
        answer = control("GET")[1]
        assert [(quota["description"], quota["usage"]) for quota in answer["quotas"]] == [("1/60s cfw", {})]  # the start quotas
        token[0] = emu.app.tokens.issue(NORTH, clock()).token  # a reset forgets tokens too
        assert [ecs(), ecs(), ecs()] == [200, 200, 200]
        assert control("POST", quotas=[])[1] == {"quotas": []}


# --- request log ----------------------------------------------------------------------------------

def test_request_log_marks_throttled_answers(clock, caller):
    jobs = [dict(JOBS[0], faults=[{"kind": "throttle", "after": 1}]), JOBS[1], JOBS[2]]
    app = make_app(clock, {"limit": 3, "window": 60, "service": "ecs"}, jobs=jobs)
    who = caller(app)
    assert statuses([who.ecs("job-1"), who.ecs("job-1"), who.ecs("job-2"), who.ecs("job-2"), who.ecs("job-1"), who.cfw()]) == [
        200, 429, 200, 429, 429, 200]
    log = app.requests.snapshot()
    assert [(entry["job_id"], entry["status"], entry["fault"], entry["throttled"], entry["quota"]) for entry in log["recent"]] == [
        ("job-1", "200", None, False, None),
        ("job-1", "429", "throttle", True, None),  # the fault: throttled too, by no quota
        ("job-2", "200", None, False, None),
        ("job-2", "429", None, True, "3/60s ecs"),
        ("job-1", "429", None, True, "3/60s ecs"),
        ("fw-1", "200", None, False, None),
    ]
    assert (log["throttled"], log["throttled_jobs"]) == (3, {"job-1": 2, "job-2": 1})
    assert {"total", "jobs", "routes", "statuses", "faults", "fault_kinds", "recent"} <= set(log)
    assert (log["total"], log["jobs"], log["faults"]) == (6, {"job-1": 3, "job-2": 2, "fw-1": 1}, {"job-1": {"throttle": 1}})
    app.reset()
    assert (app.requests.snapshot()["throttled"], app.requests.snapshot()["throttled_jobs"]) == (0, {})


def test_request_log_keeps_700_requests():
    log = RequestLog()
    for number in range(700):
        log.record("GET", "/v1/p/jobs/j", "ecs.show_job", "j", "200", None, "id-%d" % number)
    recent = log.snapshot()["recent"]
    assert len(recent) == 700 and recent[0]["request_id"] == "id-0"
