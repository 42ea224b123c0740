# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""alicloud_request: the request it builds (RPC form bodies and flattened queries, ROA paths and JSON
bodies, as the official client sends them) and signs, a fresh signature for every attempt, ClientToken,
check mode's preview and the input only it refuses. What it shares with huaweicloud_request (the
result, check mode, status_code, the retry rule for a call that may change something, the job id
finder) is tested once for both in test_request_modules.py.

Signatures are checked by the emulator's gateway (its own ACS3 code, nothing of ours): the content
hash against the body received, the signature, and the nonce.
"""

import json
import os
import uuid
from urllib.parse import parse_qsl, urlsplit

import pytest

from jobwatch_emulator import acs_gateway
from jobwatch_emulator.identity import Identity
from jobwatch_emulator.messages import Request

from ansible_collections.jobwatch.cloud.plugins.modules import alicloud_request
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import json_answer

ACCESS_KEY = 'UNITTESTALIAK0000001'
SECRET = 'unit-test-ali-secret-00000000000000000'
STS_KEY = 'STS.UNITTESTALIAK01'
STS_SECRET = 'unit-test-ali-sts-secret-000000000000'
STS_TOKEN = 'unit-test-ali-sts-token-0001'
IDENTITY = Identity(ali_access_key=ACCESS_KEY, ali_secret_key=SECRET, ali_sts_access_key=STS_KEY, ali_sts_secret_key=STS_SECRET,
                    ali_sts_token=STS_TOKEN)
SPEC = json.dumps({'version': '1.1.0', 'kind': 'CycleWorkflow', 'spec': {'workflows': [{'name': 'a b'}]}})
BODY = {'ProjectId': 123456, 'Spec': SPEC, 'DryRun': True}
CREATED = {'RequestId': 'REQ-1', 'AsyncJob': {'Id': '9c1b6a2e-5d3f-4e7a-8b9c-0d1e2f3a4b5c', 'Status': 'Running'}}
THROTTLED = json_answer(400, {'RequestId': 'req-t', 'Code': 'Throttling.User', 'Message': 'Request was denied due to user flow control.'})
BUSY = json_answer(503, {'RequestId': 'req-b', 'Code': 'ServiceUnavailable', 'Message': 'The request has failed.'})
FORM = 'application/x-www-form-urlencoded'
VECTORS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'module_utils', 'fixtures',
                            'acs3_request_vectors.json')
with open(VECTORS_FILE, encoding='utf-8') as _handle:
    VECTORS = json.load(_handle)['vectors']


def args(server, **extra):
    values = dict(endpoint=server.url, access_key=ACCESS_KEY, secret_key=SECRET, action='ImportWorkflowDefinition',
                  version='2024-05-18', body=BODY)
    values.update(extra)
    # None: the option is not given at all (Ansible counts a key given as None as present).
    return {key: value for key, value in values.items() if value is not None}


def run(server, capsys, **extra):
    return run_module_main(alicloud_request.main, args(server, **extra), capsys)


def verify(recorded, nonces=None):
    """The emulator's gateway accepts the recorded request (raises AcsError when it does not)."""
    parts = urlsplit(recorded.path)
    request = Request(recorded.method, parts.path, parts.query, recorded.headers, recorded.body, uuid.uuid4().hex)
    return acs_gateway.authenticate(request, IDENTITY, nonces if nonces is not None else acs_gateway.NonceStore())


def refused(recorded, nonces=None):
    with pytest.raises(acs_gateway.AcsError) as caught:
        verify(recorded, nonces)
    return caught.value


def sent_query(recorded):
    return parse_qsl(urlsplit(recorded.path).query, keep_blank_values=True)


# --- building and signing ----------------------------------------------------------------------

def test_an_rpc_call_sends_its_parameters_as_a_form_signed_over_its_hash(server, capsys):
    server.add(json_answer(200, CREATED))
    result = run(server, capsys, query={'RegionId': 'cn-hangzhou', 'Tag': [{'Key': 'env', 'Value': 'prod'}]},
                 body=dict(BODY, Owner=['a b', 'c']))
    assert not result.get('failed'), result
    sent = server.requests[0]
    assert sent.method == 'POST' and urlsplit(sent.path).path == '/'
    assert sent_query(sent) == [('RegionId', 'cn-hangzhou'), ('Tag.1.Key', 'env'), ('Tag.1.Value', 'prod')]
    assert sent.headers['Content-Type'] == FORM
    form = {'DryRun': 'True', 'Owner.1': 'a b', 'Owner.2': 'c', 'ProjectId': '123456', 'Spec': SPEC}
    assert dict(parse_qsl(sent.body.decode())) == form
    assert (sent.headers['x-acs-action'], sent.headers['x-acs-version']) == ('ImportWorkflowDefinition', '2024-05-18')
    assert sent.headers['Accept'] == 'application/json'
    assert verify(sent).access_key == ACCESS_KEY
    # The content hash is the body's: another body with the same headers is refused.
    tampered = type(sent)(sent.method, sent.path, sent.headers, sent.body.replace(b'DryRun=True', b'DryRun=False'))
    assert 'x-acs-content-sha256' in refused(tampered).message
    assert result['url'] == server.url + '/'
    assert result['job_id'] == CREATED['AsyncJob']['Id'] and result['request_id'] == 'REQ-1'


def test_a_roa_call_goes_to_its_path_with_a_json_body(server, capsys):
    server.add(json_answer(200, {'task_id': 'T-1', 'nodepool_id': 'np-1'}))
    body = {'nodepool_info': {'name': 'pool ü'}, 'count': 2}
    result = run(server, capsys, style='roa', path='/clusters/c-123/nodepools', action='CreateClusterNodePool',
                 version='2015-12-15', body=body, query={'dry run': 'yes'})
    assert not result.get('failed'), result
    sent = server.requests[0]
    assert urlsplit(sent.path).path == '/clusters/c-123/nodepools' and sent_query(sent) == [('dry run', 'yes')]
    assert sent.headers['Content-Type'] == 'application/json; charset=utf-8'
    assert sent.body == json.dumps(body, ensure_ascii=False, separators=(',', ':')).encode('utf-8')
    verify(sent)
    # The path is signed: the same request sent to another path is refused.
    moved = type(sent)(sent.method, sent.path.replace('c-123', 'c-124'), sent.headers, sent.body)
    assert refused(moved).code == 'SignatureDoesNotMatch'
    assert result['url'] == server.url + '/clusters/c-123/nodepools'


@pytest.mark.parametrize('vector', VECTORS, ids=[vector['name'] for vector in VECTORS])
def test_the_module_sends_what_the_official_client_sends(server, capsys, vector):
    """The SDK's own requests (fixtures/acs3_request_vectors.json): the same path, query, content type and body."""
    server.add(json_answer(200, {'RequestId': 'R'}))
    roa = vector['style'] == 'ROA'
    result = run(server, capsys, action=vector['action'], version=vector['version'], method=vector['method'],
                 style='roa' if roa else 'rpc', path=urlsplit(vector['url']).path if roa else None,
                 query=vector['parameters_query'], body=vector['parameters_body'])
    assert not result.get('failed'), result
    sent = server.requests[0]
    assert urlsplit(sent.path).path == urlsplit(vector['url']).path
    assert [list(pair) for pair in sent_query(sent)] == vector['query']
    assert sent.headers.get('Content-Type') == vector['headers'].get('content-type')
    assert sent.body == (vector['body'] or '').encode('utf-8')
    for name in ('x-acs-action', 'x-acs-version', 'accept'):
        assert sent.headers[name] == vector['headers'][name]
    verify(sent)


def test_sts_credentials_send_their_token_signed(server, capsys):
    server.add(json_answer(200, CREATED))
    result = run(server, capsys, access_key=STS_KEY, secret_key=STS_SECRET, security_token=STS_TOKEN)
    assert not result.get('failed'), result
    assert server.requests[0].headers['x-acs-security-token'] == STS_TOKEN
    assert verify(server.requests[0]).sts
    assert STS_TOKEN not in json.dumps(result) and STS_SECRET not in json.dumps(result)


def test_a_throttled_creation_is_sent_again_with_a_fresh_nonce(server, capsys):
    server.add(THROTTLED, json_answer(200, CREATED))
    result = run(server, capsys)
    assert not result.get('failed'), result
    nonces = acs_gateway.NonceStore()
    first, second = server.requests
    verify(first, nonces)
    verify(second, nonces)  # a replayed nonce would be refused here
    assert first.body == second.body


@pytest.mark.parametrize('where', ['query', 'body'])
def test_client_token_lets_a_creation_be_sent_again_after_a_5xx(server, capsys, where):
    server.add(BUSY, json_answer(200, CREATED))
    token = {'ClientToken': 'import-workflow-1'}
    extra = dict(query=token) if where == 'query' else dict(body=dict(BODY, **token))
    result = run(server, capsys, **extra)
    assert not result.get('failed'), result
    assert len(server.requests) == 2
    nonces = acs_gateway.NonceStore()
    for sent in server.requests:
        verify(sent, nonces)
        assert ('ClientToken', 'import-workflow-1') in sent_query(sent) + parse_qsl(sent.body.decode())


def test_a_client_token_deeper_in_the_parameters_is_no_idempotency_token(server, capsys):
    server.add(BUSY, json_answer(200, CREATED))
    result = run(server, capsys, body=dict(BODY, Options={'ClientToken': 'x'}))
    assert result['failed'] and len(server.requests) == 1


# --- check mode ------------------------------------------------------------------------------------

def test_check_mode_shows_the_url_the_headers_and_the_flattened_query(server, capsys):
    result = run(server, capsys, _ansible_check_mode=True, query={'Ids': [1, 2]}, endpoint=None, product='dataworks',
                 region='cn-hangzhou')
    assert server.requests == []
    assert result['request']['url'] == 'https://dataworks.cn-hangzhou.aliyuncs.com/'
    assert result['request']['query'] == [['Ids.1', '1'], ['Ids.2', '2']]
    assert result['request']['headers'] == {'Content-Type': FORM, 'x-acs-action': 'ImportWorkflowDefinition',
                                            'x-acs-version': '2024-05-18', 'Accept': 'application/json'}
    assert result['request']['body'] == BODY


def test_an_accept_header_given_is_sent_instead(server, capsys):
    server.add(json_answer(200, CREATED))
    run(server, capsys, headers={'accept': 'application/xml'})
    assert server.requests[0].headers.get_all('Accept') == ['application/xml']
    verify(server.requests[0])


# --- input only this module refuses --------------------------------------------------------------

@pytest.mark.parametrize('extra, words', [
    (dict(action='Import Workflow'), 'action'),
    (dict(version='2024/05/18'), 'version'),
    (dict(path='/v1/things'), 'path is for style roa only'),
    (dict(style='roa'), 'style is roa but all of the following are missing: path'),
    (dict(style='soap'), 'style'),
    (dict(body=['ProjectId', 1]), 'an RPC body is sent as a form'),
    (dict(style='roa', path='/things', body='text'), 'a ROA body is sent as JSON'),
    (dict(headers={'x-acs-date': 'x'}), 'set by the module itself'),
    (dict(headers={'X-Acs-Action': 'Other'}), 'set by the module itself'),
    (dict(query={'Name': 'a\nb'}), 'control character'),
    (dict(product='Data Works', endpoint=None), 'product'),
    (dict(endpoint=None), 'one of the following is required: product, endpoint'),
    (dict(product='dataworks', endpoint=None), 'neither endpoint nor region'),
    (dict(access_key=None, secret_key=None), 'no credentials were given'),
    (dict(security_token='tok\n'), 'security_token has a control character'),
])
def test_bad_input_is_refused_before_any_request(server, capsys, extra, words):
    result = run(server, capsys, **extra)
    assert result['failed'] and words in result['msg'], result['msg']
    assert server.requests == []
