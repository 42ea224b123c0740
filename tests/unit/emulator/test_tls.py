# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTPS with a throwaway CA (trustme): refused without the CA, accepted with it; the CLI's --tls."""

import os
import signal
import subprocess
import sys

import pytest
import requests

from jobwatch_emulator import tls
from jobwatch_emulator.server import Emulator

pytest.importorskip("trustme")  # a test requirement (tests/unit/requirements.txt); the emulator needs it only for --tls

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "emulator")
JOBS = [{"id": "job-1", "timeline": [["RUNNING", 0]], "faults": [{"kind": "cut"}]}]


def cli(*args):
    return [sys.executable, "-m", "jobwatch_emulator"] + list(args), dict(os.environ, PYTHONPATH=EMULATOR_DIR)


def test_https_refused_without_the_ca_and_accepted_with_it(tmp_path):
    context, ca_path = tls.throwaway_ca(str(tmp_path))
    assert ca_path == str(tmp_path / "ca.pem") and (tmp_path / "ca.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    with Emulator(jobs=JOBS, ssl_context=context) as emu:
        assert emu.url.startswith("https://127.0.0.1:")
        with pytest.raises(requests.exceptions.SSLError) as refused:
            requests.get(emu.url + "/_emulator/health", timeout=5)
        assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
        assert requests.get(emu.url + "/_emulator/health", verify=ca_path, timeout=5).json() == {"status": "ok"}
        localhost = emu.url.replace("127.0.0.1", "localhost")
        assert requests.get(localhost + "/_emulator/health", verify=ca_path, timeout=5).status_code == 200
        with pytest.warns(requests.packages.urllib3.exceptions.InsecureRequestWarning):
            assert requests.get(emu.url + "/_emulator/health", verify=False, timeout=5).status_code == 200


def test_a_certificate_for_another_name_is_a_hostname_error(tmp_path):
    context, ca_path = tls.throwaway_ca(str(tmp_path), tls.MISMATCHED_HOSTNAMES)
    with Emulator(ssl_context=context) as emu:
        with pytest.raises(requests.exceptions.SSLError) as refused:
            requests.get(emu.url + "/_emulator/health", verify=ca_path, timeout=5)
        assert "match" in str(refused.value) and "127.0.0.1" in str(refused.value)


def test_cut_over_https_is_still_an_incomplete_read(tmp_path):
    context, ca_path = tls.throwaway_ca(str(tmp_path))
    with Emulator(jobs=JOBS, ssl_context=context) as emu, requests.Session() as session:
        login = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "demo-user", "password": "demo-password-1", "domain": {"name": "demo-domain"}}}},
            "scope": {"project": {"name": "cn-north-4"}}}}
        # verify= on each call: a REQUESTS_CA_BUNDLE in the environment would override session.verify.
        token = session.post(emu.url + "/v3/auth/tokens", json=login, verify=ca_path, timeout=5).headers["X-Subject-Token"]
        path = "/v1/%s/jobs/job-1" % emu.app.identity.default_project_id
        with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.SSLError)):
            session.get(emu.url + path, headers={"X-Auth-Token": token}, verify=ca_path, timeout=5)
        assert session.get(emu.url + path, headers={"X-Auth-Token": token}, verify=ca_path, timeout=5).status_code == 200


def test_cli_tls_with_a_command_exports_the_ca_and_an_https_url(tmp_path):
    check = ("import os, requests; "
             "print(requests.get(os.environ['JOBWATCH_EMULATOR_URL'] + '/_emulator/health', "
             "verify=os.environ['JOBWATCH_EMULATOR_CA'], timeout=5).json()['status'], os.environ['JOBWATCH_EMULATOR_CA'])")
    command, env = cli("--tls", "--tls-dir", str(tmp_path / "tls"), "--", sys.executable, "-c", check)
    finished = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, check=False, env=env)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.decode().split() == ["ok", str(tmp_path / "tls" / "ca.pem")]
    line = finished.stderr.decode()
    assert line.startswith("jobwatch emulator listening on https://127.0.0.1:")
    assert line.rstrip().endswith("(CA certificate: %s)" % (tmp_path / "tls" / "ca.pem"))


def test_cli_tls_writes_the_ca_beside_the_port_file(tmp_path):
    command, env = cli("--tls", "--port-file", str(tmp_path / "port"))
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        line = server.stdout.readline().decode()
        port = int((tmp_path / "port").read_text())
        ca_path = str(tmp_path / "ca.pem")
        assert line == "jobwatch emulator listening on https://127.0.0.1:%d (CA certificate: %s)\n" % (port, ca_path)
        url = "https://127.0.0.1:%d/_emulator/health" % port
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url, timeout=5)
        assert requests.get(url, verify=ca_path, timeout=5).status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=10) == 0
        server.stdout.close()
        server.stderr.close()


def test_cli_tls_without_a_directory_uses_a_temporary_one_and_removes_it(tmp_path):
    check = "import os; print(os.environ['JOBWATCH_EMULATOR_CA'], os.path.exists(os.environ['JOBWATCH_EMULATOR_CA']))"
    command, env = cli("--tls-hostname-mismatch", "--", sys.executable, "-c", check)
    finished = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, check=False, env=env, cwd=str(tmp_path))
    ca_path, existed = finished.stdout.decode().split()
    assert (finished.returncode, existed) == (0, "True")
    assert os.path.basename(ca_path) == "ca.pem" and not os.path.exists(os.path.dirname(ca_path))


def test_without_tls_the_emulator_does_not_import_trustme():
    check = ("import sys, jobwatch_emulator.__main__ as cli; from jobwatch_emulator.server import Emulator; "
             "emu = Emulator().start(); emu.stop(); print('trustme' in sys.modules)")
    finished = subprocess.run([sys.executable, "-c", check], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False,
                              env=dict(os.environ, PYTHONPATH=EMULATOR_DIR))
    assert (finished.returncode, finished.stdout.decode().strip()) == (0, "False"), finished.stderr


def test_cli_tls_without_trustme_is_a_clear_error(tmp_path):
    # A trustme that cannot be imported, first on the path.
    (tmp_path / "trustme.py").write_text("raise ImportError('no trustme here')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), EMULATOR_DIR]))
    finished = subprocess.run([sys.executable, "-m", "jobwatch_emulator", "--tls", "--tls-dir", str(tmp_path / "tls")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False, env=env)
    assert finished.returncode == 2
    assert b"HTTPS needs the trustme package" in finished.stderr
