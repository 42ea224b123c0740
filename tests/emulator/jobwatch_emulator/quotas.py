# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-credential request quotas: the gateways' flow control, which throttles by counting.

A ``throttle`` fault spoils chosen requests; a quota throttles the way the real gateways do,
each caller over a window of seconds to minutes, so a client that polls many jobs at once
meets it on its own. A quota spec::

    {"limit": 100, "window": 60, "service": "ecs", "api": "ecs.show_job", "code": "Throttling.Api", "retry_after": false}

- ``limit`` requests (an integer >= 1) per ``window`` seconds (a number > 0), per credential, on a
  **sliding window**: a request is accepted when fewer than ``limit`` accepted requests of the same
  credential arrived in the last ``window`` seconds on the emulator's clock (``app.now()``, so a
  virtual clock works); otherwise it is throttled. Throttled requests do not count: a client that
  keeps retrying gets through as soon as the window has room. (The real gateways' counting
  algorithm is not documented; a sliding window is our guess, and the strictest simple one.)
- ``service`` (optional): only that service's requests count (``ecs``, ``dataarts``, ``cfw``,
  ``dataworks``, ``iam``); without it, every authenticated cloud API request does.
- ``api`` (optional): a route name (``ecs.show_job``, ``dataworks.get_job_status``, ...): a
  per-API quota.
- ``code`` (optional): the error code to answer with instead of the default below.
- ``retry_after`` (optional, false): Alibaba answers get ``x-acs-retry-after``, the whole
  milliseconds until the window has room again. Huawei answers never get a ``Retry-After``.

Several quotas may apply to one request: it is throttled when any of them is full (and then it
counts against none); the answer names the full quota that stays full longest.

The credential is who the gateway authenticated: the AK of an AK/SK signature, the IAM user of a
token (the AK and a token of the same user are counted apart (guess)), the AccessKey id of an
ACS3 signature. Requests the gateway refuses are never counted nor throttled, and neither are
routes without gateway authentication (IAM login, Alibaba's unknown-API answer): there is no
credential to count. The order is authentication, quota, faults, handler: a throttled request
never reaches the service (it does not start a job's clock, nor use up an injected fault).

Answers, in the route's dialect:

- Huawei APIG: HTTP 429, ``{"error_msg": "The throttling threshold has been reached: policy user
  over ratelimit,limit:100,time:1 minute", "error_code": "APIG.0308", "request_id": ...}``, no
  ``Retry-After``, as in real answers (Huawei FAQs; ``APIGW.0308`` is also seen, via ``code``). The
  window is written as Huawei writes it (``1 minute``, ``5 minute``, ``90 second``, ``1 hour``). A
  per-API quota says ``policy api over ratelimit`` (guess).
- Alibaba POP: HTTP 400, ``Throttling.User`` "Request was denied due to user flow control."
  (Alibaba's common error table), or for a per-API quota ``Throttling.Api`` "Request was denied
  due to api flow control." (wording: guess); ``Rejected.Throttling`` via ``code``.
"""

import collections
import dataclasses
import json
import math
import threading
from typing import Any, Deque, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from .acs_gateway import acs_error
from .apig import gateway_error
from .messages import Request, Response
from .routing import Route

FIELDS = ("limit", "window", "service", "api", "code", "retry_after")
OPTION_FORMAT = "LIMIT/WINDOW[:SCOPE] (e.g. 100/60, 100/60:ecs or 20/1:ecs.show_job)"

HUAWEI_CODE = "APIG.0308"
HUAWEI_MESSAGE = "The throttling threshold has been reached: policy %s over ratelimit,limit:%d,time:%s"
ALIBABA_USER_CODE = "Throttling.User"
ALIBABA_API_CODE = "Throttling.Api"
ALIBABA_MESSAGES = {
    ALIBABA_USER_CODE: "Request was denied due to user flow control.",  # Alibaba's common error table
    ALIBABA_API_CODE: "Request was denied due to api flow control.",  # (guess)
    "Rejected.Throttling": "Request was denied due to flow control.",  # (guess)
}


def window_text(seconds: float) -> str:
    """A window as Huawei's throttling message writes it: 60 -> "1 minute", 90 -> "90 second"."""
    if float(seconds).is_integer():
        whole = int(seconds)
        for size, unit in ((3600, "hour"), (60, "minute")):
            if whole % size == 0:
                return "%d %s" % (whole // size, unit)
        return "%d second" % whole
    return "%s second" % seconds  # a fraction of a second: the real gateways have none (guess)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Scopes:
    """The services and APIs a quota may name: the authenticated cloud routes, with their dialects."""

    def __init__(self, routes: Iterable[Route]):
        self.services: Dict[str, Set[str]] = collections.defaultdict(set)
        self.apis: Dict[str, Tuple[str, str]] = {}
        for route in routes:
            if route.cloud_api and route.auth != "none":
                self.services[route.service_name].add(route.dialect)
                self.apis[route.name] = (route.service_name, route.dialect)

    def dialects(self, service: Optional[str], api: Optional[str]) -> Set[str]:
        if api is not None:
            return {self.apis[api][1]}
        if service is not None:
            return set(self.services.get(service, ()))
        return {dialect for dialects in self.services.values() for dialect in dialects}


@dataclasses.dataclass(frozen=True)
class Quota:
    limit: int
    window: float
    service: Optional[str] = None
    api: Optional[str] = None
    code: Optional[str] = None
    retry_after: bool = False

    @classmethod
    def from_spec(cls, spec: Any, scopes: Scopes) -> "Quota":
        """A checked quota; ValueError with what is wrong (unknown fields, bad numbers, unknown names)."""
        if not isinstance(spec, Mapping):
            raise ValueError('a quota must be a JSON object like {"limit": 100, "window": 60}, got %r' % (spec,))
        label = "quota %s" % json.dumps(spec, sort_keys=True, default=str)
        unknown = sorted(set(spec) - set(FIELDS))
        if unknown:
            raise ValueError("%s: unknown field(s) %s (known: %s)" % (label, ", ".join(map(str, unknown)), ", ".join(FIELDS)))
        limit, window = spec.get("limit"), spec.get("window")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError("%s: limit must be an integer >= 1 (requests per window), got %r" % (label, limit))
        if isinstance(window, bool) or not isinstance(window, (int, float)) or not math.isfinite(window) or window <= 0:
            raise ValueError("%s: window must be a number of seconds > 0, got %r" % (label, window))
        service, api, code = spec.get("service"), spec.get("api"), spec.get("code")
        if service is not None and service not in scopes.services:
            raise ValueError("%s: unknown service %r (known: %s)" % (label, service, ", ".join(sorted(scopes.services))))
        if api is not None and api not in scopes.apis:
            raise ValueError("%s: unknown api %r (known: %s)" % (label, api, ", ".join(sorted(scopes.apis))))
        if api is not None and service is not None and scopes.apis[api][0] != service:
            raise ValueError("%s: api %s is not an API of service %s" % (label, api, service))
        if code is not None and (not isinstance(code, str) or not code):
            raise ValueError("%s: code must be a non-empty string, got %r" % (label, code))
        retry_after = spec.get("retry_after", False)
        if not isinstance(retry_after, bool):
            raise ValueError("%s: retry_after must be true or false, got %r" % (label, retry_after))
        if retry_after and "alibaba" not in scopes.dialects(service, api):
            raise ValueError("%s: retry_after adds x-acs-retry-after to Alibaba answers only, and this quota covers "
                             "only Huawei APIs (APIG sends no Retry-After)" % label)
        return cls(limit, window, service, api, code, retry_after)

    @property
    def per_api(self) -> bool:
        return self.api is not None

    @property
    def description(self) -> str:
        """Short, for the request log: "100/60s", "100/60s ecs", "20/1s ecs.show_job"."""
        scope = self.api or self.service
        return "%d/%ss%s" % (self.limit, _number(self.window), " " + scope if scope else "")

    def applies(self, route: Route) -> bool:
        if self.api is not None:
            return route.name == self.api
        return self.service is None or route.service_name == self.service

    def spec(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


def parse_option(text: str) -> Dict[str, Any]:
    """``--quota LIMIT/WINDOW[:SCOPE]`` to a quota spec (SCOPE with a dot is an API, else a service).

    Only the form is checked here; ``Quota.from_spec`` checks the values and names.
    """
    rate, colon, scope = text.partition(":")
    limit_text, slash, window_part = rate.partition("/")
    try:
        if not slash or (colon and not scope):
            raise ValueError(text)
        limit, window = int(limit_text), float(window_part)
    except ValueError:
        raise ValueError("expected %s, got %r" % (OPTION_FORMAT, text)) from None
    spec: Dict[str, Any] = {"limit": limit, "window": int(window) if window.is_integer() else window}
    if scope:
        spec["api" if "." in scope else "service"] = scope
    return spec


@dataclasses.dataclass(frozen=True)
class Throttled:
    """A request a quota refuses: which quota, and the seconds until its window has room again."""

    quota: Quota
    wait: float

    def response(self, request: Request, dialect: str) -> Response:
        quota = self.quota
        if dialect == "alibaba":
            default = ALIBABA_API_CODE if quota.per_api else ALIBABA_USER_CODE
            code = quota.code or default
            # Whole milliseconds, rounded up so that waiting them out is enough (the SDK reads an integer).
            headers = [("x-acs-retry-after", str(math.ceil(round(self.wait * 1000, 6))))] if quota.retry_after else []
            return acs_error(request, 400, code, ALIBABA_MESSAGES.get(code, ALIBABA_MESSAGES[default]), headers)
        message = HUAWEI_MESSAGE % ("api" if quota.per_api else "user", quota.limit, window_text(quota.window))
        return gateway_error(request, 429, quota.code or HUAWEI_CODE, message)  # never a Retry-After header


def credential_of(auth: Any) -> Optional[str]:
    """Who a request is counted against (``apig.AuthContext``/``acs_gateway.AcsContext``), None if nobody."""
    return getattr(auth, "credential", None)


class QuotaBook:
    """The quotas in force and, per quota and credential, the times of the requests they accepted."""

    def __init__(self, routes: Iterable[Route], specs: Sequence[Any] = ()):
        self._scopes = Scopes(routes)
        self._lock = threading.Lock()
        self._initial = self.parse(specs)
        self._quotas: List[Quota] = []
        self._accepted: List[Dict[str, Deque[float]]] = []
        self._throttled: List[int] = []
        self._install(self._initial)

    def parse(self, specs: Any) -> List[Quota]:
        if not isinstance(specs, (list, tuple)):
            raise ValueError('quotas must be a list, e.g. [{"limit": 100, "window": 60}]')
        return [Quota.from_spec(spec, self._scopes) for spec in specs]

    def _install(self, quotas: List[Quota]) -> None:
        with self._lock:
            self._quotas = list(quotas)
            self._accepted = [collections.defaultdict(collections.deque) for _quota in quotas]
            self._throttled = [0 for _quota in quotas]

    def replace(self, specs: Any) -> None:
        """New quotas (all checked first); each counts from now on."""
        self._install(self.parse(specs))

    def reset(self) -> None:
        """The quotas given at start, with no usage."""
        self._install(self._initial)

    def admit(self, route: Route, auth: Any, now: float) -> Optional[Throttled]:
        """None when the request may go on (it then counts against every quota that applies), else why not."""
        credential = credential_of(auth)
        if credential is None or not route.cloud_api:
            return None
        with self._lock:
            applicable = [index for index, quota in enumerate(self._quotas) if quota.applies(route)]
            full: List[Tuple[float, int]] = []
            for index in applicable:
                quota, times = self._quotas[index], self._accepted[index][credential]
                while times and now - times[0] >= quota.window:
                    times.popleft()
                if len(times) >= quota.limit:
                    full.append((times[len(times) - quota.limit] + quota.window - now, index))
            if full:
                wait, index = max(full, key=lambda item: (item[0], -item[1]))  # longest wait; the first quota on a tie
                self._throttled[index] += 1
                return Throttled(self._quotas[index], wait)
            for index in applicable:
                self._accepted[index][credential].append(now)
            return None

    def snapshot(self, now: float) -> Dict[str, Any]:
        """GET /_emulator/quotas: each quota, its accepted requests per credential in the window now, its throttled count."""
        with self._lock:
            quotas = []
            for quota, accepted, throttled in zip(self._quotas, self._accepted, self._throttled):
                usage = {credential: sum(1 for at in times if now - at < quota.window) for credential, times in accepted.items()}
                quotas.append(dict(quota.spec(), description=quota.description, usage=usage, throttled=throttled))
            return {"quotas": quotas}
