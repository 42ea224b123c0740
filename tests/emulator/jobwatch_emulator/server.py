# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sockets and threads: the HTTP(S) server around ``app.EmulatorApp``.

In-process use (tests)::

    with Emulator(jobs=[{"id": "job-1", "timeline": [["RUNNING", 0], ["SUCCESS", 2]]}]) as emu:
        emu.url            # http://127.0.0.1:PORT
        emu.requests()     # what GET /_emulator/requests answers
"""

import select
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Mapping, Optional, Sequence, Union

from . import creations, iam
from .app import EmulatorApp, load_document
from .messages import DISCONNECT_CUT, DISCONNECT_HANG, DISCONNECT_RESET, Request, json_response


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients with a session expect
    # TCP_NODELAY: headers and body leave in two writes; with Nagle's algorithm the body would
    # wait for the client's delayed ACK of the headers, ~40 ms on every kept-alive request.
    disable_nagle_algorithm = True
    server_version = "jobwatch-emulator"
    sys_version = ""

    def setup(self):
        super().setup()
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()  # here, in the connection's own thread, not in accept()

    def _serve(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        body = self.rfile.read(length) if length > 0 else b""
        raw_path, _sep, raw_query = self.path.partition("?")
        request = Request(self.command, raw_path, raw_query, self.headers, body, uuid.uuid4().hex)
        try:
            response = self.server.app.handle(request)
        except Exception:  # pylint: disable=broad-except
            # An emulator bug must not look like a network fault to the client under test.
            traceback.print_exc(file=sys.stderr)
            response = json_response(500, {"error": "emulator bug, see the emulator's stderr"})

        if response.delay and self.server.stopping.wait(response.delay):
            response.disconnect = response.disconnect or "drop"  # shutting down: do not answer late
        if response.disconnect == DISCONNECT_HANG:
            self._hold_until_the_client_goes()
        if response.disconnect and response.disconnect != DISCONNECT_CUT:
            self.close_connection = True
            if response.disconnect == DISCONNECT_RESET:
                self.server.reset_on_close(self.connection)
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Request-Id", request.request_id)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        body = response.body
        if response.disconnect == DISCONNECT_CUT:
            # Dropped mid-body: the headers promised all of it, half comes, then the connection closes.
            self.close_connection = True
            body = body[:len(body) // 2]
        if self.command == "HEAD":
            return
        if response.trickle:
            self._trickle(body, response.trickle)
        else:
            self.wfile.write(body)

    def _hold_until_the_client_goes(self):
        """Say nothing until the client closes the connection (it becomes readable: EOF) or we stop."""
        while not self.server.stopping.is_set():
            readable, _writable, _failed = select.select([self.connection], [], [], 0.1)
            if readable:
                return

    def _trickle(self, body, interval):
        """The body one byte every ``interval`` seconds; a client that gave up ends it (broken pipe)."""
        self.wfile.flush()
        for index in range(len(body)):
            if self.server.stopping.wait(interval):
                self.close_connection = True
                return
            self.wfile.write(body[index:index + 1])
            self.wfile.flush()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow answer in progress must not hold up shutdown
    # A task polling many jobs opens many connections at once: the default backlog of 5 makes the
    # rest wait a second for a resent SYN, which a short client timeout counts as a lost attempt.
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address, app: EmulatorApp, ssl_context: Optional[ssl.SSLContext] = None, verbose: bool = False):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self.ssl_context = ssl_context
        self.verbose = verbose
        self.stopping = threading.Event()
        self._to_reset = set()
        self._reset_lock = threading.Lock()
        super().__init__(address, _Handler)

    def get_request(self):
        connection, address = super().get_request()
        if self.ssl_context is not None:
            connection = self.ssl_context.wrap_socket(connection, server_side=True, do_handshake_on_connect=False)
        return connection, address

    def reset_on_close(self, connection) -> None:
        with self._reset_lock:
            self._to_reset.add(connection)

    def shutdown_request(self, request):
        with self._reset_lock:
            reset = request in self._to_reset
            self._to_reset.discard(request)
        if reset:
            # Linger 0 makes close() send RST; the normal path would send FIN first.
            request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            request.close()
            return
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, socket.timeout)):
            return  # the client went away or refused our certificate: its business, not ours
        super().handle_error(request, client_address)


class Emulator:
    """The emulator on a free port (by default) in a background thread.

    ``jobs``: a list of job specs, or a whole jobs document ``{"jobs": [...], "credentials": {...}}``.
    ``credentials``: overrides of ``identity.Identity`` fields (win over the document's).
    ``ssl_context``: serve HTTPS with this server-side context (e.g. from a throwaway CA).
    ``now``: the clock (epoch seconds) of job timelines, token expiry and signature date checks;
    a test or benchmark may pass a virtual clock that it moves itself (hacking/bench does).
    ``clock_skew``: seconds the gateways' clock runs ahead (negative: behind) for signature date
    checks only, so a correctly signed request is refused as the real gateway refuses a skewed one.
    ``created_job_seconds``: how long the jobs that creation calls start take to reach their final
    status (a jobs document's ``"created_jobs"`` may set each kind's timeline instead; see creations.py).
    ``quotas``: per-credential request quota specs (quotas.py), after the jobs document's ``"quotas"``.
    """

    def __init__(self, jobs: Union[Sequence[Mapping[str, Any]], Mapping[str, Any]] = (),
                 credentials: Optional[Mapping[str, Any]] = None, token_ttl: float = iam.DEFAULT_TOKEN_TTL,
                 host: str = "127.0.0.1", port: int = 0, ssl_context: Optional[ssl.SSLContext] = None,
                 verbose: bool = False, now: Callable[[], float] = time.time, clock_skew: float = 0.0,
                 created_job_seconds: float = creations.DEFAULT_SECONDS, quotas: Optional[Sequence[Mapping[str, Any]]] = None):
        specs, document_credentials, document_quotas = load_document(jobs if isinstance(jobs, Mapping) else list(jobs))
        merged_credentials = dict(document_credentials, **(credentials or {}))
        self.app = EmulatorApp(specs, merged_credentials, token_ttl, now, clock_skew,
                               created_jobs=creations.from_document(jobs), created_job_seconds=created_job_seconds,
                               quota_specs=list(document_quotas) + list(quotas or []))
        self._server = _Server((host, port), self.app, ssl_context, verbose)
        self._thread: Optional[threading.Thread] = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        host = self._server.server_address[0]
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
        scheme = "https" if self._server.ssl_context is not None else "http"
        return "%s://%s:%d" % (scheme, "[%s]" % host if ":" in host else host, self.port)

    def start(self) -> "Emulator":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="jobwatch-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # Shortcuts to the control API for in-process tests.
    def add_jobs(self, specs: Sequence[Mapping[str, Any]]):
        return self.app.jobs.add(specs)

    def requests(self) -> Mapping[str, Any]:
        return self.app.requests.snapshot()

    def quotas(self) -> Mapping[str, Any]:
        """Same as GET /_emulator/quotas."""
        return self.app.quotas.snapshot(self.app.now())

    def reset(self) -> None:
        self.app.reset()
