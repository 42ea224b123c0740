# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei IAM: password login to a token, and the project list the SDKs read project ids from.

Shapes follow the IAM API reference ("Obtaining a User Token Through Password Authentication",
"Querying Project Information Based on the Specified Criteria"). A wrong password answers
``{"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}``,
the body Huawei's own FAQ shows.
"""

import dataclasses
import datetime
import secrets
import threading
from typing import Dict, Optional

from .messages import json_response
from .routing import Route
from .sdk_hmac import query_pairs

DEFAULT_TOKEN_TTL = 24 * 3600  # IAM tokens last 24 hours


@dataclasses.dataclass(frozen=True)
class TokenRecord:
    token: str
    project_id: Optional[str]  # None: a domain-scoped token (global services only)
    issued_at: float
    expires_at: float


class TokenStore:
    """Tokens IAM has issued; the gateway looks them up on every token-authenticated call."""

    def __init__(self, ttl: float = DEFAULT_TOKEN_TTL):
        self.ttl = ttl
        self._tokens: Dict[str, TokenRecord] = {}
        self._lock = threading.Lock()

    def issue(self, project_id: Optional[str], now: float) -> TokenRecord:
        # Real tokens are long opaque strings starting "MII"; clients must not parse them.
        record = TokenRecord("MIIemulator" + secrets.token_urlsafe(96), project_id, now, now + self.ttl)
        with self._lock:
            self._tokens[record.token] = record
        return record

    def lookup(self, token: str) -> Optional[TokenRecord]:
        with self._lock:
            return self._tokens.get(token)

    def expire(self, token: str, now: float) -> bool:
        """Make one token expired (fault ``token_expired``); False when it was never issued."""
        with self._lock:
            record = self._tokens.get(token)
            if record is None:
                return False
            self._tokens[token] = dataclasses.replace(record, expires_at=min(record.expires_at, now))
            return True

    def expire_all(self, now: float) -> int:
        """Make every issued token expired (control API), so tests need not wait for the TTL."""
        with self._lock:
            for token, record in self._tokens.items():
                self._tokens[token] = dataclasses.replace(record, expires_at=min(record.expires_at, now))
            return len(self._tokens)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()


def iso_time(timestamp: float) -> str:
    """IAM's time format, e.g. 2020-01-05T09:05:22.701000Z."""
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _unauthorized(message: str = "The username or password is wrong."):
    return json_response(401, {"error": {"code": 401, "message": message, "title": "Unauthorized"}})


def _bad_request(message: str):
    # Shape of IAM's parameter errors, e.g. IAM.0011 "Request body is invalid." (message detail is ours).
    return json_response(400, {"error_msg": message, "error_code": "IAM.0011"})


def create_token(app, request, params, auth):  # pylint: disable=unused-argument
    """POST /v3/auth/tokens with a password identity; the token comes back in X-Subject-Token."""
    try:
        auth_body = request.json()["auth"]
        identity_body = auth_body["identity"]
        user = identity_body["password"]["user"]
        domain = user.get("domain") or {}
        methods = identity_body.get("methods") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        return _bad_request("Request body is invalid.")
    if "password" not in methods:
        return _bad_request("Request body is invalid.")

    who = app.identity
    domain_ok = domain.get("name") == who.domain_name or domain.get("id") == who.domain_id
    user_ok = user.get("name") == who.user_name or user.get("id") == who.user_id
    if not (domain_ok and user_ok and secrets.compare_digest(str(user.get("password", "")), who.password)):
        return _unauthorized()

    scope = auth_body.get("scope") or {}
    project_id = None
    if "project" in scope:
        wanted = scope.get("project") or {}
        project_id = wanted.get("id") if who.owns_project(wanted.get("id") or "") else who.projects.get(wanted.get("name") or "")
        if project_id is None:
            # Keystone's wording for a scope the user has no access to (guess for Huawei).
            return _unauthorized("The request you have made requires authentication.")

    now = app.now()
    record = app.tokens.issue(project_id, now)
    domain_body = {"id": who.domain_id, "name": who.domain_name}
    token = {
        "expires_at": iso_time(record.expires_at),
        "issued_at": iso_time(record.issued_at),
        "methods": ["password"],
        "user": {"id": who.user_id, "name": who.user_name, "domain": domain_body, "password_expires_at": ""},
        "roles": [{"id": "0", "name": "op_service"}],
        "catalog": [],
    }
    if project_id is None:
        token["domain"] = domain_body
    else:
        token["project"] = {"id": project_id, "name": who.region_of(project_id), "domain": domain_body}
    response = json_response(201, {"token": token})
    response.headers.append(("X-Subject-Token", record.token))
    return response


def list_projects(app, request, params, auth):  # pylint: disable=unused-argument
    """GET /v3/projects[?name=REGION]: an unknown name gives an empty list, not an error."""
    wanted = dict(query_pairs(request.raw_query)).get("name")
    base = "http://%s/v3/projects" % (request.header("Host") or "localhost")
    who = app.identity
    projects = [
        {
            "id": pid,
            "name": name,
            "domain_id": who.domain_id,
            "parent_id": who.domain_id,
            "is_domain": False,
            "enabled": True,
            "description": "",
            "links": {"self": "%s/%s" % (base, pid), "previous": None, "next": None},
        }
        for name, pid in who.all_projects()
        if wanted is None or name == wanted
    ]
    return json_response(200, {"projects": projects, "links": {"self": base, "previous": None, "next": None}})


ROUTES = [
    Route("iam.create_token", "POST", "/v3/auth/tokens", create_token, auth="none"),
    Route("iam.list_projects", "GET", "/v3/projects", list_projects),
]
