# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected failures: what a long wait on a real cloud API meets sooner or later.

A job's ``faults`` list (and the global list of ``POST /_emulator/faults``) is consumed in
order. Each fault first lets ``after`` requests through normally, then spoils the next
``times`` requests (``-1``: every request from then on), then the next fault takes over::

    {"kind": "throttle", "times": 2, "after": 0, "retry_after": 1}

Kinds and their options:

- ``http_5xx``: ``status`` (503), ``error_code``/``error_msg`` (APIG-style body)
- ``throttle``: HTTP 429, APIG.0308, and by default no ``Retry-After``: real APIG throttling
  answers carry none, so a client must pick its own pause. ``retry_after: N`` (seconds) adds
  ``Retry-After: N``. Alibaba: HTTP ``status`` (400, also 429 or 403), ``Throttling.User``, and
  ``x-acs-retry-after`` (in ms) only with ``retry_after`` (real answers often lack it)
- ``html_502``: an nginx "502 Bad Gateway" HTML page
- ``redirect``: HTTP ``status`` (302) to ``location`` (a login portal, as a proxy or a wrong
  endpoint answers with), with a small HTML body: a client that does not follow redirects must
  say where it was sent, one that does would carry its signature to another host
- ``bad_json``: the normal answer's body cut in half (``variant: truncated``) or not JSON (``malformed``)
- ``slow``: the normal answer after ``delay`` seconds (5)
- ``hang``: no answer at all: the connection is held open, silent, until the client closes it
  (or the emulator stops); the request is counted with status ``hang``
- ``trickle``: the normal answer's status line and headers at once, then its body one byte every
  ``interval`` seconds (1.0): every socket read gets a byte in time, the whole answer takes minutes
- ``gzip_bomb``: HTTP 200, ``Content-Encoding: gzip``, a body of ``size_mb`` MB (64) of zeros
  compressed to about a thousandth of that: only a client that caps what it inflates survives it
- ``huge_html``: an HTML error page (``status``, 502) of ``size_kb`` KB (1024) without a title, a
  proxy's log of lines full of ``<-`` arrows (many ``<`` and no ``>``: a tag-stripping regex that
  is not linear spends minutes on it)
- ``deep_json``: HTTP 200, JSON ``{"status": [[[...]]]}`` with the list nested ``depth`` (10000)
  deep: ``json.loads`` raises RecursionError on it
- ``drop``: the connection closed without an answer
- ``reset``: the connection reset (TCP RST)
- ``cut``: the normal answer's status line and headers (``Content-Length`` of the whole body), half
  of its body, then the connection closed: the client sees an incomplete read
- ``token_expired``: the IAM token the request presented expires now (a later request with it is
  refused too) and the gateway answers 401 ``APIGW.0301`` "... token expires, expires_at: ...";
  a new login gets a token that works. A request signed with AK/SK has no token to expire and
  gets the same answer. Alibaba routes: ``InvalidSecurityToken.Expired`` for this request only
  (``POST /_emulator/sts/expire`` expires the STS credentials for good). Answered by ``app.py``,
  which owns the token store, not by ``spoil``
- ``missing_status``: the normal answer without its status field
- ``echo_credential``: HTTP 403 and an HTML page whose ``<title>`` names the token the request
  presented (``X-Auth-Token``, ``X-Security-Token`` or ``x-acs-security-token``), far enough in
  for a client's cut of the title to keep only a piece of it: the leak a client must mask
- ``gone``: the job is deleted; it answers like an unknown job from then on
- ``odd_json``: valid JSON of a shape nobody promised; ``value`` (any JSON, null by default) goes
  where ``variant`` says: ``status`` replaces the job's status; ``fields`` (``value`` an object)
  sets those fields of the job, e.g. ``{"entities": "x", "nodes": 3}``; ``error`` answers HTTP
  ``status`` (400) with the dialect's error body, its message ``value`` and its code ``error_code``
  (the dialect's 5xx code, or ``Emulator.OddAnswer``, when not given); ``body`` makes ``value``
  the whole answer (HTTP ``status``, 200)

Error bodies follow the route's dialect: Huawei APIG's ``{"error_code", "error_msg",
"request_id"}``, or for Alibaba routes (DataWorks) the POP body ``{"RequestId", "HostId", "Code",
"Message", "Recommend"}`` with ``InternalError``/``ServiceUnavailable`` for 5xx and
``Throttling.User`` (HTTP 400 by default, as Alibaba's common error table lists it) with, when
``retry_after`` is set, ``x-acs-retry-after`` in **milliseconds** (``retry_after`` is always
given in seconds). Per-credential request quotas, which throttle by counting, are in quotas.py.
"""

import dataclasses
import functools
import gzip
import io
import json
import threading
from typing import Any, Callable, List, Mapping, Optional, Sequence

from .acs_gateway import acs_error
from .apig import gateway_error
from .messages import DISCONNECT_CUT, DISCONNECT_DROP, DISCONNECT_HANG, DISCONNECT_RESET, Request, Response, json_response

KINDS = ("http_5xx", "throttle", "html_502", "bad_json", "slow", "drop", "reset", "cut", "missing_status", "gone", "token_expired",
         "echo_credential", "odd_json", "hang", "trickle", "gzip_bomb", "huge_html", "deep_json", "redirect")
REDIRECT_LOCATION = "https://auth.example.com/authui/login"
ODD_VARIANTS = ("status", "fields", "error", "body")
ODD_ERROR_CODE = "Emulator.OddAnswer"  # ours: no cloud's code, so no client takes it for "no such job"
FOREVER = -1

# APIG codes for backend failures. APIG.0103 (500) is in Huawei's APIG error table; the
# 502/503/504 codes and messages are from memory of that table (guess).
_GATEWAY_5XX = {
    500: ("APIG.0103", "The backend does not exist."),
    502: ("APIG.0202", "Backend unavailable."),
    503: ("APIG.0202", "Backend unavailable."),
    504: ("APIG.0203", "Backend timeout."),
}
# Alibaba's server errors: codes and HTTP statuses from its common error tables; 502/504 reuse
# ServiceUnavailable (guess). Messages as real answers word them (from memory) (guess).
_ALIBABA_5XX = {
    500: ("InternalError", "The request processing has failed due to some unknown error, exception or failure."),
    503: ("ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
}
ALIBABA_THROTTLE_CODE = "Throttling.User"
ALIBABA_THROTTLE_MESSAGE = "Request was denied due to user flow control."
# Documented in Huawei FAQs ("How Do I Handle the Error APIG.0308?"); the limit numbers are ours.
THROTTLE_CODE = "APIG.0308"
THROTTLE_MESSAGE = "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute"
NGINX_502_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


@dataclasses.dataclass
class Fault:
    kind: str
    times: int = 1
    after: int = 0
    status: Optional[int] = None  # http_5xx: 503; throttle: 429 (Huawei), 400 (Alibaba)
    error_code: Optional[str] = None
    error_msg: Optional[str] = None
    retry_after: Optional[float] = None  # throttle: no Retry-After / x-acs-retry-after, the real gateways' worst case
    delay: float = 5.0
    interval: float = 1.0  # trickle: seconds between two bytes of the body
    size_mb: int = 64  # gzip_bomb: what the body inflates to
    size_kb: int = 1024  # huge_html: the page's size
    depth: int = 10000  # deep_json: how deep the list nests
    variant: str = "truncated"
    service: Optional[str] = None  # global faults only: spoil only this service's requests
    value: Any = None  # odd_json: the odd JSON value
    location: str = REDIRECT_LOCATION  # redirect: where to
    passed: int = 0  # requests let through so far (counts up to ``after``)
    spoiled: int = 0  # requests spoiled so far (counts up to ``times``)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> "Fault":
        if not isinstance(spec, Mapping):
            raise ValueError("a fault must be a JSON object, got %r" % (spec,))
        options = {field.name for field in dataclasses.fields(cls)} - {"passed", "spoiled"}
        unknown = sorted(set(spec) - options)
        if unknown:
            raise ValueError("fault %r: unknown option(s) %s" % (spec.get("kind"), ", ".join(unknown)))
        if spec.get("kind") not in KINDS:
            raise ValueError("unknown fault kind %r (known: %s)" % (spec.get("kind"), ", ".join(KINDS)))
        fault = cls(**spec)
        if fault.kind == "odd_json":
            _check_odd(fault)
        elif fault.variant not in ("truncated", "malformed"):
            raise ValueError("bad_json variant must be truncated or malformed")
        counts = (fault.times, fault.after) + (() if fault.status is None else (fault.status,))
        counts_ok = all(isinstance(value, int) and not isinstance(value, bool) for value in counts)
        if not counts_ok or (fault.times != FOREVER and fault.times < 1) or fault.after < 0:
            raise ValueError("fault %r: times must be >= 1 (or -1 for always), after >= 0, status an integer" % fault.kind)
        sizes = (fault.size_mb, fault.size_kb, fault.depth)
        if not all(isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1024 * 1024 for value in sizes):
            raise ValueError("fault %r: size_mb, size_kb and depth must be integers from 1 to 1048576" % fault.kind)
        if not isinstance(fault.interval, (int, float)) or isinstance(fault.interval, bool) or not 0 < fault.interval <= 60:
            raise ValueError("fault %r: interval must be more than 0 and at most 60 seconds" % fault.kind)
        return fault

    @property
    def used_up(self) -> bool:
        return self.times != FOREVER and self.spoiled >= self.times


class FaultQueue:
    """The pending faults of one job, or the global ones; safe to share between threads."""

    def __init__(self, specs: Sequence[Mapping[str, Any]] = ()):
        self._lock = threading.Lock()
        self._faults: List[Fault] = []
        self.extend(specs)

    def extend(self, specs: Sequence[Mapping[str, Any]]) -> None:
        if not isinstance(specs, (list, tuple)):
            raise ValueError("faults must be a list")
        faults = [Fault.from_spec(spec) for spec in specs]
        with self._lock:
            self._faults.extend(faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, service: Optional[str] = None) -> Optional[Fault]:
        """The fault that spoils this request, or None to answer it normally."""
        with self._lock:
            for fault in self._faults:
                if fault.service is not None and fault.service != service:
                    continue
                if fault.passed < fault.after:
                    fault.passed += 1
                    return None
                fault.spoiled += 1
                if fault.used_up:
                    self._faults.remove(fault)
                return fault
            return None

    def pending(self) -> List[str]:
        with self._lock:
            return [fault.kind for fault in self._faults]


def spoil(fault: Fault, request: Request, normal: Callable[[], Response], status_path: Sequence[str],
          dialect: str = "huawei") -> Response:
    """The answer under ``fault``; ``normal()`` makes the answer the request would have had.

    ``dialect`` ("huawei" or "alibaba") chooses whose error bodies and headers are used.
    """
    kind = fault.kind
    if kind in ("http_5xx", "throttle"):
        return (_alibaba_error if dialect == "alibaba" else _huawei_error)(fault, request)
    if kind == "html_502":
        return Response(status=502, body=NGINX_502_PAGE, content_type="text/html")
    if kind == "redirect":
        page = b"<html><head><title>302 Found</title></head><body>Moved</body></html>"
        return Response(status=fault.status or 302, body=page, content_type="text/html", headers=[("Location", fault.location)])
    if kind == "echo_credential":
        return Response(status=403, body=_echo_page(request), content_type="text/html")
    if kind in ("drop", "reset"):
        return Response(status=0, disconnect=DISCONNECT_DROP if kind == "drop" else DISCONNECT_RESET)
    if kind == "hang":
        return Response(status=0, disconnect=DISCONNECT_HANG)
    if kind == "gzip_bomb":
        return Response(status=200, body=_gzipped_zeros(fault.size_mb), headers=[("Content-Encoding", "gzip")])
    if kind == "huge_html":
        return Response(status=fault.status or 502, body=_huge_page(fault.size_kb), content_type="text/html")
    if kind == "deep_json":
        return Response(status=200, body=b'{"status": ' + b"[" * fault.depth + b"]" * fault.depth + b"}")
    if kind == "odd_json":
        return _odd(fault, request, normal, status_path, dialect)

    response = normal()
    if kind == "slow":
        response.delay = fault.delay
    elif kind == "trickle":
        response.trickle = fault.interval
    elif kind == "bad_json":
        response.body = response.body[:len(response.body) // 2] if fault.variant == "truncated" else b"{'status': 'RUNNING',}"
        response.content_type = "application/json"
    elif kind == "missing_status":
        response.body = _without(response.body, status_path)
    elif kind == "cut":
        response.disconnect = DISCONNECT_CUT  # the server sends half of the body, then closes
    return response  # "gone" was applied to the job store before the answer was made; app.py answers "token_expired"


def _huawei_error(fault: Fault, request: Request) -> Response:
    if fault.kind == "http_5xx":
        status = fault.status or 503
        code, message = _GATEWAY_5XX.get(status, _GATEWAY_5XX[503])
        return gateway_error(request, status, fault.error_code or code, fault.error_msg or message)
    headers = [] if fault.retry_after is None else [("Retry-After", _seconds(fault.retry_after))]
    return gateway_error(request, fault.status or 429, fault.error_code or THROTTLE_CODE, fault.error_msg or THROTTLE_MESSAGE, headers)


def _alibaba_error(fault: Fault, request: Request) -> Response:
    if fault.kind == "http_5xx":
        status = fault.status or 503
        code, message = _ALIBABA_5XX.get(status, _ALIBABA_5XX[503])
        return acs_error(request, status, fault.error_code or code, fault.error_msg or message)
    # x-acs-retry-after is read by the SDK as whole milliseconds (Utils.get_throttling_time_left).
    headers = [] if fault.retry_after is None else [("x-acs-retry-after", str(int(round(fault.retry_after * 1000))))]
    return acs_error(request, fault.status or 400, fault.error_code or ALIBABA_THROTTLE_CODE, fault.error_msg or ALIBABA_THROTTLE_MESSAGE,
                     headers)


@functools.lru_cache(maxsize=4)
def _gzipped_zeros(size_mb: int) -> bytes:
    """``size_mb`` MB of ASCII zeros, gzipped a MB at a time (never the whole of it in memory)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as packer:
        megabyte = b"0" * (1024 * 1024)
        for _dummy in range(size_mb):
            packer.write(megabyte)
    return out.getvalue()


def _huge_page(size_kb: int) -> bytes:
    head = b"<html><body><pre>\n"
    line = b"upstream 10.0.0.7:8080 <- gateway <- balancer <- client: connection refused\n"
    count = max(1, (size_kb * 1024 - len(head)) // len(line))
    return head + line * count


# 111 characters: a title cut at 120 keeps the first 9 of the token, which no_log does not recognise.
ECHO_PREFIX = "403 Forbidden: the API gateway refused the temporary credential that this request presented with it, the token "
ECHOED_HEADERS = ("X-Auth-Token", "X-Security-Token", "x-acs-security-token")


def _echo_page(request: Request) -> bytes:
    token = next((request.header(name) for name in ECHOED_HEADERS if request.header(name)), "(none)")
    title = ECHO_PREFIX + token
    return ("<html>\r\n<head><title>%s</title></head>\r\n<body><h1>403 Forbidden</h1></body>\r\n</html>\r\n" % title).encode("utf-8")


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _without(body: bytes, path: Sequence[str]) -> bytes:
    """The JSON body with the field at ``path`` removed (unchanged if it is not there)."""
    try:
        document = json.loads(body.decode("utf-8"))
    except ValueError:
        return body
    node = document
    for name in path[:-1]:
        node = node.get(name) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(path[-1], None)
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def _check_odd(fault: Fault) -> None:
    if fault.variant not in ODD_VARIANTS:
        raise ValueError("odd_json variant must be one of %s" % ", ".join(ODD_VARIANTS))
    if fault.variant == "fields" and not isinstance(fault.value, dict):
        raise ValueError("odd_json variant fields needs value: an object of the fields to set")


def _odd(fault: Fault, request: Request, normal: Callable[[], Response], status_path: Sequence[str], dialect: str) -> Response:
    """Fault ``odd_json``: JSON the client must read without trusting its types."""
    if fault.variant == "error":
        status = fault.status or 400
        if dialect == "alibaba":
            return acs_error(request, status, fault.error_code or _ALIBABA_5XX.get(status, (ODD_ERROR_CODE,))[0], fault.value)
        return gateway_error(request, status, fault.error_code or _GATEWAY_5XX.get(status, (ODD_ERROR_CODE,))[0], fault.value)
    if fault.variant == "body":
        return json_response(fault.status or 200, fault.value)
    response = normal()
    try:
        document = json.loads(response.body.decode("utf-8"))
    except ValueError:
        return response
    job = document
    for name in status_path[:-1]:
        job = job.get(name) if isinstance(job, dict) else None
    if isinstance(job, dict):
        if fault.variant == "status":
            job[status_path[-1]] = fault.value
        else:
            job.update(fault.value)
    response.body = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return response
