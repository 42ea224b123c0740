#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write known-answer vectors of whole ACS3 requests as the official Alibaba Cloud client sends them.

Where hacking/make_acs3_signer_vectors.py signs hand-built requests with the SDK's
``get_authorization``, this script lets the SDK's own client build each request:
``alibabacloud_tea_openapi.client.Client.call_api`` (``do_request``, the ACS3 path every product
client takes) with a fixed date, nonce and user agent, and ``DaraCore.do_action`` replaced by a
recorder, so nothing is sent. What the client would put on the wire is written down: method,
path, query, headers, body, Authorization. The cases cover what a generic request module sends:
RPC POST with a form body (parameters flattened, ``Tag.1.Key``, ``A.B``), RPC list-valued queries
(flattened by ``Utils.query`` as product clients do), ROA calls with a path and a JSON body, STS.

tests/unit/plugins/module_utils/test_acs3_request_vectors.py checks ``flatten_query``,
``form_body``, ``json_body`` and ``sign`` of plugins/module_utils/_acs3_signer.py against them.

Usage (with alibabacloud-tea-openapi==0.4.6 installed, as pinned in tests/unit/requirements.txt)::

    python hacking/make_acs3_request_vectors.py          # rewrite the JSON file
    python hacking/make_acs3_request_vectors.py --check  # exit 1 if the file is out of date
"""

import json
import os
import sys
from importlib.metadata import version
from urllib.parse import urlencode

from vector_file import write_or_check
from alibabacloud_tea_openapi import client as openapi_client  # pylint: disable=import-error
from alibabacloud_tea_openapi import utils as sdk_utils  # pylint: disable=import-error
from alibabacloud_tea_openapi import utils_models  # pylint: disable=import-error
from darabonba import core as dara_core  # pylint: disable=import-error
from darabonba.runtime import RuntimeOptions  # pylint: disable=import-error
from darabonba.url import Url  # pylint: disable=import-error

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, 'tests', 'unit', 'plugins', 'module_utils', 'fixtures', 'acs3_request_vectors.json')

ACCESS_KEY = 'LTAI5tEXAMPLEaccessKEYid'
SECRET_KEY = 'exampleSecretKEY0123456789abcdefXYZ'
SECURITY_TOKEN = 'CAIS8gF1q6Ft5B2yfSjIr5bEEXAMPLESTSTOKEN+/=='
DATE = '2024-05-18T03:04:05Z'
NONCE = '3f1c2a7b9d8e4f60a1b2c3d4e5f60718'
USER_AGENT = 'AlibabaCloud (Linux; x86_64) Python/3.11.0 Core/1.0.0 TeaDSL/2'
# The signer adds these itself; a vector's input headers are what the client sent minus them.
ADDED_BY_SIGN = ('host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-accesskey-id',
                 'x-acs-security-token', 'authorization')
FLOW_SPEC = json.dumps({'version': '1.1.0', 'kind': 'CycleWorkflow', 'spec': {'workflows': [{'name': '工作流 a+b'}]}},
                       ensure_ascii=False)


def case(name, description, action, api_version, style='RPC', method='POST', pathname='/', query=None, body=None,
         body_type='formData', endpoint='dataworks.cn-hangzhou.aliyuncs.com', protocol='https', security_token=None):
    return dict(name=name, description=description, action=action, version=api_version, style=style, method=method,
                pathname=pathname, parameters_query=query, parameters_body=body, req_body_type=body_type,
                endpoint=endpoint, protocol=protocol, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                security_token=security_token, date=DATE, nonce=NONCE)


CASES = [
    case('rpc_form_import_workflow', 'DataWorks ImportWorkflowDefinition as its client sends it: POST /, form body.',
         'ImportWorkflowDefinition', '2024-05-18', body={'ProjectId': 123456, 'Spec': FLOW_SPEC, 'DryRun': True}),
    case('rpc_form_nested', 'A form body with a list of objects and a map: Tag.1.Key, Filter.Name; None left out.',
         'RunInstances', '2014-05-26', endpoint='ecs.cn-hangzhou.aliyuncs.com',
         body={'RegionId': 'cn-hangzhou', 'Tag': [{'Key': 'env', 'Value': 'prod ü'}, {'Key': 'team', 'Value': None}],
               'Filter': {'Name': 'a b', 'Values': ['x', 'y~z']}, 'Amount': 2, 'Empty': '', 'Skipped': None}),
    case('rpc_query_list', 'List-valued query parameters flattened as product clients do (Utils.query), no body.',
         'DescribeInstances', '2014-05-26', endpoint='ecs.cn-hangzhou.aliyuncs.com',
         query={'RegionId': 'cn-hangzhou', 'InstanceIds': ['i-1', 'i-2', 'i-10'],
                'Tag': [{'Key': 'k 1', 'Value': 'v&1'}], 'PageSize': 10}),
    case('rpc_query_and_form', 'Parameters in both the query and a form body.', 'UpdateThing', '2024-05-18',
         query={'RegionId': 'cn-shanghai', 'Ids': [1, 2]}, body={'Name': '名前 +x', 'Config': {'A': {'B': 'c'}}}),
    case('rpc_form_sts', 'STS credentials on a form POST.', 'ImportWorkflowDefinition', '2024-05-18',
         body={'ProjectId': 1, 'Spec': '{}'}, security_token=SECURITY_TOKEN),
    case('roa_json_body', 'ROA: a path, a query, a JSON body (non-ASCII kept, compact separators).',
         'CreateClusterNodePool', '2015-12-15', style='ROA', endpoint='cs.cn-hangzhou.aliyuncs.com',
         pathname='/clusters/' + Url.percent_encode('c-123') + '/nodepools', query={'dry run': 'yes'},
         body={'nodepool_info': {'name': 'pool ü', 'type': 'ess'}, 'count': 2, 'tags': [{'key': 'a', 'value': 'b'}],
               'enabled': True, 'nothing': None}, body_type='json'),
    case('roa_encoded_path', 'ROA: a path segment with a space and non-ASCII, percent-encoded by the product client.',
         'DescribeThing', '2015-12-15', style='ROA', method='GET', endpoint='cs.cn-hangzhou.aliyuncs.com',
         pathname='/things/' + Url.percent_encode('a b~ü*') + '/detail', query={'name': 'x y'}),
    case('roa_delete_no_body', 'ROA DELETE without a body, over http with a port.', 'DeleteThing', '2015-12-15',
         style='ROA', method='DELETE', endpoint='127.0.0.1:8080', protocol='http', pathname='/things/t-1', body_type='json'),
]


class Captured(Exception):
    """Raised by the recorder in place of sending (the client wraps it; the request is kept aside)."""


SENT = []


def _capture(request, runtime_option=None):
    SENT.append(request)
    raise Captured('captured')


def sdk_request(vector):
    """The DaraRequest the SDK's client builds for a vector (nothing is sent)."""
    config = utils_models.Config(access_key_id=vector['access_key'], access_key_secret=vector['secret_key'],
                                 security_token=vector['security_token'], endpoint=vector['endpoint'],
                                 protocol=vector['protocol'])
    client = openapi_client.Client(config)
    params = utils_models.Params(action=vector['action'], version=vector['version'], protocol='HTTPS',
                                 pathname=vector['pathname'], method=vector['method'], auth_type='AK',
                                 style=vector['style'], req_body_type=vector['req_body_type'], body_type='json')
    query = vector['parameters_query']
    # Product clients flatten query parameters with Utils.query before call_api; bodies go as they are.
    request = utils_models.OpenApiRequest(query=sdk_utils.Utils.query(query) if query else None,
                                          body=vector['parameters_body'])
    saved = (dara_core.DaraCore.do_action, sdk_utils.Utils.get_timestamp, sdk_utils.Utils.get_nonce,
             sdk_utils.Utils.get_user_agent)
    dara_core.DaraCore.do_action = staticmethod(_capture)
    sdk_utils.Utils.get_timestamp = staticmethod(lambda: vector['date'])
    sdk_utils.Utils.get_nonce = staticmethod(lambda: vector['nonce'])
    sdk_utils.Utils.get_user_agent = staticmethod(lambda _agent: USER_AGENT)
    del SENT[:]
    try:
        client.call_api(params, request, RuntimeOptions())
    except Exception:  # pylint: disable=broad-except
        if len(SENT) == 1:
            return SENT[0]
        raise
    finally:
        (dara_core.DaraCore.do_action, sdk_utils.Utils.get_timestamp, sdk_utils.Utils.get_nonce,
         sdk_utils.Utils.get_user_agent) = (staticmethod(saved[0]), staticmethod(saved[1]), staticmethod(saved[2]),
                                            staticmethod(saved[3]))
    raise AssertionError('%s: the client sent no request' % vector['name'])


def expected(vector):
    request = sdk_request(vector)
    body = request.body
    if isinstance(body, bytes):
        body = body.decode('utf-8')
    query = [[key, str(value)] for key, value in request.query.items() if value is not None]
    headers = {str(name): str(value) for name, value in request.headers.items()}
    url = '%s://%s%s' % (vector['protocol'], vector['endpoint'], request.pathname)
    return dict(
        url=url,
        query=query,
        wire_query=urlencode(dict(query)),
        headers={name: value for name, value in headers.items() if name.lower() not in ADDED_BY_SIGN},
        body=body,
        expected_headers={name.lower(): value.strip() for name, value in headers.items()},
        expected_authorization=headers['Authorization'],
    )


def build():
    vectors = [dict(vector, **expected(vector)) for vector in CASES]
    sdk = 'alibabacloud-tea-openapi %s, darabonba-core %s' % (version('alibabacloud-tea-openapi'), version('darabonba-core'))
    return dict(generator='hacking/make_acs3_request_vectors.py', sdk=sdk, vectors=vectors)


def main():
    # Key order kept: parameters are flattened and JSON-encoded in the order given.
    return write_or_check(__doc__, OUTPUT, build(), sort_keys=False)


if __name__ == '__main__':
    sys.exit(main())
