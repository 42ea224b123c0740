# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``Emulator(now=...)``: a clock the caller moves drives timelines, times and tokens over HTTP;
answers on a kept-alive connection come at once (what timings measured against it rely on)."""

import http.client
import json
import time
from urllib.parse import urlsplit

from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator
from jobwatch_emulator.services.ecs import iso_time

WHO = Identity()
NORTH = WHO.projects["cn-north-4"]
LOGIN = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": WHO.user_name, "password": WHO.password, "domain": {"name": WHO.domain_name}}}},
    "scope": {"project": {"name": "cn-north-4"}}}}
JOBS = [
    {"id": "job-10m", "timeline": [["RUNNING", 0], ["SUCCESS", 600]], "start": "created"},
    {"id": "job-lazy", "timeline": [["INIT", 0], ["SUCCESS", 30]]},
]


def call(emu, method, path, headers=None, body=None):
    parts = urlsplit(emu.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        payload = json.dumps(body).encode("utf-8") if body is not None else None
        connection.request(method, path, body=payload, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.getheader("X-Subject-Token"), json.loads(response.read().decode("utf-8"))
    finally:
        connection.close()


def statuses(emu):
    return {job["id"]: job["status"] for job in call(emu, "GET", "/_emulator/jobs")[2]["jobs"]}


def test_an_injected_clock_drives_timelines_times_and_tokens(clock):
    with Emulator(jobs=JOBS, token_ttl=3600, now=clock) as emu:
        start = clock()
        status, token, _body = call(emu, "POST", "/v3/auth/tokens", body=LOGIN)
        assert status == 201
        headers = {"X-Auth-Token": token}

        assert statuses(emu) == {"job-10m": "RUNNING", "job-lazy": "INIT"}
        clock.advance(599.5)
        assert call(emu, "GET", "/v1/%s/jobs/job-10m" % NORTH, headers)[2]["status"] == "RUNNING"
        # The first request starts job-lazy's clock, at the injected time.
        assert call(emu, "GET", "/v1/%s/jobs/job-lazy" % NORTH, headers)[2]["status"] == "INIT"
        clock.advance(0.5)
        done = call(emu, "GET", "/v1/%s/jobs/job-10m" % NORTH, headers)[2]
        assert done["status"] == "SUCCESS"
        # The job's times are the injected clock's, not the wall clock's.
        assert done["end_time"] == iso_time(start + 600)
        clock.advance(30)
        assert statuses(emu) == {"job-10m": "SUCCESS", "job-lazy": "SUCCESS"}
        # Tokens expire on the same clock.
        clock.advance(3600)
        status, _token, body = call(emu, "GET", "/v1/%s/jobs/job-10m" % NORTH, headers)
        assert status == 401 and "token expires" in body["error_msg"]


def test_kept_alive_answers_do_not_wait_for_delayed_acks():
    """Headers and body are two writes; with Nagle's algorithm each answer would take ~40 ms more."""
    with Emulator(jobs=JOBS) as emu:
        parts = urlsplit(emu.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            started = time.monotonic()
            for _count in range(25):
                connection.request("GET", "/_emulator/health")
                response = connection.getresponse()
                assert response.status == 200 and response.read()
            took = time.monotonic() - started
        finally:
            connection.close()
    assert took < 0.5, "25 answers took %.2f s" % took
