# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SDK-HMAC-SHA256 signer against the official Huawei Cloud SDK signer.

Three layers: vectors the SDK produced (fixtures/huawei_signer_vectors.json, written by
hacking/make_huawei_signer_vectors.py), the same vectors recomputed by the installed SDK, and
seeded random requests signed by both.
"""

import hashlib
import hmac
import json
import os
import random
from datetime import datetime, timezone
from urllib.parse import quote

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_signer import sign, string_to_sign

VECTORS_FILE = os.path.join(os.path.dirname(__file__), 'fixtures', 'huawei_signer_vectors.json')
with open(VECTORS_FILE, encoding='utf-8') as _handle:
    VECTORS = json.load(_handle)['vectors']
DATE_FORMAT = '%Y%m%dT%H%M%SZ'


def _our_inputs(vector):
    """Our sign() arguments for a vector: URL without query, (key, value) pairs, body bytes."""
    headers = dict(vector['headers'])
    now = None
    if vector['use_now']:
        now = datetime.strptime(headers.pop('X-Sdk-Date'), DATE_FORMAT).replace(tzinfo=timezone.utc)
    url = '%s://%s%s' % (vector['scheme'], vector['host'], vector['path'])
    body = vector['body'].encode('utf-8') if vector['body'] is not None else b''
    return url, headers, [tuple(pair) for pair in vector['query']], body, now


def _our_sign(vector):
    url, headers, query, body, now = _our_inputs(vector)
    return sign(vector['method'], url, headers, query, body, vector['access_key'], vector['secret_key'], now=now)


def _sdk_sign(vector):
    """The official signer on the same inputs; returns the Authorization header."""
    sdk_request = pytest.importorskip('huaweicloudsdkcore.sdk_request')
    sdk_signer = pytest.importorskip('huaweicloudsdkcore.signer.signer')
    sdk_credentials = pytest.importorskip('huaweicloudsdkcore.auth.credentials')
    body = vector['body']
    if isinstance(body, str):
        body = body.encode('utf-8')
    request = sdk_request.SdkRequest(method=vector['method'], schema=vector['scheme'], host=vector['host'],
                                     resource_path=vector['path'], query_params=[tuple(pair) for pair in vector['query']],
                                     header_params=dict(vector['headers']), body=body or None)
    signer = sdk_signer.Signer(sdk_credentials.BasicCredentials(vector['access_key'], vector['secret_key']))
    return signer.sign(request).header_params['Authorization']


def test_vector_file_covers_the_cases_that_matter():
    # A regenerated file that lost a case would make the tests below pass vacuously.
    names = {vector['name'] for vector in VECTORS}
    assert {'ecs_job', 'query_parameters', 'security_token_and_project', 'dataarts_job_name',
            'underscore_header', 'post_json_body'} <= names
    dataarts = [vector for vector in VECTORS if vector['name'] == 'dataarts_job_name'][0]
    assert quote('日志 job/ü~x', safe='~') in dataarts['path']


@pytest.mark.parametrize('vector', VECTORS, ids=[vector['name'] for vector in VECTORS])
def test_sign_matches_sdk_vector(vector):
    signed = _our_sign(vector)
    assert signed['Authorization'] == vector['expected_authorization'], (
        'canonical request of the SDK was:\n%s' % vector['sdk_canonical_request'])


@pytest.mark.parametrize('vector', VECTORS, ids=[vector['name'] for vector in VECTORS])
def test_string_to_sign_matches_sdk_vector(vector):
    signed = _our_sign(vector)
    url, _headers, query, body, _now = _our_inputs(vector)
    # The headers as they are when the signature is made: everything sign() adds but Authorization.
    before = {name: value for name, value in signed.items() if name != 'Authorization'}
    text = string_to_sign(vector['method'], url, before, body, query)
    assert text == vector['expected_string_to_sign'], 'canonical request of the SDK was:\n%s' % vector['sdk_canonical_request']
    # And the signature really is the HMAC of that text under the secret key.
    signature = hmac.new(vector['secret_key'].encode('utf-8'), text.encode('utf-8'), hashlib.sha256).hexdigest()
    assert signed['Authorization'].endswith('Signature=' + signature)


@pytest.mark.parametrize('vector', VECTORS, ids=[vector['name'] for vector in VECTORS])
def test_vector_still_what_the_installed_sdk_says(vector):
    # Recomputed live, so the committed file is not just a frozen copy of our own output.
    assert _sdk_sign(vector) == vector['expected_authorization']


def test_sign_sets_host_and_date_and_leaves_the_given_headers_alone():
    headers = {'X-Project-Id': 'p1'}
    signed = sign('GET', 'https://ecs.cn-north-4.myhuaweicloud.com/v1/p1/jobs/j1', headers, [], b'', 'AK', 'SK',
                  now=datetime(2024, 2, 29, 23, 59, 58, tzinfo=timezone.utc))
    assert signed['Host'] == 'ecs.cn-north-4.myhuaweicloud.com'
    assert signed['X-Sdk-Date'] == '20240229T235958Z'
    assert 'SignedHeaders=host;x-project-id;x-sdk-date,' in signed['Authorization']
    assert headers == {'X-Project-Id': 'p1'}


def test_sign_without_now_uses_the_current_utc_time():
    before = datetime.now(timezone.utc).replace(microsecond=0)
    signed = sign('GET', 'https://h.example/x', {}, [], b'', 'AK', 'SK')
    after = datetime.now(timezone.utc)
    moment = datetime.strptime(signed['X-Sdk-Date'], DATE_FORMAT).replace(tzinfo=timezone.utc)
    assert before <= moment <= after


def test_a_given_date_header_is_kept_whatever_its_case():
    signed = sign('GET', 'https://h.example/x', {'x-sdk-date': '20200101T000000Z', 'host': 'h.example'}, [], b'', 'AK', 'SK',
                  now=datetime(2024, 1, 1, tzinfo=timezone.utc))
    assert 'X-Sdk-Date' not in signed and 'Host' not in signed
    assert signed['x-sdk-date'] == '20200101T000000Z'


def test_signature_depends_on_secret_body_query_and_signed_headers():
    base = dict(method='POST', url='https://h.example/v1/x', headers={'X-Sdk-Date': '20240102T030405Z', 'X-A': '1'},
                params=[('a', '1')], body=b'{}', access_key='AK', secret_key='SK')

    def authorization(**change):
        args = dict(base, **change)
        return sign(args['method'], args['url'], args['headers'], args['params'], args['body'],
                    args['access_key'], args['secret_key'])['Authorization']

    reference = authorization()
    variants = [
        authorization(secret_key='SK2'),
        authorization(body=b'{ }'),
        authorization(params=[('a', '2')]),
        authorization(url='https://h.example/v1/y'),
        authorization(headers={'X-Sdk-Date': '20240102T030405Z', 'X-A': '2'}),
    ]
    assert all(variant != reference for variant in variants)
    # A header that is not signed (underscore) does not change the signature.
    assert authorization(headers={'X-Sdk-Date': '20240102T030405Z', 'X-A': '1', 'X_B': 'anything'}) == reference


SEGMENT_CHARACTERS = 'abcXYZ019-_.~ %+:@!*\'()&=;,$/?#[]üé日志\u00a0'
QUERY_CHARACTERS = 'abcXYZ019-_.~ %+:@!*\'()&=;,$/?#[]üé日志'


def _random_text(rng, alphabet, longest):
    return ''.join(rng.choice(alphabet) for _position in range(rng.randint(0, longest)))


def _random_vector(rng, index):
    segments = [_random_text(rng, SEGMENT_CHARACTERS, 8) or 'x' for _segment in range(rng.randint(1, 5))]
    path = '/' + '/'.join(quote(segment, safe='~') for segment in segments)
    if rng.random() < 0.2:
        path += '/'
    query = [(_random_text(rng, QUERY_CHARACTERS, 6) or 'k', _random_text(rng, QUERY_CHARACTERS, 6))
             for _pair in range(rng.randint(0, 4))]
    if query and rng.random() < 0.3:
        query.append((query[0][0], _random_text(rng, QUERY_CHARACTERS, 6)))
    moment = (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    headers = {'X-Sdk-Date': '2024%02d%02dT%02d%02d%02dZ' % moment}
    for number in range(rng.randint(0, 3)):
        name = 'X-%s%d' % (rng.choice(['Test', 'Meta_Data', 'Project-Id', 'Trace']), number)
        headers[name] = rng.choice(['', ' padded ', 'v=1;w=2', _random_text(rng, 'abc 123-_', 10)])
    method = rng.choice(['GET', 'GET', 'POST', 'DELETE'])
    body = None
    if method == 'POST':
        headers['Content-Type'] = 'application/json'
        body = json.dumps({'n': index, 'text': _random_text(rng, QUERY_CHARACTERS, 10)}, ensure_ascii=False)
    host = rng.choice(['ecs.cn-north-4.myhuaweicloud.com', '127.0.0.1:%d' % rng.randint(1, 65535)])
    return dict(name='random-%d' % index, method=method, scheme='https', host=host, path=path, query=query,
                headers=headers, body=body, access_key='AK%d' % index,
                secret_key=_random_text(rng, 'abcdef0123456789+/=', 40) or 'sk', use_now=False)


def test_random_requests_are_signed_like_the_sdk_signs_them():
    rng = random.Random(20240102)
    mismatches = []
    for index in range(300):
        vector = _random_vector(rng, index)
        expected = _sdk_sign(vector)
        actual = _our_sign(vector)['Authorization']
        if actual != expected:
            mismatches.append((vector['method'], vector['path'], vector['query'], vector['headers']))
    assert not mismatches, 'signed differently from the SDK: %r' % mismatches[:3]


def test_non_string_query_values_are_signed_as_sent():
    vector = dict(VECTORS[0], query=[['limit', 10], ['offset', 0]], use_now=False)
    assert _our_sign(vector)['Authorization'] == _sdk_sign(vector)
