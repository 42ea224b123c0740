# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whole requests as the official Alibaba Cloud client builds them (fixtures/acs3_request_vectors.json,
written by hacking/make_acs3_request_vectors.py from alibabacloud-tea-openapi's ``Client.call_api``):
RPC form bodies, flattened list-valued queries, ROA paths and JSON bodies, STS.

Our side builds each request from the same parameters (``flatten_query``, ``form_body``,
``json_body``) and signs it (``sign``); every step must give what the SDK sent. When the SDK is
installed, the vectors are rebuilt by its client again.
"""

import json
import os
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._acs3_signer import flatten_query, form_body, json_body, sign

VECTORS_FILE = os.path.join(os.path.dirname(__file__), 'fixtures', 'acs3_request_vectors.json')
with open(VECTORS_FILE, encoding='utf-8') as _handle:
    VECTORS = json.load(_handle)['vectors']
IDS = [vector['name'] for vector in VECTORS]
FORM = 'application/x-www-form-urlencoded'


def _moment(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)


def _our_query(vector):
    return flatten_query(vector['parameters_query'])


def _our_body(vector):
    body = vector['parameters_body']
    if body is None:
        return b''
    return form_body(body) if vector['req_body_type'] == 'formData' else json_body(body)


def _our_sign(vector, query=None, body=None, url=None):
    return sign(vector['method'], url or vector['url'], dict(vector['headers']),
                _our_query(vector) if query is None else query, _our_body(vector) if body is None else body,
                vector['access_key'], vector['secret_key'], security_token=vector['security_token'],
                now=_moment(vector['date']), nonce=vector['nonce'])


def _sdk_body(vector):
    return (vector['body'] or '').encode('utf-8')


def test_vector_file_covers_the_cases_that_matter():
    by_name = {vector['name']: vector for vector in VECTORS}
    form = by_name['rpc_form_nested']
    assert form['headers']['content-type'] == FORM and 'Tag.1.Key=env' in form['body'] and 'Filter.Values.2=' in form['body']
    assert 'Tag.2.Value' not in form['body'] and 'Skipped' not in form['body']  # None is left out
    listed = by_name['rpc_query_list']
    assert ['InstanceIds.3', 'i-10'] in listed['query'] and listed['body'] is None
    roa = by_name['roa_json_body']
    assert roa['style'] == 'ROA' and roa['url'].endswith('/clusters/c-123/nodepools')
    assert roa['headers']['content-type'].startswith('application/json') and '"name":"pool ü"' in roa['body']
    assert '%20' in by_name['roa_encoded_path']['url']
    assert 'x-acs-security-token' in by_name['rpc_form_sts']['expected_authorization']
    assert 'DryRun=True' in by_name['rpc_form_import_workflow']['body']


@pytest.mark.parametrize('vector', VECTORS, ids=IDS)
def test_flatten_query_gives_the_query_the_sdk_sent(vector):
    assert [list(pair) for pair in _our_query(vector)] == vector['query']
    # And on the wire in the same order (the SDK's compose_url urlencodes its dict).
    assert urlencode(_our_query(vector)) == vector['wire_query']


@pytest.mark.parametrize('vector', [vector for vector in VECTORS if vector['body'] is not None],
                         ids=[vector['name'] for vector in VECTORS if vector['body'] is not None])
def test_body_is_encoded_as_the_sdk_sent_it(vector):
    assert _our_body(vector) == _sdk_body(vector)


@pytest.mark.parametrize('vector', VECTORS, ids=IDS)
def test_sign_gives_the_sdk_authorization(vector):
    signed = _our_sign(vector)
    assert signed['Authorization'] == vector['expected_authorization']
    sent = {name.lower(): str(value).strip() for name, value in signed.items()}
    assert sent == vector['expected_headers']


@pytest.mark.parametrize('vector', VECTORS, ids=IDS)
def test_the_vectors_tell_requests_apart(vector):
    # Each vector fails when any part the gateway checks is off by one character.
    reference = vector['expected_authorization']
    query = _our_query(vector)
    body = _our_body(vector)
    parts = urlsplit(vector['url'])
    assert _our_sign(vector, body=body + b' ')['Authorization'] != reference
    assert _our_sign(vector, query=query + [('X', '1')])['Authorization'] != reference
    assert _our_sign(vector, url='%s://%s%s/' % (parts.scheme, parts.netloc, parts.path.rstrip('/')) + 'x')['Authorization'] != reference
    if query:
        changed = [(query[0][0], query[0][1] + 'x')] + query[1:]
        assert _our_sign(vector, query=changed)['Authorization'] != reference


def test_flatten_query_edge_cases():
    assert flatten_query(None) == [] and flatten_query({}) == []
    assert flatten_query({'A': {'B': [{'C': 1}, None, {'D': b'\xc3\xbc'}]}, 'E': False, 'F': 1.5}) == [
        ('A.B.1.C', '1'), ('A.B.3.D', 'ü'), ('E', 'False'), ('F', '1.5')]
    assert flatten_query({'T': ('x', 'y')}) == [('T.1', 'x'), ('T.2', 'y')]
    assert form_body({'b': 'x y', 'a': '+&=~'}) == b'a=%2B%26%3D~&b=x+y'
    assert json_body({'a': 'ü', 'b': [1, None]}) == '{"a":"ü","b":[1,null]}'.encode()
    assert json_body('{"raw": 1}') == b'{"raw": 1}'


@pytest.mark.parametrize('vector', VECTORS, ids=IDS)
def test_vector_still_what_the_installed_sdk_sends(vector):
    """Rebuilt by the SDK's own client (nothing is sent), so the committed file is not a frozen guess."""
    sdk_utils = pytest.importorskip('alibabacloud_tea_openapi.utils')
    utils_models = pytest.importorskip('alibabacloud_tea_openapi.utils_models')
    openapi_client = pytest.importorskip('alibabacloud_tea_openapi.client')
    dara_core = pytest.importorskip('darabonba.core')
    runtime = pytest.importorskip('darabonba.runtime')
    dara_exceptions = pytest.importorskip('darabonba.exceptions')
    sent = []

    def capture(request, runtime_option=None):
        sent.append(request)
        raise RuntimeError('not sent')

    patch = pytest.MonkeyPatch()
    patch.setattr(dara_core.DaraCore, 'do_action', staticmethod(capture))
    patch.setattr(sdk_utils.Utils, 'get_timestamp', staticmethod(lambda: vector['date']))
    patch.setattr(sdk_utils.Utils, 'get_nonce', staticmethod(lambda: vector['nonce']))
    patch.setattr(sdk_utils.Utils, 'get_user_agent', staticmethod(lambda _agent: vector['headers']['user-agent']))
    try:
        client = openapi_client.Client(utils_models.Config(
            access_key_id=vector['access_key'], access_key_secret=vector['secret_key'], security_token=vector['security_token'],
            endpoint=vector['endpoint'], protocol=vector['protocol']))
        params = utils_models.Params(action=vector['action'], version=vector['version'], protocol='HTTPS',
                                     pathname=vector['pathname'], method=vector['method'], auth_type='AK',
                                     style=vector['style'], req_body_type=vector['req_body_type'], body_type='json')
        query = vector['parameters_query']
        request = utils_models.OpenApiRequest(query=sdk_utils.Utils.query(query) if query else None, body=vector['parameters_body'])
        with pytest.raises(dara_exceptions.UnretryableException):  # wraps the recorder's error
            client.call_api(params, request, runtime.RuntimeOptions())
    finally:
        patch.undo()
    assert len(sent) == 1
    assert sent[0].headers['Authorization'] == vector['expected_authorization']
    body = sent[0].body.decode('utf-8') if isinstance(sent[0].body, bytes) else sent[0].body
    assert body == vector['body']
