# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``SDK-HMAC-SHA256`` algorithm seen from the server side.

Written from the algorithm (Huawei Cloud's "AK/SK signing and authentication" guide) and checked against
``huaweicloudsdkcore/signer/signer.py`` 3.1.219; nothing is imported from the collection, so a
bug in the collection's signer cannot hide behind the same bug here.
"""

import hashlib
import hmac
from typing import Iterable, List, Mapping, Tuple
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
# A client may declare the body unsigned with this header (the SDK does for non-JSON uploads).
CONTENT_SHA256_HEADER = "x-sdk-content-sha256"


def _encode(text: str) -> str:
    """RFC 3986 percent-encoding, "~" kept, space as %20."""
    return quote(text, safe="~")


def canonical_uri(raw_path: str) -> str:
    """Each segment percent-encoded, always ending in "/".

    Like the SDK, the whole raw path is decoded first and then split, so an encoded "/" (%2F)
    inside a segment is signed as a plain "/" separator.
    """
    path = "/".join(_encode(segment) for segment in unquote(raw_path).split("/"))
    return path if path.endswith("/") else path + "/"


def query_pairs(raw_query: str) -> List[Tuple[str, str]]:
    """Decoded (key, value) pairs in sent order; "+" is a literal plus, not a space."""
    pairs = []
    for item in raw_query.split("&"):
        if not item:
            continue
        key, _sep, value = item.partition("=")
        pairs.append((unquote(key), unquote(value)))
    return pairs


def canonical_query(raw_query: str) -> str:
    """Pairs sorted by key then value, key and value encoded, joined by "&"."""
    return "&".join("%s=%s" % (_encode(key), _encode(value)) for key, value in sorted(query_pairs(raw_query)))


def payload_hash(body: bytes, declared: str = "") -> str:
    """Hex SHA-256 of the body; an empty body always hashes as empty, as in the SDK."""
    if not body:
        return EMPTY_BODY_SHA256
    if declared:
        return declared
    return hashlib.sha256(body).hexdigest()


def canonical_request(method: str, raw_path: str, raw_query: str, headers: Mapping[str, str],
                      signed_headers: Iterable[str], body_hash: str) -> str:
    """The six lines the signature covers; ``headers`` maps lower-case name to value."""
    names = list(signed_headers)
    lines = "".join("%s:%s\n" % (name, headers[name].strip()) for name in names)
    return "\n".join([method.upper(), canonical_uri(raw_path), canonical_query(raw_query), lines, ";".join(names), body_hash])


def string_to_sign(sdk_date: str, canonical: str) -> str:
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())


def signature(secret_key: str, text_to_sign: str) -> str:
    return hmac.new(secret_key.encode("utf-8"), text_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(value: str) -> Mapping[str, str]:
    """``SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`` to its three fields.

    Raises ValueError when the value is not of that form.
    """
    algorithm, _sep, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise ValueError("unsupported algorithm %r" % algorithm)
    fields = {}
    for part in rest.split(","):
        name, sep, field_value = part.strip().partition("=")
        if sep:
            fields[name] = field_value
    missing = [name for name in ("Access", "SignedHeaders", "Signature") if not fields.get(name)]
    if missing:
        raise ValueError("missing %s" % ", ".join(missing))
    return fields
