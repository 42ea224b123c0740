# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CFW job API that jobwatch.cloud.cfw_job_info waits on (the module and its action plugin share it)."""

from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import FAILED, RUNNING, SUCCEEDED
from ansible_collections.jobwatch.cloud.plugins.module_utils._times import iso_times


class CfwJobApi(HuaweiJobApi):
    noun = 'CFW job'
    service = 'cfw'
    path = '/v3/{project_id}/jobs/{job_id}'
    gone_codes = ('CFW.00200005',)
    # "System busy" and its kin, "try again later" in CFW's error code table; the HTTP status they come
    # with is not documented where we looked, so the code alone decides.
    busy_codes = ('CFW.00100001', 'CFW.00109004')
    statuses = {
        'Running': (RUNNING, False),
        'Success': (SUCCEEDED, True),
        'Failed': (FAILED, True),
    }

    def read_job(self, data):
        return data.get('data')

    def extras(self, job):
        return iso_times(job, ['begin_time', 'end_time'])
