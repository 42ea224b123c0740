# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the emulator's own tests: import path, a settable clock, an SDK signer."""

import email.message
import os
import sys
import time
import uuid

import pytest

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "emulator")
sys.path.insert(0, EMULATOR_DIR)

from jobwatch_emulator.messages import Request  # noqa: E402 pylint: disable=wrong-import-position


class Clock:
    """A wall clock tests move by hand; starts at the real time so signed dates stay valid."""

    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


def _request(method="GET", path="/", query="", headers=None, body=b"", wire_text=False):
    """A Request as http.server builds it: header values are the latin-1 text of the bytes sent."""
    message = email.message.Message()
    for name, value in (headers or {}).items():
        message[name] = value if wire_text else value.encode("utf-8").decode("iso-8859-1")
    return Request(method, path, query, message, body, uuid.uuid4().hex)


def _sdk_signed(access_key, secret_key, path, query_params=(), headers=None, method="GET", body=b"", host="127.0.0.1:8080"):
    """A Request signed by huaweicloudsdkcore's own Signer, exactly as the SDK would send it."""
    signer_module = pytest.importorskip("huaweicloudsdkcore.signer.signer")
    sdk_request_module = pytest.importorskip("huaweicloudsdkcore.sdk_request")
    credentials = type("Credentials", (), {"ak": access_key, "sk": secret_key})()
    sdk_request = sdk_request_module.SdkRequest(
        method=method, schema="http", host=host, resource_path=path, query_params=list(query_params),
        header_params=dict(headers or {}), body=body)
    signed = signer_module.Signer(credentials).sign(sdk_request)
    raw_query = signer_module.Signer.process_canonical_query_string(signed)
    # The signer already turned header values into the latin-1 text requests puts on the wire.
    headers = {name: str(value) for name, value in signed.header_params.items()}
    return _request(method, signed.resource_path, raw_query, headers, body, wire_text=True)


@pytest.fixture
def make_request():
    return _request


@pytest.fixture
def sdk_signed():
    return _sdk_signed
