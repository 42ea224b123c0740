# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei endpoints, error conventions and the project id lookup (against a scripted server)."""

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import Response
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_auth import PasswordAuth
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConnection, HuaweiConventions, default_cloud
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_iam import REGIONAL_IAM_REGIONS, IamEndpoint, iam_urls
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import service_url
from ansible_collections.jobwatch.cloud.plugins.module_utils._cfw_api import CfwJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
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
    # The SDK's other spellings and nestings (huaweicloudsdkcore exceptions/exception_handler.py).
    ({'errorCode': 'DLF.3051', 'errorMsg': 'camel case'}, 'DLF.3051', 'camel case'),
    ({'error': {'error_code': 'IAM.0002', 'error_msg': 'nested snake case'}}, 'IAM.0002', 'nested snake case'),
    ({'result': {'errorCode': 'X.1', 'errorMsg': 'nested camel case'}}, 'X.1', 'nested camel case'),
    # A pair at the top wins over a nested one, and a pair over a lone code.
    ({'error_code': 'A.1', 'error_msg': 'top', 'error': {'code': 'B.2', 'message': 'nested'}}, 'A.1', 'top'),
    ({'error_code': 'A.1', 'error': {'code': 'B.2', 'message': 'nested'}}, 'B.2', 'nested'),
    ({'error_code': 'A.1'}, 'A.1', None),
    ({'error_code': 'IAM.0003', 'error_msg': 'Policy doesn\'t allow ecs:cloudServers:list to be performed.',
      'encoded_authorization_message': 'vQo2nT9Bz'},
     'IAM.0003', 'Policy doesn\'t allow ecs:cloudServers:list to be performed. (encoded authorization message: vQo2nT9Bz)'),
])
def test_error_shapes(data, code, message):
    assert HuaweiConventions.read_error(data) == (code, message)


@pytest.mark.parametrize('status, code, throttled, transient', [
    (429, None, True, False), (400, 'APIG.0308', True, False), (403, 'APIGW.0308', True, False),
    (500, None, False, True), (502, None, False, True), (503, None, False, True), (504, None, False, True),
    (400, 'Ecs.0005', False, False), (404, None, False, False), (501, None, False, False),
    (400, 'CFW.00100001', False, False),  # a busy code only for the service that names it
])
def test_throttling_and_transient_statuses(status, code, throttled, transient):
    assert HuaweiConventions().is_throttled(status, code) is throttled
    assert HuaweiConventions().is_transient(status, code) is transient


@pytest.mark.parametrize('api, busy', [
    (CfwJobApi(), ('CFW.00100001', 'CFW.00109004')), (EcsJobApi(), ('Ecs.0002',)), (DataArtsJobApi(), ()),
])
def test_each_service_busy_codes_are_retried_like_throttling(api, busy):
    with ScriptedServer() as server:
        conventions = api.connect(params(server), on_secret=None).http.conventions
    for code in ('CFW.00100001', 'CFW.00109004', 'Ecs.0002'):
        assert conventions.is_throttled(400, code) is (code in busy)
    assert conventions.is_throttled(400, 'APIG.0308')


@pytest.mark.parametrize('code', ['APIG.0101', 'APIGW.0101'])
def test_the_gateways_no_such_api_hints_at_endpoint_and_region(code):
    assert 'check endpoint and region' in HuaweiConventions.hint(404, code, 'The API does not exist or has not been published')


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
        reply = connection.get('/v1/{project_id}/jobs/{job_id}', 'query ECS job', job_id='a b/ü')
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
            connection.resolve_project_id()
    text = str(caught.value)
    assert 'IAM knows no project named xx-nowhere-1' in text and 'iam-1' in text


@pytest.mark.parametrize('projects', ['cn-north-4', 3, {'id': 'p'}, ['p-1'], [{'id': {'a': 1}}], [None, {'id': 'p-2'}]],
                         ids=['str', 'int', 'object', 'list-of-str', 'id-object', 'null-item'])
def test_project_id_lookup_of_an_odd_answer_says_it_found_none(projects):
    # Wrong-typed fields are read as absent: "no such project", never a TypeError.
    with ScriptedServer([json_answer(200, {'projects': projects})]) as server:
        connection = HuaweiConnection(params(server), 'ecs', on_secret=None)
        if projects == [None, {'id': 'p-2'}]:
            assert connection.resolve_project_id() == 'p-2'
            return
        with pytest.raises(JobwatchError) as caught:
            connection.resolve_project_id()
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


# --- where IAM is ------------------------------------------------------------------------------------

@pytest.mark.parametrize('region, cloud, urls', [
    # Regions with a regional IAM host in the SDK: that host, then the global one if it does not resolve.
    ('cn-north-4', 'myhuaweicloud.com', ['https://iam.cn-north-4.myhuaweicloud.com', 'https://iam.myhuaweicloud.com']),
    ('tr-west-1', 'myhuaweicloud.com', ['https://iam.tr-west-1.myhuaweicloud.com', 'https://iam.myhuaweicloud.com']),
    ('eu-west-101', 'myhuaweicloud.eu', ['https://iam.eu-west-101.myhuaweicloud.eu', 'https://iam.myhuaweicloud.eu']),
    # Regions the SDK sends to the global IAM host.
    ('af-north-1', 'myhuaweicloud.com', ['https://iam.myhuaweicloud.com']),
    ('ap-southeast-5', 'myhuaweicloud.com', ['https://iam.myhuaweicloud.com']),
    ('cn-north-11', 'myhuaweicloud.com', ['https://iam.myhuaweicloud.com']),
    ('cn-south-4', 'myhuaweicloud.com', ['https://iam.myhuaweicloud.com']),
    ('cn-southwest-3', 'myhuaweicloud.com', ['https://iam.myhuaweicloud.com']),
    ('ru-northwest-2', 'myhuaweicloud.com', ['https://iam.myhuaweicloud.com']),
    (None, 'myhuaweicloud.com', ['https://iam.myhuaweicloud.com']),
])
def test_iam_urls_follow_the_sdk(region, cloud, urls):
    assert iam_urls(None, region, cloud) == urls


def test_iam_endpoint_given_always_wins():
    assert iam_urls('https://iam.example.org/', 'af-north-1', 'myhuaweicloud.com') == ['https://iam.example.org']
    with pytest.raises(JobwatchError) as caught:
        iam_urls(None, 'CN NORTH 4', 'myhuaweicloud.com')
    assert 'is not a region name' in str(caught.value)


def test_regional_iam_table_is_the_sdks():
    endpoint = pytest.importorskip('huaweicloudsdkcore.auth.endpoint')
    known = {region: endpoint.get_iam_endpoint_by_id(region) for region in REGIONAL_IAM_REGIONS}
    assert known.pop('eu-west-101') is None  # only in huaweicloudsdkiam's IamRegion, on the European site
    assert known == {region: 'https://iam.%s.myhuaweicloud.com' % region for region in known}
    assert len(known) == 27


class FakeHttp:
    """Answers from a dict {url: data or JobwatchError}, and records the URLs asked."""

    def __init__(self, answers):
        self.answers = answers
        self.asked = []

    def request(self, method, url, what, **kwargs):
        self.asked.append(url)
        answer = self.answers[url]
        if isinstance(answer, Exception):
            raise answer
        return Response(200, {}, answer, None)


NO_SUCH_HOST = JobwatchError('look up', 'the host name iam.cn-north-4.myhuaweicloud.com does not resolve')
PROJECTS_URL = '/v3/projects'


def test_iam_falls_back_to_the_global_host_when_the_regional_one_does_not_resolve():
    regional, global_url = 'https://iam.cn-north-4.myhuaweicloud.com', 'https://iam.myhuaweicloud.com'
    http = FakeHttp({regional + PROJECTS_URL: NO_SUCH_HOST, global_url + PROJECTS_URL: {'projects': []}})
    iam = IamEndpoint([regional, global_url], resolver=lambda host: host != 'iam.cn-north-4.myhuaweicloud.com')
    assert iam.request(http, 'GET', PROJECTS_URL, 'look up').data == {'projects': []}
    assert iam.request(http, 'GET', PROJECTS_URL, 'look up').data == {'projects': []}
    # The global host is remembered: the regional one is not asked again.
    assert http.asked == [regional + PROJECTS_URL, global_url + PROJECTS_URL, global_url + PROJECTS_URL]


@pytest.mark.parametrize('error', [
    JobwatchError('look up', 'TLS verification of iam.cn-north-4.myhuaweicloud.com failed'),  # the name resolves
    JobwatchError('look up', 'denied', status=403, code='IAM.0003'),
    JobwatchError('look up', 'connection refused', transient=True),
])
def test_iam_does_not_fall_back_for_other_failures(error):
    regional, global_url = 'https://iam.cn-north-4.myhuaweicloud.com', 'https://iam.myhuaweicloud.com'
    http = FakeHttp({regional + PROJECTS_URL: error, global_url + PROJECTS_URL: {'projects': []}})
    iam = IamEndpoint([regional, global_url], resolver=lambda host: error.status is None and 'TLS' in error.message)
    with pytest.raises(JobwatchError) as caught:
        iam.request(http, 'GET', PROJECTS_URL, 'look up')
    assert caught.value is error and http.asked == [regional + PROJECTS_URL]


def test_project_lookup_and_password_login_reach_iam_past_a_regional_host_that_does_not_resolve():
    projects = {'projects': [{'id': 'project-cn-north-4', 'name': 'cn-north-4'}]}
    login = json_answer(201, {'token': {'project': {'id': 'project-cn-north-4'}}}, headers={'X-Subject-Token': 'MIItoken'})
    with ScriptedServer([json_answer(200, projects), login]) as server:
        # .invalid never resolves (RFC 6761), on any machine.
        unresolvable = 'http://iam.cn-north-4.myhuaweicloud.invalid'
        connection = HuaweiConnection(params(server, iam_endpoint=None), 'ecs', on_secret=None)
        connection._iam = IamEndpoint([unresolvable, server.url])
        assert connection.resolve_project_id() == 'project-cn-north-4'
        auth = PasswordAuth(connection.http, IamEndpoint([unresolvable, server.url]), 'alice', 'pa55', 'example',
                            project_name='cn-north-4')
        auth.login()
    assert [request.path for request in server.requests] == ['/v3/projects?name=cn-north-4', '/v3/auth/tokens']
    assert auth.project_id == 'project-cn-north-4'


def test_project_lookup_that_finds_two_projects_refuses_to_choose():
    projects = {'projects': [{'id': 'p-one', 'name': 'cn-north-4'}, {'id': 'p-two', 'name': 'cn-north-4'}]}
    with ScriptedServer([json_answer(200, projects, headers={'X-Request-Id': 'iam-2'})]) as server:
        connection = HuaweiConnection(params(server), 'ecs', on_secret=None)
        with pytest.raises(JobwatchError) as caught:
            connection.resolve_project_id()
        assert len(server.requests) == 1
    text = str(caught.value)
    assert 'multiple project ids found for the name cn-north-4: p-one, p-two' in text
    assert 'Give project_id' in text and 'iam-2' in text


def test_iams_trace_id_is_the_request_id_of_its_answers():
    projects = {'projects': [{'id': 'p-one', 'name': 'cn-north-4'}, {'id': 'p-two', 'name': 'cn-north-4'}]}
    with ScriptedServer([json_answer(200, projects, headers={'X-IAM-Trace-Id': 'trace-7'})]) as server:
        connection = HuaweiConnection(params(server), 'ecs', on_secret=None)
        with pytest.raises(JobwatchError) as caught:
            connection.resolve_project_id()
    assert caught.value.request_id == 'trace-7'
    assert HuaweiConventions.request_id({'X-Request-Id': 'apig-1', 'X-IAM-Trace-Id': 'trace-7'}, None) == 'apig-1'
