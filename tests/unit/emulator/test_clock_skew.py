# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Clock skew: the gateways' clock off by --clock-skew refuses correctly signed requests as the real ones do."""

import calendar
import os
import re
import subprocess
import sys
import time

import pytest
import requests

from jobwatch_emulator import sdk_hmac
from jobwatch_emulator.app import EmulatorApp
from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

WHO = Identity()
PROJECT = WHO.default_project_id
ECS_JOB = {"id": "job-1", "timeline": [["RUNNING", 0]]}
ECS_PATH = "/v1/%s/jobs/job-1" % PROJECT
DATAWORKS_JOB = {"service": "dataworks", "id": "job-1", "timeline": [["Running", 0]]}
EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "emulator")
SKEWED = re.compile(r"^Incorrect IAM authentication information: verify aksk signature fail, signature expired, "
                    r"signature time:(\d{8}T\d{6}Z),server time:(\d{8}T\d{6}Z)$")


def seconds(sdk_date):
    return calendar.timegm(time.strptime(sdk_date, sdk_hmac.DATE_FORMAT))


@pytest.mark.parametrize("skew", [1200, -1200])
def test_huawei_gateway_refuses_a_correct_signature_when_its_clock_is_off(sdk_signed, skew):
    app = EmulatorApp([ECS_JOB], clock_skew=skew)
    answer = app.handle(sdk_signed(WHO.access_key, WHO.secret_key, ECS_PATH))
    body = answer.json()
    assert (answer.status, body["error_code"]) == (401, "APIGW.0301")
    signed, server = SKEWED.match(body["error_msg"]).groups()
    assert abs(seconds(server) - seconds(signed) - skew) <= 2  # the server time shown is the skewed one
    assert app.requests.snapshot()["statuses"] == {"401": 1}


@pytest.mark.parametrize("skew", [0, 600, -600])
def test_huawei_gateway_accepts_a_skew_within_15_minutes(sdk_signed, skew):
    app = EmulatorApp([ECS_JOB], clock_skew=skew)
    assert app.handle(sdk_signed(WHO.access_key, WHO.secret_key, ECS_PATH)).status == 200


def test_skew_leaves_iam_tokens_alone(make_request):
    app = EmulatorApp([ECS_JOB], clock_skew=-7200, token_ttl=3600)
    token = app.tokens.issue(PROJECT, app.now()).token  # not expired by a gateway clock two hours behind or ahead
    assert app.handle(make_request("GET", ECS_PATH, headers={"X-Auth-Token": token})).status == 200


@pytest.mark.parametrize("skew", [1200, -1200])
def test_alibaba_gateway_refuses_a_correct_signature_when_its_clock_is_off(acs3_sdk_signed, skew):
    app = EmulatorApp([DATAWORKS_JOB], clock_skew=skew)
    answer = app.handle(acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key)[0])
    body = answer.json()
    assert (answer.status, body["Code"], body["Message"]) == (400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    assert answer.headers == [("x-acs-request-id", body["RequestId"])]


def test_alibaba_gateway_accepts_a_skew_within_15_minutes(acs3_sdk_signed):
    app = EmulatorApp([DATAWORKS_JOB], clock_skew=-600)
    assert app.handle(acs3_sdk_signed(WHO.ali_access_key, WHO.ali_secret_key)[0]).status == 200


def test_clock_skew_is_set_through_the_control_api_and_reset():
    with Emulator(jobs=[ECS_JOB], clock_skew=30) as emu, requests.Session() as session:
        url = emu.url + "/_emulator/clock-skew"
        assert session.get(url, timeout=5).json() == {"seconds": 30.0}
        assert session.post(url, json={"seconds": -1200}, timeout=5).json() == {"seconds": -1200.0}
        assert emu.app.clock_skew == -1200
        for bad in ({"seconds": "soon"}, {"seconds": True}, {}, [1]):
            assert session.post(url, json=bad, timeout=5).status_code == 400
        assert session.post(url, data=b"nan", timeout=5).status_code == 400
        assert session.post(emu.url + "/_emulator/reset", timeout=5).status_code == 200
        assert session.get(url, timeout=5).json() == {"seconds": 30.0}
        assert emu.requests()["total"] == 0  # control calls are not counted


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "60", None])
def test_clock_skew_must_be_a_finite_number(bad):
    with pytest.raises(ValueError):
        EmulatorApp([], clock_skew=bad)


def test_cli_clock_skew():
    ask = ("import json, os, urllib.request; "
           "print(json.load(urllib.request.urlopen(os.environ['JOBWATCH_EMULATOR_URL'] + '/_emulator/clock-skew'))['seconds'])")
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    finished = subprocess.run([sys.executable, "-m", "jobwatch_emulator", "--clock-skew", "-1200", "--", sys.executable, "-c", ask],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False, env=env)
    assert (finished.returncode, finished.stdout.decode().strip()) == (0, "-1200.0")
    finished = subprocess.run([sys.executable, "-m", "jobwatch_emulator", "--clock-skew", "nan"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=False, env=env)
    assert finished.returncode == 2 and b"finite number" in finished.stderr
