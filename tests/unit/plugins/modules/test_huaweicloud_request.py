# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""huaweicloud_request: the request it builds and signs over its body, {project_id}, check mode's preview,
the X-Client-Token kept on a resend and the input only it refuses. What it shares with alicloud_request
(the result, check mode, status_code, the retry rule for a call that may change something, the job id
finder) is tested once for both in test_request_modules.py."""

import hashlib
import json
from urllib.parse import urlsplit

import pytest

from jobwatch_emulator import sdk_hmac

from ansible_collections.jobwatch.cloud.plugins.modules import huaweicloud_request
from ansible_collections.jobwatch.cloud.tests.unit.plugins.modules.conftest import run_module_main
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import json_answer

PROJECT = '0123456789abcdef0123456789abcdef'
ACCESS_KEY = 'UNITTESTAK0000000001'
SECRET = 'unit-test-secret-key-0000000000000000'
BODY = {'server': {'name': 'web', 'count': 2, 'imageRef': 'img', 'flavorRef': 's6.small.1', 'vpcid': 'vpc',
                   'nics': [{'subnet_id': 'sub'}], 'root_volume': {'volumetype': 'SSD'}}}
CREATED = {'job_id': '70a599e031e749b7b260868f441e862b', 'serverIds': ['a', 'b']}


def args(server, **extra):
    values = dict(endpoint=server.url, project_id=PROJECT, access_key=ACCESS_KEY, secret_key=SECRET,
                  method='POST', path='/v1/{project_id}/cloudservers', body=BODY)
    values.update(extra)
    # None: the option is not given at all (Ansible counts a key given as None as present).
    return {key: value for key, value in values.items() if value is not None}


def run(server, capsys, **extra):
    return run_module_main(huaweicloud_request.main, args(server, **extra), capsys)


def verify(recorded):
    """Check a recorded request's signature with the emulator's own SDK-HMAC-SHA256 code (not ours)."""
    fields = sdk_hmac.parse_authorization(recorded.headers['Authorization'])
    names = fields['SignedHeaders'].split(';')
    parts = urlsplit(recorded.path)
    canonical = sdk_hmac.canonical_request(recorded.method, parts.path, parts.query,
                                           {name: recorded.headers[name] for name in names}, names,
                                           sdk_hmac.payload_hash(recorded.body))
    expected = sdk_hmac.signature(SECRET, sdk_hmac.string_to_sign(recorded.headers['X-Sdk-Date'], canonical))
    return fields['Access'] == ACCESS_KEY and expected == fields['Signature']


# --- building and signing ----------------------------------------------------------------------

def test_a_post_sends_the_body_as_json_signed_over_its_hash(server, capsys):
    server.add(json_answer(200, CREATED, headers={'X-Request-Id': 'req-1'}))
    result = run(server, capsys, query={'flag': True, 'tag': ['a', 'b']}, headers={'X-Language': 'en-us'})
    assert not result.get('failed'), result
    sent = server.requests[0]
    assert sent.method == 'POST'
    assert urlsplit(sent.path).path == '/v1/%s/cloudservers' % PROJECT
    assert urlsplit(sent.path).query == 'flag=true&tag=a&tag=b'
    assert json.loads(sent.body) == BODY
    assert sent.headers['Content-Type'] == 'application/json;charset=UTF-8'
    assert sent.headers['X-Language'] == 'en-us'
    assert sent.headers['X-Project-Id'] == PROJECT
    assert verify(sent)
    # The signature covers the body: the same headers over another body do not verify.
    tampered = type(sent)(sent.method, sent.path, sent.headers, sent.body.replace(b'web', b'bad'))
    assert not verify(tampered)
    assert hashlib.sha256(sent.body).hexdigest() != hashlib.sha256(tampered.body).hexdigest()
    assert result['url'] == '%s/v1/%s/cloudservers' % (server.url, PROJECT)


def test_a_get_is_signed_too(server, capsys):
    server.add(json_answer(200, {'servers': []}))
    run(server, capsys, method='get', body=None, path='/v1/{project_id}/cloudservers/detail')
    assert verify(server.requests[0])


def test_check_mode_shows_the_url_with_the_project_and_the_body_as_json(server, capsys):
    result = run(server, capsys, _ansible_check_mode=True, headers={'X-Client-Token': 'tok-1'})
    assert server.requests == []
    assert result['request']['url'] == '%s/v1/%s/cloudservers' % (server.url, PROJECT)
    assert result['request']['headers'] == {'X-Client-Token': '********', 'Content-Type': 'application/json;charset=UTF-8'}


def test_x_client_token_is_sent_with_every_attempt(server, capsys):
    server.add(json_answer(503, {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable.'}), json_answer(200, CREATED))
    result = run(server, capsys, headers={'X-Client-Token': 'create-web-1'})
    assert not result.get('failed'), result
    assert [sent.headers['X-Client-Token'] for sent in server.requests] == ['create-web-1', 'create-web-1']


# --- input only this module refuses --------------------------------------------------------------

@pytest.mark.parametrize('extra, words', [
    (dict(path='/v1/{domain_id}/x'), 'only {project_id} is filled in'),
    (dict(headers={'x-sdk-date': 'x'}), 'set by the module itself'),
    (dict(headers={'X-Auth-Token': 'x'}), 'set by the module itself'),
    (dict(body='a string'), 'body must be a dict or a list'),
    (dict(query={'a': {'b': 1}}), 'query'),
    (dict(service='ECS!', endpoint=None), 'service'),
    (dict(endpoint=None), 'one of the following is required'),
])
def test_bad_input_is_refused_before_any_request(server, capsys, extra, words):
    result = run(server, capsys, **extra)
    assert result['failed'] and words in result['msg'], result['msg']
    assert server.requests == []
