#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: dataworks_job_info
short_description: Get the status of an Alibaba Cloud DataWorks asynchronous job, and wait for it to finish
version_added: 0.1.0
description:
  - Queries an asynchronous job of Alibaba Cloud DataWorks with the C(GetJobStatus) operation (API version
    C(2024-05-18)), such as the job returned by an asynchronous create, update or cancel operation.
  - With O(wait) or O(wait_for) it polls until the job is finished and fails the task when the job failed or was
    cancelled.
  - The status is read from C(Status) (C(Success), C(Fail), C(Cancel), C(Running)). C(Completed) is only used when
    C(Status) is missing, because the API's own example pairs C(Completed=False) with C(Status=Success) - and
    then only where it is unambiguous (C(Completed=False) is C(Running); C(Completed=True) with an C(Error) is
    C(Fail)). A finished job without C(Status) could have succeeded or been cancelled, so it is asked again.
author:
  - jobwatch.cloud maintainers (@jobwatch)
options:
  job_id:
    description:
      - The id of the asynchronous job (C(JobId)), as returned by the operation that started it.
      - Exactly one of O(job_id) and O(job_ids) is required.
    type: str
  job_ids:
    description:
      - The ids of many jobs, queried (and waited on) together in this one task, a few at a time (see O(concurrency)).
      - The result then has one entry per job in RV(jobs), each with the keys a single job returns, and the number of jobs per state in RV(counts).
    type: list
    elements: str
extends_documentation_fragment:
  - jobwatch.cloud.alicloud
  - jobwatch.cloud.connection
  - jobwatch.cloud.wait
attributes:
  check_mode:
    support: full
    description: The module only reads; it does the same in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is no diff.
  action_group:
    support: full
    membership:
      - jobwatch.cloud.alicloud
    description: Use C(group/jobwatch.cloud.alicloud) in C(module_defaults) to set credentials once.
seealso:
  - name: DataWorks GetJobStatus
    description: The API this module calls.
    link: https://www.alibabacloud.com/help/en/dataworks/developer-reference/api-dataworks-public-2024-05-18-getjobstatus
'''

EXAMPLES = r'''
- name: Wait for a DataWorks asynchronous job, with credentials from the environment
  jobwatch.cloud.dataworks_job_info:
    region: cn-hangzhou
    job_id: "{{ dataworks_job_id }}"
    wait: true
  register: dw_job

- name: Show how it ended
  ansible.builtin.debug:
    msg: "{{ dw_job.job.job_type }} job {{ dw_job.status }} (created {{ dw_job.create_time }})"
'''

RETURN = r'''
job:
  description:
    - The job as the API returned it, keys in snake_case.
    - The API's C(JobStatus).
  returned: when O(job_id) is given
  type: dict
  contains:
    job_id:
      description: The job id.
      type: str
      sample: C664CDE3-9C0B-5792-B17F-6C543783BBBC
    job_type:
      description: C(Create), C(Update) or C(Cancel).
      type: str
      sample: Create
    status:
      description: C(Success), C(Fail), C(Cancel) or C(Running).
      type: str
      sample: Success
    completed:
      description: C(True) or C(False), as a string.
      type: str
      sample: 'True'
    error:
      description: The error message of a failed job.
      type: str
    create_time:
      description: When the job was created, in epoch milliseconds, as the API sent it.
      type: raw
      sample: 1729063449802
status:
  description: The job's status as the API spells it.
  returned: when O(job_id) is given
  type: str
  sample: Success
state:
  description:
    - The status normalized across modules - one of C(pending), C(running), C(succeeded), C(failed), C(cancelled),
      C(stopped), C(blocked).
    - Here - C(running), C(succeeded), C(failed) or C(cancelled).
  returned: when O(job_id) is given
  type: str
  sample: succeeded
finished:
  description:
    - Whether the status will not change by itself (with O(job_ids), whether every job's status will not).
    - Final here - Success, Fail and Cancel.
  returned: success
  type: bool
  sample: true
succeeded:
  description:
    - Whether the job succeeded (with O(job_ids), whether every job did).
  returned: success
  type: bool
  sample: true
create_time:
  description: When the job was created, in ISO 8601 (UTC).
  returned: when the API sent it
  type: str
  sample: '2024-10-16T07:24:09.802Z'
elapsed:
  description: Seconds spent in the module, querying and waiting.
  returned: always
  type: float
  sample: 3.2
polls:
  description: How many times the job's status was asked for (retries of one poll are not counted).
  returned: always
  type: int
  sample: 3
history:
  description: When waiting, each change of status seen, with the seconds elapsed when it was first seen.
  returned: when waiting
  type: list
  elements: dict
  sample: [{"status": "Running", "elapsed": 0.05}, {"status": "Success", "elapsed": 3.2}]
request_id:
  description:
    - The request id of the last answer, for support tickets.
    - Alibaba Cloud's C(RequestId).
  returned: when the cloud sent one
  type: str
  sample: 5E2BFE96-C0E0-5A98-85C8-633EC803198D
error:
  description: On failure to query, the HTTP status, the cloud's error code and message.
  returned: on error
  type: dict
  sample: {"status": 400, "code": "Throttling.User", "message": "Request was denied due to user flow control."}
jobs:
  description:
    - With O(job_ids), one entry per job in the order given - its C(job_id) and the keys a single job returns, plus
      C(msg) when it did not end as waited for and C(error) when it could not be queried.
    - Each entry has RV(job), RV(status), RV(state), RV(finished), RV(succeeded), RV(elapsed), RV(polls), RV(history)
      and RV(request_id).
  returned: when O(job_ids) is given
  type: list
  elements: dict
counts:
  description: With O(job_ids), how many jobs are in each RV(state) (C(unknown) for a job that could not be queried).
  returned: when O(job_ids) is given
  type: dict
  sample: {"succeeded": 48, "failed": 2}
'''

from ansible_collections.jobwatch.cloud.plugins.module_utils._dataworks_api import DataWorksJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._module import JobModule


def main():
    JobModule(DataWorksJobApi()).run()


if __name__ == '__main__':
    main()
