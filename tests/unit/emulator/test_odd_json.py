# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault odd_json: valid JSON of a shape nobody promised, in each dialect and status place."""

import pytest

from jobwatch_emulator import faults
from jobwatch_emulator.messages import json_response

JOB = {"status": "RUNNING", "job_id": "j", "entities": {"server_id": "s"}}
WRAPPED = {"RequestId": "r", "JobStatus": {"JobId": "j", "Status": "Running"}}


def spoil(request, document, status_path, dialect="huawei", **spec):
    fault = faults.Fault.from_spec(dict(spec, kind="odd_json"))
    return faults.spoil(fault, request, lambda: json_response(200, document), status_path, dialect)


@pytest.mark.parametrize("value", [3, True, ["RUNNING"], {"name": "RUNNING"}, None, ""])
def test_the_status_is_replaced_where_the_route_keeps_it(make_request, value):
    assert spoil(make_request(), JOB, ("status",), variant="status", value=value).json() == dict(JOB, status=value)
    answer = spoil(make_request(), WRAPPED, ("JobStatus", "Status"), "alibaba", variant="status", value=value).json()
    assert answer == {"RequestId": "r", "JobStatus": {"JobId": "j", "Status": value}}


def test_fields_are_set_on_the_job_not_on_the_envelope(make_request):
    answer = spoil(make_request(), WRAPPED, ("JobStatus", "Status"), "alibaba", variant="fields", value={"Error": {"a": 1}}).json()
    assert answer["JobStatus"]["Error"] == {"a": 1} and "Error" not in answer
    odd = {"entities": "text", "nodes": 3}
    assert spoil(make_request(), JOB, ("status",), variant="fields", value=odd).json() == dict(JOB, **odd)


def test_error_bodies_carry_the_odd_message_in_each_dialect(make_request):
    request = make_request()
    huawei = spoil(request, JOB, ("status",), variant="error", status=503, value={"why": 1})
    assert huawei.status == 503 and huawei.json()["error_msg"] == {"why": 1} and huawei.json()["error_code"] == "APIG.0202"
    alibaba = spoil(request, WRAPPED, ("JobStatus", "Status"), "alibaba", variant="error", value=42)
    assert alibaba.status == 400 and (alibaba.json()["Code"], alibaba.json()["Message"]) == ("Emulator.OddAnswer", 42)


@pytest.mark.parametrize("value", [None, ["a"], "text", 7])
def test_the_whole_body_can_be_any_json(make_request, value):
    answer = spoil(make_request(), JOB, ("status",), variant="body", value=value)
    assert answer.status == 200 and answer.json() == value


@pytest.mark.parametrize("spec, words", [
    ({"kind": "odd_json"}, "odd_json variant must be one of status, fields, error, body"),
    ({"kind": "odd_json", "variant": "fields", "value": [1]}, "needs value: an object"),
])
def test_bad_odd_json_specs_are_explained(spec, words):
    with pytest.raises(ValueError, match=words):
        faults.Fault.from_spec(spec)
