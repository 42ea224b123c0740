# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud V3 request signing (``ACS3-HMAC-SHA256``).

Canonicalisation follows ``alibabacloud_tea_openapi.utils`` (0.4.6), which the gateway
accepts; the unit tests compare against vectors that code produced.
"""

import hashlib
import hmac
import uuid
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

ALGORITHM = 'ACS3-HMAC-SHA256'
DATE_FORMAT = '%Y-%m-%dT%H:%M:%SZ'


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
