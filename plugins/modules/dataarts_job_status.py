#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: dataarts_job_status
short_description: Get the running status of a Huawei Cloud DataArts Studio real-time job, and wait for it
version_added: 0.1.0
description:
  - Queries the running status of a real-time (streaming) job of DataArts Factory in Huawei Cloud DataArts Studio
    (C(GET /v1/{project_id}/jobs/{job_name}/status)), with the status of each of its nodes.
  - A real-time job does not finish. C(STARTING) and C(STOPPING) are on the way; C(NORMAL) means it runs
    healthily, C(EXCEPTION) that it failed, C(STOPPED) that it stopped.
  - By default a wait ends at C(NORMAL), C(EXCEPTION) or C(STOPPED), and fails the task at C(EXCEPTION).
    After starting a job, use O(wait_for=NORMAL) - the task then fails at C(EXCEPTION) or C(STOPPED).
    After stopping one, use O(wait_for=STOPPED) - a job still C(NORMAL) is waited on, as it is on its way.
author:
  - jobwatch.cloud maintainers (@jobwatch)
options:
  job_name:
    description:
      - The name of the real-time job. Any characters are allowed (spaces, C(/), non-ASCII); the name is
        percent-encoded as one path segment.
      - Exactly one of O(job_name) and O(job_names) is required.
    type: str
  job_names:
    description:
      - The names of many jobs, queried (and waited on) together in this one task, a few at a time (see O(concurrency)).
      - The result then has one entry per job in RV(jobs), each with the keys a single job returns, and the number of jobs per state in RV(counts).
    type: list
    elements: str
  workspace:
    description:
      - The id of the DataArts Studio workspace, sent as the C(workspace) header (printable ASCII, no surrounding
        white space).
      - When not set, the default workspace is used; it is required when there is no default workspace.
    type: str
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
  - name: DataArts Studio API, Viewing Running Status of a Real-Time Job
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-dataartsstudio/dataartsstudio_02_0227.html
'''

EXAMPLES = r'''
- name: After starting a real-time job, wait until it runs normally
  jobwatch.cloud.dataarts_job_status:
    region: cn-north-4
    workspace: "{{ dataarts_workspace_id }}"
    job_name: job_sms
    wait_for: NORMAL
    wait_timeout: 300
  register: started

- name: Show each node's status
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.status | default('?') }}, {{ item.total_put_records | default(0) }} records written"
  loop: "{{ started.nodes }}"

- name: After stopping it, wait until it has stopped
  jobwatch.cloud.dataarts_job_status:
    region: cn-north-4
    workspace: "{{ dataarts_workspace_id }}"
    job_name: job_sms
    wait_for: STOPPED
'''

RETURN = r'''
job:
  description:
    - The job as the API returned it, keys in snake_case.
    - The API's answer; C(lastModifiyUser) becomes C(last_modifiy_user).
  returned: when O(job_name) is given
  type: dict
  contains:
    name:
      description: The job name.
      type: str
      sample: job_sms
    status:
      description: C(STARTING), C(NORMAL), C(EXCEPTION), C(STOPPING) or C(STOPPED).
      type: str
      sample: NORMAL
    start_time:
      description: When the job started, in epoch milliseconds (C(startTime), or C(starttime) as the SDK's model spells it).
      type: int
    end_time:
      description: When the job ended, in epoch milliseconds.
      type: int
    last_update_time:
      description: When the status last changed, in epoch milliseconds.
      type: int
    create_user:
      description: Who created the job.
      type: str
    last_modifiy_user:
      description: Who last changed the job (the API's spelling).
      type: str
status:
  description: The job's status as the API spells it.
  returned: when O(job_name) is given
  type: str
  sample: NORMAL
state:
  description:
    - The status normalized across modules - one of C(pending), C(running), C(succeeded), C(failed), C(cancelled),
      C(stopped), C(blocked).
    - Here - C(pending) (STARTING), C(running) (NORMAL, STOPPING), C(failed) (EXCEPTION) or C(stopped) (STOPPED).
  returned: when O(job_name) is given
  type: str
  sample: running
finished:
  description:
    - Whether the status will not change by itself (with O(job_names), whether every job's status will not).
    - Will not change by itself here - NORMAL, EXCEPTION and STOPPED.
  returned: success
  type: bool
  sample: true
succeeded:
  description:
    - Whether the job succeeded (with O(job_names), whether every job did).
    - Always false here - a real-time job never "succeeds"; look at RV(state) and RV(status).
  returned: success
  type: bool
  sample: false
nodes:
  description:
    - The job's nodes with their status and counters, keys in snake_case.
    - C(type) is the node type (C(nodeType) as the SDK's model spells it).
  returned: when O(job_name) is given
  type: list
  elements: dict
  sample: [{"name": "MRS_Flink_Job_8635", "status": "NORMAL", "last_instance_status": "running", "speed": 0,
            "total_get_records": 120, "total_put_records": 120, "buffer_records": 0, "job_instance_id": 10024}]
start_time:
  description: RV(job.start_time) in ISO 8601 (UTC).
  returned: when the API sent it
  type: str
  sample: '2024-05-06T08:00:00.000Z'
end_time:
  description: RV(job.end_time) in ISO 8601 (UTC).
  returned: when the API sent it
  type: str
last_update_time:
  description: RV(job.last_update_time) in ISO 8601 (UTC).
  returned: when the API sent it
  type: str
elapsed:
  description: Seconds spent in the module, querying and waiting.
  returned: always
  type: float
  sample: 8.4
polls:
  description: How many times the job's status was asked for (retries of one poll are not counted).
  returned: always
  type: int
  sample: 4
history:
  description: When waiting, each change of status seen, with the seconds elapsed when it was first seen.
  returned: when waiting
  type: list
  elements: dict
  sample: [{"status": "STARTING", "elapsed": 0.03}, {"status": "NORMAL", "elapsed": 8.4}]
request_id:
  description:
    - The request id of the last answer, for support tickets.
  returned: when the cloud sent one
  type: str
error:
  description: On failure to query, the HTTP status, the cloud's error code and message.
  returned: on error
  type: dict
  sample: {"status": 400, "code": "DLF.0100", "message": "The job does not exists."}
jobs:
  description:
    - With O(job_names), one entry per job in the order given - its C(job_name) and the keys a single job returns,
      plus C(msg) when it did not end as waited for and C(error) when it could not be queried.
    - Each entry has RV(job), RV(status), RV(state), RV(finished), RV(succeeded), RV(elapsed), RV(polls), RV(history),
      RV(request_id) and RV(nodes).
  returned: when O(job_names) is given
  type: list
  elements: dict
counts:
  description: With O(job_names), how many jobs are in each RV(state) (C(unknown) for a job that could not be queried).
  returned: when O(job_names) is given
  type: dict
  sample: {"succeeded": 48, "failed": 2}
'''

from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._module import JobModule


def main():
    JobModule(DataArtsJobApi()).run()


if __name__ == '__main__':
    main()
