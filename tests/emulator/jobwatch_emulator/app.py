# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One request from route to answer: route, authenticate, quota, inject faults, answer (and count it).

Kept free of sockets so it can be driven directly (``EmulatorApp().handle(request)``).
"""

import time
from typing import Any, Callable, Dict, Mapping, Optional, Sequence

from . import acs_gateway, apig, control, creations, faults, iam, quotas
from .identity import Identity
from .jobs import JobStore
from .messages import Request, Response
from .requestlog import RequestLog
from .routing import Route, Router
from .services import SERVICES

# How each route's callers prove who they are (Route.auth): Huawei's API gateway (AK/SK or IAM
# token) or Alibaba's (ACS3 signature, with its nonce-replay check).
AUTHENTICATORS: Dict[str, Callable[["EmulatorApp", Request], Any]] = {
    "none": lambda app, request: None,
    "huawei": lambda app, request: apig.authenticate(request, app.identity, app.tokens, app.now(), app.clock_skew),
    "acs3": lambda app, request: acs_gateway.authenticate(request, app.identity, app.nonces, app.now(), app.sts_expired, app.clock_skew),
}


def load_document(document: Any):
    """A jobs file's content to (job specs, credential overrides, quota specs); ValueError when malformed."""
    if isinstance(document, list):
        return document, {}, []
    if not isinstance(document, Mapping):
        raise ValueError('a jobs document is {"jobs": [...], "credentials": {...}, "created_jobs": {...}, "quotas": [...]}')
    unknown = sorted(set(document) - {"jobs", "credentials", "created_jobs", "quotas"})
    if unknown:
        raise ValueError("unknown top-level field(s) in jobs document: %s" % ", ".join(unknown))
    specs = document.get("jobs") or []
    if not isinstance(specs, list):
        raise ValueError('"jobs" must be a list')
    quota_specs = document.get("quotas") or []
    if not isinstance(quota_specs, list):
        raise ValueError('"quotas" must be a list of quota specs, e.g. [{"limit": 100, "window": 60}]')
    return specs, document.get("credentials") or {}, quota_specs


class EmulatorApp:
    """All the emulator's state and its request handling; thread-safe."""

    def __init__(self, jobs: Sequence[Mapping[str, Any]] = (), credentials: Optional[Mapping[str, Any]] = None,
                 token_ttl: float = iam.DEFAULT_TOKEN_TTL, now: Callable[[], float] = time.time, clock_skew: float = 0.0,
                 created_jobs: Optional[Mapping[str, Any]] = None, created_job_seconds: float = creations.DEFAULT_SECONDS,
                 quota_specs: Sequence[Mapping[str, Any]] = ()):
        self.identity = Identity.with_overrides(credentials)
        # Timelines of the jobs that creation calls start (ECS create servers, CFW create firewall, ...).
        self.creations = creations.Creations(created_jobs, created_job_seconds)
        self.now = now
        # Seconds the gateways' clock runs ahead (negative: behind) for signature date checks only.
        self.initial_clock_skew = self.clock_skew = control.check_clock_skew(clock_skew)
        self.tokens = iam.TokenStore(token_ttl)
        self.nonces = acs_gateway.NonceStore()
        self.sts_expired = False  # Alibaba STS credentials expired through the control API
        self.jobs = JobStore(SERVICES, self.identity.default_project_id, now)
        self.jobs.load_initial(jobs)
        self.global_faults = faults.FaultQueue()
        self.requests = RequestLog()
        service_routes = [route for module in SERVICES.values() for route in module.ROUTES]
        self.router = Router(control.ROUTES + iam.ROUTES + service_routes)
        # Per-credential request quotas (quotas.py); checked after authentication, before faults.
        self.quotas = quotas.QuotaBook(self.router.routes, quota_specs)

    def reset(self) -> None:
        self.jobs.reset()
        self.tokens.clear()
        self.nonces.clear()
        self.sts_expired = False
        self.clock_skew = self.initial_clock_skew
        self.global_faults.clear()
        self.quotas.reset()
        self.requests.clear()

    def handle(self, request: Request) -> Response:
        arrived, wall_time = time.monotonic(), self.now()  # for the request log's "time" and "wall_time"
        route, params, path_known = self.router.resolve(request)
        if route is None:
            # The gateway's answers for an unknown API (APIG error code table, APIG.0101).
            message = "The API does not exist." if path_known else "The API does not exist or has not been published in the environment."
            response = apig.gateway_error(request, 404, "APIG.0101", message)
            self.requests.record(request.method, request.raw_path, None, None, str(response.status), None, request.request_id,
                                 arrived, wall_time)
            return response

        job_id = route.job_id(params, request)
        fault_kind = quota = None
        try:
            auth = AUTHENTICATORS[route.auth](self, request)
        except (apig.GatewayError, acs_gateway.AcsError) as exc:
            response = exc.response(request)  # refused requests are neither counted by quotas nor throttled
        else:
            # A throttled request stops here: no job clock started, no fault used up.
            throttled = self.quotas.admit(route, auth, self.now())
            if throttled is not None:
                response, quota = throttled.response(request, route.dialect), throttled.quota.description
            else:
                response, fault_kind = self._answer(route, request, params, auth, job_id)
        if route.cloud_api:
            status = response.disconnect or str(response.status)
            self.requests.record(request.method, request.raw_path, route.name, job_id, status, fault_kind, request.request_id,
                                 arrived, wall_time, throttled=quota is not None or fault_kind == "throttle", quota=quota)
        return response

    def _answer(self, route: Route, request: Request, params: Dict[str, str], auth: Any, job_id: Optional[str]):
        """(response, name of the fault that spoiled it or None), for an authenticated request."""
        job = self.jobs.get(route.service, job_id) if job_id is not None else None
        if job is not None:
            with self.jobs.lock:
                job.touch(self.now())

        def normal() -> Response:
            return route.handler(self, request, params, auth)

        fault = None
        if route.cloud_api:
            fault = self.global_faults.take(route.service_name)
            if fault is None and job is not None:
                fault = job.faults.take()
        if fault is None:
            return normal(), None
        if fault.kind == "gone" and job is not None:
            self.jobs.remove(*job.key)
        if fault.kind == "token_expired":
            return self._token_expired(request, auth, route.dialect), fault.kind
        return faults.spoil(fault, request, normal, route.status_path, route.dialect), fault.kind

    def _token_expired(self, request: Request, auth: Any, dialect: str) -> Response:
        """Fault ``token_expired``: the token this request presented expires now, and the gateway says so."""
        if dialect == "alibaba":
            return acs_gateway.AcsError(acs_gateway.TOKEN_EXPIRED).response(request)  # this request only
        now = self.now()
        if isinstance(auth, apig.AuthContext) and auth.method == "token":
            self.tokens.expire(request.header("X-Auth-Token") or "", now)
        return apig.token_expired(now).response(request)
