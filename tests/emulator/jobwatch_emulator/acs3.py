# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud's V3 signature, ``ACS3-HMAC-SHA256``, seen from the server side.

Written from the algorithm (Alibaba Cloud's "V3 request body &
signature mechanism" page) and checked against ``alibabacloud_tea_openapi/utils.py`` 0.4.6
(``get_authorization``, ``get_canonical_query_string``, ``get_canonicalized_headers``). Nothing is
imported from the collection, so a bug in its signer cannot hide behind the same bug here.

Where the SDK and the page differ, the SDK wins (the gateway accepts what it signs):

- canonical query: pairs sorted by key, the **key as is** and the value percent-encoded with
  ``~`` kept (space ``%20``); the page encodes keys too, which is the same for API parameter names;
- the query arrives form-encoded (the SDK's ``urlencode`` sends a space as ``+``), so it is
  decoded with ``+`` as a space before it is re-encoded;
- canonical URI: the path as sent (RPC APIs always use ``/``);
- canonical headers: ``name:value`` with names lower-cased and sorted, values stripped, repeated
  headers joined with ``,`` in sorted order.
"""

import hashlib
import hmac
from typing import Iterable, List, Mapping, Sequence, Tuple
from urllib.parse import parse_qsl, quote

ALGORITHM = "ACS3-HMAC-SHA256"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


def query_pairs(raw_query: str) -> List[Tuple[str, str]]:
    """Decoded (key, value) pairs in sent order; "+" is a space (form encoding), blank values kept."""
    return parse_qsl(raw_query, keep_blank_values=True)


def canonical_query(raw_query: str) -> str:
    """``key=encoded(value)`` sorted by key then value, joined by "&" (as the SDK builds it)."""
    return "&".join("%s=%s" % (key, quote(value, safe="~")) for key, value in sorted(query_pairs(raw_query)))


def canonical_headers(headers: Mapping[str, Sequence[str]], signed_headers: Iterable[str]) -> str:
    """One ``name:value\\n`` line per signed header; ``headers`` maps lower-case name to its values."""
    return "".join("%s:%s\n" % (name, ",".join(sorted(value.strip() for value in headers[name]))) for name in signed_headers)


def payload_hash(body: bytes) -> str:
    """Hex SHA-256 of the body (of ``b""`` for a GET)."""
    return hashlib.sha256(body or b"").hexdigest()


def canonical_request(method: str, raw_path: str, raw_query: str, headers: Mapping[str, Sequence[str]],
                      signed_headers: Sequence[str], body_hash: str) -> str:
    """The six parts the signature covers, joined by newlines."""
    return "\n".join([method.upper(), raw_path or "/", canonical_query(raw_query), canonical_headers(headers, signed_headers),
                      ";".join(signed_headers), body_hash])


def string_to_sign(canonical: str) -> str:
    return "%s\n%s" % (ALGORITHM, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def signature(secret: str, text_to_sign: str) -> str:
    return hmac.new(secret.encode("utf-8"), text_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(value: str) -> Tuple[str, Mapping[str, str]]:
    """``ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`` to (algorithm, fields).

    Raises ValueError when the value is not of that form (the algorithm itself is not checked).
    """
    algorithm, _sep, rest = value.strip().partition(" ")
    fields = {}
    for part in rest.split(","):
        name, sep, field_value = part.strip().partition("=")
        if sep:
            fields[name] = field_value.strip()
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if not fields.get(name)]
    if not algorithm or missing:
        raise ValueError("missing %s" % ", ".join(missing or ["algorithm"]))
    return algorithm, fields
