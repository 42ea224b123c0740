# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each job API, auth method and cloud convention provides what its base class says it must."""

import os

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_cloud import Acs3Auth, AlibabaConnection, AlibabaConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_request import AlibabaRequestApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._auth import Auth
from ansible_collections.jobwatch.cloud.plugins.module_utils._cfw_api import CfwJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._connection import Connection
from ansible_collections.jobwatch.cloud.plugins.module_utils._conventions import Conventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataworks_api import DataWorksJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_auth import AkSkAuth, PasswordAuth, TokenAuth
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConnection, HuaweiConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_request import HuaweiRequestApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import JobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._request_task import RequestApi

ACTION_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, os.pardir, os.pardir, 'plugins', 'action')


@pytest.mark.parametrize('api', [CfwJobApi, DataArtsJobApi, DataWorksJobApi, EcsJobApi])
def test_a_job_api_provides_what_the_task_calls(api):
    assert issubclass(api, JobApi) and api.statuses and api.argument_spec
    for name in ('connect', 'fetch'):
        assert getattr(api, name) is not getattr(JobApi, name), '%s does not provide %s' % (api.__name__, name)


@pytest.mark.parametrize('api', [AlibabaRequestApi, HuaweiRequestApi])
def test_a_request_api_provides_what_the_task_calls(api):
    assert issubclass(api, RequestApi) and api.argument_spec and api.reserved_headers
    assert api.connect is not RequestApi.connect, '%s does not provide connect' % api.__name__
    assert api.idempotency_header or api.idempotency_parameter


@pytest.mark.parametrize('auth', [AkSkAuth, TokenAuth, PasswordAuth, Acs3Auth])
def test_an_auth_method_provides_what_the_client_calls(auth):
    assert issubclass(auth, Auth)
    for name in ('apply', 'refused_hint'):
        assert getattr(auth, name) is not getattr(Auth, name), '%s does not provide %s' % (auth.__name__, name)


@pytest.mark.parametrize('conventions', [HuaweiConventions, AlibabaConventions])
def test_a_clouds_conventions_provide_what_the_client_calls(conventions):
    assert issubclass(conventions, Conventions)
    for name in ('request_id', 'read_error', 'is_throttled', 'is_transient'):
        assert getattr(conventions, name) is not getattr(Conventions, name), '%s does not provide %s' % (conventions.__name__, name)


@pytest.mark.parametrize('connection', [HuaweiConnection, AlibabaConnection])
def test_a_clouds_connection_provides_what_the_tasks_use(connection):
    assert issubclass(connection, Connection)
    assert connection.url is not Connection.url, '%s does not provide url' % connection.__name__


@pytest.mark.parametrize('api', [CfwJobApi, DataArtsJobApi, DataWorksJobApi, EcsJobApi, AlibabaRequestApi, HuaweiRequestApi])
def test_every_api_connects_with_a_connection_and_its_http_and_auth(api):
    params = {'endpoint': 'https://127.0.0.1:1', 'project_id': '0123456789abcdef0123456789abcdef', 'access_key': 'AK',
              'secret_key': 'SK', 'region': None, 'timeout': 5, 'validate_certs': True}
    connection = api().connect(params, on_secret=lambda value: None)
    assert isinstance(connection, Connection)
    assert connection.http is not None and connection.auth is not None
    assert connection.url('/x') == 'https://127.0.0.1:1/x'


@pytest.mark.parametrize('name', sorted(name for name in os.listdir(ACTION_DIR) if name.endswith('.py')))
def test_an_action_plugin_imports_no_module_file(name):
    with open(os.path.join(ACTION_DIR, name), encoding='utf-8') as source:
        assert 'plugins.modules' not in source.read()
