# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which handler answers a request: path templates matched on the raw path.

Matching happens before any decoding, so an encoded "/" (%2F) in a job name stays inside its
segment. Each service file lists its routes; ``app.py`` joins them into one ``Router``.
"""

import dataclasses
import re
from typing import Callable, Dict, Iterable, Optional, Pattern, Tuple
from urllib.parse import parse_qsl, unquote

from .messages import Request

_PARAMETER = re.compile(r"\{([a-z_]+)(\*?)\}")


def compile_template(template: str) -> Pattern:
    """``/v1/{project_id}/jobs/{job_id}`` to a regex; a parameter is one non-empty segment, a ``{name*}``
    parameter any non-empty rest of the path (``/{path*}``: every path but ``/``)."""
    pattern, last = "", 0
    for match in _PARAMETER.finditer(template):
        pattern += re.escape(template[last:match.start()]) + "(?P<%s>%s)" % (match.group(1), ".+" if match.group(2) else "[^/]+")
        last = match.end()
    return re.compile("^" + pattern + re.escape(template[last:]) + "$")


@dataclasses.dataclass(frozen=True)
class Route:
    """One API: where it lives, who may call it, and what answers it.

    handler(app, request, params, auth) -> Response; ``params`` are the decoded path parameters,
    ``auth`` what the route's authenticator returned (None for ``auth="none"``).
    """

    name: str  # e.g. "ecs.show_job"; request counts are kept under it
    method: str  # "*": any method
    template: str
    handler: Callable
    auth: str = "huawei"  # key into app.AUTHENTICATORS; "none" for the control API and IAM login
    job_param: Optional[str] = None  # path parameter naming a job: enables per-job faults and counts
    job_query: Optional[str] = None  # or the query parameter naming it (DataWorks' JobId)
    service: Optional[str] = None  # job store namespace of that job ("ecs", ...)
    status_path: Tuple[str, ...] = ("status",)  # where the job status sits in the answer (missing_status fault)
    when: Optional[Callable[[Request], bool]] = None  # extra condition, e.g. an x-acs-action header
    cloud_api: bool = True  # False for the control API: not counted, never spoiled by faults
    dialect: str = "huawei"  # whose error bodies injected faults use: "huawei" (APIG) or "alibaba" (POP)
    pattern: Pattern = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "pattern", compile_template(self.template))

    @property
    def service_name(self) -> str:
        """The service this API belongs to: its job namespace, else the route name's prefix ("iam")."""
        return self.service or self.name.partition(".")[0]

    def job_id(self, params: Dict[str, str], request: Request) -> Optional[str]:
        """The job this request is about (decoded), or None."""
        if self.job_param:
            return params.get(self.job_param)
        if self.job_query:
            return dict(parse_qsl(request.raw_query, keep_blank_values=True)).get(self.job_query)
        return None

    def match(self, request: Request) -> Optional[Dict[str, str]]:
        """Decoded path parameters when this route serves the request's path, else None."""
        found = self.pattern.match(request.raw_path)
        if not found or (self.when is not None and not self.when(request)):
            return None
        return {name: unquote(value) for name, value in found.groupdict().items()}


class Router:
    """First route whose path and condition fit wins; a path with no fitting method is told apart."""

    def __init__(self, routes: Iterable[Route]):
        self.routes = list(routes)

    def resolve(self, request: Request) -> Tuple[Optional[Route], Dict[str, str], bool]:
        """(route, params, path_known): route None means no API here (path_known: wrong method only)."""
        path_known = False
        for route in self.routes:
            params = route.match(request)
            if params is None:
                continue
            if route.method in (request.method, "*"):
                return route, params, True
            path_known = True
        return None, {}, path_known
