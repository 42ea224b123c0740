#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: cfw_job_info
short_description: Get the status of a Huawei Cloud Firewall job, and wait for it to finish
version_added: 0.1.0
description:
  - Queries a job of Huawei Cloud Firewall (CFW) (C(GET /v3/{project_id}/jobs/{job_id})), such as the job
    returned when a firewall is created.
  - With O(wait) or O(wait_for) it polls until the job is C(Success) or C(Failed), and fails the task when the job
    failed.
  - The API documents IAM token authentication (O(auth_token), or a password login); AK/SK signing works as for
    every Huawei Cloud API.
author:
  - jobwatch.cloud maintainers (@jobwatch)
options:
  job_id:
    description:
      - The id of the job, as returned by the request that started it (for example C(job_id) of a firewall
        creation).
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
  - name: CFW API, List Job Status
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-cfw/ListJob.html
'''

EXAMPLES = r'''
- name: Wait for the job that creates a firewall
  jobwatch.cloud.cfw_job_info:
    region: cn-north-4
    auth_token: "{{ iam_token }}"
    job_id: "{{ create_firewall.json.job_id }}"
    wait: true
  register: fw_job

- name: Show when it finished
  ansible.builtin.debug:
    msg: "Firewall job {{ fw_job.status }} at {{ fw_job.end_time }}"
'''

RETURN = r'''
job:
  description:
    - The job as the API returned it, keys in snake_case.
    - The API's C(data).
  returned: when O(job_id) is given
  type: dict
  contains:
    id:
      description: The job id.
      type: str
      sample: f588ce71-e26c-400d-8981-f854355f6849
    status:
      description: C(Running), C(Success) or C(Failed).
      type: str
      sample: Success
    begin_time:
      description: When the job began, as the API sent it (epoch milliseconds or a time string).
      type: raw
      sample: 1641370501000
    end_time:
      description: When the job ended, as the API sent it.
      type: raw
      sample: 1641370515000
status:
  description: The job's status as the API spells it.
  returned: when O(job_id) is given
  type: str
  sample: Success
state:
  description:
    - The status normalized across modules - one of C(pending), C(running), C(succeeded), C(failed), C(cancelled),
      C(stopped), C(blocked).
    - Here - C(running), C(succeeded) or C(failed).
  returned: when O(job_id) is given
  type: str
  sample: succeeded
finished:
  description:
    - Whether the status will not change by itself (with O(job_ids), whether every job's status will not).
    - Final here - Success and Failed.
  returned: success
  type: bool
  sample: true
succeeded:
  description:
    - Whether the job succeeded (with O(job_ids), whether every job did).
  returned: success
  type: bool
  sample: true
begin_time:
  description: When the job began, in ISO 8601 (UTC).
  returned: when the API sent it
  type: str
  sample: '2022-01-05T08:15:01.000Z'
end_time:
  description: When the job ended, in ISO 8601 (UTC).
  returned: when the API sent it
  type: str
  sample: '2022-01-05T08:15:15.000Z'
elapsed:
  description: Seconds spent in the module, querying and waiting.
  returned: always
  type: float
  sample: 14.2
polls:
  description: How many times the job's status was asked for (retries of one poll are not counted).
  returned: always
  type: int
  sample: 5
history:
  description: When waiting, each change of status seen, with the seconds elapsed when it was first seen.
  returned: when waiting
  type: list
  elements: dict
  sample: [{"status": "Running", "elapsed": 0.04}, {"status": "Success", "elapsed": 14.2}]
request_id:
  description:
    - The request id of the last answer, for support tickets.
  returned: when the cloud sent one
  type: str
error:
  description: On failure to query, the HTTP status, the cloud's error code and message.
  returned: on error
  type: dict
  sample: {"status": 400, "code": "CFW.00200005", "message": "job not found"}
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

from ansible_collections.jobwatch.cloud.plugins.module_utils._cfw_api import CfwJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._module import JobModule


def main():
    JobModule(CfwJobApi()).run()


if __name__ == '__main__':
    main()
