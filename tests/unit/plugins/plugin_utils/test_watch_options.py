# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job_status event source's options: the module's argument spec, fallbacks and checks, before any request."""

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataworks_api import DataWorksJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.plugin_utils._watch_options import watch_options

SECRET = 'options-secret-key-000000000000000000'
HUAWEI = dict(region='cn-north-4', access_key='OPTIONSAK00000000001', secret_key=SECRET)


@pytest.fixture(autouse=True)
def _no_cloud_environment(monkeypatch):
    for name in ('HW_ACCESS_KEY', 'HW_SECRET_KEY', 'HW_REGION_NAME', 'OS_REGION_NAME', 'HW_AUTH_TOKEN', 'HW_PROJECT_ID',
                 'ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_REGION_ID'):
        monkeypatch.delenv(name, raising=False)


def refused(args):
    with pytest.raises(JobwatchError) as caught:
        watch_options(args)
    return str(caught.value)


def test_the_modules_options_with_their_defaults():
    options = watch_options(dict(HUAWEI, service='ecs', job_id='job-1'))
    assert options.service == 'ecs' and options.api.noun == 'ECS job'
    assert options.job_ids == ['job-1'] and options.interval is None
    assert options.params['concurrency'] == 8 and options.params['timeout'] == 30.0 and options.params['validate_certs'] is True


def test_credentials_come_from_the_environment_as_for_the_modules(monkeypatch):
    monkeypatch.setenv('HW_ACCESS_KEY', 'ENVAK000000000000001')
    monkeypatch.setenv('HW_SECRET_KEY', SECRET)
    monkeypatch.setenv('HW_REGION_NAME', 'cn-north-4')
    options = watch_options(dict(service='cfw', job_ids=['a', 'b'], interval=5))
    assert options.params['access_key'] == 'ENVAK000000000000001' and options.params['region'] == 'cn-north-4'
    assert options.job_ids == ['a', 'b'] and options.interval == 5.0
    assert options.secrets.mask('echo %s' % SECRET) == 'echo ********'


def test_dataarts_jobs_by_name_and_dataworks_on_alibaba():
    options = watch_options(dict(HUAWEI, service='dataarts', job_names=['job_sms', 'job orders'], workspace='ws-1'))
    assert isinstance(options.api, DataArtsJobApi) and options.job_ids == ['job_sms', 'job orders']
    options = watch_options(dict(service='dataworks', region='cn-hangzhou', access_key='ALIAK', secret_key=SECRET, job_id='1'))
    assert isinstance(options.api, DataWorksJobApi)


def test_rulebook_arguments_and_empty_values_are_left_out():
    # ansible-rulebook adds eda_feedback_queue; a rulebook has no omit, so "" stands for "not given".
    options = watch_options(dict(HUAWEI, service='ecs', job_id='job-1', endpoint='', eda_feedback_queue=object()))
    assert options.params['endpoint'] is None


@pytest.mark.parametrize('args, message', [
    (dict(job_id='job-1'), "service must be one of cfw, dataarts, dataworks, ecs, got None"),
    (dict(service='ec2', job_id='job-1'), "got 'ec2'"),
    (dict(HUAWEI, service='ecs'), 'one of the following is required: job_id, job_ids'),
    (dict(HUAWEI, service='ecs', job_id='a', job_ids=['b']), 'mutually exclusive'),
    (dict(HUAWEI, service='ecs', job_id='job-1', wait=True), 'wait. Supported parameters include'),
    (dict(HUAWEI, service='ecs', job_id='job-1', interval=0.1), 'interval must be at least 0.5 seconds'),
    (dict(HUAWEI, service='ecs', job_id='job-1', interval='soon'), "argument 'interval' is of type"),
    (dict(HUAWEI, service='ecs', job_ids=['a', 'a']), 'job_ids names a job twice'),
    (dict(HUAWEI, service='ecs', job_id='../x'), 'job_id'),
    (dict(HUAWEI, service='dataarts', job_id='job_sms'), 'job_id. Supported parameters include'),
    (dict(HUAWEI, service='ecs', job_id='job-1', timeout=0), 'timeout must be more than 0'),
    (dict(service='ecs', job_id='job-1', access_key='AK'), 'parameters are required together: access_key, secret_key'),
])
def test_bad_options_are_refused_before_any_request(args, message):
    assert message in refused(args)


def test_a_refusal_never_shows_a_secret():
    text = refused(dict(HUAWEI, service='ecs', job_id='job-1', auth_token=SECRET))
    assert 'mutually exclusive' in text and SECRET not in text
