# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helpers: a real local HTTP server that answers from a script, and a fake clock.

The server listens on 127.0.0.1 on a free port and gives each request the next scripted
answer, so the HTTP client under test goes through real sockets, real ``requests`` and real
timeouts. Answers are plain dicts made by the helpers below.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DROP = 'drop'   # read the request, then close the connection without a word
SLOW = 'slow'   # hold the request until the test ends (longer than any client timeout used)
TRICKLE = 'trickle'  # the answer's status line and headers, then its body one byte every ``interval`` seconds
LONGEST_HOLD = 20.0


def answer(status=200, body=b'', headers=None, content_type=None, length=None):
    """``length``: a Content-Length to claim instead of the body's own (a body cut short)."""
    if isinstance(body, str):
        body = body.encode('utf-8')
    headers = dict(headers or {})
    if content_type:
        headers['Content-Type'] = content_type
    return dict(kind='answer', status=status, body=body, headers=headers, length=length)


def json_answer(status=200, data=None, headers=None):
    return answer(status, json.dumps(data).encode('utf-8'), headers, 'application/json')


def html_answer(status, title, headers=None):
    page = ('<!DOCTYPE html>\n<html>\n<head><title>%s</title></head>\n<body>\n<center><h1>%s</h1></center>\n'
            '<hr><center>nginx</center>\n</body>\n</html>\n' % (title, title))
    return answer(status, page, headers, 'text/html')


def trickle(reply, interval):
    return dict(reply, kind=TRICKLE, interval=interval)


def drop():
    return dict(kind=DROP)


def slow():
    return dict(kind=SLOW)


# What the server answers when the script has run out: a status no client retries, so a test
# that sends more requests than it scripted fails with this message instead of looping.
EXHAUSTED = answer(418, '{"error_code": "TEST.0418", "error_msg": "the test scripted no answer for this request"}',
                   content_type='application/json')


class Recorded:
    def __init__(self, method, path, headers, body):
        self.method = method
        self.path = path          # as sent on the request line, query included
        self.headers = headers    # an email.message.Message: case-insensitive get()
        self.body = body


class _Handler(BaseHTTPRequestHandler):
    server_version = 'scripted'

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass

    def _serve(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        script = self.server.script
        script.record(Recorded(self.command, self.path, self.headers, body))
        reply = script.next_answer(self.path)
        if reply['kind'] == DROP:
            self.close_connection = True
            return
        if reply['kind'] == SLOW:
            script.release.wait(LONGEST_HOLD)
            self.close_connection = True
            return
        self.send_response(reply['status'])
        for name, value in reply['headers'].items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(reply['length'] if reply['length'] is not None else len(reply['body'])))
        self.close_connection = True
        self.end_headers()
        if reply['kind'] == TRICKLE:
            for index in range(len(reply['body'])):
                if script.release.wait(reply['interval']):
                    return
                self.wfile.write(reply['body'][index:index + 1])
                self.wfile.flush()
            return
        self.wfile.write(reply['body'])

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up (timeout) leaves a broken pipe behind: not the test's concern.
        pass


class _Script:
    def __init__(self, answers, default):
        self._answers = list(answers)
        self.default = default
        self.requests = []
        self.routes = {}  # path prefix: its answers in order (the last one repeats), before the script
        self.release = threading.Event()
        self._lock = threading.Lock()

    def record(self, request):
        with self._lock:
            self.requests.append(request)

    def next_answer(self, path=''):
        with self._lock:
            for prefix, replies in self.routes.items():
                if path.startswith(prefix):
                    return replies.pop(0) if len(replies) > 1 else replies[0]
            if self._answers:
                return self._answers.pop(0)
        return self.default or EXHAUSTED


class ScriptedServer:
    """``with ScriptedServer([answer, ...], default=answer) as server: ... server.url ...``"""

    def __init__(self, answers=(), default=None):
        self._script = _Script(answers, default)
        self._server = _Server(('127.0.0.1', 0), _Handler)
        self._server.script = self._script
        self.port = self._server.server_address[1]
        self.url = 'http://127.0.0.1:%d' % self.port
        self.host = '127.0.0.1:%d' % self.port
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs=dict(poll_interval=0.01))
        self._thread.daemon = True
        self._thread.start()

    @property
    def requests(self):
        return list(self._script.requests)

    def add(self, *answers):
        with self._script._lock:  # pylint: disable=protected-access
            self._script._answers.extend(answers)  # pylint: disable=protected-access

    def route(self, prefix, *replies):
        """Answer the requests whose path starts with ``prefix`` with ``replies`` in order, the last one from then on."""
        with self._script._lock:  # pylint: disable=protected-access
            self._script.routes[prefix] = list(replies)

    def set_default(self, reply):
        self._script.default = reply

    def close(self):
        self._script.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def closed_port_url():
    """An http:// URL on 127.0.0.1 where nothing listens (connection refused)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    return 'http://127.0.0.1:%d' % port


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps (or the test says so)."""

    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0, 'asked to sleep a negative time: %r' % seconds
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds):
        self.now += seconds
