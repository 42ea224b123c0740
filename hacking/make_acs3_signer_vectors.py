#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the known-answer vectors of the Alibaba Cloud ``ACS3-HMAC-SHA256`` signer.

The expected values come from the official code, ``alibabacloud_tea_openapi.utils`` (pinned in
tests/unit/requirements.txt), never from our own: the request is built the way
``alibabacloud_tea_openapi.client.Client.do_request`` builds an RPC call (``host``, ``x-acs-*``,
``accept``, the payload hash from ``Utils.hash``, STS headers) and signed with
``Utils.get_authorization``. The unit tests in tests/unit/plugins/module_utils/test_acs3_signer.py
compare ``_acs3_signer.sign()`` with this file and, when the SDK is installed, recompute every
vector with the SDK again.

The SDK keeps the query in a dict, so it cannot sign a repeated key; the vectors hold unique keys
only (a flattened list such as ``Tag.1.Key``/``Tag.10.Key``/``Tag.2.Key`` is how RPC APIs repeat).

Usage (with alibabacloud-tea-openapi==0.4.6 installed)::

    python hacking/make_acs3_signer_vectors.py          # rewrite the JSON file
    python hacking/make_acs3_signer_vectors.py --check  # exit 1 if the file is out of date
"""

import hashlib
import hmac
import json
import os
import sys
from importlib.metadata import version
from urllib.parse import urlsplit

from vector_file import write_or_check
from alibabacloud_tea_openapi import utils as sdk_utils  # pylint: disable=import-error
from darabonba.request import DaraRequest  # pylint: disable=import-error

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, 'tests', 'unit', 'plugins', 'module_utils', 'fixtures', 'acs3_signer_vectors.json')

ALGORITHM = 'ACS3-HMAC-SHA256'
ACCESS_KEY = 'LTAI5tEXAMPLEaccessKEYid'
SECRET_KEY = 'exampleSecretKEY0123456789abcdefXYZ'
SECURITY_TOKEN = 'CAIS8gF1q6Ft5B2yfSjIr5bEEXAMPLESTSTOKEN+/=='
DATE = '2024-05-18T03:04:05Z'
NONCE = '3f1c2a7b9d8e4f60a1b2c3d4e5f60718'
DATAWORKS = 'https://dataworks.cn-hangzhou.aliyuncs.com/'
RPC_HEADERS = {'x-acs-action': 'GetJobStatus', 'x-acs-version': '2024-05-18', 'accept': 'application/json'}
JOB_ID = 'C664CDE3-9C0B-5792-B17F-6C543783BBBC'


def case(name, description, query, method='GET', url=DATAWORKS, headers=None, body=None, security_token=None,
         date=DATE, nonce=NONCE):
    return dict(name=name, description=description, method=method, url=url, query=[list(pair) for pair in query],
                headers=dict(RPC_HEADERS if headers is None else headers), body=body, access_key=ACCESS_KEY,
                secret_key=SECRET_KEY, security_token=security_token, date=date, nonce=nonce)


CASES = [
    case('get_job_status', 'DataWorks GetJobStatus exactly as dataworks_job_info sends it.', [('JobId', JOB_ID)]),
    case('job_id_with_space', 'A space in a value is %20, never +.', [('JobId', 'job 42 a')]),
    case('job_id_with_tilde', '~ stays as it is in a value.', [('JobId', '~job~1.2_3-4')]),
    case('job_id_non_ascii', 'Non-ASCII values are percent-encoded UTF-8.', [('JobId', 'ジョブ-ü-日志')]),
    case('job_id_reserved', '+ & = / ? % # : in a value are all percent-encoded.', [('JobId', 'a+b&c=d/e?f%g#h:i')]),
    case('job_id_empty', 'An empty value still gives "key=".', [('JobId', '')]),
    case('sorted_query_keys', 'Keys sorted by code point: upper case before lower, Tag.10 between Tag.1 and Tag.2.',
         [('RegionId', 'cn-hangzhou'), ('JobId', JOB_ID), ('Tag.2.Key', 'b'), ('Tag.10.Key', 'c'), ('Tag.1.Key', 'a'),
          ('aLower', 'x y'), ('PageSize', '10'), ('_under', '')]),
    case('sts', 'STS credentials: x-acs-accesskey-id and x-acs-security-token are signed.', [('JobId', JOB_ID)],
         security_token=SECURITY_TOKEN),
    case('post_json_body', 'A POST with a JSON body (non-ASCII, UTF-8): its SHA-256 is the payload hash.',
         [('JobId', JOB_ID)], method='POST', headers=dict(RPC_HEADERS, **{'content-type': 'application/json; charset=utf-8'}),
         body=json.dumps({'JobId': JOB_ID, 'Name': '作业 ü', 'Tags': [1, 2]}, ensure_ascii=False)),
    case('mixed_case_headers', 'Headers given in mixed case, one value padded with spaces: names are lower-cased, values stripped.',
         [('JobId', JOB_ID)],
         headers={'X-Acs-Action': 'GetJobStatus', 'X-ACS-VERSION': '2024-05-18', 'Accept': 'application/json',
                  'User-Agent': '  jobwatch.cloud test  ', 'Content-Type': 'application/json'}),
    case('host_with_port', 'A local endpoint: the host header keeps the port.', [('JobId', 'job-1')],
         url='http://127.0.0.1:8080/'),
    case('midnight_date', 'Another date and nonce.', [('JobId', JOB_ID)], date='2024-02-29T23:59:59Z',
         nonce='00000000-0000-4000-8000-000000000000'),
]


def sdk_headers(vector):
    """The headers the SDK's client signs for these inputs (given ones first, in their own case)."""
    headers = dict(vector['headers'])
    given = {name.lower() for name in headers}
    if 'host' not in given:
        headers['host'] = urlsplit(vector['url']).netloc
    body = vector['body'].encode('utf-8') if vector['body'] is not None else b''
    headers['x-acs-date'] = vector['date']
    headers['x-acs-signature-nonce'] = vector['nonce']
    headers['x-acs-content-sha256'] = sdk_utils.Utils.hash(body, ALGORITHM).hex()
    if vector['security_token']:
        headers['x-acs-accesskey-id'] = vector['access_key']
        headers['x-acs-security-token'] = vector['security_token']
    return headers


def sdk_request(vector):
    keys = [pair[0] for pair in vector['query']]
    if len(keys) != len(set(keys)):
        raise AssertionError('%s: the SDK keeps the query in a dict; a repeated key cannot be signed by it' % vector['name'])
    request = DaraRequest()
    request.method = vector['method']
    request.pathname = urlsplit(vector['url']).path or '/'
    request.query = dict(vector['query'])
    request.headers = sdk_headers(vector)
    return request


def sdk_sign(vector):
    """(Authorization, string to sign, canonical request, signed headers) from the SDK for one vector."""
    request = sdk_request(vector)
    payload = request.headers['x-acs-content-sha256']
    authorization = sdk_utils.Utils.get_authorization(request, ALGORITHM, payload, vector['access_key'], vector['secret_key'])
    # The steps of get_authorization, stopped before the HMAC, with the SDK's own helpers.
    block, names = sdk_utils.get_canonicalized_headers(request.headers)
    canonical = '\n'.join([request.method, request.pathname or '/', sdk_utils.get_canonical_query_string(request.query),
                           block, names, payload])
    text = '%s\n%s' % (ALGORITHM, sdk_utils.Utils.hex_encode(sdk_utils.Utils.hash(canonical.encode('utf-8'), ALGORITHM)))
    signature = hmac.new(vector['secret_key'].encode('utf-8'), text.encode('utf-8'), hashlib.sha256).hexdigest()
    if authorization != '%s Credential=%s,SignedHeaders=%s,Signature=%s' % (ALGORITHM, vector['access_key'], names, signature):
        raise AssertionError('the string to sign does not give the SDK signature for %s' % vector['name'])
    signed = {name.lower(): str(value).strip() for name, value in request.headers.items()}
    return authorization, text, canonical, signed


def build():
    vectors = []
    for vector in CASES:
        authorization, text, canonical, signed = sdk_sign(vector)
        # The canonical request is there for a person reading a mismatch; the tests compare the rest.
        vectors.append(dict(vector, expected_authorization=authorization, expected_string_to_sign=text,
                            expected_signed_headers=signed, sdk_canonical_request=canonical))
    return dict(generator='hacking/make_acs3_signer_vectors.py',
                sdk='alibabacloud-tea-openapi %s' % version('alibabacloud-tea-openapi'), vectors=vectors)


def main():
    return write_or_check(__doc__, OUTPUT, build())


if __name__ == '__main__':
    sys.exit(main())
