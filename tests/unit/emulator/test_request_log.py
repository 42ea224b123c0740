# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GET /_emulator/requests: arrival times, job, route, status and fault of each request; fault counts per job."""

import time

import requests

from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

WHO = Identity()
PROJECT = WHO.default_project_id
LOGIN = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": WHO.user_name, "password": WHO.password, "domain": {"name": WHO.domain_name}}}},
    "scope": {"project": {"name": "cn-north-4"}}}}
JOBS = [
    {"id": "job-a", "timeline": [["RUNNING", 0]], "faults": [{"kind": "throttle", "times": 2, "retry_after": 1}, {"kind": "slow", "delay": 0.6}]},
    {"id": "job-b", "timeline": [["RUNNING", 0]], "faults": [{"kind": "http_5xx", "after": 1}, {"kind": "drop"}]},
]


def test_recent_entries_carry_arrival_times_job_route_status_and_fault():
    with Emulator(jobs=JOBS) as emu, requests.Session() as session:
        before = time.monotonic()
        token = session.post(emu.url + "/v3/auth/tokens", json=LOGIN, timeout=5).headers["X-Subject-Token"]
        headers = {"X-Auth-Token": token}

        def get(job_id):
            return session.get(emu.url + "/v1/%s/jobs/%s" % (PROJECT, job_id), headers=headers, timeout=5)

        assert [get("job-a").status_code for _attempt in range(2)] == [429, 429]
        time.sleep(0.3)
        sent_slow = time.monotonic()
        assert get("job-a").status_code == 200  # slow: answered 0.6 s after it arrived
        answered_slow = time.monotonic()
        assert [get("job-b").status_code for _attempt in range(2)] == [200, 503]
        try:
            get("job-b")
        except requests.exceptions.ConnectionError:
            pass  # drop
        assert get("job-b").status_code == 200
        after = time.monotonic()

        log = session.get(emu.url + "/_emulator/requests", timeout=5).json()
    recent = log["recent"]
    assert [(entry["job_id"], entry["route"], entry["status"], entry["fault"]) for entry in recent] == [
        (None, "iam.create_token", "201", None),
        ("job-a", "ecs.show_job", "429", "throttle"),
        ("job-a", "ecs.show_job", "429", "throttle"),
        ("job-a", "ecs.show_job", "200", "slow"),
        ("job-b", "ecs.show_job", "200", None),
        ("job-b", "ecs.show_job", "503", "http_5xx"),
        ("job-b", "ecs.show_job", "drop", "drop"),
        ("job-b", "ecs.show_job", "200", None),
    ]
    times = [entry["time"] for entry in recent]
    assert all(isinstance(value, float) for value in times)
    assert before <= times[0] and times == sorted(times) and times[-1] <= after  # this process's monotonic clock
    assert times[3] - times[2] >= 0.3  # the pause between the throttled requests and the next one shows
    assert sent_slow <= times[3] <= sent_slow + 0.3 < answered_slow  # arrival, not when the slow answer left
    assert all(abs(entry["wall_time"] - time.time()) < 60 for entry in recent)
    assert log["faults"] == {"job-a": {"throttle": 2, "slow": 1}, "job-b": {"http_5xx": 1, "drop": 1}}
    assert log["fault_kinds"] == {"throttle": 2, "slow": 1, "http_5xx": 1, "drop": 1}
    assert log["jobs"] == {"job-a": 3, "job-b": 4}


def test_fault_counts_include_global_faults_and_are_cleared_on_reset():
    with Emulator(jobs=JOBS[:1]) as emu, requests.Session() as session:
        session.post(emu.url + "/_emulator/faults", json={"faults": [{"kind": "http_5xx", "service": "iam", "times": 2}]}, timeout=5)
        assert [session.post(emu.url + "/v3/auth/tokens", json=LOGIN, timeout=5).status_code for _attempt in range(3)] == [503, 503, 201]
        log = emu.requests()
        assert (log["faults"], log["fault_kinds"]) == ({}, {"http_5xx": 2})  # no job: counted over all requests only
        emu.reset()
        log = emu.requests()
        assert (log["total"], log["faults"], log["fault_kinds"], log["recent"]) == (0, {}, {}, [])
