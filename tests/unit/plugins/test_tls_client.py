# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared client over real TLS (the emulator with a throwaway CA): refused by default, ca_path, validate_certs."""

import os

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import HttpClient
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._retry import RetryPolicy

from jobwatch_emulator import tls
from jobwatch_emulator.server import Emulator

pytest.importorskip("trustme")


@pytest.fixture(name='emulator')
def _emulator(tmp_path):
    context, ca_path = tls.throwaway_ca(str(tmp_path))
    with Emulator(jobs=[], ssl_context=context) as emu:
        yield emu, ca_path


def health(url, **settings):
    client = HttpClient(HuaweiConventions(), timeout=5, retry=RetryPolicy(retries=0), **settings)
    try:
        return client.request('GET', url + '/_emulator/health', 'ask the emulator').data
    finally:
        client.session.close()


def test_a_certificate_from_an_unknown_ca_is_refused_with_what_to_do(emulator, monkeypatch):
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    emu, dummy = emulator
    with pytest.raises(JobwatchError) as caught:
        health(emu.url)
    text = str(caught.value)
    assert 'TLS verification of 127.0.0.1:' in text and 'CERTIFICATE_VERIFY_FAILED' in text
    assert 'ca_path' in text and 'validate_certs' in text


@pytest.mark.parametrize('bundle_in_environment', [False, True])
def test_ca_path_is_trusted_even_when_the_environment_names_another_bundle(emulator, monkeypatch, bundle_in_environment):
    emu, ca_path = emulator
    if bundle_in_environment:
        # requests would let this override a CA set on the session only.
        monkeypatch.setenv('REQUESTS_CA_BUNDLE', os.devnull)
    assert health(emu.url, ca_path=ca_path) == {'status': 'ok'}


def test_validate_certs_false_is_not_undone_by_a_bundle_in_the_environment(emulator, monkeypatch):
    emu, dummy = emulator
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', os.devnull)
    assert health(emu.url, validate_certs=False) == {'status': 'ok'}
