# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud V3 request signing (``ACS3-HMAC-SHA256``).

Canonicalisation follows ``alibabacloud_tea_openapi.utils`` (0.4.6), which the gateway
accepts; the unit tests compare against vectors that code produced.

``flatten_query``, ``form_body`` and ``json_body`` encode parameters the way that SDK's client
(``Client.do_request``) sends them: RPC parameters flattened (``Tag.1.Key``, ``A.B``) into the query
or a form body, ROA bodies as compact JSON. ``sign`` then covers whatever bytes are sent.
"""

import hashlib
import hmac
import json
import uuid
from datetime import datetime, timezone
from urllib.parse import quote, urlencode, urlsplit

ALGORITHM = 'ACS3-HMAC-SHA256'
DATE_FORMAT = '%Y-%m-%dT%H:%M:%SZ'


def flatten_query(params):
    """(name, text) pairs of nested parameters, as the SDK's ``Utils.query`` flattens them.

    A dict adds ``.key``, a list ``.1``, ``.2``, … (from 1); ``None`` is left out at any depth;
    bytes are read as UTF-8; every other value is ``str(value)``, as the SDK writes it (so
    ``True`` is ``"True"``). Pairs come in the order given; a name made twice keeps its last value.
    """
    flat = {}

    def walk(name, value):
        if value is None:
            return
        if isinstance(value, dict):
            for key, item in value.items():
                walk('%s.%s' % (name, key), item)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk('%s.%d' % (name, index + 1), item)
        else:
            key = name[1:] if name.startswith('.') else name
            flat[key] = value.decode('utf-8') if isinstance(value, bytes) else str(value)

    if params:
        walk('', params)
    return list(flat.items())


def form_body(params):
    """An RPC form body (``application/x-www-form-urlencoded``): the flattened pairs, sorted by name,
    form-encoded (space as ``+``) as the SDK's ``Utils.to_form`` writes them."""
    return urlencode(sorted(flatten_query(params))).encode('ascii')


def json_body(value):
    """A ROA JSON body (``application/json; charset=utf-8``) as the SDK writes it: compact, UTF-8,
    non-ASCII kept as is; a string is sent as it is."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(',', ':'))
    return text.encode('utf-8')


def canonical_query(params):
    # The SDK encodes values only; keys are API parameter names, plain ASCII.
    pairs = sorted((str(key), str(value)) for key, value in params)
    return '&'.join('%s=%s' % (key, quote(value, safe='~')) for key, value in pairs)


def canonical_headers(headers):
    """(canonical header block, signed header list) over every header given."""
    lowered = {}
    for name, value in headers.items():
        lowered.setdefault(name.lower(), []).append(str(value).strip())
    names = sorted(lowered)
    block = ''.join('%s:%s\n' % (name, ','.join(sorted(lowered[name]))) for name in names)
    return block, ';'.join(names)


def string_to_sign(method, url, headers, params, payload_hash):
    block, names = canonical_headers(headers)
    canonical_request = '\n'.join([
        method.upper(), urlsplit(url).path or '/', canonical_query(params), block, names, payload_hash])
    return '%s\n%s' % (ALGORITHM, hashlib.sha256(canonical_request.encode('utf-8')).hexdigest())


def sign(method, url, headers, params, body, access_key, secret_key, security_token=None, now=None, nonce=None):
    """Return the headers of a signed request: those given (``x-acs-action``, ``x-acs-version``, …)
    plus ``host``, the ``x-acs-*`` set and ``Authorization``. Every header returned is signed.

    A fresh nonce per call: the gateway refuses a nonce it has seen, so retries are re-signed.
    """
    payload_hash = hashlib.sha256(body or b'').hexdigest()
    signed = {name.lower(): value for name, value in headers.items()}
    signed.setdefault('host', urlsplit(url).netloc)
    signed['x-acs-date'] = (now or datetime.now(timezone.utc)).strftime(DATE_FORMAT)
    signed['x-acs-signature-nonce'] = nonce or uuid.uuid4().hex
    signed['x-acs-content-sha256'] = payload_hash
    if security_token:
        signed['x-acs-accesskey-id'] = access_key
        signed['x-acs-security-token'] = security_token
    text = string_to_sign(method, url, signed, params, payload_hash)
    signature = hmac.new(secret_key.encode('utf-8'), text.encode('utf-8'), hashlib.sha256).hexdigest()
    names = canonical_headers(signed)[1]
    signed['Authorization'] = '%s Credential=%s,SignedHeaders=%s,Signature=%s' % (ALGORITHM, access_key, names, signature)
    return signed
