# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator over real sockets: IAM, token auth, the control API, faults, and the CLI."""

import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

WHO = Identity()
NORTH, SOUTHEAST = WHO.projects["cn-north-4"], WHO.projects["ap-southeast-1"]
EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "emulator")
JOBS = [
    {"id": "job-ok", "timeline": [["RUNNING", 0], ["SUCCESS", 60]]},
    {"id": "job-drop", "timeline": [["SUCCESS", 0]], "faults": [{"kind": "drop"}]},
    {"id": "job-reset", "timeline": [["SUCCESS", 0]], "faults": [{"kind": "reset"}]},
    {"id": "job-slow", "timeline": [["SUCCESS", 0]], "faults": [{"kind": "slow", "delay": 2}]},
    {"id": "job-gone", "timeline": [["RUNNING", 0]], "faults": [{"kind": "gone", "after": 1}]},
    {"id": "job-burst", "timeline": [["SUCCESS", 0]], "faults": [{"kind": "http_5xx", "times": 2}, {"kind": "throttle", "retry_after": 1}]},
]
LOGIN = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": WHO.user_name, "password": WHO.password, "domain": {"name": WHO.domain_name}}}},
    "scope": {"project": {"name": "cn-north-4"}}}}


@pytest.fixture
def emulator():
    with Emulator(jobs=JOBS, token_ttl=60) as emu:
        yield emu


def call(emu, method, path, headers=None, body=None, timeout=5.0, connection=None):
    """(status, headers, decoded JSON or raw body) of one request."""
    parts = urlsplit(emu.url)
    connection = connection or http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    payload = json.dumps(body).encode("utf-8") if body is not None else None
    connection.request(method, path, body=payload, headers=dict(headers or {}, **({"Content-Type": "application/json"} if payload else {})))
    response = connection.getresponse()
    data = response.read()
    if response.getheader("Content-Type", "").startswith("application/json"):
        data = json.loads(data.decode("utf-8"))
    return response.status, response, data


def token_for(emu, project_name="cn-north-4"):
    login = json.loads(json.dumps(LOGIN))
    login["auth"]["scope"]["project"] = {"name": project_name}
    status, response, body = call(emu, "POST", "/v3/auth/tokens", body=login)
    assert status == 201 and body["token"]["project"]["name"] == project_name
    return response.getheader("X-Subject-Token")


def job_path(job_id, project_id=NORTH):
    return "/v1/%s/jobs/%s" % (project_id, job_id)


def test_password_login_then_token_calls(emulator):
    token = token_for(emulator)
    status, response, job = call(emulator, "GET", job_path("job-ok"), {"X-Auth-Token": token})
    assert (status, job["status"], job["job_id"]) == (200, "RUNNING", "job-ok")
    assert len(response.getheader("X-Request-Id")) == 32

    status, _response, projects = call(emulator, "GET", "/v3/projects?name=ap-southeast-1", {"X-Auth-Token": token})
    assert (status, [p["id"] for p in projects["projects"]]) == (200, [SOUTHEAST])
    assert call(emulator, "GET", "/v3/projects?name=xx-nowhere-1", {"X-Auth-Token": token})[2]["projects"] == []


def test_a_region_can_have_two_projects_of_its_name():
    # Sub-projects share the region's name in this account: IAM lists both, as the SDK guards against.
    with Emulator(credentials={"more_projects": {"1111aaaa2222bbbb3333cccc4444dddd": "cn-north-4"}}) as emu:
        token = token_for(emu, "ap-southeast-1")
        status, _response, projects = call(emu, "GET", "/v3/projects?name=cn-north-4", {"X-Auth-Token": token})
        assert (status, [p["id"] for p in projects["projects"]]) == (200, [NORTH, "1111aaaa2222bbbb3333cccc4444dddd"])
        assert [p["id"] for p in call(emu, "GET", "/v3/projects?name=ap-southeast-1", {"X-Auth-Token": token})[2]["projects"]] == [SOUTHEAST]
    with pytest.raises(ValueError):
        Identity.with_overrides({"more_projects": ["1111aaaa2222bbbb3333cccc4444dddd"]})


def test_token_of_another_project_is_forbidden(emulator):
    status, _response, body = call(emulator, "GET", job_path("job-ok"), {"X-Auth-Token": token_for(emulator, "ap-southeast-1")})
    assert (status, body["error"]["code"]) == (403, "Ecs.0023")


def test_wrong_password_and_expired_tokens(emulator):
    bad = json.loads(json.dumps(LOGIN))
    bad["auth"]["identity"]["password"]["user"]["password"] = "nope"
    status, response, body = call(emulator, "POST", "/v3/auth/tokens", body=bad)
    assert (status, body) == (401, {"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}})
    assert response.getheader("X-Subject-Token") is None

    token = token_for(emulator)
    assert call(emulator, "POST", "/_emulator/tokens/expire")[2] == {"expired": 1}
    status, response, body = call(emulator, "GET", job_path("job-ok"), {"X-Auth-Token": token})
    assert (status, body["error_code"], body["request_id"]) == (401, "APIGW.0301", response.getheader("X-Request-Id"))
    assert "token expires, expires_at: " in body["error_msg"]


def test_unknown_api_and_unknown_job(emulator):
    status, _response, body = call(emulator, "GET", "/v9/whatever")
    assert (status, body["error_code"]) == (404, "APIG.0101")
    status, _response, body = call(emulator, "GET", job_path("no-such-job"), {"X-Auth-Token": token_for(emulator)})
    assert (status, body) == (400, {"error": {"code": "Common.0011", "message": "Failed to query system tasks."}})


def test_control_api_counts_and_resets(emulator):
    token = token_for(emulator)
    status, _response, body = call(emulator, "POST", "/_emulator/jobs", body={"jobs": [{"id": "job-new", "timeline": [["FAIL", 0]]}]})
    assert (status, body) == (201, {"added": ["job-new"]})
    assert call(emulator, "GET", job_path("job-new"), {"X-Auth-Token": token})[2]["status"] == "FAIL"
    call(emulator, "GET", job_path("job-new"), {"X-Auth-Token": "MIIforged"})
    counts = call(emulator, "GET", "/_emulator/requests")[2]
    assert counts["jobs"] == {"job-new": 2}
    assert counts["routes"] == {"iam.create_token": 1, "ecs.show_job": 2}
    assert counts["statuses"] == {"201": 1, "200": 1, "401": 1}

    assert call(emulator, "POST", "/_emulator/jobs", body={"jobs": [{"id": "bad"}]})[0] == 400
    assert call(emulator, "POST", "/_emulator/reset")[0] == 200
    assert call(emulator, "GET", "/_emulator/requests")[2]["total"] == 0
    assert "job-new" not in [job["id"] for job in call(emulator, "GET", "/_emulator/jobs")[2]["jobs"]]
    assert call(emulator, "GET", job_path("job-ok"), {"X-Auth-Token": token})[0] == 401  # tokens are gone too


def test_connection_faults(emulator):
    token = {"X-Auth-Token": token_for(emulator)}
    with pytest.raises(http.client.RemoteDisconnected):
        call(emulator, "GET", job_path("job-drop"), token)
    with pytest.raises(ConnectionResetError):
        call(emulator, "GET", job_path("job-reset"), token)
    with pytest.raises(socket.timeout):
        call(emulator, "GET", job_path("job-slow"), token, timeout=0.5)
    for job_id in ("job-drop", "job-reset", "job-slow"):  # each fault was used once
        assert call(emulator, "GET", job_path(job_id), token)[0] == 200
    assert call(emulator, "GET", "/_emulator/requests")[2]["statuses"] == {"201": 1, "drop": 1, "reset": 1, "200": 4}


def test_answer_faults_in_order_on_one_kept_alive_connection(emulator):
    token = {"X-Auth-Token": token_for(emulator)}
    parts = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    statuses = [call(emulator, "GET", job_path("job-burst"), token, connection=connection)[0] for _attempt in range(4)]
    assert statuses == [503, 503, 429, 200]
    statuses = [call(emulator, "GET", job_path("job-gone"), token, connection=connection)[0] for _attempt in range(3)]
    assert statuses == [200, 400, 400]


def test_global_faults(emulator):
    assert call(emulator, "POST", "/_emulator/faults", body={"faults": [{"kind": "http_5xx", "service": "iam", "status": 500}]})[0] == 201
    assert call(emulator, "POST", "/v3/auth/tokens", body=LOGIN)[0] == 500
    assert call(emulator, "POST", "/v3/auth/tokens", body=LOGIN)[0] == 201


def cli(*args, **kwargs):
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    return [sys.executable, "-m", "jobwatch_emulator"] + list(args), dict(env=env, **kwargs)


def test_cli_runs_a_command_and_passes_its_exit_code(tmp_path):
    check = "import os, sys; print(os.environ['JOBWATCH_EMULATOR_URL']); sys.exit(3)"
    command, options = cli("--port-file", str(tmp_path / "port"), "--", sys.executable, "-c", check)
    finished = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False, **options)
    port = (tmp_path / "port").read_text().strip()
    assert finished.returncode == 3
    assert finished.stdout.decode().strip() == "http://127.0.0.1:%s" % port


def test_cli_serves_until_sigterm(tmp_path):
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps({"jobs": JOBS[:1], "credentials": {"password": "changed-password"}}))
    command, options = cli("--jobs", str(jobs), "--port-file", str(tmp_path / "port"))
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)
    try:
        line = server.stdout.readline().decode()
        port = int((tmp_path / "port").read_text())
        assert line == "jobwatch emulator listening on http://127.0.0.1:%d\n" % port
        emu = type("Running", (), {"url": "http://127.0.0.1:%d" % port})()
        assert call(emu, "GET", "/_emulator/jobs")[2]["jobs"][0]["id"] == "job-ok"
        assert call(emu, "POST", "/v3/auth/tokens", body=LOGIN)[0] == 401  # the jobs file changed the password
    finally:
        server.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert server.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
        server.stdout.close()
        server.stderr.close()


def test_cli_rejects_a_bad_jobs_file(tmp_path):
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps({"jobs": [{"id": "x", "timeline": []}]}))
    command, options = cli("--jobs", str(jobs))
    finished = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False, **options)
    assert finished.returncode == 2
    assert b"timeline must be a non-empty list" in finished.stderr


def test_cli_passes_sigterm_to_its_command(tmp_path):
    command, options = cli("--port-file", str(tmp_path / "port"), "--", sys.executable, "-c", "import time; time.sleep(60)")
    wrapper = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)
    try:
        for _attempt in range(100):
            if (tmp_path / "port").exists():
                break
            time.sleep(0.1)
        time.sleep(0.5)  # let it start the command
        wrapper.send_signal(signal.SIGTERM)
        assert wrapper.wait(timeout=10) == 128 + signal.SIGTERM
    finally:
        wrapper.kill()
        wrapper.communicate()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a throwaway certificate")
def test_https_with_a_throwaway_certificate(tmp_path):
    key, cert = str(tmp_path / "key.pem"), str(tmp_path / "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with Emulator(ssl_context=context) as emu:
        assert emu.url.startswith("https://127.0.0.1:")
        untrusting = http.client.HTTPSConnection("127.0.0.1", emu.port, timeout=5, context=ssl.create_default_context())
        with pytest.raises(ssl.SSLError):
            untrusting.request("GET", "/_emulator/health")
        trusting = http.client.HTTPSConnection("127.0.0.1", emu.port, timeout=5, context=ssl.create_default_context(cafile=cert))
        trusting.request("GET", "/_emulator/health")
        assert trusting.getresponse().status == 200
