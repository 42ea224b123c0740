# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ACS3-HMAC-SHA256 signer against the official Alibaba Cloud code (alibabacloud-tea-openapi).

Three layers, as for the Huawei signer: vectors the SDK produced (fixtures/acs3_signer_vectors.json,
written by hacking/make_acs3_signer_vectors.py), the same vectors recomputed by the installed SDK,
and seeded random requests signed by both. Then what the SDK cannot tell us: a fresh nonce per
call, the payload hash, the date in UTC, STS headers only with a token.
"""

import hashlib
import hmac
import json
import os
import random
import re
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._acs3_signer import sign, string_to_sign
from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_cloud import Acs3Auth

VECTORS_FILE = os.path.join(os.path.dirname(__file__), 'fixtures', 'acs3_signer_vectors.json')
with open(VECTORS_FILE, encoding='utf-8') as _handle:
    VECTORS = json.load(_handle)['vectors']
DATE_FORMAT = '%Y-%m-%dT%H:%M:%SZ'
ALGORITHM = 'ACS3-HMAC-SHA256'
# SHA-256 of the empty string (FIPS 180-2 examples; also `printf '' | sha256sum`).
EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
URL = 'https://dataworks.cn-hangzhou.aliyuncs.com/'
RPC_HEADERS = {'x-acs-action': 'GetJobStatus', 'x-acs-version': '2024-05-18', 'accept': 'application/json'}


def _moment(text):
    return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=timezone.utc)


def _body(vector):
    return vector['body'].encode('utf-8') if vector['body'] is not None else b''


def _our_sign(vector):
    return sign(vector['method'], vector['url'], dict(vector['headers']), [tuple(pair) for pair in vector['query']],
                _body(vector), vector['access_key'], vector['secret_key'], security_token=vector['security_token'],
                now=_moment(vector['date']), nonce=vector['nonce'])


def _sdk_sign(vector):
    """The Authorization header the official code makes for a vector's inputs, built as its client builds it."""
    sdk_utils = pytest.importorskip('alibabacloud_tea_openapi.utils')
    dara_request = pytest.importorskip('darabonba.request')
    body = _body(vector)
    headers = dict(vector['headers'])
    if 'host' not in {name.lower() for name in headers}:
        headers['host'] = urlsplit(vector['url']).netloc
    payload = sdk_utils.Utils.hash(body, ALGORITHM).hex()
    headers.update({'x-acs-date': vector['date'], 'x-acs-signature-nonce': vector['nonce'], 'x-acs-content-sha256': payload})
    if vector['security_token']:
        headers['x-acs-accesskey-id'] = vector['access_key']
        headers['x-acs-security-token'] = vector['security_token']
    request = dara_request.DaraRequest()
    request.method = vector['method']
    request.pathname = urlsplit(vector['url']).path or '/'
    request.query = dict(vector['query'])
    request.headers = headers
    return sdk_utils.Utils.get_authorization(request, ALGORITHM, payload, vector['access_key'], vector['secret_key'])


def test_vector_file_covers_the_cases_that_matter():
    # A regenerated file that lost a case would make the tests below pass vacuously.
    by_name = {vector['name']: vector for vector in VECTORS}
    assert {'get_job_status', 'job_id_with_space', 'job_id_with_tilde', 'job_id_non_ascii', 'job_id_reserved',
            'sorted_query_keys', 'sts', 'post_json_body', 'mixed_case_headers'} <= set(by_name)
    assert 'JobId=job%2042%20a\n' in by_name['job_id_with_space']['sdk_canonical_request']
    assert 'x-acs-security-token;' in by_name['sts']['expected_authorization']
    post = by_name['post_json_body']
    assert post['method'] == 'POST' and post['body']
    assert post['expected_signed_headers']['x-acs-content-sha256'] == hashlib.sha256(_body(post)).hexdigest() != EMPTY_SHA256
    assert any(name != name.lower() for name in by_name['mixed_case_headers']['headers'])


@pytest.mark.parametrize('vector', VECTORS, ids=[vector['name'] for vector in VECTORS])
def test_sign_matches_sdk_vector(vector):
    signed = _our_sign(vector)
    assert signed['Authorization'] == vector['expected_authorization'], (
        'canonical request of the SDK was:\n%s' % vector['sdk_canonical_request'])


@pytest.mark.parametrize('vector', VECTORS, ids=[vector['name'] for vector in VECTORS])
def test_string_to_sign_matches_sdk_vector(vector):
    signed = _our_sign(vector)
    before = {name: value for name, value in signed.items() if name != 'Authorization'}
    text = string_to_sign(vector['method'], vector['url'], before, [tuple(pair) for pair in vector['query']],
                          hashlib.sha256(_body(vector)).hexdigest())
    assert text == vector['expected_string_to_sign'], 'canonical request of the SDK was:\n%s' % vector['sdk_canonical_request']
    # And the signature really is the HMAC of that text under the secret.
    signature = hmac.new(vector['secret_key'].encode('utf-8'), text.encode('utf-8'), hashlib.sha256).hexdigest()
    assert signed['Authorization'].endswith(',Signature=' + signature)


@pytest.mark.parametrize('vector', VECTORS, ids=[vector['name'] for vector in VECTORS])
def test_headers_sent_are_those_the_sdk_signs(vector):
    # Every header we return is sent; each must be one the SDK signed too, with the same value.
    signed = _our_sign(vector)
    sent = {name.lower(): str(value).strip() for name, value in signed.items() if name != 'Authorization'}
    assert sent == vector['expected_signed_headers']


@pytest.mark.parametrize('vector', VECTORS, ids=[vector['name'] for vector in VECTORS])
def test_vector_still_what_the_installed_sdk_says(vector):
    # Recomputed live, so the committed file is not just a frozen copy of anyone's output.
    assert _sdk_sign(vector) == vector['expected_authorization']


# --- seeded random requests, signed by both -------------------------------------------------------

KEY_CHARACTERS = 'abcXYZ019-_.~'
VALUE_CHARACTERS = 'abcXYZ019-_.~ %+:@!*\'()&=;,$/?#[]üé日志\u00a0'


def _random_text(rng, alphabet, longest):
    return ''.join(rng.choice(alphabet) for _position in range(rng.randint(0, longest)))


def _random_vector(rng, index):
    query = {}
    for _pair in range(rng.randint(0, 5)):
        query[_random_text(rng, KEY_CHARACTERS, 8) or 'JobId'] = _random_text(rng, VALUE_CHARACTERS, 10)
    headers = dict(RPC_HEADERS)
    if rng.random() < 0.5:
        headers = {rng.choice([name, name.upper(), name.title()]): value for name, value in headers.items()}
    for number in range(rng.randint(0, 3)):
        name = '%s-%d' % (rng.choice(['X-Test', 'x-acs-extra', 'User-Agent', 'X-Trace']), number)
        headers[name] = rng.choice(['', ' padded ', 'v=1;w=2', _random_text(rng, 'abc 123-_', 10)])
    method = rng.choice(['GET', 'GET', 'POST', 'DELETE'])
    body = None
    if method == 'POST':
        headers['content-type'] = 'application/json; charset=utf-8'
        body = json.dumps({'n': index, 'text': _random_text(rng, VALUE_CHARACTERS, 10)}, ensure_ascii=False)
    moment = (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    url = rng.choice([URL, 'http://127.0.0.1:%d/' % rng.randint(1, 65535), 'https://dataworks.aliyuncs.com'])
    return dict(name='random-%d' % index, method=method, url=url, query=sorted(query.items(), key=lambda pair: rng.random()),
                headers=headers, body=body, access_key='LTAI%d' % index,
                secret_key=_random_text(rng, 'abcdefXYZ0123456789', 30) or 'sk',
                security_token=rng.choice([None, None, 'CAIS' + _random_text(rng, 'abcXYZ019+/=', 40)]),
                date='2024-%02d-%02dT%02d:%02d:%02dZ' % moment, nonce='%032x' % rng.getrandbits(128))


def test_random_requests_are_signed_like_the_sdk_signs_them():
    rng = random.Random(20240518)
    mismatches = []
    for index in range(300):
        vector = _random_vector(rng, index)
        expected = _sdk_sign(vector)
        if _our_sign(vector)['Authorization'] != expected:
            mismatches.append((vector['method'], vector['query'], vector['headers'], vector['security_token']))
    assert not mismatches, 'signed differently from the SDK: %r' % mismatches[:3]


# --- what the vectors cannot show -----------------------------------------------------------------

def _plain_sign(**change):
    args = dict(method='GET', url=URL, headers=dict(RPC_HEADERS), params=[('JobId', 'job-1')], body=b'',
                access_key='AK', secret_key='SK', security_token=None, now=None, nonce=None)
    args.update(change)
    return sign(args['method'], args['url'], args['headers'], args['params'], args['body'], args['access_key'],
                args['secret_key'], security_token=args['security_token'], now=args['now'], nonce=args['nonce'])


def test_a_fresh_nonce_per_call():
    moment = datetime(2024, 5, 18, 3, 4, 5, tzinfo=timezone.utc)
    nonces = set()
    authorizations = set()
    for _call in range(50):
        signed = _plain_sign(now=moment)
        nonces.add(signed['x-acs-signature-nonce'])
        authorizations.add(signed['Authorization'])
    # Same request, same second: only the nonce tells them apart, and the gateway refuses a nonce it has seen.
    assert len(nonces) == 50 and len(authorizations) == 50
    assert all(len(nonce) >= 16 for nonce in nonces)


def test_acs3_auth_signs_each_attempt_with_a_new_nonce():
    # HttpClient calls apply() once per attempt: a retry must not replay the first attempt's nonce.
    auth = Acs3Auth('AK', 'SK')
    first = auth.apply('GET', URL, [('JobId', 'job-1')], dict(RPC_HEADERS), b'')
    second = auth.apply('GET', URL, [('JobId', 'job-1')], dict(RPC_HEADERS), b'')
    assert first['x-acs-signature-nonce'] != second['x-acs-signature-nonce']
    assert first['Authorization'].startswith('ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=')


def test_acs3_auth_with_a_security_token_signs_it():
    headers = Acs3Auth('STS.AK', 'SK', 'token-1').apply('GET', URL, [('JobId', 'job-1')], dict(RPC_HEADERS), b'')
    assert headers['x-acs-security-token'] == 'token-1' and headers['x-acs-accesskey-id'] == 'STS.AK'
    assert 'x-acs-accesskey-id' in headers['Authorization'] and 'x-acs-security-token' in headers['Authorization']
    assert Acs3Auth('STS.AK', 'SK', 'token-1').refresh() is False


@pytest.mark.parametrize('body', [b'', b'{}', '{"Name": "作业 ü"}'.encode(), b'\x00\xff' * 1000])
def test_content_sha256_is_the_hash_of_the_body(body):
    signed = _plain_sign(method='POST', body=body)
    assert signed['x-acs-content-sha256'] == hashlib.sha256(body).hexdigest()


def test_content_sha256_of_no_body_is_that_of_the_empty_string():
    assert _plain_sign(body=b'')['x-acs-content-sha256'] == EMPTY_SHA256
    assert _plain_sign(body=None)['x-acs-content-sha256'] == EMPTY_SHA256


def test_date_is_utc_in_the_documented_format():
    before = datetime.fromtimestamp(int(time.time()), timezone.utc)
    signed = _plain_sign()
    after = datetime.now(timezone.utc)
    assert re.match(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z', signed['x-acs-date'])
    assert before <= _moment(signed['x-acs-date']) <= after
    # The same clock read through time.gmtime(), independent of datetime's time zone handling.
    assert abs(time.mktime(time.strptime(signed['x-acs-date'], DATE_FORMAT)) - time.mktime(time.gmtime())) < 5


def test_a_given_date_is_written_as_is():
    assert _plain_sign(now=datetime(2024, 2, 29, 23, 59, 58, tzinfo=timezone.utc))['x-acs-date'] == '2024-02-29T23:59:58Z'


def test_sts_headers_only_with_a_token():
    plain = _plain_sign()
    assert 'x-acs-security-token' not in plain and 'x-acs-accesskey-id' not in plain
    assert 'security-token' not in plain['Authorization']
    assert _plain_sign(security_token='')['Authorization'].count('x-acs-') == plain['Authorization'].count('x-acs-')


def test_host_comes_from_the_url_and_given_headers_are_left_alone():
    headers = {'X-Acs-Action': 'GetJobStatus'}
    signed = _plain_sign(url='http://127.0.0.1:8080/', headers=headers)
    assert signed['host'] == '127.0.0.1:8080'
    assert signed['x-acs-action'] == 'GetJobStatus'
    assert headers == {'X-Acs-Action': 'GetJobStatus'}


def test_authorization_has_no_space_after_the_commas():
    authorization = _plain_sign(nonce='n-1', now=datetime(2024, 1, 1, tzinfo=timezone.utc))['Authorization']
    assert re.match(r'^ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=[a-z0-9;-]+,Signature=[0-9a-f]{64}\Z', authorization)


def test_signature_depends_on_what_the_gateway_checks():
    fixed = dict(now=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc), nonce='n-1')
    reference = _plain_sign(**fixed)['Authorization']
    variants = [
        dict(secret_key='SK2'), dict(body=b'{}'), dict(params=[('JobId', 'job-2')]), dict(method='POST'),
        dict(headers=dict(RPC_HEADERS, **{'x-acs-action': 'ListJobs'})), dict(url='https://dataworks.aliyuncs.com/'),
        dict(nonce='n-2'), dict(now=datetime(2024, 1, 2, 3, 4, 6, tzinfo=timezone.utc)), dict(security_token='t'),
    ]
    for change in variants:
        assert _plain_sign(**dict(fixed, **change))['Authorization'] != reference, change


def test_the_order_query_pairs_are_given_in_does_not_matter():
    # The SDK cannot hold a repeated key (its query is a dict); our canonical form is the same
    # whatever order the caller lists pairs in, repeated keys included.
    fixed = dict(now=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc), nonce='n-1')
    pairs = [('JobId', 'b'), ('Tag', '2'), ('JobId', 'a'), ('Tag', '1'), ('A', '')]
    reference = _plain_sign(params=pairs, **fixed)['Authorization']
    rng = random.Random(7)
    for _shuffle in range(20):
        shuffled = list(pairs)
        rng.shuffle(shuffled)
        assert _plain_sign(params=shuffled, **fixed)['Authorization'] == reference
