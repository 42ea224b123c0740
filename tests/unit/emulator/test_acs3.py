# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's Alibaba gateway verifies what the official SDK signs with ACS3, and refuses the rest."""

import hashlib
import time

import pytest

from jobwatch_emulator import acs3, acs_gateway
from jobwatch_emulator.identity import Identity

WHO = Identity()
AK, SECRET = WHO.ali_access_key, WHO.ali_secret_key
STS = dict(access_key=WHO.ali_sts_access_key, secret=WHO.ali_sts_secret_key, security_token=WHO.ali_sts_token)


def accept(request, nonces=None, now=None, sts_expired=False):
    return acs_gateway.authenticate(request, WHO, nonces or acs_gateway.NonceStore(), now, sts_expired)


def refusal(request, nonces=None, now=None, sts_expired=False):
    with pytest.raises(acs_gateway.AcsError) as refused:
        accept(request, nonces, now, sts_expired)
    return refused.value


def iso(timestamp):
    return time.strftime(acs3.DATE_FORMAT, time.gmtime(timestamp))


def test_accepts_sdk_signatures_with_a_permanent_key(acs3_sdk_signed):
    request, _headers = acs3_sdk_signed(AK, SECRET)
    context = accept(request)
    assert (context.access_key, context.sts) == (AK, False)


def test_accepts_sdk_signatures_with_sts_credentials(acs3_sdk_signed):
    request, headers = acs3_sdk_signed(**STS)
    assert "x-acs-accesskey-id" in headers["Authorization"]  # the SDK signs every header it sends
    assert accept(request).sts is True


@pytest.mark.parametrize("value", ["plain", "with space", "a+b", "tilde~x", "50%&x=1", "caf\u00e9 \u4efb\u52a1", "", "*'()!"])
def test_accepts_sdk_signatures_over_awkward_query_values(acs3_sdk_signed, value):
    """Sent form-encoded by darabonba (space as "+"), signed with the value encoded with "~" kept."""
    request, _headers = acs3_sdk_signed(AK, SECRET, query={"JobId": value, "Other": "x y", "A": "1"})
    assert accept(request).access_key == AK


def test_canonical_forms_match_the_sdk():
    utils = pytest.importorskip("alibabacloud_tea_openapi.utils")
    query = {"JobId": "a b~c/d+e", "Zeta": "", "Alpha": "\u4efb"}
    raw_query = "JobId=a+b%7Ec%2Fd%2Be&Zeta=&Alpha=%E4%BB%BB"
    assert acs3.canonical_query(raw_query) == utils.get_canonical_query_string(query)
    headers = {"Host": "h:1", "X-Acs-Date": " 2026-01-01T00:00:00Z ", "x-acs-action": "GetJobStatus"}
    block, names = utils.get_canonicalized_headers(headers)
    lowered = {name.lower(): [value] for name, value in headers.items()}
    assert acs3.canonical_headers(lowered, names.split(";")) == block
    assert acs3.canonical_headers({"x-a": ["b ", "a"]}, ["x-a"]) == "x-a:a,b\n"  # repeated headers, sorted


def test_wrong_secret_is_refused_with_the_server_string_to_sign(acs3_sdk_signed):
    request, headers = acs3_sdk_signed(AK, "not-the-secret")
    error = refusal(request)
    assert (error.status, error.code) == (400, "SignatureDoesNotMatch")
    assert error.message.startswith("Specified signature is not matched with our calculation. server string to sign is:ACS3-HMAC-SHA256\n")
    # Only the secret was wrong: the server's string to sign is the client's, so the signature is what differs.
    canonical = acs3.canonical_request("GET", "/", request.raw_query, {name.lower(): [value] for name, value in headers.items()},
                                       headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";"),
                                       hashlib.sha256(b"").hexdigest())
    assert error.message.endswith(acs3.string_to_sign(canonical))


def test_unknown_access_key(acs3_sdk_signed):
    error = refusal(acs3_sdk_signed("LTAI5tNOSUCHKEY00000", SECRET)[0])
    assert (error.status, error.code, error.message) == (404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")


def test_tampered_query_after_signing(acs3_sdk_signed):
    request, _headers = acs3_sdk_signed(AK, SECRET, query={"JobId": "job-1"})
    request.raw_query = "JobId=job-2"
    assert refusal(request).code == "SignatureDoesNotMatch"


def test_content_hash_must_be_that_of_the_body_received(acs3_sdk_signed):
    # Signed over an empty body (and declared so), but a body is sent: the declared hash is wrong.
    request, _headers = acs3_sdk_signed(AK, SECRET, sent_body=b"JobId=job-2")
    error = refusal(request)
    assert error.code == "SignatureDoesNotMatch" and "x-acs-content-sha256 does not match" in error.message
    # The same body, declared and signed with its own hash, is fine.
    body = b"JobId=job-2"
    assert accept(acs3_sdk_signed(AK, SECRET, method="POST", body=body)[0]).access_key == AK
    # A declared hash that is not the body's, although signed.
    request, _headers = acs3_sdk_signed(AK, SECRET, headers={"x-acs-content-sha256": "0" * 64})
    assert "x-acs-content-sha256 does not match" in refusal(request).message


@pytest.mark.parametrize("name", acs_gateway.REQUIRED_SIGNED_HEADERS)
def test_required_headers_must_be_signed(acs3_sdk_signed, name):
    present = acs3_sdk_signed(AK, SECRET)[1][name]
    request, _headers = acs3_sdk_signed(AK, SECRET, headers={name: None}, unsigned={name: present})
    error = refusal(request)
    assert (error.status, error.code) == (400, "IncompleteSignature")
    assert error.message == "The request signature does not conform to Aliyun standards. Header %s is not signed." % name


@pytest.mark.parametrize("name", ["x-acs-security-token", "x-acs-accesskey-id"])
def test_sts_headers_must_be_signed_too(acs3_sdk_signed, name):
    headers = acs3_sdk_signed(**STS)[1]
    request, _headers = acs3_sdk_signed(**STS, headers={name: None}, unsigned={name: headers[name]})
    assert "Header %s is not signed" % name in refusal(request).message


def test_signed_header_that_was_not_sent(acs3_sdk_signed):
    request, _headers = acs3_sdk_signed(AK, SECRET, headers={"x-acs-extra": "1"})
    del request.headers["x-acs-extra"]
    assert "Signed header x-acs-extra is missing" in refusal(request).message


@pytest.mark.parametrize("skew", [-16 * 60, 16 * 60])
def test_date_skew_over_fifteen_minutes(acs3_sdk_signed, skew):
    request, _headers = acs3_sdk_signed(AK, SECRET)
    error = refusal(request, now=time.time() + skew)
    assert (error.status, error.code, error.message) == (400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")


def test_date_skew_under_fifteen_minutes_is_fine(acs3_sdk_signed):
    request, _headers = acs3_sdk_signed(AK, SECRET, date=iso(time.time() - 14 * 60))
    assert accept(request).access_key == AK


def test_badly_formatted_date(acs3_sdk_signed):
    request, _headers = acs3_sdk_signed(AK, SECRET, date="Mon, 23 Nov 2026 17:05:38 GMT")
    assert refusal(request).code == "InvalidTimeStamp.Format"


def test_replayed_nonce_is_refused(acs3_sdk_signed):
    nonces = acs_gateway.NonceStore()
    request, _headers = acs3_sdk_signed(AK, SECRET)
    assert accept(request, nonces).access_key == AK
    error = refusal(request, nonces)
    assert (error.status, error.code, error.message) == (400, "SignatureNonceUsed", "Specified signature nonce was used already.")
    # Another request with the same nonce (a retry that was not re-signed) is refused as well.
    nonce = request.header("x-acs-signature-nonce")
    other, _headers = acs3_sdk_signed(AK, SECRET, query={"JobId": "job-2"}, nonce=nonce)
    assert refusal(other, nonces).code == "SignatureNonceUsed"


def test_a_refused_request_does_not_use_up_its_nonce(acs3_sdk_signed):
    nonces = acs_gateway.NonceStore()
    forged, _headers = acs3_sdk_signed(AK, "not-the-secret", nonce="n-1")
    assert refusal(forged, nonces).code == "SignatureDoesNotMatch"
    assert accept(acs3_sdk_signed(AK, SECRET, nonce="n-1")[0], nonces).access_key == AK


def test_nonces_are_remembered_for_the_whole_date_window():
    nonces = acs_gateway.NonceStore()
    assert nonces.use("n", 1000.0)
    assert not nonces.use("n", 1000.0 + acs_gateway.NONCE_TTL - 1)
    assert nonces.use("n", 1000.0 + acs_gateway.NONCE_TTL + 1)
    assert acs_gateway.NONCE_TTL >= 2 * acs_gateway.MAX_DATE_SKEW


def test_sts_needs_its_own_token(acs3_sdk_signed):
    missing = acs3_sdk_signed(**dict(STS, security_token=None))[0]
    wrong = acs3_sdk_signed(**dict(STS, security_token="emulator-ali-sts-token-9999"))[0]
    with_permanent_key = acs3_sdk_signed(AK, SECRET, security_token=WHO.ali_sts_token)[0]
    for request in (missing, wrong, with_permanent_key):
        assert refusal(request).code == "InvalidSecurityToken.MismatchWithAccessKey"
    assert refusal(acs3_sdk_signed(**STS)[0], sts_expired=True).code == "InvalidSecurityToken.Expired"
    assert accept(acs3_sdk_signed(**STS)[0]).sts is True


def test_declared_access_key_id_must_match_the_credential(acs3_sdk_signed):
    request, _headers = acs3_sdk_signed(**STS, headers={"x-acs-accesskey-id": AK})
    assert "x-acs-accesskey-id does not match" in refusal(request).message


@pytest.mark.parametrize("authorization, code", [
    (None, "IncompleteSignature"),
    ("ACS3-HMAC-SHA256 Credential=AK", "IncompleteSignature"),
    ("Basic dXNlcjpwYXNz", "IncompleteSignature"),
    ("ACS3-HMAC-SM3 Credential=AK,SignedHeaders=host,Signature=00", "InvalidSignatureMethod"),
])
def test_missing_or_malformed_authorization(acs3_sdk_signed, authorization, code):
    request, _headers = acs3_sdk_signed(AK, SECRET)
    del request.headers["Authorization"]
    if authorization:
        request.headers["Authorization"] = authorization
    assert refusal(request).code == code


def test_error_answer_shape(acs3_sdk_signed):
    request, _headers = acs3_sdk_signed(AK, "not-the-secret")
    response = refusal(request).response(request)
    body = response.json()
    assert sorted(body) == ["Code", "HostId", "Message", "Recommend", "RequestId"]
    assert (response.status, body["Code"], body["HostId"]) == (400, "SignatureDoesNotMatch", "127.0.0.1:8080")
    assert dict(response.headers)["x-acs-request-id"] == body["RequestId"]
    assert len(body["RequestId"]) == 36 and body["RequestId"] == body["RequestId"].upper()
    assert body["RequestId"] in body["Recommend"]
