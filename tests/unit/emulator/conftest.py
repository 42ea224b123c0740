# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the emulator's own tests: a settable clock, SDK signers."""

import email.message
import hashlib
import time
import uuid
from urllib.parse import urlencode

import pytest

from jobwatch_emulator.messages import Request


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


def _acs3_sdk_signed(access_key, secret, query=None, headers=None, method="GET", body=b"", security_token=None,
                     date=None, nonce=None, host="127.0.0.1:8080", unsigned=None, sent_body=None):
    """(Request, headers) signed by alibabacloud_tea_openapi's own ACS3 code, built as its client does.

    The headers are those ``Client.do_request`` sets for an RPC call (DataWorks GetJobStatus), the
    query goes on the wire as ``darabonba``'s ``urlencode`` puts it. ``unsigned``: headers added
    after signing; ``sent_body``: a body other than the one signed (tampering).
    """
    utils = pytest.importorskip("alibabacloud_tea_openapi.utils")
    dara_request = pytest.importorskip("darabonba.request")
    request = dara_request.DaraRequest()
    request.method = method
    request.pathname = "/"
    request.query = dict(query if query is not None else {"JobId": "job-1"})
    signed = {
        "host": host, "x-acs-version": "2024-05-18", "x-acs-action": "GetJobStatus",
        "user-agent": "AlibabaCloud (Linux) Python/3 Core/1 TeaDSL/2", "accept": "application/json",
        "x-acs-date": date or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "x-acs-signature-nonce": nonce or utils.Utils.get_nonce(),
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
    }
    if security_token:
        signed["x-acs-accesskey-id"] = access_key
        signed["x-acs-security-token"] = security_token
    signed.update(headers or {})
    request.headers = {name: value for name, value in signed.items() if value is not None}
    request.headers["Authorization"] = utils.Utils.get_authorization(
        request, "ACS3-HMAC-SHA256", hashlib.sha256(body).hexdigest(), access_key, secret)
    wire_headers = dict(request.headers, **(unsigned or {}))
    raw_query = urlencode({key: str(value) for key, value in request.query.items() if value is not None})
    return _request(method, "/", raw_query, wire_headers, body if sent_body is None else sent_body), wire_headers


@pytest.fixture
def make_request():
    return _request


@pytest.fixture
def acs3_sdk_signed():
    return _acs3_sdk_signed


@pytest.fixture
def sdk_signed():
    return _sdk_signed
