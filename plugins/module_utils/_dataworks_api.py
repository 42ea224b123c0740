# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DataWorks job API that jobwatch.cloud.dataworks_job_info waits on (the module and its action plugin share it)."""

from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_cloud import AlibabaJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import text, text_at
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import CANCELLED, FAILED, RUNNING, SUCCEEDED
from ansible_collections.jobwatch.cloud.plugins.module_utils._times import iso_times


class DataWorksJobApi(AlibabaJobApi):
    noun = 'DataWorks job'
    product = 'dataworks'
    action = 'GetJobStatus'
    version = '2024-05-18'
    id_parameter = 'JobId'
    # The regions the official SDK (alibabacloud-dataworks-public20240518 9.11.0, Client._endpoint_map) sends to
    # the central host; the 23 others it lists use dataworks.{region}.aliyuncs.com, as do regions it does not list.
    endpoint_map = dict.fromkeys((
        'ap-northeast-2-pop', 'ap-south-1', 'ap-southeast-2', 'cn-beijing-finance-pop', 'cn-beijing-gov-1',
        'cn-beijing-nu16-b01', 'cn-edge-1', 'cn-fujian', 'cn-haidian-cm12-c01', 'cn-hangzhou-bj-b01',
        'cn-hangzhou-finance', 'cn-hangzhou-internal-prod-1', 'cn-hangzhou-internal-test-1', 'cn-hangzhou-internal-test-2',
        'cn-hangzhou-internal-test-3', 'cn-hangzhou-test-306', 'cn-hongkong-finance-pop', 'cn-huhehaote',
        'cn-huhehaote-nebula-1', 'cn-qingdao', 'cn-qingdao-nebula', 'cn-shanghai-et15-b01', 'cn-shanghai-et2-b01',
        'cn-shanghai-inner', 'cn-shanghai-internal-test-1', 'cn-shenzhen-inner', 'cn-shenzhen-st4-d01',
        'cn-shenzhen-su18-b01', 'cn-wuhan', 'cn-yushanfang', 'cn-zhangbei', 'cn-zhangbei-na61-b01',
        'cn-zhangjiakou-na62-a01', 'cn-zhengzhou-nebula-1', 'eu-west-1-oxs', 'rus-west-1-pop',
    ), 'dataworks.aliyuncs.com')
    # DataWorks documents no "no such job" code; Invalid.Param is what a JobId it does not know gets.
    gone_codes = ('Invalid.Param',)
    statuses = {
        'Running': (RUNNING, False),
        'Success': (SUCCEEDED, True),
        'Fail': (FAILED, True),
        'Cancel': (CANCELLED, True),
    }

    def read_job(self, data):
        return data.get('JobStatus')

    def read_status(self, job):
        status = job.get('Status')
        if status is not None and status != '':
            return status  # whatever it is: answer_problem refuses what is no status name
        # Fallback only (the API's example shows Completed=False beside Status=Success), and only where
        # it is unambiguous: a finished job without Status may have succeeded or been cancelled, so such
        # an answer is no answer and is asked again.
        completed = str(job.get('Completed', '')).lower()
        if completed == 'false':
            return 'Running'
        return 'Fail' if completed == 'true' and text_at(job, 'Error') else None

    def extras(self, job):
        return iso_times(job, ['CreateTime'])

    def failure_reason(self, job):
        # Documented as text; anything else is quoted short rather than left out.
        error = job.get('Error')
        return text(error) if error else None
