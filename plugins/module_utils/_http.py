# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One HTTP client for every cloud: session reuse, timeouts, TLS, retries, error mapping.

What differs between clouds (how an error body reads, which codes mean "throttled") comes in
as a ``conventions`` object (a Conventions, _conventions.py); how a request is authenticated
comes in as an ``auth`` object (an Auth, _auth.py).
"""

import http.client
import re
import threading
import time
import traceback
import warnings
from urllib.parse import quote, urlsplit

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._pacing import Pacer
from ansible_collections.jobwatch.cloud.plugins.module_utils._reading import (
    ACCEPT_ENCODING, LARGEST_BODY, BodyTooLarge, BodyTooSlow, BodyUnreadable, NestedTooDeep, load_json, read_body)
from ansible_collections.jobwatch.cloud.plugins.module_utils._redact import Secrets
from ansible_collections.jobwatch.cloud.plugins.module_utils._retry import RetryPolicy

try:
    import requests
    from urllib3.exceptions import HTTPError as Urllib3Error
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - reported by the module with missing_required_lib()
    requests = None
    Urllib3Error = OSError
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD'))
DEFAULT_POOL_SIZE = 10  # requests' own
USER_AGENT = 'jobwatch.cloud-ansible-collection'
# A body that is no JSON at all, told apart from the JSON ``null``.
_NOT_JSON = object()
_JSON_KINDS = {type(None): 'JSON null', list: 'a JSON list', str: 'a JSON string', int: 'a JSON number', float: 'a JSON number',
               bool: 'a JSON bool'}
# How much of a body that is not JSON is looked at: far more than a message shows (a title, a
# snippet), so that a secret cut by the bound is not what is left in the message.
BODY_LOOKED_AT = 16384
SHOWN = 120
MESSAGE_SHOWN = 2000  # of the cloud's own error message
# Less time than this before the deadline: no request is started (it could not be answered).
SHORTEST_ATTEMPT = 0.2


# How far a request may be repeated after a failure (``repeat`` of HttpClient.request):
REPEAT_READS = 'reads'    # GET and HEAD only: a call that may change something is sent once
REPEAT_UNSENT = 'unsent'  # any method, but only when the answer says it was not carried out (throttled, refused)
REPEAT_ALL = 'all'        # any method after any transient failure (the call carries an idempotency token)


class Response:
    """An answer. ``data`` is its JSON object (None when it is none); with ``any_answer``,
    ``json`` is any JSON value it holds, ``is_json`` says whether it holds one, ``text`` is its text."""

    def __init__(self, status, headers, data, request_id, json=None, is_json=None, text=None):
        self.status = status
        self.headers = headers
        self.data = data
        self.request_id = request_id
        self.json = data if json is None else json
        self.is_json = data is not None if is_json is None else is_json
        self.text = text


class _Transient(Exception):
    """A failed attempt worth repeating; ``error`` is what to report if we give up."""

    def __init__(self, error, server_pause=None, throttled=False, not_sent=False):
        super().__init__(str(error))
        self.error = error
        self.server_pause = server_pause
        self.throttled = throttled
        # The request never reached the server (a refused connection): sending it again cannot repeat it.
        self.not_sent = not_sent


def encode_query(query):
    # Encoded the way the signers canonicalise it, so what is signed is what is sent.
    return '&'.join('%s=%s' % (quote(str(k), safe='~'), quote(str(v), safe='~')) for k, v in query)


def describe_body(text, content_type, secrets=None):
    """A short, safe description of a body that is not the JSON we expected.

    Known ``secrets`` are masked before the text is cut or its white space folded: after, a
    piece of one no longer matches it. Linear in the length of the text: the patterns never scan
    past the next "<", so a page of unclosed tags costs no more than a page of text.
    """
    text = (secrets or Secrets()).mask((text or '')[:BODY_LOOKED_AT])
    title = re.search(r'<title[^<>]*>([^<]*)</title>', text, re.I)
    if title:
        return 'an HTML page titled %r' % ' '.join(title.group(1).split())[:SHOWN]
    snippet = ' '.join(re.sub(r'<[^<>]*>', ' ', text).split())[:SHOWN]
    kind = (content_type or 'untyped').split(';')[0].strip()
    return '%s %s body that is not valid JSON (%s)' % ('an' if kind[:1] in 'aeiou' else 'a', kind, repr(snippet) if snippet else 'empty')


class HttpClient:
    """Sends requests for one task; every worker of the task shares it (and its pacing).

    A failure worth repeating (throttling, a 5xx, a broken connection or answer) is asked again
    within the retry policy's attempt bound and the request's ``deadline``; inside a wait, the
    waiter asks again later, until the wait's timeout.
    """

    def __init__(self, conventions, timeout=30, validate_certs=True, ca_path=None,
                 retry=None, sleep=time.sleep, clock=time.monotonic, session=None, rate_limit=None, pool_size=None,
                 secrets=None):
        self.conventions = conventions
        # Masked in every text an answer puts into a message (the task adds tokens it learns).
        self.secrets = secrets if secrets is not None else Secrets()
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.pacer = Pacer(rate_limit, clock=clock, rand=self.retry.rand)
        self._sleep = sleep
        self._clock = clock
        self.session = session or requests.Session()
        self.session.headers['User-Agent'] = USER_AGENT
        # Only what _reading.py inflates itself, with a cap on the output.
        self.session.headers['Accept-Encoding'] = ACCEPT_ENCODING
        # Never switch verification off unless asked to; a CA bundle path replaces the default. Given on
        # every request: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override the session's own.
        self._verify = (ca_path or True) if validate_certs else False
        if pool_size and pool_size > DEFAULT_POOL_SIZE and session is None:
            # One kept-alive connection per worker, or urllib3 drops and reopens them.
            for prefix in ('https://', 'http://'):
                self.session.mount(prefix, requests.adapters.HTTPAdapter(pool_maxsize=pool_size))
        self._lock = threading.Lock()
        self.requests_sent = 0
        self.throttled_answers = 0

    def request(self, method, url, what, query=(), headers=None, body=b'', auth=None, deadline=None, answer_problem=None,
                repeat=REPEAT_READS, accept=(), any_answer=False):
        """Send one logical request, retrying transient failures within the policy and ``deadline``.

        ``url`` has no query; ``query`` is a list of (key, value) pairs. ``answer_problem(data)`` may
        return a description of what is wrong with a 2xx answer, which is then treated as a
        transient failure (a truncated body, a missing field), never as an answer. A failure
        given up on is raised with ``transient=True`` when asking again might have cured it.

        ``repeat`` says which failures a request other than GET/HEAD is sent again after (REPEAT_READS:
        none; REPEAT_UNSENT: those that say it was not carried out; REPEAT_ALL: every transient one).
        ``accept``: HTTP statuses returned as answers, not raised, though not 2xx. ``any_answer``: a 2xx
        (or accepted) answer is returned whatever its body (not only a JSON object).
        """
        method = method.upper()
        host = urlsplit(url).netloc
        # Only a request that changes nothing may be sent twice.
        repeatable = method in IDEMPOTENT_METHODS or repeat == REPEAT_ALL
        refreshed = False
        attempt = 0
        error = None
        while True:
            # Before a turn is taken: a turn not used would still count against the host's pace.
            if deadline is not None and deadline - self._clock() < SHORTEST_ATTEMPT:
                raise self._out_of_time(what, host, error, attempt)
            wait, sent_at = self.pacer.reserve(host)
            # Twice: another worker may have been throttled while this one waited for its turn.
            while wait > 0:
                # A turn that would leave the request less than SHORTEST_ATTEMPT is not taken either.
                if deadline is not None and self._clock() + wait + SHORTEST_ATTEMPT > deadline:
                    self._sleep(max(0.0, deadline - self._clock()))
                    raise self._give_up(what, host, error, attempt)
                self._sleep(wait)
                wait = self.pacer.paused_for(host)
            try:
                reply = self._attempt(method, url, what, list(query), headers or {}, body, auth, answer_problem, deadline,
                                      accept, any_answer)
            except _Transient as failure:
                error, server_pause = failure.error, failure.server_pause
                if error.status == 401:
                    # Only a credential that can be renewed (an expired login token) earns a second try.
                    if auth is not None and not refreshed and auth.refresh(deadline):
                        refreshed = True
                        continue
                    raise error
                if server_pause is not None and server_pause > self.retry.longest_server_pause:
                    # Not recorded as a pause for the host: the other workers go on.
                    error.message += ' (the server asked to come back after %.0f s)' % server_pause
                    raise error
                attempt += 1
                error.transient = True
                error.throttled = failure.throttled
                if failure.throttled:
                    with self._lock:
                        self.throttled_answers += 1
                    # Every worker waits this out: the pause is the host's, slept at the next reserve().
                    pause = self.pacer.throttled(host, server_pause, self.conventions.throttle_policy(error.message), sent_at)
                    sleep = 0.0
                else:
                    pause = sleep = self.retry.pause(attempt, server_pause)
                if not repeatable and not (repeat == REPEAT_UNSENT and (failure.throttled or failure.not_sent)):
                    raise error
                if attempt > self.retry.retries or not self._time_left(pause, deadline):
                    raise self._give_up(what, host, error, attempt)
                if sleep > 0:
                    self._sleep(sleep)
                continue
            self.pacer.accepted(host)
            return reply

    def _give_up(self, what, host, error, attempt):
        """The error to raise when retrying stops: the last failure, or why nothing could be sent."""
        if error is None:
            if not self.throttled_answers and self.pacer.rate_limit:
                return JobwatchError(what, 'no request could be sent to %s before the deadline: rate_limit (%s a second) '
                                           'left no turn in time' % (host, self.pacer.rate_limit), transient=True)
            return JobwatchError(what, 'no request could be sent to %s before the deadline: the cloud had asked '
                                       'us to slow down' % host, transient=True, throttled=True)
        if self.retry.retries:
            error.message += ' (gave up after %d attempt%s)' % (attempt, '' if attempt == 1 else 's')
        return error

    def _out_of_time(self, what, host, error, attempt):
        """The error to raise when the deadline leaves no time for another attempt."""
        if error is not None:
            return self._give_up(what, host, error, attempt)
        return JobwatchError(what, 'no time was left before the deadline to ask %s' % host, transient=True)

    def _time_left(self, pause, deadline):
        # Room for the pause and an attempt after it: a pause that leaves less is not slept only to give up.
        return deadline is None or self._clock() + pause + SHORTEST_ATTEMPT <= deadline

    def _attempt(self, method, url, what, query, headers, body, auth, answer_problem, deadline=None, accept=(), any_answer=False):
        """One request: connect, headers and the whole body within ``timeout`` and before ``deadline``."""
        host = urlsplit(url).netloc
        ends = self._clock() + self.timeout
        within = 'within the %s s timeout' % self.timeout
        if deadline is not None and deadline < ends:
            ends = deadline
            within = 'in the %.1f s left before the deadline' % (deadline - self._clock())
        headers = dict(headers)
        if auth is not None:
            headers = auth.apply(method, url, query, headers, body)
        full_url = url + ('?' + encode_query(query) if query else '')
        with self._lock:
            self.requests_sent += 1
        try:
            with warnings.catch_warnings():
                if self._verify is False:
                    # The task already warns once, in words; urllib3 would add one per request on stderr.
                    warnings.simplefilter('ignore')
                # Each socket wait (connect, headers) gets at most the time left; the body is read below.
                left = max(ends - self._clock(), 0.001)
                reply = self.session.request(method, full_url, headers=headers, data=body or None, verify=self._verify,
                                             timeout=(left, left), allow_redirects=False, stream=True)
        except requests.exceptions.SSLError as exc:
            raise _tls_failure(what, url, exc)
        except requests.exceptions.Timeout:
            raise _Transient(JobwatchError(what, 'no answer from %s %s' % (host, within)))
        except requests.exceptions.ConnectionError as exc:
            raise self._connection_failure(what, url, exc)
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            raise _Transient(JobwatchError(what, 'the answer from %s broke off: %s' % (urlsplit(url).netloc, _reason(exc))))
        except requests.exceptions.RequestException as exc:
            raise JobwatchError(what, 'the request could not be sent: %s' % _reason(exc))
        content = self._body(reply, what, host, ends, within)
        return self._read(reply, content, what, answer_problem, auth, accept, any_answer)

    def _body(self, reply, what, host, ends, within):
        """The whole body of a streamed ``reply``, by ``ends`` and no larger than LARGEST_BODY."""
        status = reply.status_code
        done = False
        try:
            content = read_body(reply.raw, reply.headers.get('Content-Encoding'), ends, self._clock)
            done = True
            return content
        except BodyTooSlow:
            raise _Transient(JobwatchError(what, 'the answer from %s did not arrive whole %s' % (host, within), status=status))
        except BodyTooLarge:
            raise _Transient(JobwatchError(what, 'the answer was larger than %d MiB, far more than a job takes'
                                           % (LARGEST_BODY // (1024 * 1024)), status=status))
        except BodyUnreadable as exc:
            raise _Transient(JobwatchError(what, 'the answer could not be read: %s' % exc, status=status))
        except (Urllib3Error, http.client.HTTPException, OSError) as exc:
            raise _Transient(JobwatchError(what, 'the answer from %s broke off: %s' % (host, _reason(exc)), status=status))
        finally:
            if not done:
                # Not given back to the pool: the rest of the body may still be on its way.
                reply.close()

    def _connection_failure(self, what, url, exc):
        reason = _reason(exc)
        host = urlsplit(url).netloc
        if isinstance(exc, requests.exceptions.ProxyError):
            # The proxy refused or broke the connection, not the endpoint: name the proxy (never its password).
            proxies = dict(requests.utils.get_environ_proxies(url) if self.session.trust_env else {}, **self.session.proxies)
            proxy = requests.utils.select_proxy(url, proxies)
            return _Transient(JobwatchError(what, 'connection to %s through the proxy %s failed: %s'
                                            % (host, _without_user_info(proxy), reason),
                                            hint='Check the proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) or reach the endpoint without it'))
        # A name that does not resolve will not resolve on the next try either.
        if re.search(r'Name or service not known|nodename nor servname|getaddrinfo failed|Temporary failure in name resolution'
                     r'|No address associated|NameResolutionError', reason):
            return JobwatchError(what, 'the host name %s does not resolve' % urlsplit(url).hostname,
                                 hint='Check region, cloud and endpoint')
        return _Transient(JobwatchError(what, 'connection to %s failed: %s' % (host, reason)), not_sent=_refused(exc))

    def _read(self, reply, content, what, answer_problem, auth=None, accept=(), any_answer=False):
        conventions = self.conventions
        request_id = conventions.request_id(reply.headers, None)
        text = _text(content, reply.headers)
        too_deep = False
        try:
            parsed = load_json(text) if text.strip() else _NOT_JSON
        except NestedTooDeep:
            parsed, too_deep = _NOT_JSON, True
        except ValueError:
            parsed = _NOT_JSON
        data = parsed if isinstance(parsed, dict) else None
        if data is not None:
            request_id = conventions.request_id(reply.headers, data)
        status = reply.status_code
        if data is None:
            shape = ('%s where an object was expected' % _JSON_KINDS.get(type(parsed), 'a JSON value') if parsed is not _NOT_JSON
                     else 'JSON nested deeper than any job answer' if too_deep
                     else describe_body(text, reply.headers.get('Content-Type'), self.secrets))
        if any_answer and (200 <= status < 300 or status in accept):
            found = parsed is not _NOT_JSON
            return Response(status, reply.headers, data, request_id, json=parsed if found else None, is_json=found, text=text)
        if status in accept:
            return Response(status, reply.headers, data, request_id)
        if 200 <= status < 300:
            problem = 'the answer was %s' % shape if data is None else (answer_problem(data) if answer_problem else None)
            if problem:
                raise _Transient(JobwatchError(what, problem, status=status, request_id=request_id))
            return Response(status, reply.headers, data, request_id)
        if 300 <= status < 400:
            # Redirects are not followed: a signed request is valid for one URL only.
            # A login portal may carry the token it was given in its query: masked before the cut.
            location = self.secrets.mask(str(reply.headers.get('Location') or 'nowhere')[:BODY_LOOKED_AT])[:200]
            raise JobwatchError(what, 'the server redirected the request (HTTP %s) to %s instead of answering'
                                % (status, location), status=status, request_id=request_id,
                                hint='Check endpoint: give the URL the service answers on (scheme, host, port, path)')
        code, message = conventions.read_error(data) if data is not None else (None, None)
        # The cloud's words may echo what was sent (a token, a password).
        code = self.secrets.mask(code)
        message = self.secrets.mask(str(message)[:BODY_LOOKED_AT])[:MESSAGE_SHOWN] if message else message
        if not message:
            message = 'the answer was %s' % (shape if data is None else 'an error without a message')
        error = JobwatchError(what, message, status=status, code=code, request_id=request_id,
                              hint=conventions.hint(status, code, message, auth))
        throttled = conventions.is_throttled(status, code)
        if status == 401 or throttled or conventions.is_transient(status, code):
            # A server that says when to come back (throttling, a 503 in maintenance) is believed.
            raise _Transient(error, server_pause=conventions.server_pause(reply.headers), throttled=throttled)
        raise error


def _text(content, headers):
    """The body as text: in the charset its Content-Type names, else UTF-8 (JSON's own)."""
    charset = re.search(r';\s*charset="?([\w.:-]+)', headers.get('Content-Type') or '', re.I)
    try:
        return content.decode(charset.group(1) if charset else 'utf-8', 'replace')
    except LookupError:
        return content.decode('utf-8', 'replace')


def _tls_failure(what, url, exc):
    host = urlsplit(url).netloc
    reason = _reason(exc)
    if re.search(r'WRONG_VERSION_NUMBER|wrong version number|record layer failure', reason):
        # The answer was not TLS at all: an https:// URL on a port that speaks plain HTTP.
        return JobwatchError(what, '%s does not speak TLS on that port (%s)' % (host, reason),
                             hint='Use http:// for this endpoint, or the port that serves HTTPS')
    return JobwatchError(what, 'TLS verification of %s failed (%s)' % (host, reason),
                         hint='Give the CA that signed the endpoint certificate in ca_path, '
                              'or set validate_certs=false for a trusted test endpoint')


def _refused(exc):
    """Whether a connection failure is a refused connection: nothing of the request was sent."""
    return isinstance(_innermost(exc), ConnectionRefusedError) or 'Connection refused' in _reason(exc)


def _without_user_info(url):
    """A proxy URL as it may be shown: scheme, host and port, never a user or password."""
    try:
        parts = urlsplit(url or '')
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host:
        return '(from the environment)'
    host = '[%s]' % host if ':' in host else host
    return '%s://%s%s' % (parts.scheme or 'http', host, ':%d' % port if port else '')


def _innermost(exc):
    # requests wraps urllib3 wraps http.client wraps socket errors; the last one says what happened.
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = getattr(exc, 'reason', None)
        if not isinstance(inner, BaseException):
            inner = next((arg for arg in reversed(getattr(exc, 'args', ())) if isinstance(arg, BaseException)), None)
        if inner is None:
            break
        exc = inner
    return exc


def _reason(exc):
    """What went wrong in words ("Connection refused"), without urllib3's object reprs."""
    innermost = _innermost(exc)
    text = str(innermost)
    errno = re.search(r'\[Errno -?\d+\] ([^\'"()]+)', text)
    if errno:
        return errno.group(1).strip()
    text = re.sub(r'<[^>]*object at 0x[0-9a-f]+>:?\s*|\w+Connection(Pool)?\([^)]*\):?\s*', '', text).strip()
    return text or innermost.__class__.__name__
