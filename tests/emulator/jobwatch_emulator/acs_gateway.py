# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud's OpenAPI gateway (POP): who is calling, and its error answers.

Every Alibaba route (DataWorks) passes through ``authenticate``: an ``ACS3-HMAC-SHA256``
signature by a RAM AccessKey or by STS temporary credentials with their security token. The
checks, in the order applied (the first failing one answers):

1. ``Authorization`` present and of the form ``ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..``
2. the algorithm is ``ACS3-HMAC-SHA256`` (SM3 and RSA variants are not emulated)
3. the AccessKey id is known
4. STS: the temporary AccessKey comes with its ``x-acs-security-token`` (and a permanent one
   without any), the token has not been expired through the control API, and an
   ``x-acs-accesskey-id`` header (the SDK sends one with STS) names the same AccessKey
5. ``host``, ``x-acs-action``, ``x-acs-version``, ``x-acs-date``, ``x-acs-signature-nonce``,
   ``x-acs-content-sha256`` and every other ``x-acs-*`` header sent are in SignedHeaders, and
   every signed header was sent
6. ``x-acs-date`` is ``yyyy-MM-ddTHH:mm:ssZ`` and within 15 minutes of the server's clock
7. ``x-acs-content-sha256`` is the hex SHA-256 of the body actually received
8. the signature matches (computed as in ``acs3.py``)
9. the nonce was not used before: nonces are remembered for twice the date window, so a request
   replayed while its date is still accepted is refused (checked last, so a forged request
   cannot use up someone's nonce)

Error codes, HTTP statuses and messages: Alibaba's "client common error codes" table of the
OpenAPI platform (``InvalidAccessKeyId.NotFound`` 404 "Specified access key is not found.",
``InvalidTimeStamp.Format``/``InvalidTimeStamp.Expired``, ``SignatureNonceUsed``,
``InvalidSignatureMethod``, ``SignatureDoesNotMatch`` "Specified signature is not matched with our
calculation.", ``Throttling.User``, all 400; one edition of that table lists 400 for
``InvalidAccessKeyId.NotFound``), ``IncompleteSignature`` "The request signature does not conform to
Aliyun standards." (400, client error table of several Alibaba products), and the
"server string to sign is:" tail real gateways add to SignatureDoesNotMatch (seen in public SDK
tests). The ``InvalidSecurityToken.*`` codes appear in public code handling real answers; their
messages and HTTP status 400 are guesses, and so is every detail we add after a documented
message and the ``Recommend`` link format. Each guess is marked "(guess)" below.
"""

import calendar
import dataclasses
import hmac
import threading
import time
import uuid
from typing import Dict, List, Optional, Tuple

from . import acs3
from .identity import Identity
from .messages import Request, Response, json_response

MAX_DATE_SKEW = 15 * 60  # seconds; x-acs-date must be within 15 minutes of the server's time
NONCE_TTL = 2 * MAX_DATE_SKEW  # a date 15 min ahead stays acceptable until 15 min after; forums cite 31 min
REQUIRED_SIGNED_HEADERS = ("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256")
DEFAULT_PRODUCT = "dataworks-public"

INCOMPLETE_SIGNATURE = (400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
INVALID_SIGNATURE_METHOD = (400, "InvalidSignatureMethod", "Specified signature method is not valid.")
ACCESS_KEY_NOT_FOUND = (404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
TIMESTAMP_FORMAT = (400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
TIMESTAMP_EXPIRED = (400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
SIGNATURE_MISMATCH = (400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
NONCE_USED = (400, "SignatureNonceUsed", "Specified signature nonce was used already.")
# Codes seen in public code that handles real answers; messages and status are guesses.
TOKEN_MISMATCH = (400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.")  # (guess)
TOKEN_EXPIRED = (400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")  # (guess)


def request_id(request: Request) -> str:
    """Alibaba's request id format (an upper-case UUID), derived from the emulator's own id."""
    return str(uuid.UUID(hex=request.request_id)).upper()


def acs_json(request: Request, status: int, payload: dict, headers: Optional[List[Tuple[str, str]]] = None) -> Response:
    """An Alibaba answer: ``RequestId`` first in the body, and the ``x-acs-request-id`` header."""
    body = dict({"RequestId": request_id(request)}, **payload)
    return json_response(status, body, [("x-acs-request-id", body["RequestId"])] + list(headers or []))


def acs_error(request: Request, status: int, code: str, message: str, headers=None, product: str = DEFAULT_PRODUCT) -> Response:
    """The POP error shape: RequestId, HostId, Code, Message, Recommend."""
    rid = request_id(request)
    # Real answers link to the API troubleshooting page like this (format from memory) (guess).
    recommend = "https://api.aliyun.com/troubleshoot?q=%s&product=%s&requestId=%s" % (code, product, rid)
    return acs_json(request, status, {"HostId": request.header("Host") or "", "Code": code, "Message": message, "Recommend": recommend},
                    headers)


class AcsError(Exception):
    """A request the gateway refuses; ``response(request)`` renders the gateway's answer."""

    def __init__(self, error: Tuple[int, str, str], detail: str = ""):
        status, code, message = error
        super().__init__("%s: %s%s" % (code, message, detail))
        self.status = status
        self.code = code
        self.message = message + detail

    def response(self, request: Request) -> Response:
        return acs_error(request, self.status, self.code, self.message)


class NonceStore:
    """Signature nonces seen recently; a nonce is refused a second time within ``ttl`` seconds."""

    def __init__(self, ttl: float = NONCE_TTL):
        self.ttl = ttl
        self._seen: Dict[str, float] = {}
        self._lock = threading.Lock()

    def use(self, nonce: str, now: float) -> bool:
        """Record ``nonce``; False when it was already used (a replay)."""
        with self._lock:
            if len(self._seen) > 1000:
                self._seen = {key: at for key, at in self._seen.items() if now - at < self.ttl}
            seen_at = self._seen.get(nonce)
            if seen_at is not None and now - seen_at < self.ttl:
                return False
            self._seen[nonce] = now
            return True

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()


@dataclasses.dataclass(frozen=True)
class AcsContext:
    """The caller once the gateway accepted it."""

    access_key: str
    sts: bool  # temporary STS credentials

    @property
    def credential(self) -> str:
        """Whom the gateway counts this request against (request quotas): the AccessKey id."""
        return "acs:" + self.access_key


def authenticate(request: Request, identity: Identity, nonces: NonceStore, now: Optional[float] = None,
                 sts_expired: bool = False, skew: float = 0.0) -> AcsContext:
    """Accept the request's ACS3 signature, or raise AcsError (checks in the module docstring's order).

    ``skew``: seconds the gateway's clock is ahead (negative: behind) when it checks x-acs-date
    (``--clock-skew``); the nonce memory uses ``now`` as it is.
    """
    now = time.time() if now is None else now
    authorization = request.header("Authorization")
    if not authorization:
        raise AcsError(INCOMPLETE_SIGNATURE, " Authorization header is missing.")  # (guess) detail
    try:
        algorithm, fields = acs3.parse_authorization(authorization)
    except ValueError as exc:
        raise AcsError(INCOMPLETE_SIGNATURE, " Authorization header is malformed: %s." % exc) from exc  # (guess) detail
    if algorithm != acs3.ALGORITHM:
        raise AcsError(INVALID_SIGNATURE_METHOD)

    access_key = fields["Credential"]
    secret = identity.ali_secret_for(access_key)
    if secret is None:
        raise AcsError(ACCESS_KEY_NOT_FOUND)
    _check_security_token(request, identity, access_key, sts_expired)

    signed_headers = [name.strip().lower() for name in fields["SignedHeaders"].split(";") if name.strip()]
    present = {name.lower() for name in request.headers.keys()}
    for name in list(REQUIRED_SIGNED_HEADERS) + sorted(name for name in present if name.startswith("x-acs-")):
        if name not in signed_headers:
            raise AcsError(INCOMPLETE_SIGNATURE, " Header %s is not signed." % name)  # (guess) detail
    headers = {}
    for name in signed_headers:
        values = request.header_values(name)
        if not values:
            raise AcsError(INCOMPLETE_SIGNATURE, " Signed header %s is missing." % name)  # (guess) detail
        headers[name] = values

    _check_date(request.header("x-acs-date") or "", now + skew)
    body_hash = acs3.payload_hash(request.body)
    if (request.header("x-acs-content-sha256") or "").strip().lower() != body_hash:
        raise AcsError(SIGNATURE_MISMATCH, " x-acs-content-sha256 does not match the request body.")  # (guess) detail

    text_to_sign = acs3.string_to_sign(acs3.canonical_request(
        request.method, request.raw_path, request.raw_query, headers, signed_headers, body_hash))
    if not hmac.compare_digest(acs3.signature(secret, text_to_sign), fields["Signature"].lower()):
        raise AcsError(SIGNATURE_MISMATCH, " server string to sign is:%s" % text_to_sign)
    if not nonces.use((request.header("x-acs-signature-nonce") or "").strip(), now):
        raise AcsError(NONCE_USED)
    return AcsContext(access_key=access_key, sts=identity.ali_is_sts(access_key))


def _check_security_token(request: Request, identity: Identity, access_key: str, sts_expired: bool) -> None:
    token = request.header("x-acs-security-token")
    if identity.ali_is_sts(access_key):
        if not token or not hmac.compare_digest(token.strip(), identity.ali_sts_token):
            raise AcsError(TOKEN_MISMATCH)
        if sts_expired:
            raise AcsError(TOKEN_EXPIRED)
    elif token:
        raise AcsError(TOKEN_MISMATCH)  # a security token with a permanent AccessKey (guess)
    declared = request.header("x-acs-accesskey-id")
    if declared is not None and declared.strip() != access_key:
        raise AcsError(INCOMPLETE_SIGNATURE, " x-acs-accesskey-id does not match the Credential.")  # (guess) detail


def _check_date(acs_date: str, now: float) -> None:
    try:
        signed_at = calendar.timegm(time.strptime(acs_date.strip(), acs3.DATE_FORMAT))
    except ValueError:
        raise AcsError(TIMESTAMP_FORMAT) from None
    if abs(now - signed_at) > MAX_DATE_SKEW:
        raise AcsError(TIMESTAMP_EXPIRED)
