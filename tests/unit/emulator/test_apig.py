# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's gateway verifies what the official SDK signs, and refuses the rest."""

import time
from urllib.parse import quote

import pytest

from jobwatch_emulator import apig, sdk_hmac
from jobwatch_emulator.iam import TokenStore
from jobwatch_emulator.identity import Identity

WHO = Identity()
PROJECT = WHO.default_project_id

# Job names that stress the canonical URI: space, "/", non-ASCII, "~", reserved characters.
AWKWARD_NAMES = ["plain", "with space", "a/b", "caf\u00e9 \u4efb\u52a1", "tilde~x", "50%+rest&more=1", "trailing/"]


def refusal(request, tokens=None, now=None):
    with pytest.raises(apig.GatewayError) as refused:
        apig.authenticate(request, WHO, tokens or TokenStore(), now)
    return refused.value


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_accepts_sdk_signatures_over_awkward_paths(sdk_signed, name):
    path = "/v1/%s/jobs/%s/status" % (PROJECT, quote(name, safe=""))
    request = sdk_signed(WHO.access_key, WHO.secret_key, path, headers={"X-Project-Id": PROJECT, "workspace": "ws \u00e9"})
    context = apig.authenticate(request, WHO, TokenStore())
    assert (context.method, context.project_id) == ("aksk", PROJECT)


def test_accepts_sdk_signatures_over_queries_and_bodies(sdk_signed):
    query = [("name", "cn-north-4"), ("b", ["z", "a b"]), ("flag", True), ("tilde", "~x")]
    request = sdk_signed(WHO.access_key, WHO.secret_key, "/v3/projects", query_params=query, method="POST",
                         headers={"Content-Type": "application/json"}, body=b'{"a": 1}')
    assert apig.authenticate(request, WHO, TokenStore()).method == "aksk"


def test_canonical_uri_matches_the_algorithm():
    assert sdk_hmac.canonical_uri("/v1/p/jobs/a%20b") == "/v1/p/jobs/a%20b/"
    assert sdk_hmac.canonical_uri("/v1/p/jobs/a%2Fb") == "/v1/p/jobs/a/b/"
    assert sdk_hmac.canonical_uri("/v1/p/jobs/%7Ex%C3%A9") == "/v1/p/jobs/~x%C3%A9/"
    assert sdk_hmac.canonical_uri("/") == "/"
    assert sdk_hmac.canonical_query("b=2&a=y&a=x&c") == "a=x&a=y&b=2&c="


def test_wrong_secret(sdk_signed):
    error = refusal(sdk_signed(WHO.access_key, "not-the-secret", "/v1/%s/jobs/j" % PROJECT))
    assert (error.status, error.code, error.message) == (401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail")


def test_unknown_access_key_is_not_echoed(sdk_signed):
    error = refusal(sdk_signed("NOSUCHKEY00000000000", WHO.secret_key, "/v1/%s/jobs/j" % PROJECT))
    assert "ak not exist" in error.message and "NOSUCHKEY" not in error.message


def test_tampered_path_after_signing(sdk_signed):
    request = sdk_signed(WHO.access_key, WHO.secret_key, "/v1/%s/jobs/j" % PROJECT)
    request.raw_path += "x"
    assert "verify aksk signature fail" in refusal(request).message


@pytest.mark.parametrize("unsigned", ["host", "x-sdk-date"])
def test_host_and_date_must_be_signed(make_request, unsigned):
    date = time.strftime(sdk_hmac.DATE_FORMAT, time.gmtime())
    headers = {"host": "127.0.0.1:8080", "x-sdk-date": date}
    signed = sorted(name for name in headers if name != unsigned)
    canonical = sdk_hmac.canonical_request("GET", "/v1/p/jobs/j", "", headers, signed, sdk_hmac.EMPTY_BODY_SHA256)
    signature = sdk_hmac.signature(WHO.secret_key, sdk_hmac.string_to_sign(date, canonical))
    headers["Authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (WHO.access_key, ";".join(signed), signature)
    assert "%s is not signed" % unsigned in refusal(make_request(path="/v1/p/jobs/j", headers=headers)).message


@pytest.mark.parametrize("skew", [-16 * 60, 16 * 60])
def test_date_skew_over_fifteen_minutes(sdk_signed, skew):
    request = sdk_signed(WHO.access_key, WHO.secret_key, "/v1/%s/jobs/j" % PROJECT)
    error = refusal(request, now=time.time() + skew)
    assert "signature expired" in error.message and "server time:" in error.message


def test_date_skew_under_fifteen_minutes_is_fine(sdk_signed):
    request = sdk_signed(WHO.access_key, WHO.secret_key, "/v1/%s/jobs/j" % PROJECT)
    assert apig.authenticate(request, WHO, TokenStore(), time.time() + 14 * 60).method == "aksk"


def test_temporary_keys_need_their_signed_token(sdk_signed):
    path = "/v1/%s/jobs/j" % PROJECT
    good = sdk_signed(WHO.temporary_access_key, WHO.temporary_secret_key, path, headers={"X-Security-Token": WHO.security_token})
    assert apig.authenticate(good, WHO, TokenStore()).method == "aksk"
    missing = sdk_signed(WHO.temporary_access_key, WHO.temporary_secret_key, path)
    wrong = sdk_signed(WHO.temporary_access_key, WHO.temporary_secret_key, path, headers={"X-Security-Token": "other"})
    for request in (missing, wrong):
        assert "security token invalid" in refusal(request).message


def test_tokens(make_request):
    tokens = TokenStore(ttl=60)
    record = tokens.issue(PROJECT, time.time())
    context = apig.authenticate(make_request(headers={"X-Auth-Token": record.token}), WHO, tokens)
    assert (context.method, context.project_id) == ("token", PROJECT)
    assert context.allows_project(PROJECT) and not context.allows_project(WHO.projects["ap-southeast-1"])
    assert "token expires" in refusal(make_request(headers={"X-Auth-Token": record.token}), tokens, time.time() + 61).message
    assert "decrypt token fail" in refusal(make_request(headers={"X-Auth-Token": "MIIforged"}), tokens).message


def test_no_credentials_and_garbage_authorization(make_request):
    assert refusal(make_request()).message.endswith("x-auth-token not found")
    assert "verify aksk signature fail" in refusal(make_request(headers={"Authorization": "Basic abc"})).message


def test_error_answer_carries_the_request_id(make_request):
    request = make_request()
    answer = refusal(request).response(request).json()
    assert answer == {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: x-auth-token not found",
                      "request_id": request.request_id}
