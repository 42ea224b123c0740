# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the collection's tests: a scripted server, a fake clock, and HTTP clients on them.

A test module changes what it gets by overriding a fixture: ``clock_start`` (where the fake clock
starts) or ``client_defaults`` (what ``make_client`` builds when a test says nothing).
"""

import time

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._http import HttpClient
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._retry import RetryPolicy
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import FakeClock, ScriptedServer


@pytest.fixture(name='server')
def _server():
    with ScriptedServer() as server:
        yield server


@pytest.fixture(name='clock_start')
def _clock_start():
    return 1000.0


@pytest.fixture(name='clock')
def _clock(clock_start):
    return FakeClock(start=clock_start)


@pytest.fixture(name='client_defaults')
def _client_defaults():
    return {}


@pytest.fixture(name='make_client')
def _make_client(clock, client_defaults):
    """``make(**settings)`` builds an HttpClient on the fake clock (``clock=None``: the real one).

    Settings: ``conventions`` (Huawei's unless given), ``retries``, ``base``, ``draw`` (the retry jitter's
    random draw), ``timeout``, ``clock``; any other goes to HttpClient as it is.
    """
    made = []

    def make(**settings):
        settings = {'conventions': None, 'retries': 3, 'base': 0.5, 'draw': 0.5, 'timeout': 5.0, 'clock': clock, **client_defaults, **settings}
        conventions, draw, fake = settings.pop('conventions'), settings.pop('draw'), settings.pop('clock')
        retry = RetryPolicy(retries=settings.pop('retries'), base=settings.pop('base'), cap=20.0, rand=lambda: draw)
        client = HttpClient(conventions or HuaweiConventions(), retry=retry, sleep=fake.sleep if fake else time.sleep,
                            clock=fake or time.monotonic, **settings)
        made.append(client)
        return client

    yield make
    for client in made:
        client.session.close()
