# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's ACS3 gateway against whole requests the official client built (RPC form bodies,
flattened list-valued queries, ROA paths and JSON bodies, STS): each is accepted as sent, and
refused once anything the signature covers changes, the body above all, or when it is sent again.

The requests are the known-answer vectors of the collection's signer
(tests/unit/plugins/module_utils/fixtures/acs3_request_vectors.json, written by
hacking/make_acs3_request_vectors.py from alibabacloud-tea-openapi's ``Client.call_api``); they are
read here as data only, the emulator imports nothing from the collection.
"""

import calendar
import hashlib
import json
import os
import time
from urllib.parse import urlsplit

import pytest

from jobwatch_emulator import acs3, acs_gateway
from jobwatch_emulator.app import EmulatorApp
from jobwatch_emulator.identity import Identity

VECTORS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'plugins', 'module_utils', 'fixtures',
                            'acs3_request_vectors.json')
with open(VECTORS_FILE, encoding='utf-8') as _handle:
    VECTORS = json.load(_handle)['vectors']
IDS = [vector['name'] for vector in VECTORS]


def identity(vector):
    if vector['security_token']:
        return Identity(ali_sts_access_key=vector['access_key'], ali_sts_secret_key=vector['secret_key'],
                        ali_sts_token=vector['security_token'])
    return Identity(ali_access_key=vector['access_key'], ali_secret_key=vector['secret_key'])


def signed_at(vector):
    return calendar.timegm(time.strptime(vector['date'], acs3.DATE_FORMAT))


def as_sent(make_request, vector, body=None, query=None, path=None, **header_changes):
    headers = dict(vector['expected_headers'])
    headers.update(header_changes)
    sent_body = (vector['body'] or '').encode('utf-8') if body is None else body
    return make_request(vector['method'], path or urlsplit(vector['url']).path, vector['wire_query'] if query is None else query,
                        headers, sent_body)


def authenticate(vector, request, nonces=None, now=None):
    return acs_gateway.authenticate(request, identity(vector), nonces or acs_gateway.NonceStore(),
                                    signed_at(vector) if now is None else now)


def refusal(vector, request, nonces=None, now=None):
    with pytest.raises(acs_gateway.AcsError) as refused:
        authenticate(vector, request, nonces, now)
    return refused.value


def test_the_vectors_are_the_cases_that_matter():
    styles = {(vector['style'], vector['req_body_type'] if vector['body'] else None) for vector in VECTORS}
    assert {('RPC', 'formData'), ('RPC', None), ('ROA', 'json'), ('ROA', None)} <= styles
    assert any('%' in urlsplit(vector['url']).path for vector in VECTORS)
    assert any(vector['security_token'] for vector in VECTORS)


@pytest.mark.parametrize('vector', VECTORS, ids=IDS)
def test_the_gateway_accepts_what_the_sdk_sent(make_request, vector):
    context = authenticate(vector, as_sent(make_request, vector))
    assert (context.access_key, context.sts) == (vector['access_key'], bool(vector['security_token']))


@pytest.mark.parametrize('vector', VECTORS, ids=IDS)
def test_a_changed_body_is_refused(make_request, vector):
    body = (vector['body'] or '').encode('utf-8') + b'&X=1'
    refused = refusal(vector, as_sent(make_request, vector, body=body))
    assert refused.code == 'SignatureDoesNotMatch' and 'x-acs-content-sha256' in refused.message
    # The hash made to match the new body: the signature, which covers the hash, no longer does.
    rehashed = as_sent(make_request, vector, body=body, **{'x-acs-content-sha256': hashlib.sha256(body).hexdigest()})
    refused = refusal(vector, rehashed)
    assert refused.code == 'SignatureDoesNotMatch' and 'server string to sign is:' in refused.message


@pytest.mark.parametrize('vector', VECTORS, ids=IDS)
def test_a_changed_query_or_path_is_refused(make_request, vector):
    query = vector['wire_query'] + ('&' if vector['wire_query'] else '') + 'X=1'
    assert refusal(vector, as_sent(make_request, vector, query=query)).code == 'SignatureDoesNotMatch'
    path = urlsplit(vector['url']).path
    assert refusal(vector, as_sent(make_request, vector, path=path + 'x')).code == 'SignatureDoesNotMatch'


@pytest.mark.parametrize('vector', [vector for vector in VECTORS if vector['req_body_type'] == 'formData' and vector['body']],
                         ids=[vector['name'] for vector in VECTORS if vector['req_body_type'] == 'formData' and vector['body']])
def test_form_parameters_moved_to_the_query_are_refused(make_request, vector):
    # Same parameters, same meaning to the API, but not what was signed: the body hash and the query differ.
    query = '&'.join(part for part in (vector['wire_query'], vector['body']) if part)
    refused = refusal(vector, as_sent(make_request, vector, body=b'', query=query))
    assert refused.code == 'SignatureDoesNotMatch'


@pytest.mark.parametrize('vector', VECTORS, ids=IDS)
def test_the_same_request_sent_twice_is_refused_for_its_nonce(make_request, vector):
    nonces = acs_gateway.NonceStore()
    authenticate(vector, as_sent(make_request, vector), nonces)
    refused = refusal(vector, as_sent(make_request, vector), nonces, now=signed_at(vector) + 60)
    assert (refused.status, refused.code) == (400, 'SignatureNonceUsed')
    # A refused forgery does not use up the nonce of a request not yet sent.
    fresh = acs_gateway.NonceStore()
    refusal(vector, as_sent(make_request, vector, body=b'forged'), fresh)
    authenticate(vector, as_sent(make_request, vector), fresh)


ROA_VECTORS = [vector for vector in VECTORS if vector['style'] == 'ROA' and urlsplit(vector['url']).path != '/']


@pytest.mark.parametrize('vector', ROA_VECTORS, ids=[vector['name'] for vector in ROA_VECTORS])
def test_the_emulator_checks_a_roa_call_before_it_says_there_is_no_such_api(make_request, vector):
    """Through the whole app: a ROA path is routed to the gateway's check, then to InvalidApi.NotFound."""
    credentials = dict(ali_access_key=vector['access_key'], ali_secret_key=vector['secret_key'])
    if vector['security_token']:
        credentials = dict(ali_sts_access_key=vector['access_key'], ali_sts_secret_key=vector['secret_key'],
                           ali_sts_token=vector['security_token'])
    app = EmulatorApp(credentials=credentials, now=lambda: signed_at(vector))
    answer = app.handle(as_sent(make_request, vector))
    assert (answer.status, answer.json()['Code']) == (404, 'InvalidApi.NotFound')
    assert app.handle(as_sent(make_request, vector)).json()['Code'] == 'SignatureNonceUsed'
    tampered = app.handle(as_sent(make_request, vector, body=b'{"count":3}'))
    assert tampered.json()['Code'] == 'SignatureDoesNotMatch'
    assert app.requests.snapshot()['routes'] == {'dataworks.unknown_roa_api': 3}
