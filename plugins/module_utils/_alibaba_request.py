# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""alicloud_request: one ACS3-signed call to any Alibaba Cloud API (the cloud's part; the rest is _request_task.py).

Parameters are encoded as the official client (alibabacloud-tea-openapi) sends each style: an RPC
call goes to ``/`` with its parameters flattened (``Tag.1.Key``) into the query and a form body; a
ROA call goes to its path with a JSON body. The signer (_acs3_signer.py) covers the bytes sent.
"""

import re

from ansible_collections.jobwatch.cloud.plugins.module_utils._acs3_signer import flatten_query, form_body, json_body
from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_cloud import ARGUMENT_SPEC, CONSTRAINTS, AlibabaConnection, check_options
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import check_host_label
from ansible_collections.jobwatch.cloud.plugins.module_utils._request_task import RequestApi, check_no_control_character

RPC = 'rpc'
ROA = 'roa'
# API names (ImportWorkflowDefinition) and versions (2024-05-18) as the products' API references write them.
ACTION_PATTERN = re.compile(r'^[A-Za-z][A-Za-z0-9]{0,127}$')
VERSION_PATTERN = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
FORM = 'application/x-www-form-urlencoded'
JSON = 'application/json; charset=utf-8'


class AlibabaRequestApi(RequestApi):
    argument_spec = dict(
        ARGUMENT_SPEC,
        product=dict(type='str'),
        action=dict(type='str', required=True),
        version=dict(type='str', required=True),
        style=dict(type='str', default=RPC, choices=[RPC, ROA]),
    )
    constraints = dict(CONSTRAINTS, required_one_of=[('product', 'endpoint')], required_if=[('style', ROA, ('path',))])
    # Most RPC APIs, reads included, are documented as POST; the path is a ROA call's only.
    request_spec = dict(method=dict(type='str', default='POST'), path=dict(type='str'))
    reserved_headers = ('Authorization', 'Host', 'Content-Length', 'x-acs-action', 'x-acs-version', 'x-acs-date',
                        'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-security-token', 'x-acs-accesskey-id')
    # "ClientToken": the idempotency parameter Alibaba APIs that support one document (ECS RunInstances, VPC, ...).
    idempotency_parameter = 'ClientToken'

    def check_params(self, params):
        check_options(params)
        check_host_label(params, 'product', 'ecs or dataworks', 'dataworks for https://dataworks.REGION.aliyuncs.com')
        if not ACTION_PATTERN.match(params['action']):
            raise JobwatchError('check action', 'action %r is not an API name like ImportWorkflowDefinition' % params['action'])
        if not VERSION_PATTERN.match(params['version']):
            raise JobwatchError('check version', 'version %r is not an API version like 2024-05-18' % params['version'],
                                hint='Give the version the API reference names for the product')

    def request_path(self, params):
        if params['style'] == ROA:
            return params['path']
        if params.get('path') not in (None, '/'):
            raise JobwatchError('check path', 'path is for style roa only: an RPC call is sent to /',
                                hint='Give style: roa for an API with a path of its own, or leave path out')
        return '/'

    def query_pairs(self, query):
        # Flattened as the official client does: Tag.1.Key for a list of objects, A.B for a map.
        pairs = flatten_query(query)
        for name, value in pairs:
            check_no_control_character('query', repr(name), name)
            check_no_control_character('query', repr(name), value)
        return pairs

    def encode_body(self, params, body):
        if params['style'] == ROA:
            if not isinstance(body, (dict, list)):
                raise JobwatchError('check body', 'body must be a dict or a list (a ROA body is sent as JSON), got %s'
                                    % type(body).__name__)
            return json_body(body), JSON
        if not isinstance(body, dict):
            raise JobwatchError('check body', 'body must be a dict of parameters (an RPC body is sent as a form), got %s'
                                % type(body).__name__)
        return form_body(body), FORM

    def call_headers(self, params):
        headers = {'x-acs-action': params['action'], 'x-acs-version': params['version']}
        if not any(str(name).lower() == 'accept' for name in params.get('headers') or {}):
            headers['Accept'] = 'application/json'
        return headers

    def connect(self, params, on_secret):
        return AlibabaConnection(params, params.get('product') or 'PRODUCT')
