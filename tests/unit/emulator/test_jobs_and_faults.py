# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Timelines, the ECS rendering of a job, and the order in which faults are used up."""

import pytest

from jobwatch_emulator import faults
from jobwatch_emulator.jobs import JobStore
from jobwatch_emulator.messages import json_response
from jobwatch_emulator.services import ecs

PROJECT = "0123456789abcdef0123456789abcdef"
FAILING = {
    "id": "job-1", "timeline": [["INIT", 0], ["RUNNING", 1], ["FAIL", 3]],
    "result": {"error_code": "Ecs.0013", "fail_reason": "Insufficient EIP quota.", "job_type": "createServer", "extra": 1,
               "entities": {"sub_jobs": [{"status": "FAIL", "job_id": "sub-1", "error_code": "Ecs.0013",
                                          "entities": {"server_id": "s1", "errorcode_message": "quota"}}]}},
}


def store(clock, *specs):
    jobs = JobStore(["ecs"], PROJECT, clock)
    jobs.load_initial(specs)
    return jobs


def test_clock_starts_at_first_request(clock):
    job = store(clock, FAILING).get("ecs", "job-1")
    clock.advance(100)
    assert job.phase(clock()).status == "INIT"  # nobody asked yet
    job.touch(clock())
    clock.advance(1.5)
    job.touch(clock())  # later requests do not restart it
    assert job.phase(clock()).status == "RUNNING"
    clock.advance(1.5)
    phase = job.phase(clock())
    assert (phase.status, phase.final, phase.entered_at - phase.began_at) == ("FAIL", True, 3)


def test_clock_can_start_at_creation(clock):
    job = store(clock, dict(FAILING, start="created")).get("ecs", "job-1")
    clock.advance(5)
    assert job.phase(clock()).status == "FAIL"


def test_running_job_hides_terminal_only_fields(clock):
    job = store(clock, FAILING).get("ecs", "job-1")
    job.touch(clock())
    clock.advance(1)
    answer = ecs.render(job, clock())
    assert (answer["status"], answer["end_time"], answer["error_code"], answer["fail_reason"]) == ("RUNNING", None, None, None)
    sub = answer["entities"]["sub_jobs"][0]
    assert (sub["status"], sub["error_code"], sub["end_time"]) == ("RUNNING", None, None)
    assert sub["entities"] == {"server_id": "s1"}
    assert answer["entities"]["sub_jobs_total"] == 1
    assert answer["extra"] == 1


def test_finished_job_shows_the_result(clock):
    job = store(clock, FAILING).get("ecs", "job-1")
    job.touch(clock())
    clock.advance(10)
    answer = ecs.render(job, clock())
    assert (answer["status"], answer["error_code"], answer["fail_reason"]) == ("FAIL", "Ecs.0013", "Insufficient EIP quota.")
    assert answer["begin_time"].endswith("Z") and len(answer["begin_time"]) == len("2016-04-25T20:04:47.591Z")
    assert answer["end_time"] > answer["begin_time"]
    sub = answer["entities"]["sub_jobs"][0]
    assert (sub["status"], sub["job_id"], sub["error_code"], sub["end_time"]) == ("FAIL", "sub-1", "Ecs.0013", answer["end_time"])
    assert sub["entities"]["errorcode_message"] == "quota"


@pytest.mark.parametrize("spec, message", [
    ({"timeline": [["RUNNING", 0]]}, "non-empty string \"id\""),
    ({"id": "x"}, "timeline"),
    ({"id": "x", "timeline": [["RUNNING", -1]]}, "seconds >= 0"),
    ({"id": "x", "timeline": [["RUNNING", 0]], "service": "nope"}, "unknown service"),
    ({"id": "x", "timeline": [["RUNNING", 0]], "start": "later"}, "start must be"),
    ({"id": "x", "timeline": [["RUNNING", 0]], "colour": "red"}, "unknown field"),
    ({"id": "x", "timeline": [["RUNNING", 0]], "faults": [{"kind": "meteor"}]}, "unknown fault kind"),
    ({"id": "x", "timeline": [["RUNNING", 0]], "faults": [{"kind": "throttle", "times": 0, "retry_after": 1}]}, "times must be"),
])
def test_bad_job_specs_are_explained(clock, spec, message):
    with pytest.raises(ValueError, match=message):
        store(clock, spec)


def test_faults_are_used_in_order_after_their_grace():
    queue = faults.FaultQueue([{"kind": "throttle", "times": 2, "retry_after": 1}, {"kind": "http_5xx", "after": 1}, {"kind": "drop", "times": -1}])
    seen = [getattr(queue.take(), "kind", None) for _attempt in range(7)]
    assert seen == ["throttle", "throttle", None, "http_5xx", "drop", "drop", "drop"]


def test_global_faults_can_target_one_service():
    queue = faults.FaultQueue([{"kind": "http_5xx", "service": "iam"}])
    assert queue.take("ecs") is None
    assert queue.take("iam").kind == "http_5xx"
    assert queue.take("iam") is None


def test_spoiled_answers(make_request):
    request = make_request()

    def normal():
        return json_response(200, {"status": "RUNNING", "job_id": "j"})

    def spoil(**spec):
        return faults.spoil(faults.Fault.from_spec(spec), request, normal, ("status",))

    throttled = spoil(kind="throttle", retry_after=2)
    assert (throttled.status, dict(throttled.headers)["Retry-After"], throttled.json()["error_code"]) == (429, "2", "APIG.0308")
    assert throttled.json()["request_id"] == request.request_id
    assert "Retry-After" not in dict(spoil(kind="throttle", retry_after=None).headers)
    assert "Retry-After" not in dict(spoil(kind="throttle").headers)  # the default: real APIG answers carry none
    assert spoil(kind="http_5xx", status=502).json()["error_code"] == "APIG.0202"
    moved = spoil(kind="redirect")
    assert (moved.status, dict(moved.headers)["Location"]) == (302, faults.REDIRECT_LOCATION)
    assert dict(spoil(kind="redirect", status=301, location="http://x.example/").headers)["Location"] == "http://x.example/"
    html = spoil(kind="html_502")
    assert (html.status, html.content_type) == (502, "text/html") and b"<h1>502 Bad Gateway</h1>" in html.body
    for variant in ("truncated", "malformed"):
        with pytest.raises(ValueError):
            spoil(kind="bad_json", variant=variant).json()
    assert spoil(kind="missing_status").json() == {"job_id": "j"}
    assert spoil(kind="slow", delay=0.5).delay == 0.5
    assert spoil(kind="reset").disconnect == "reset"


def test_echo_credential_names_the_presented_token_in_the_page_title(make_request):
    request = make_request(headers={"X-Security-Token": "emulator-security-token-0001"})
    page = faults.spoil(faults.Fault.from_spec({"kind": "echo_credential"}), request, None, ("status",))
    assert (page.status, page.content_type) == (403, "text/html")
    # Far enough in that a title cut at 120 characters keeps a piece of the token, not all of it.
    assert b"<title>" + faults.ECHO_PREFIX.encode() + b"emulator-security-token-0001</title>" in page.body
    assert 8 < 120 - len(faults.ECHO_PREFIX) < len("emulator-security-token-0001")
