# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei endpoints, error conventions and the project id lookup (against a scripted server)."""

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConnection, HuaweiConventions, default_cloud
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import service_url
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import ScriptedServer, json_answer


@pytest.mark.parametrize('region, cloud, url', [
    ('cn-north-4', 'myhuaweicloud.com', 'https://ecs.cn-north-4.myhuaweicloud.com'),
    ('ap-southeast-1', 'example.org', 'https://ecs.ap-southeast-1.example.org'),
])
def test_service_url_from_region_and_cloud(region, cloud, url):
    assert service_url(None, 'ecs', region, cloud) == url


@pytest.mark.parametrize('region, cloud', [('eu-west-101', 'myhuaweicloud.eu'), ('eu-west-0', 'myhuaweicloud.com'),
                                           ('cn-north-4', 'myhuaweicloud.com'), (None, 'myhuaweicloud.com')])
def test_default_cloud(region, cloud):
    assert default_cloud(region) == cloud


@pytest.mark.parametrize('endpoint, url', [('http://127.0.0.1:8080/', 'http://127.0.0.1:8080'),
                                           (' https://ecs.example.org/base/ ', 'https://ecs.example.org/base')])
def test_endpoint_overrides_region(endpoint, url):
    assert service_url(endpoint, 'ecs', None, 'myhuaweicloud.com') == url


@pytest.mark.parametrize('endpoint, region, words', [
    ('ecs.example.org', None, 'is not an http:// or https:// URL'),
    ('ftp://ecs.example.org', None, 'is not an http:// or https:// URL'),
    ('https://ecs.example.org/?a=b', None, 'is not an http:// or https:// URL'),
    ('https:///path', None, 'is not an http:// or https:// URL'),
    (None, None, 'neither endpoint nor region was given'),
    (None, 'cn-north-4.evil.com/x#', "region 'cn-north-4.evil.com/x#' is not a region name"),
    (None, 'CN-NORTH-4', 'is not a region name'),
])
def test_bad_endpoint_or_region_is_refused(endpoint, region, words):
    with pytest.raises(JobwatchError) as caught:
        service_url(endpoint, 'ecs', region, 'myhuaweicloud.com')
    assert words in str(caught.value)


@pytest.mark.parametrize('data, code, message', [
    ({'error_code': 'APIG.0308', 'error_msg': 'throttled'}, 'APIG.0308', 'throttled'),
    ({'error': {'code': 'Ecs.0612', 'message': 'no job'}}, 'Ecs.0612', 'no job'),
    ({'code': 'Ecs.0614', 'message': 'bad id'}, 'Ecs.0614', 'bad id'),
    ({'error_code': 400, 'error_msg': 'numeric code'}, '400', 'numeric code'),
    ({'status': 'RUNNING'}, None, None),
])
def test_error_shapes(data, code, message):
    assert HuaweiConventions.read_error(data) == (code, message)


@pytest.mark.parametrize('status, code, throttled, transient', [
    (429, None, True, False), (400, 'APIG.0308', True, False), (403, 'APIGW.0308', True, False),
    (500, None, False, True), (502, None, False, True), (503, None, False, True), (504, None, False, True),
    (400, 'Ecs.0005', False, False), (404, None, False, False), (501, None, False, False),
])
def test_throttling_and_transient_statuses(status, code, throttled, transient):
    assert HuaweiConventions.is_throttled(status, code) is throttled
    assert HuaweiConventions.is_transient(status, code) is transient


def params(server, **extra):
    values = dict(region='cn-north-4', cloud=None, endpoint=server.url, iam_endpoint=server.url, project_id=None,
                  access_key='AKEXAMPLE', secret_key='SKEXAMPLE', security_token=None, auth_token=None, user_name=None,
                  password=None, domain_name=None, timeout=5.0, validate_certs=True, ca_path=None)
    values.update(extra)
    return values


def test_project_id_is_looked_up_from_the_region_then_sent_with_each_request():
    projects = {'projects': [{'id': 'project-cn-north-4', 'name': 'cn-north-4'}]}
    with ScriptedServer([json_answer(200, projects), json_answer(200, {'status': 'SUCCESS'})]) as server:
        connection = HuaweiConnection(params(server), 'ecs', on_secret=None)
        reply = connection.get('/v1/{project_id}/jobs/{job_id}', 'query ECS job', job_id=u'a b/ü')
        lookup, query = server.requests
    assert reply.data == {'status': 'SUCCESS'}
    assert lookup.path == '/v3/projects?name=cn-north-4'
    assert lookup.headers['Authorization'].startswith('SDK-HMAC-SHA256 Access=AKEXAMPLE')
    assert query.path == '/v1/project-cn-north-4/jobs/a%20b%2F%C3%BC'
    assert query.headers['X-Project-Id'] == 'project-cn-north-4'


def test_project_id_lookup_that_finds_nothing_says_so():
    with ScriptedServer([json_answer(200, {'projects': []}, headers={'X-Request-Id': 'iam-1'})]) as server:
        connection = HuaweiConnection(params(server, region='xx-nowhere-1'), 'ecs', on_secret=None)
        with pytest.raises(JobwatchError) as caught:
            connection.project_id()
    text = str(caught.value)
    assert 'IAM knows no project named xx-nowhere-1' in text and 'iam-1' in text


@pytest.mark.parametrize('projects', ['cn-north-4', 3, {'id': 'p'}, ['p-1'], [{'id': {'a': 1}}], [None, {'id': 'p-2'}]],
                         ids=['str', 'int', 'object', 'list-of-str', 'id-object', 'null-item'])
def test_project_id_lookup_of_an_odd_answer_says_it_found_none(projects):
    # Wrong-typed fields are read as absent: "no such project", never a TypeError.
    with ScriptedServer([json_answer(200, {'projects': projects})]) as server:
        connection = HuaweiConnection(params(server), 'ecs', on_secret=None)
        if projects == [None, {'id': 'p-2'}]:
            assert connection.project_id() == 'p-2'
            return
        with pytest.raises(JobwatchError) as caught:
            connection.project_id()
    assert 'IAM knows no project named cn-north-4' in str(caught.value)


def test_a_given_project_id_needs_no_lookup():
    with ScriptedServer([json_answer(200, {'status': 'RUNNING'})]) as server:
        connection = HuaweiConnection(params(server, project_id='p-given'), 'ecs', on_secret=None)
        connection.get('/v1/{project_id}/jobs/{job_id}', 'query ECS job', job_id='j1')
        assert [request.path for request in server.requests] == ['/v1/p-given/jobs/j1']


def test_no_credentials_is_a_clear_error():
    with ScriptedServer() as server:
        with pytest.raises(JobwatchError) as caught:
            HuaweiConnection(params(server, access_key=None, secret_key=None), 'ecs', on_secret=None)
        assert server.requests == []
    assert 'no credentials were given' in str(caught.value)
    assert 'HW_ACCESS_KEY' in str(caught.value)
