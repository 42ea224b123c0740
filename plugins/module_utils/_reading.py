# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading an answer within bounds: whole by a deadline, no larger than a cap, no deeper than a limit.

``requests`` bounds each socket read, not the answer: a body trickling in a byte a second never
times out, and ``reply.content`` inflates a gzip body of any size. Here the body is read from the
stream a piece at a time (one socket read each), each read given only the time left, and inflated
by us with a cap on what comes out.
"""

import json
import zlib

# A job answer is a few KB; 8 MiB is far past any real one, yet bounds the memory an answer
# (or a "gzip bomb" inflating to gigabytes) may take.
LARGEST_BODY = 8 * 1024 * 1024
# Deeper than any real answer (they nest about 5 levels); a deep answer breaks json.loads with a
# RecursionError, and what we return is pickled by ansible-core, which recurses as well.
DEEPEST_NESTING = 100
PIECE = 64 * 1024
# What we can inflate ourselves, with a cap on the output (wbits: gzip header, zlib header).
_WBITS = {'gzip': 16 + zlib.MAX_WBITS, 'x-gzip': 16 + zlib.MAX_WBITS, 'deflate': zlib.MAX_WBITS}
ACCEPT_ENCODING = 'gzip, deflate'


class BodyTooSlow(Exception):
    """The body did not arrive whole before the deadline."""


class BodyTooLarge(Exception):
    """The body (inflated) is larger than the cap."""


class BodyUnreadable(Exception):
    """The body is encoded in a way we did not ask for, or does not inflate."""


class NestedTooDeep(Exception):
    """JSON nested deeper than we return (or than json.loads can parse)."""


def read_body(raw, content_encoding, deadline, clock, limit=LARGEST_BODY):
    """The whole body of urllib3 response ``raw`` (read with ``stream=True``), decoded, as bytes.

    Raises BodyTooSlow when ``clock()`` passes ``deadline`` before the end, BodyTooLarge when
    the decoded body passes ``limit`` bytes (checked while inflating, not after).
    """
    inflater = _inflater(content_encoding)
    pieces, size = [], 0
    while True:
        left = deadline - clock()
        if left <= 0:
            raise BodyTooSlow()
        _give_socket(raw, left)
        try:
            data = _read_some(raw)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # A socket read that timed out, whichever of urllib3's wrappers it comes in.
            if clock() >= deadline or 'timed out' in str(exc).lower():
                raise BodyTooSlow()
            raise
        if not data:
            break
        for piece in (_inflated(inflater, data) if inflater is not None else (data,)):
            size += len(piece)
            if size > limit:
                raise BodyTooLarge()
            pieces.append(piece)
    if inflater is not None and not inflater.eof and size:
        raise BodyUnreadable('the compressed body ends early')
    return b''.join(pieces)


def _inflater(content_encoding):
    encoding = (content_encoding or '').strip().lower()
    if encoding in ('', 'identity'):
        return None
    if encoding not in _WBITS:
        raise BodyUnreadable('it came encoded as %r, which was not asked for' % encoding[:40])
    return zlib.decompressobj(_WBITS[encoding])


def _inflated(inflater, data):
    """What ``data`` inflates to, a piece at a time: a bomb is stopped after its first pieces, not inflated whole."""
    try:
        while data:
            piece = inflater.decompress(data, PIECE)
            yield piece
            data = inflater.unconsumed_tail
    except zlib.error as exc:
        raise BodyUnreadable('the compressed body does not inflate (%s)' % exc)


def _give_socket(raw, seconds):
    """Let the next socket read wait no longer than ``seconds`` (urllib3 set the request's timeout)."""
    connection = getattr(raw, 'connection', None) or getattr(raw, '_connection', None)
    sock = getattr(connection, 'sock', None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


def _read_some(raw):
    # read1: at most one socket read, so a trickling body comes back to the deadline check often.
    # urllib3 before 2.3 has no read1; its read(amt) may wait for a whole piece of a trickle.
    read1 = getattr(raw, 'read1', None)
    if read1 is not None:
        return read1(PIECE, decode_content=False)
    return raw.read(PIECE, decode_content=False)


def load_json(text):
    """``text`` parsed as JSON; ValueError when it is not JSON, NestedTooDeep past the nesting limit."""
    try:
        parsed = json.loads(text)
    except RecursionError:
        raise NestedTooDeep()
    if _deeper_than(parsed, DEEPEST_NESTING):
        raise NestedTooDeep()
    return parsed


def _deeper_than(value, limit):
    # A walk with a list of its own, not recursion: depth is what may be too large here.
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
