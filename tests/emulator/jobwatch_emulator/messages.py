# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request and answer types every part of the emulator passes around."""

import dataclasses
import email.message
import json
from typing import Any, List, Optional, Tuple

# How an answer may end without a normal HTTP response (see faults.py).
DISCONNECT_DROP = "drop"  # close the connection without a byte
DISCONNECT_RESET = "reset"  # TCP RST (SO_LINGER 0)
DISCONNECT_CUT = "cut"  # status line and headers (full Content-Length), part of the body, then close
DISCONNECT_HANG = "hang"  # no answer at all, the connection held open until the client closes it


@dataclasses.dataclass
class Request:
    """One HTTP request as it arrived, before any decoding of the path."""

    method: str
    raw_path: str  # the path exactly as sent, without the query; routing and signing use it
    raw_query: str  # everything after "?", undecoded ("" when absent)
    headers: email.message.Message  # case-insensitive .get()
    body: bytes
    request_id: str  # fresh hex id, echoed in X-Request-Id and error bodies

    def header(self, name: str) -> Optional[str]:
        """A header's value as the client meant it (UTF-8 restored), or None."""
        value = self.headers.get(name)
        if value is None:
            return None
        # http.server decodes header bytes as latin-1; clients send UTF-8.
        try:
            return value.encode("iso-8859-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value

    def header_values(self, name: str) -> List[str]:
        """Every value sent for a header (a header may repeat), UTF-8 restored; [] when absent."""
        values = []
        for value in self.headers.get_all(name) or []:
            try:
                values.append(value.encode("iso-8859-1").decode("utf-8"))
            except (UnicodeEncodeError, UnicodeDecodeError):
                values.append(value)
        return values

    def json(self) -> Any:
        """The body parsed as JSON; ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))


@dataclasses.dataclass
class Response:
    """What to answer: an HTTP response, possibly late, or a broken connection."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: List[Tuple[str, str]] = dataclasses.field(default_factory=list)
    delay: float = 0.0  # seconds to wait before answering
    disconnect: Optional[str] = None  # DISCONNECT_DROP / DISCONNECT_RESET: no answer at all; DISCONNECT_CUT: half of it
    trickle: float = 0.0  # > 0: the body is sent one byte every this many seconds (headers at once)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def json_response(status: int, payload: Any, headers: Optional[List[Tuple[str, str]]] = None) -> Response:
    """A JSON answer, compact like the clouds send it."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Response(status=status, body=body, headers=list(headers or []))
