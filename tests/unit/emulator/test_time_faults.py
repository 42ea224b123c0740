# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults that test a client's time and size bounds: hang, trickle, gzip_bomb, huge_html, deep_json."""

import json
import time
import zlib

import pytest
import requests

from jobwatch_emulator.faults import Fault
from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

WHO = Identity()
PATH = "/v1/%s/jobs/job-1" % WHO.default_project_id
LOGIN = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": WHO.user_name, "password": WHO.password, "domain": {"name": WHO.domain_name}}}},
    "scope": {"project": {"name": "cn-north-4"}}}}


def job_with(*faults):
    return [{"id": "job-1", "timeline": [["RUNNING", 0]], "faults": list(faults)}]


@pytest.fixture(name="ask")
def _ask():
    """``ask(emulator, **requests_kwargs)``: GET the job with a fresh login token."""
    with requests.Session() as session:
        def ask(emu, **kwargs):
            token = session.post(emu.url + "/v3/auth/tokens", json=LOGIN, timeout=5).headers["X-Subject-Token"]
            return session.get(emu.url + PATH, headers={"X-Auth-Token": token}, **kwargs)
        yield ask


def test_hang_says_nothing_until_the_client_goes_then_answers_again(ask):
    with Emulator(jobs=job_with({"kind": "hang"})) as emu:
        began = time.monotonic()
        with pytest.raises(requests.exceptions.ReadTimeout):
            ask(emu, timeout=0.5)
        assert time.monotonic() - began < 3
        assert ask(emu, timeout=5).json()["status"] == "RUNNING"
        counts = emu.requests()
        assert counts["statuses"]["hang"] == 1 and counts["fault_kinds"] == {"hang": 1}


def test_trickle_sends_the_whole_normal_answer_a_byte_at_a_time(ask):
    with Emulator(jobs=job_with({"kind": "trickle", "interval": 0.01})) as emu:
        began = time.monotonic()
        # stream: the headers come at once, the body byte by byte; every read is well within 1 s.
        answer = ask(emu, timeout=1, stream=True)
        assert answer.status_code == 200 and time.monotonic() - began < 1
        body = answer.content
        took = time.monotonic() - began
        assert json.loads(body)["status"] == "RUNNING"
        assert took >= 0.01 * len(body) * 0.9


def test_gzip_bomb_is_small_on_the_wire_and_inflates_to_its_size(ask):
    with Emulator(jobs=job_with({"kind": "gzip_bomb", "size_mb": 16})) as emu:
        answer = ask(emu, timeout=5, stream=True)
        assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
        wire = answer.raw.read(decode_content=False)
        assert len(wire) < 64 * 1024
        inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(wire)
        assert len(inflated) == 16 * 1024 * 1024 and set(inflated) == {ord("0")}


def test_huge_html_is_a_titleless_page_of_the_size_asked_full_of_unclosed_angles(ask):
    with Emulator(jobs=job_with({"kind": "huge_html", "size_kb": 200})) as emu:
        answer = ask(emu, timeout=5)
        assert answer.status_code == 502 and answer.headers["Content-Type"].startswith("text/html")
        assert 199 * 1024 <= len(answer.content) <= 200 * 1024
        assert b"<title" not in answer.content and answer.content.count(b"<") > 5000


def test_deep_json_breaks_json_loads(ask):
    with Emulator(jobs=job_with({"kind": "deep_json", "depth": 20000})) as emu:
        answer = ask(emu, timeout=5)
        assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/json"
        assert answer.content.startswith(b'{"status": [[[')
        with pytest.raises(RecursionError):
            json.loads(answer.content)


@pytest.mark.parametrize("spec, words", [
    ({"kind": "trickle", "interval": 0}, "interval must be more than 0"),
    ({"kind": "trickle", "interval": "1"}, "interval must be more than 0"),
    ({"kind": "gzip_bomb", "size_mb": 0}, "size_mb, size_kb and depth must be integers"),
    ({"kind": "deep_json", "depth": True}, "size_mb, size_kb and depth must be integers"),
    ({"kind": "huge_html", "size_kb": 10 ** 9}, "size_mb, size_kb and depth must be integers"),
])
def test_bad_sizes_and_intervals_are_refused(spec, words):
    with pytest.raises(ValueError) as caught:
        Fault.from_spec(spec)
    assert words in str(caught.value)
