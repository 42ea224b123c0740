# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Call one Alibaba Cloud RPC API (e.g. DataWorks ImportWorkflowDefinition), signed with ACS3-HMAC-SHA256.

ansible.builtin.uri cannot compute an HMAC, so the DataWorks example calls the API with this
standard-library script. The request comes on standard input as JSON, so that no secret appears
on a command line::

    {"endpoint": "https://dataworks.cn-hangzhou.aliyuncs.com", "action": "ImportWorkflowDefinition",
     "version": "2024-05-18", "access_key_id": "...", "access_key_secret": "...",
     "security_token": null, "parameters": {"ProjectId": 123456, "Spec": "..."}, "ca_path": null}

The parameters are sent form-encoded in a POST body, as the official SDK sends them. The answer's
JSON goes to standard output; an HTTP error prints the cloud's error body to standard error and
exits 1. Signature: canonical request = method, "/", the (empty) query, the signed headers
(``host``, ``content-type`` and every ``x-acs-*``; lower-cased, sorted), their names, and the hex
SHA-256 of the body; string to sign ``ACS3-HMAC-SHA256\\n`` + its hex SHA-256; Alibaba's
"V3 request body & signature mechanism".
"""

import hashlib
import hmac
import json
import ssl
import sys
import time
import uuid
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

ALGORITHM = "ACS3-HMAC-SHA256"


def signed_request(call):
    endpoint = urlsplit(call["endpoint"])
    body = urlencode({key: str(value) for key, value in (call.get("parameters") or {}).items()}).encode("utf-8")
    headers = {
        "host": endpoint.netloc,
        "content-type": "application/x-www-form-urlencoded",
        "x-acs-action": call["action"],
        "x-acs-version": call["version"],
        "x-acs-date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "x-acs-signature-nonce": uuid.uuid4().hex,
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
    }
    if call.get("security_token"):
        headers["x-acs-security-token"] = call["security_token"]
    names = sorted(headers)
    canonical = "\n".join(["POST", "/", ""] + ["%s:%s" % (name, headers[name].strip()) for name in names]
                          + ["", ";".join(names), headers["x-acs-content-sha256"]])
    to_sign = "%s\n%s" % (ALGORITHM, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    signature = hmac.new(call["access_key_secret"].encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    headers["authorization"] = "%s Credential=%s,SignedHeaders=%s,Signature=%s" % (
        ALGORITHM, call["access_key_id"], ";".join(names), signature)
    headers["accept"] = "application/json"
    url = "%s://%s/" % (endpoint.scheme, endpoint.netloc)
    return Request(url, data=body, headers=headers, method="POST")


def main():
    call = json.load(sys.stdin)
    context = ssl.create_default_context(cafile=call.get("ca_path") or None)
    try:
        with urlopen(signed_request(call), timeout=call.get("timeout", 30), context=context) as response:  # nosec B310
            sys.stdout.write(response.read().decode("utf-8") + "\n")
    except HTTPError as error:
        sys.stderr.write("%s %s: HTTP %d %s\n" % (call["action"], call["endpoint"], error.code, error.read().decode("utf-8", "replace")))
        return 1
    except URLError as error:
        sys.stderr.write("%s %s: %s\n" % (call["action"], call["endpoint"], error.reason))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
