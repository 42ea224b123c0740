# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test-control API under ``/_emulator`` (no authentication).

- ``GET  /_emulator/health``          ``{"status": "ok"}``
- ``GET  /_emulator/jobs``            every job and its current status
- ``POST /_emulator/jobs``            add or replace jobs: ``{"jobs": [...]}`` (as in a jobs file)
- ``GET  /_emulator/requests``        counts: total, jobs, routes, statuses, recent requests
- ``POST /_emulator/faults``          global faults for every request: ``{"faults": [...]}``
  (a fault may name a ``service``, e.g. ``"iam"`` or ``"ecs"``, to spoil only that one)
- ``POST /_emulator/tokens/expire``   expire every IAM token issued so far
- ``POST /_emulator/sts/expire``      expire the Alibaba STS credentials (until reset)
- ``GET  /_emulator/clock-skew``      ``{"seconds": N}``: how far the gateways' clock is off for date checks
- ``POST /_emulator/clock-skew``      set it: ``{"seconds": N}`` (positive: ahead; back to the start value on reset)
- ``GET  /_emulator/quotas``          the request quotas, each with its accepted requests per credential in its window now
- ``POST /_emulator/quotas``          replace them: ``{"quotas": [...]}`` (quotas.py); the new ones count from now
- ``POST /_emulator/reset``           jobs back to the loaded ones; counts, tokens, nonces, faults, skew, quotas reset
"""

import math
from typing import Any

from .messages import json_response
from .routing import Route


def check_clock_skew(value: Any) -> float:
    """A clock skew in seconds (a finite number); ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError("clock skew must be a finite number of seconds, got %r" % (value,))
    return float(value)


def _bad_request(message: str):
    return json_response(400, {"error": message})


def _document(request):
    """The JSON body, or a 400 answer; both as (value, error_response)."""
    try:
        return request.json(), None
    except ValueError as exc:
        return None, _bad_request("body is not JSON: %s" % exc)


def health(app, request, params, auth):  # pylint: disable=unused-argument
    return json_response(200, {"status": "ok"})


def list_jobs(app, request, params, auth):  # pylint: disable=unused-argument
    return json_response(200, {"jobs": app.jobs.summary()})


def add_jobs(app, request, params, auth):  # pylint: disable=unused-argument
    document, error = _document(request)
    if error:
        return error
    specs = document.get("jobs") if isinstance(document, dict) else document
    if not isinstance(specs, list):
        return _bad_request('expected {"jobs": [...]}')
    try:
        added = app.jobs.add(specs)
    except (ValueError, TypeError) as exc:
        return _bad_request(str(exc))
    return json_response(201, {"added": added})


def requests_seen(app, request, params, auth):  # pylint: disable=unused-argument
    return json_response(200, app.requests.snapshot())


def add_faults(app, request, params, auth):  # pylint: disable=unused-argument
    document, error = _document(request)
    if error:
        return error
    specs = document.get("faults") if isinstance(document, dict) else document
    try:
        app.global_faults.extend(specs)
    except (ValueError, TypeError) as exc:
        return _bad_request(str(exc))
    return json_response(201, {"pending": app.global_faults.pending()})


def expire_tokens(app, request, params, auth):  # pylint: disable=unused-argument
    return json_response(200, {"expired": app.tokens.expire_all(app.now())})


def expire_sts(app, request, params, auth):  # pylint: disable=unused-argument
    app.sts_expired = True
    return json_response(200, {"expired": app.identity.ali_sts_access_key})


def clock_skew(app, request, params, auth):  # pylint: disable=unused-argument
    if request.method == "POST":
        document, error = _document(request)
        if error:
            return error
        try:
            app.clock_skew = check_clock_skew(document.get("seconds") if isinstance(document, dict) else None)
        except ValueError as exc:
            return _bad_request('expected {"seconds": N}: %s' % exc)
    return json_response(200, {"seconds": app.clock_skew})


def quotas(app, request, params, auth):  # pylint: disable=unused-argument
    if request.method == "POST":
        document, error = _document(request)
        if error:
            return error
        specs = document.get("quotas") if isinstance(document, dict) else document
        try:
            app.quotas.replace(specs)
        except (ValueError, TypeError) as exc:
            return _bad_request('expected {"quotas": [...]}: %s' % exc)
    return json_response(200, app.quotas.snapshot(app.now()))


def reset(app, request, params, auth):  # pylint: disable=unused-argument
    app.reset()
    return json_response(200, {"status": "reset"})


ROUTES = [
    Route("control.health", "GET", "/_emulator/health", health, auth="none", cloud_api=False),
    Route("control.list_jobs", "GET", "/_emulator/jobs", list_jobs, auth="none", cloud_api=False),
    Route("control.add_jobs", "POST", "/_emulator/jobs", add_jobs, auth="none", cloud_api=False),
    Route("control.requests", "GET", "/_emulator/requests", requests_seen, auth="none", cloud_api=False),
    Route("control.add_faults", "POST", "/_emulator/faults", add_faults, auth="none", cloud_api=False),
    Route("control.expire_tokens", "POST", "/_emulator/tokens/expire", expire_tokens, auth="none", cloud_api=False),
    Route("control.expire_sts", "POST", "/_emulator/sts/expire", expire_sts, auth="none", cloud_api=False),
    Route("control.get_clock_skew", "GET", "/_emulator/clock-skew", clock_skew, auth="none", cloud_api=False),
    Route("control.set_clock_skew", "POST", "/_emulator/clock-skew", clock_skew, auth="none", cloud_api=False),
    Route("control.get_quotas", "GET", "/_emulator/quotas", quotas, auth="none", cloud_api=False),
    Route("control.set_quotas", "POST", "/_emulator/quotas", quotas, auth="none", cloud_api=False),
    Route("control.reset", "POST", "/_emulator/reset", reset, auth="none", cloud_api=False),
]
