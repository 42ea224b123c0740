# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):
    # Waiting for a job, the same for every module.
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - Whether to wait until the job is finished, or reaches one of O(wait_for).
      - Without waiting, the module asks once and the job's status never fails the task.
    type: bool
    default: false
  wait_for:
    description:
      - Statuses to wait for, in the API's spelling, case-insensitive. Setting it implies O(wait=true).
      - By default the wait ends at any status that will not change by itself.
      - The wait also ends, and the task fails, at a final status from which none of these can be reached.
      - A status the API never reports is refused before any request is sent.
    type: list
    elements: str
  wait_timeout:
    description:
      - How long to wait, in seconds, before giving up. The task then fails with the last status seen.
      - With many jobs it bounds the whole task, not each job.
    type: int
    default: 600
  wait_interval:
    description:
      - A fixed pause between polls, in seconds.
      - When not set, the pause adapts - C(pause = min(30, max(1, 0.1 * waited))) seconds, where C(waited) is the
        time since the wait began. The first poll is immediate, the number of polls grows with the logarithm of the
        job's length (about 23 for a 30 s job, 38 for 2 minutes, 57 for 10 minutes), and the module returns at most
        about 10% (or 1 second) after the job has ended.
    type: float
  fail_on_job_failure:
    description:
      - When the wait ends because the job failed (or can no longer reach O(wait_for)), fail the task.
      - Set to V(false) to get the result and decide in the playbook, for example with RV(succeeded).
      - A wait that times out always fails the task.
      - With many jobs, the task fails when any of them failed, and C(msg) names each with its reason.
    type: bool
    default: true
notes:
  - "Live progress: a wait on the controller (connection C(local), for example C(hosts: localhost) or
    C(delegate_to: localhost)) runs in the module's action plugin and prints each status change as it is seen, for
    example C(localhost: ecs_job_info | job 2c9e... RUNNING -> SUCCESS after 4m12s); with more than 10 jobs, a
    summary at most every 10 seconds. Ansible writes to a pipe in blocks, so in CI logs the lines show up late
    unless E(PYTHONUNBUFFERED=1) is set."
  - On any other host the module runs there as usual and RV(history) tells the story when it ends. Set the variable
    C(jobwatch_progress=false) to run every wait as a module. Tasks with C(no_log) print no progress.
'''
