#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: ecs_job_info
short_description: Get the status of a Huawei Cloud ECS job, and wait for it to finish
version_added: 0.1.0
description:
  - Queries an asynchronous job of the Huawei Cloud Elastic Cloud Server (ECS) service, such as the job returned
    when servers are created, deleted or resized (C(GET /v1/{project_id}/jobs/{job_id})).
  - With O(wait) or O(wait_for) it polls until the job is finished, fails the task when the job failed, and
    returns the ids of the servers it made in RV(server_ids).
  - A job in C(PENDING_PAYMENT) waits for a yearly/monthly order to be paid; it never moves by itself, so a wait
    ends there at once with a message saying so.
author:
  - jobwatch.cloud maintainers (@jobwatch)
options:
  job_id:
    description:
      - The id of the job, as returned by the request that started it.
      - Exactly one of O(job_id) and O(job_ids) is required.
    type: str
  job_ids:
    description:
      - The ids of many jobs, queried (and waited on) together in this one task, a few at a time (see O(concurrency)).
      - The result then has one entry per job in RV(jobs), each with the keys a single job returns, and the number of jobs per state in RV(counts).
    type: list
    elements: str
extends_documentation_fragment:
  - jobwatch.cloud.huaweicloud
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
      - jobwatch.cloud.huaweicloud
    description: Use C(group/jobwatch.cloud.huaweicloud) in C(module_defaults) to set credentials once.
seealso:
  - name: ECS API, Querying Job Execution Status
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-ecs/ecs_02_0901.html
'''

EXAMPLES = r'''
- name: Create servers, then wait for the job and use the new server ids
  module_defaults:
    group/jobwatch.cloud.huaweicloud:
      region: cn-north-4
      access_key: "{{ hw_access_key }}"
      secret_key: "{{ hw_secret_key }}"
  block:
    - name: Wait until the job that creates the servers is finished
      jobwatch.cloud.ecs_job_info:
        job_id: "{{ create_servers.json.job_id }}"
        wait: true
        wait_timeout: 900
      register: ecs_job

    - name: Show the new servers
      ansible.builtin.debug:
        msg: "Created {{ ecs_job.server_ids | join(', ') }}"

- name: Ask once, without waiting (the job's status never fails this task)
  jobwatch.cloud.ecs_job_info:
    region: cn-north-4
    job_id: 2c9eb2c5544cbf6101544f0602af2b4f
  register: ecs_job

- name: Wait, but decide in the playbook what a failed job means
  jobwatch.cloud.ecs_job_info:
    region: cn-north-4
    job_id: 2c9eb2c5544cbf6101544f0602af2b4f
    wait: true
    fail_on_job_failure: false
  register: ecs_job

- name: Report why the job failed
  ansible.builtin.debug:
    msg: "{{ ecs_job.job.fail_reason }}"
  when: ecs_job.state == 'failed'
'''

RETURN = r'''
job:
  description:
    - The job as the API returned it, keys in snake_case.
  returned: when O(job_id) is given
  type: dict
  contains:
    job_id:
      description: The job id.
      type: str
      sample: 2c9eb2c5544cbf6101544f0602af2b4f
    job_type:
      description: What the job does.
      type: str
      sample: createServer
    status:
      description: C(INIT), C(RUNNING), C(SUCCESS), C(FAIL) or C(PENDING_PAYMENT).
      type: str
      sample: SUCCESS
    begin_time:
      description: When the job started.
      type: str
      sample: '2016-04-25T20:04:34.604Z'
    end_time:
      description: When the job finished.
      type: str
      sample: '2016-04-25T20:08:41.593Z'
    error_code:
      description: The error code of a failed job.
      type: str
      sample: Ecs.0013
    fail_reason:
      description: Why the job failed.
      type: str
    entities:
      description: What the job works on - C(server_id), C(nic_id), or C(sub_jobs_total) and C(sub_jobs).
      type: dict
      sample: {"sub_jobs_total": 1, "sub_jobs": [{"job_id": "2c9eb2c5544cbf6101544f0635672b60", "status": "SUCCESS",
               "job_type": "createSingleServer", "entities": {"server_id": "bae51750-0089-41a1-9b18-5c777978ff6d"}}]}
status:
  description: The job's status as the API spells it.
  returned: when O(job_id) is given
  type: str
  sample: SUCCESS
state:
  description:
    - The status normalized across modules - one of C(pending), C(running), C(succeeded), C(failed), C(cancelled),
      C(stopped), C(blocked).
    - Here - C(pending) (INIT), C(running), C(succeeded), C(failed), or C(blocked) (PENDING_PAYMENT).
  returned: when O(job_id) is given
  type: str
  sample: succeeded
finished:
  description:
    - Whether the status will not change by itself (with O(job_ids), whether every job's status will not).
    - Final here - SUCCESS, FAIL and PENDING_PAYMENT (which waits for a payment).
  returned: success
  type: bool
  sample: true
succeeded:
  description:
    - Whether the job succeeded (with O(job_ids), whether every job did).
  returned: success
  type: bool
  sample: true
server_ids:
  description: The ids of the servers of the job and its sub-jobs, in order, without duplicates.
  returned: when O(job_id) is given
  type: list
  elements: str
  sample: ["bae51750-0089-41a1-9b18-5c777978ff6d"]
failed_sub_jobs:
  description: The sub-jobs that failed, each with C(job_id), C(job_type), C(error_code) and C(fail_reason).
  returned: when O(job_id) is given
  type: list
  elements: dict
  sample: []
elapsed:
  description: Seconds spent in the module, querying and waiting.
  returned: always
  type: float
  sample: 12.31
polls:
  description: How many times the job's status was asked for (retries of one poll are not counted).
  returned: always
  type: int
  sample: 6
history:
  description: When waiting, each change of status seen, with the seconds elapsed when it was first seen.
  returned: when waiting
  type: list
  elements: dict
  sample: [{"status": "RUNNING", "elapsed": 0.02}, {"status": "SUCCESS", "elapsed": 14.1}]
request_id:
  description:
    - The request id of the last answer, for support tickets.
  returned: when the cloud sent one
  type: str
  sample: 5e8f21b7d5c3a9f04a1b2c3d4e5f6a7b
error:
  description: On failure to query, the HTTP status, the cloud's error code and message.
  returned: on error
  type: dict
  sample: {"status": 400, "code": "Common.0011", "message": "Failed to query system tasks."}
jobs:
  description:
    - With O(job_ids), one entry per job in the order given - its C(job_id) and the keys a single job returns, plus
      C(msg) when it did not end as waited for and C(error) when it could not be queried.
    - Each entry has RV(job), RV(status), RV(state), RV(finished), RV(succeeded), RV(elapsed), RV(polls), RV(history),
      RV(request_id) and RV(server_ids).
  returned: when O(job_ids) is given
  type: list
  elements: dict
counts:
  description: With O(job_ids), how many jobs are in each RV(state) (C(unknown) for a job that could not be queried).
  returned: when O(job_ids) is given
  type: dict
  sample: {"succeeded": 48, "failed": 2}
'''

from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._module import JobModule


def main():
    JobModule(EcsJobApi()).run()


if __name__ == '__main__':
    main()
