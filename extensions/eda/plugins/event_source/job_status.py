# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event source jobwatch.cloud.job_status: an event for each status change of cloud jobs.

The work is done by the collection's own code (plugins/plugin_utils/_job_events.py), on the API
descriptions, HTTP client and credentials of the modules.
"""

import asyncio
import json
import os
import sys
from pathlib import Path

DOCUMENTATION = r'''
---
short_description: Watch cloud jobs and put an event on the queue for each status change
description:
  - Asks the job API of O(service) about each job on a schedule and puts one event on the queue each time a job's
    status changes, the first status seen included. The same status seen again makes no event.
  - Takes the options of the service's module - credentials with their environment variables, O(region), O(endpoint),
    TLS and rate options, the job ids - as C(jobwatch.cloud.ecs_job_info), C(jobwatch.cloud.cfw_job_info),
    C(jobwatch.cloud.dataarts_job_status) and C(jobwatch.cloud.dataworks_job_info) document them; they are checked
    the same way, before any request. The module's wait options (C(wait), C(wait_for), C(wait_timeout),
    C(wait_interval), C(fail_on_job_failure)) do not apply.
  - Ends when every job is finished in a status it cannot leave. A DataArts real-time job is never finished (it can
    be started again), nor an ECS job waiting for payment; a watch of them goes on until the rulebook stops.
  - Throttling, 5xx answers and dropped connections never end the watch - the job is asked again later, at the pace
    the cloud accepts. A job the cloud no longer knows makes an event with RV(jobwatch.state) V(gone). Refused
    credentials or rights end it with the cloud's message.
  - Each event has one key, C(jobwatch), holding C(service), C(job_id) (C(job_name) for DataArts), C(status),
    C(state), C(previous_status), C(finished), C(succeeded), C(job) (the API's answer, keys in snake_case),
    C(request_id), and the module's extra results (C(server_ids) for ECS, C(nodes) for DataArts). A job that is
    gone has C(status) null, C(state) V(gone) and C(msg).
  - Needs ansible-core and C(requests) where ansible-rulebook runs, and this collection in a collections path.
options:
  service:
    description:
      - The cloud service the jobs belong to.
    type: str
    required: true
    choices: [ecs, cfw, dataarts, dataworks]
  job_id:
    description:
      - The job to watch (ECS, CFW, DataWorks). One of O(job_id) and O(job_ids) is required.
    type: str
  job_ids:
    description:
      - Several jobs to watch (ECS, CFW, DataWorks).
    type: list
    elements: str
  job_name:
    description:
      - The DataArts real-time job to watch. One of O(job_name) and O(job_names) is required for DataArts.
    type: str
  job_names:
    description:
      - Several DataArts real-time jobs to watch.
    type: list
    elements: str
  workspace:
    description:
      - The DataArts workspace id of the jobs; none means the default workspace.
    type: str
  interval:
    description:
      - Seconds between two questions about one job, from 0.5 to 3600.
      - When not set, the schedule of the waits - a tenth of the time since the job's status last changed, at least
        1 s - at most 30 s while the job runs and at most 60 s in a status it may stay in for long (a real-time job
        that runs).
    type: float
  region:
    description:
      - The region; builds the endpoint. Environment fallbacks as in the module (E(HW_REGION_NAME),
        E(ALIBABA_CLOUD_REGION_ID)...).
    type: str
  endpoint:
    description:
      - The full URL of the service endpoint instead of the one built from O(region).
    type: str
  concurrency:
    description:
      - How many jobs are asked at once at most.
    type: int
    default: 8
notes:
  - Credentials are best left to the environment variables the modules read (E(HW_ACCESS_KEY) and E(HW_SECRET_KEY),
    E(ALIBABA_CLOUD_ACCESS_KEY_ID) and E(ALIBABA_CLOUD_ACCESS_KEY_SECRET)...), so that they stay out of the rulebook.
    No event, log line or error message holds a secret.
  - When a source ends, ansible-rulebook shuts the whole rulebook down. Watch jobs that end (ECS, CFW, DataWorks)
    and real-time jobs that never do in separate rulebooks (activations) when the watch of the real-time jobs must
    go on.
'''

EXAMPLES = r'''
- name: Restart a DataArts real-time job that failed
  hosts: all
  sources:
    - jobwatch.cloud.job_status:
        service: dataarts
        region: cn-north-4
        workspace: 0833a5737480d53b2f250010d01a7b88
        job_names: [job_sms, job_orders]
  rules:
    - name: A real-time job failed
      condition: event.jobwatch.status == "EXCEPTION"
      action:
        run_playbook:
          name: restart_realtime_job.yml

- name: Follow up when ECS jobs end
  hosts: all
  sources:
    - jobwatch.cloud.job_status:
        service: ecs
        region: cn-north-4
        job_ids:
          - ff80808288d41e1b018a1b0b3d7e0f51
  rules:
    - name: The servers are there
      condition: event.jobwatch.state == "succeeded"
      action:
        run_playbook:
          name: configure_servers.yml
          extra_vars:
            server_ids: "{{ event.jobwatch.server_ids }}"
'''


def _collection_code():
    """The watch and its options, from the collection this file belongs to.

    ansible-rulebook runs this file by its path, without Ansible's collection loader: when the
    collection cannot be imported yet, the directory holding its ansible_collections/ is put on sys.path.
    """
    try:
        from ansible_collections.jobwatch.cloud.plugins.plugin_utils import _job_events, _watch_options
    except ImportError:
        # .../ansible_collections/jobwatch/cloud/extensions/eda/plugins/event_source/job_status.py
        sys.path.insert(0, str(Path(os.path.abspath(__file__)).parents[7]))
        from ansible_collections.jobwatch.cloud.plugins.plugin_utils import _job_events, _watch_options
    return _job_events, _watch_options


async def main(queue, args):
    """Put an event on ``queue`` for each status change of the jobs ``args`` name, until every one is done."""
    job_events, watch_options = _collection_code()
    await job_events.watch_jobs(queue, watch_options.watch_options(args))


if __name__ == '__main__':
    # Try a watch alone: python job_status.py '{"service": "ecs", "region": "cn-north-4", "job_id": "..."}'

    class PrintingQueue:
        async def put(self, event):
            print(json.dumps(event), flush=True)

    asyncio.run(main(PrintingQueue(), json.loads(sys.argv[1])))
