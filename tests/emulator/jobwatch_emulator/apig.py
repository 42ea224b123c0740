# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud's API gateway (APIG): who is calling, and its error answers.

Every Huawei route (ECS, IAM projects, DataArts, CFW) passes through
``authenticate``: AK/SK ``SDK-HMAC-SHA256`` signatures or an IAM ``X-Auth-Token``.

Error messages: "verify aksk signature fail", "decrypt token fail" and
"Get secretKey failed,ak:******,err:ak not exist" are printed in Huawei's
"Common Errors Related to IAM Authentication Information" page (API Request Signing Guide),
"token expires, expires_at: xxx" and "x-auth-token not found" in its OCR FAQ on APIG.0301;
real answers add details after a comma ("verify aksk signature fail, ......"). The details
below, and the messages marked "(guess)", are not documented anywhere we could find.
"""

import calendar
import dataclasses
import hmac
import time
from typing import Optional

from . import sdk_hmac
from .iam import iso_time
from .identity import Identity
from .messages import Request, Response, json_response

AUTH_ERROR_CODE = "APIGW.0301"
AUTH_ERROR_PREFIX = "Incorrect IAM authentication information: "
MAX_DATE_SKEW = 15 * 60  # seconds; the signing guide says X-Sdk-Date must be within 15 minutes


class GatewayError(Exception):
    """A request the gateway refuses; ``response(request)`` renders the gateway's answer."""

    def __init__(self, reason: str, status: int = 401, code: str = AUTH_ERROR_CODE, prefix: str = AUTH_ERROR_PREFIX):
        super().__init__(reason)
        self.status = status
        self.code = code
        self.message = prefix + reason

    def response(self, request: Request) -> Response:
        return gateway_error(request, self.status, self.code, self.message)


def gateway_error(request: Request, status: int, code: str, message: str, headers=None) -> Response:
    """The APIG error shape: error_msg, error_code, request_id (same id as X-Request-Id)."""
    return json_response(status, {"error_msg": message, "error_code": code, "request_id": request.request_id}, headers)


@dataclasses.dataclass(frozen=True)
class AuthContext:
    """The caller once the gateway accepted it."""

    method: str  # "aksk" or "token"
    identity: Identity
    project_id: Optional[str] = None  # X-Project-Id or the token's scope; None: any project of the account
    access_key: Optional[str] = None  # the AK that signed (method "aksk"); request quotas count per AK

    @property
    def credential(self) -> str:
        """Whom the gateway counts this request against: the AK that signed it, else the token's IAM user."""
        return "ak:" + self.access_key if self.access_key else "user:" + self.identity.user_name

    def allows_project(self, project_id: str) -> bool:
        """May this caller act in the project a URL names? Services answer their own error if not."""
        if not self.identity.owns_project(project_id):
            return False
        return self.project_id is None or self.project_id == project_id


def authenticate(request: Request, identity: Identity, tokens, now: Optional[float] = None, skew: float = 0.0) -> AuthContext:
    """Accept the request's AK/SK signature or IAM token, or raise GatewayError.

    ``tokens`` is the IAM token store (``iam.TokenStore``). A signature wins over a token when
    both are sent. ``skew``: seconds the gateway's clock is ahead (negative: behind) when it
    checks X-Sdk-Date (``--clock-skew``); token expiry uses ``now`` as it is.
    """
    now = time.time() if now is None else now
    authorization = request.header("Authorization")
    if authorization:
        return _verify_signature(request, authorization, identity, now + skew)
    token = request.header("X-Auth-Token")
    if token:
        return _verify_token(token, identity, tokens, now)
    raise GatewayError("x-auth-token not found")  # documented for a missing X-Auth-Token; for no credentials at all (guess)


def _verify_token(token: str, identity: Identity, tokens, now: float) -> AuthContext:
    record = tokens.lookup(token)
    if record is None:
        raise GatewayError("decrypt token fail")
    if record.expires_at <= now:
        raise token_expired(record.expires_at)
    return AuthContext(method="token", identity=identity, project_id=record.project_id)


def token_expired(expires_at: float) -> GatewayError:
    """An expired IAM token. Huawei's OCR FAQ ("How Do I Handle the Error APIG.0301?") prints
    "Incorrect IAM authentication information: token expires, expires_at: xxx"; the time format
    (IAM's own, as in the token body) is a guess."""
    return GatewayError("token expires, expires_at: %s" % iso_time(expires_at))


def _verify_signature(request: Request, authorization: str, identity: Identity, now: float) -> AuthContext:
    try:
        fields = sdk_hmac.parse_authorization(authorization)
    except ValueError as exc:
        raise GatewayError("verify aksk signature fail, invalid Authorization header: %s" % exc) from exc  # (guess)

    access_key = fields["Access"]
    secret_key = identity.secret_for(access_key)
    if secret_key is None:
        # Documented wording; the real gateway prints the AK masked like this in its docs.
        raise GatewayError("Get secretKey failed,ak:******,err:ak not exist")

    signed_headers = [name.strip().lower() for name in fields["SignedHeaders"].split(";") if name.strip()]
    for required in ("host", "x-sdk-date"):
        if required not in signed_headers:
            raise GatewayError("verify aksk signature fail, %s is not signed" % required)  # (guess)

    sdk_date = request.header("X-Sdk-Date") or ""
    _check_date(sdk_date, now)

    if identity.is_temporary(access_key):
        sent_token = request.header("X-Security-Token")
        if not sent_token or "x-security-token" not in signed_headers or not hmac.compare_digest(sent_token, identity.security_token):
            raise GatewayError("verify aksk signature fail, security token invalid")  # (guess)

    headers = {}
    for name in signed_headers:
        value = request.header(name)
        if value is None:
            raise GatewayError("verify aksk signature fail, signed header %s is missing" % name)  # (guess)
        headers[name] = value

    canonical = sdk_hmac.canonical_request(
        request.method, request.raw_path, request.raw_query, headers, signed_headers,
        sdk_hmac.payload_hash(request.body, request.header(sdk_hmac.CONTENT_SHA256_HEADER) or ""))
    expected = sdk_hmac.signature(secret_key, sdk_hmac.string_to_sign(sdk_date, canonical))
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise GatewayError("verify aksk signature fail")
    return AuthContext(method="aksk", identity=identity, project_id=request.header("X-Project-Id"), access_key=access_key)


def _check_date(sdk_date: str, now: float) -> None:
    try:
        signed_at = calendar.timegm(time.strptime(sdk_date, sdk_hmac.DATE_FORMAT))
    except ValueError:
        raise GatewayError("verify aksk signature fail, invalid x-sdk-date %r" % sdk_date) from None  # (guess)
    if abs(now - signed_at) > MAX_DATE_SKEW:
        # Modelled on the documented APIGW.0303 wording for app authentication (guess for IAM).
        raise GatewayError("verify aksk signature fail, signature expired, signature time:%s,server time:%s"
                           % (sdk_date, time.strftime(sdk_hmac.DATE_FORMAT, time.gmtime(now))))
