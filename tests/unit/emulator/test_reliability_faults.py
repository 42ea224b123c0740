# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults for the reliability matrix: an answer dropped mid-body, an IAM token expiring mid-wait."""

import http.client
import json

import pytest
import requests

from jobwatch_emulator.app import EmulatorApp
from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

WHO = Identity()
PROJECT = WHO.default_project_id
LOGIN = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": WHO.user_name, "password": WHO.password, "domain": {"name": WHO.domain_name}}}},
    "scope": {"project": {"name": "cn-north-4"}}}}

# One job per Huawei service, and the path that asks for it.
SERVICE_JOBS = {
    "ecs": ({"id": "job-1", "timeline": [["RUNNING", 0]]}, "/v1/%s/jobs/job-1" % PROJECT),
    "dataarts": ({"service": "dataarts", "name": "job 1", "timeline": [["NORMAL", 0]]}, "/v1/%s/jobs/job%%201/status" % PROJECT),
    "cfw": ({"service": "cfw", "id": "job-1", "timeline": [["Running", 0]]}, "/v3/%s/jobs/job-1" % PROJECT),
}


def with_faults(spec, faults):
    return dict(spec, faults=faults)


def login(session, url):
    answer = session.post(url + "/v3/auth/tokens", json=LOGIN, timeout=5)
    assert answer.status_code == 201
    return answer.headers["X-Subject-Token"]


def test_cut_is_an_incomplete_read_for_requests():
    spec, path = SERVICE_JOBS["ecs"]
    with Emulator(jobs=[with_faults(spec, [{"kind": "cut", "after": 1}])]) as emu, requests.Session() as session:
        headers = {"X-Auth-Token": login(session, emu.url)}
        assert session.get(emu.url + path, headers=headers, timeout=5).status_code == 200
        with pytest.raises(requests.exceptions.ChunkedEncodingError) as broken:
            session.get(emu.url + path, headers=headers, timeout=5)
        # requests wraps urllib3's ProtocolError, itself about the IncompleteRead.
        assert isinstance(broken.value.args[0], requests.packages.urllib3.exceptions.ProtocolError)
        assert "IncompleteRead" in str(broken.value)
        answer = session.get(emu.url + path, headers=headers, timeout=5)  # the fault was used once
        assert (answer.status_code, answer.json()["status"]) == (200, "RUNNING")
        counts = emu.requests()
        assert counts["statuses"] == {"201": 1, "200": 2, "cut": 1}
        assert [entry["fault"] for entry in counts["recent"]] == [None, None, "cut", None]


def test_cut_sends_the_full_content_length_and_half_the_body():
    spec, path = SERVICE_JOBS["ecs"]
    with Emulator(jobs=[with_faults(spec, [{"kind": "cut"}])]) as emu, requests.Session() as session:
        token = login(session, emu.url)
        connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
        connection.request("GET", path, headers={"X-Auth-Token": token})
        response = connection.getresponse()
        assert response.status == 200
        promised = int(response.getheader("Content-Length"))
        with pytest.raises(http.client.IncompleteRead) as broken:
            response.read()
        assert len(broken.value.partial) == promised // 2 and broken.value.expected == promised - promised // 2
        assert broken.value.partial.startswith(b'{"status":"RUNNING"')
        connection.close()


@pytest.mark.parametrize("service", sorted(SERVICE_JOBS))
def test_token_expired_mid_wait_then_a_new_login_works(service):
    spec, path = SERVICE_JOBS[service]
    with Emulator(jobs=[with_faults(spec, [{"kind": "token_expired", "after": 1}])]) as emu, requests.Session() as session:
        first = {"X-Auth-Token": login(session, emu.url)}
        assert session.get(emu.url + path, headers=first, timeout=5).status_code == 200
        refused = session.get(emu.url + path, headers=first, timeout=5)
        body = refused.json()
        assert (refused.status_code, body["error_code"], body["request_id"]) == (401, "APIGW.0301", refused.headers["X-Request-Id"])
        assert body["error_msg"].startswith("Incorrect IAM authentication information: token expires, expires_at: 20")
        again = session.get(emu.url + path, headers=first, timeout=5)  # the token stays expired
        assert (again.status_code, again.json()["error_msg"]) == (401, body["error_msg"])
        second = {"X-Auth-Token": login(session, emu.url)}
        assert second != first
        assert session.get(emu.url + path, headers=second, timeout=5).status_code == 200
        counts = emu.requests()
        assert [entry["fault"] for entry in counts["recent"] if entry["job_id"]] == [None, "token_expired", None, None]
        assert counts["statuses"] == {"201": 2, "200": 2, "401": 2}


def test_token_expired_honours_times_and_expires_only_the_token_presented(make_request):
    spec, path = SERVICE_JOBS["ecs"]
    app = EmulatorApp([with_faults(spec, [{"kind": "token_expired", "times": 2}])])
    kept, first, second = (app.tokens.issue(PROJECT, app.now()) for _token in range(3))

    def get(record):
        return app.handle(make_request("GET", path, headers={"X-Auth-Token": record.token}))

    assert get(first).status == 401
    assert get(second).status == 401
    assert get(kept).status == 200  # times: 2 used up, and this token was never presented
    assert get(first).json()["error_msg"].startswith("Incorrect IAM authentication information: token expires")
    assert get(second).status == 401


def test_token_expired_answers_an_aksk_request_the_same(sdk_signed):
    spec, path = SERVICE_JOBS["ecs"]
    app = EmulatorApp([with_faults(spec, [{"kind": "token_expired"}])])
    answer = app.handle(sdk_signed(WHO.access_key, WHO.secret_key, path))
    assert (answer.status, answer.json()["error_code"]) == (401, "APIGW.0301")
    assert "token expires" in answer.json()["error_msg"]
    assert app.handle(sdk_signed(WHO.access_key, WHO.secret_key, path)).status == 200


def test_token_expired_on_dataworks_is_an_expired_sts_token_once(acs3_sdk_signed):
    app = EmulatorApp([{"service": "dataworks", "id": "job-1", "timeline": [["Running", 0]], "faults": [{"kind": "token_expired"}]}])
    credentials = dict(access_key=WHO.ali_sts_access_key, secret=WHO.ali_sts_secret_key, security_token=WHO.ali_sts_token)
    answer = app.handle(acs3_sdk_signed(**credentials)[0])
    assert (answer.status, answer.json()["Code"]) == (400, "InvalidSecurityToken.Expired")
    assert app.handle(acs3_sdk_signed(**credentials)[0]).status == 200


def test_expire_tokens_control_call_still_expires_every_token():
    spec, path = SERVICE_JOBS["ecs"]
    with Emulator(jobs=[spec], token_ttl=60) as emu, requests.Session() as session:
        headers = {"X-Auth-Token": login(session, emu.url)}
        assert session.post(emu.url + "/_emulator/tokens/expire", timeout=5).json() == {"expired": 1}
        answer = session.get(emu.url + path, headers=headers, timeout=5)
        assert (answer.status_code, answer.json()["error_code"]) == (401, "APIGW.0301")
        assert "token expires, expires_at: " in answer.json()["error_msg"]


def test_token_ttl_still_bounds_a_token(clock, make_request):
    spec, path = SERVICE_JOBS["ecs"]
    app = EmulatorApp([spec], token_ttl=5, now=clock)
    login_answer = app.handle(make_request("POST", "/v3/auth/tokens", body=json.dumps(LOGIN).encode()))
    token = dict(login_answer.headers)["X-Subject-Token"]
    assert app.handle(make_request("GET", path, headers={"X-Auth-Token": token})).status == 200
    clock.advance(5)
    assert "token expires" in app.handle(make_request("GET", path, headers={"X-Auth-Token": token})).json()["error_msg"]
