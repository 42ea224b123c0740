#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the known-answer vectors of the Huawei ``SDK-HMAC-SHA256`` signer.

The expected values come from the official signer, ``huaweicloudsdkcore.signer.signer.Signer``
(pinned in tests/unit/requirements.txt), never from our own code. The unit tests in
tests/unit/plugins/module_utils/test_huawei_signer.py compare ``_huawei_signer.sign()`` with
this file, and, when the SDK is installed, recompute every vector with the SDK again.

Usage (with huaweicloudsdkcore==3.1.219 installed)::

    python hacking/make_huawei_signer_vectors.py          # rewrite the JSON file
    python hacking/make_huawei_signer_vectors.py --check  # exit 1 if the file is out of date
"""

import hashlib
import hmac
import json
import os
import sys
from importlib.metadata import version
from urllib.parse import quote

from huaweicloudsdkcore.auth.credentials import BasicCredentials  # pylint: disable=import-error
from huaweicloudsdkcore.sdk_request import SdkRequest  # pylint: disable=import-error
from huaweicloudsdkcore.signer.signer import Signer  # pylint: disable=import-error
from vector_file import write_or_check

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, 'tests', 'unit', 'plugins', 'module_utils', 'fixtures', 'huawei_signer_vectors.json')

ACCESS_KEY = 'HPUAEXAMPLEACCESSKEY'
SECRET_KEY = 'exampleSecretKey0123456789+/ABCDEFGHIJKL'
PROJECT_ID = '0a1b2c3d4e5f67890a1b2c3d4e5f6789'
DATE = '20240102T030405Z'
ECS = 'ecs.cn-north-4.myhuaweicloud.com'
DLF = 'dayu-dlf.cn-north-4.myhuaweicloud.com'
IAM = 'iam.cn-north-4.myhuaweicloud.com'
JOB_NAME = '日志 job/ü~x'


def case(name, method, host, path, query=(), headers=None, body=None, scheme='https', use_now=False, description=''):
    return dict(name=name, description=description, method=method, scheme=scheme, host=host, path=path,
                query=[list(pair) for pair in query], headers=dict(headers or {}, **{'X-Sdk-Date': DATE}),
                body=body, access_key=ACCESS_KEY, secret_key=SECRET_KEY, use_now=use_now)


CASES = [
    case('ecs_job', 'GET', ECS, '/v1/%s/jobs/2c9eb2c5544cbf6101544f0602af2b4f' % PROJECT_ID,
         description='The ECS job query exactly as ecs_job_info sends it.'),
    case('ecs_job_date_from_now', 'GET', ECS, '/v1/%s/jobs/2c9eb2c5544cbf6101544f0602af2b4f' % PROJECT_ID, use_now=True,
         description='Same request, X-Sdk-Date made by sign(now=...) instead of given as a header.'),
    case('query_parameters', 'GET', IAM, '/v3/projects',
         query=[('name', 'cn north~4 ü'), ('b', '2'), ('a', 'z'), ('a', 'y'), ('a', ''), ('schlüssel', 'wert/+=&')],
         description='Query with a space, ~, non-ASCII, reserved characters, an empty value and a repeated key.'),
    case('security_token_and_project', 'GET', ECS, '/v1/%s/jobs/2c9eb2c5544cbf6101544f0602af2b4f' % PROJECT_ID,
         headers={'X-Security-Token': 'gQpjbi1ub3J0aC00TEMPORARYTOKEN==', 'X-Project-Id': PROJECT_ID},
         description='Temporary credentials: X-Security-Token and X-Project-Id are signed.'),
    case('dataarts_job_name', 'GET', DLF, '/v1/%s/jobs/%s/status' % (PROJECT_ID, quote(JOB_NAME, safe='~')),
         headers={'workspace': 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5'},
         description='A DataArts job name with space, /, non-ASCII and ~ percent-encoded as one path segment.'),
    case('underscore_header', 'GET', ECS, '/v1/%s/jobs/2c9eb2c5544cbf6101544f0602af2b4f' % PROJECT_ID,
         headers={'X_Custom_Header': 'not signed', 'X-Spaced': '  value with spaces  ', 'Content-Type': 'application/json'},
         description='A header name with an underscore is not signed; values are stripped.'),
    case('post_json_body', 'POST', IAM, '/v3/auth/tokens',
         headers={'Content-Type': 'application/json;charset=UTF-8'},
         body=json.dumps({'auth': {'identity': {'methods': ['password'], 'password': {'user': {
             'name': 'jörg', 'password': 'x', 'domain': {'name': 'example'}}}},
             'scope': {'project': {'name': 'cn-north-4'}}}}, ensure_ascii=False),
         description='A POST with a JSON body (non-ASCII, sent as UTF-8): the body hash is signed.'),
    case('host_with_port', 'GET', '127.0.0.1:8443', '/v1/%s/jobs/job-1:a.b_c' % PROJECT_ID, scheme='http',
         description='A local endpoint: the Host header keeps the port; ":" in the job id is encoded.'),
    case('root_path', 'GET', IAM, '/', query=[('name', 'cn-north-4')],
         description='The root path canonicalises to "/".'),
]


def sdk_request(vector):
    body = vector['body']
    return SdkRequest(method=vector['method'], schema=vector['scheme'], host=vector['host'],
                      resource_path=vector['path'], query_params=[tuple(pair) for pair in vector['query']],
                      header_params=dict(vector['headers']), body=body.encode('utf-8') if body is not None else None)


def sdk_sign(vector):
    """(Authorization, string to sign, canonical request) from the SDK signer for one vector's inputs."""
    signer = Signer(BasicCredentials(vector['access_key'], vector['secret_key']))
    authorization = signer.sign(sdk_request(vector)).header_params['Authorization']
    # The same steps as Signer.sign(), stopped before the HMAC, on a fresh request (sign() changes
    # the header values it was given).
    request = sdk_request(vector)
    signer._process_content_header(request)  # pylint: disable=protected-access
    moment = signer._process_header_time(request)  # pylint: disable=protected-access
    signer._process_header_host(request)  # pylint: disable=protected-access
    names = signer._process_signed_headers(request)  # pylint: disable=protected-access
    canonical = signer._process_canonical_request(request, names)  # pylint: disable=protected-access
    text = signer._process_string_to_sign(canonical, moment)  # pylint: disable=protected-access
    signature = hmac.new(vector['secret_key'].encode('utf-8'), text.encode('utf-8'), hashlib.sha256).hexdigest()
    if not authorization.endswith('Signature=' + signature):
        raise AssertionError('the string to sign does not give the SDK signature for %s' % vector['name'])
    return authorization, text, canonical


def build():
    vectors = []
    for vector in CASES:
        authorization, text, canonical = sdk_sign(vector)
        # The canonical request is there for a person reading a mismatch; the tests compare the other two.
        vectors.append(dict(vector, expected_authorization=authorization, expected_string_to_sign=text,
                            sdk_canonical_request=canonical))
    return dict(generator='hacking/make_huawei_signer_vectors.py', sdk='huaweicloudsdkcore %s' % version('huaweicloudsdkcore'),
                vectors=vectors)


def main():
    return write_or_check(__doc__, OUTPUT, build())


if __name__ == '__main__':
    sys.exit(main())
