# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ECS job API that jobwatch.cloud.ecs_job_info waits on (the module and its action plugin share it)."""

from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import dict_at, dicts_at, text_at
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import BLOCKED, FAILED, PENDING, RUNNING, SUCCEEDED


class EcsJobApi(HuaweiJobApi):
    noun = 'ECS job'
    service = 'ecs'
    path = '/v1/{project_id}/jobs/{job_id}'
    gone_codes = ('Common.0011',)
    # "The system is busy, try again later" in ECS's error code table; its HTTP status is not documented
    # where we looked, so the code alone decides.
    busy_codes = ('Ecs.0002',)
    statuses = {
        'INIT': (PENDING, False),
        'RUNNING': (RUNNING, False),
        'SUCCESS': (SUCCEEDED, True),
        'FAIL': (FAILED, True),
        'PENDING_PAYMENT': (BLOCKED, True),
    }
    blocked_reasons = {
        'PENDING_PAYMENT': 'a yearly/monthly order is waiting for payment. The job will not move until the order is '
                           'paid (a cancelled order leaves it there until it is deleted after 14 days)',
    }

    def extras(self, job):
        sub_jobs = _sub_jobs(job)
        server_ids = []
        for entities in [dict_at(job, 'entities')] + [dict_at(sub, 'entities') for sub in sub_jobs]:
            server_id = text_at(entities, 'server_id')
            if server_id and server_id not in server_ids:
                server_ids.append(server_id)
        failed = [dict(job_id=text_at(sub, 'job_id'), job_type=text_at(sub, 'job_type'), error_code=text_at(sub, 'error_code'),
                       fail_reason=text_at(sub, 'fail_reason') or text_at(dict_at(sub, 'entities'), 'errorcode_message'))
                  for sub in sub_jobs if (text_at(sub, 'status') or '').upper() == 'FAIL']
        return dict(server_ids=server_ids, failed_sub_jobs=failed)

    def failure_reason(self, job):
        reasons = []
        own = ' '.join(part for part in (text_at(job, 'error_code'), text_at(job, 'fail_reason')) if part)
        if own:
            reasons.append(own)
        for sub in self.extras(job)['failed_sub_jobs']:
            detail = ' '.join(part for part in (sub['error_code'], sub['fail_reason']) if part) or 'no reason given'
            reasons.append('sub-job %s (%s) failed: %s' % (sub['job_id'], sub['job_type'], detail))
        return '; '.join(reasons) or None


def _sub_jobs(job):
    return dicts_at(dict_at(job, 'entities'), 'sub_jobs')
