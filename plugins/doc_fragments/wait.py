# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Waiting for a job, the same for every module.
    DOCUMENTATION = r'''
options:
  concurrency:
    description:
      - With many jobs (C(job_ids) or C(job_names)), how many status requests may be in flight at once. Jobs whose next poll
        is not due take no worker, so a few workers serve hundreds of jobs.
      - From 1 to 64.
    type: int
    default: 8
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
      - It bounds the whole task, not each job - the project look-up and the password login before the first poll
        included. The last look at the jobs, at the timeout, may take up to 2 more seconds; no request runs longer.
      - Throttling and failed requests never end a wait early - the job is asked again until this timeout, and the
        message then says what the last attempt met and how many requests the cloud throttled.
      - More than 0 and at most 604800 (7 days) when waiting.
    type: int
    default: 600
  wait_interval:
    description:
      - A fixed pause between polls, in seconds, from 0.5 (the floor, so that a wait never floods the API) to 3600.
      - When not set, the pause adapts - C(pause = min(30, max(1, 0.1 * waited))) seconds, where C(waited) is the
        time since the wait began. The first poll is immediate, the number of polls grows with the logarithm of the
        job's length (about 23 for a 30 s job, 38 for 2 minutes, 57 for 10 minutes), and the module returns at most
        about 10% (or 1 second) after the job has ended.
      - With many jobs, one job at a time is asked on this schedule (a task cannot return while any job runs) and
        the others are asked when it has ended, so each job costs about one request to be seen finished, plus one
        schedule for the whole task.
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
  - "Throttling: when the cloud throttles a request (HTTP 429 C(APIG.0308), C(Throttling.User)), every worker of the
    task pauses its requests to that endpoint - for the server's C(Retry-After) when it names one, else until the
    quota window a Huawei answer names (C(limit:200,time:5 minute)) has room for the task's own requests, else for
    C(min(30, 2 ** (k - 1)) * uniform(0.5, 1)) seconds after the k-th throttled answer in a row."
  - "Adaptive pacing: when at least half of an endpoint's last 10 answers were throttled (at most once in 10 seconds),
    the task's rate to it is halved from the rate it was sending at, never below one request in 30 seconds; once the
    cloud accepts again, requests leave C(1 / rate) apart and each accepted answer raises the rate by 5%, until
    the pace is lifted above 20 requests a second. O(rate_limit) stays the hard cap."
  - "Live progress: a wait on the controller (connection C(local), for example C(hosts: localhost) or
    C(delegate_to: localhost)) runs in the module's action plugin and prints each status change as it is seen, for
    example C(localhost: ecs_job_info | job 2c9e... RUNNING -> SUCCESS after 4m12s); with more than 10 jobs, a
    summary at most every 10 seconds, which says which counts are final and how old the others are, since one
    running job is asked at a time (C(100 jobs after 31.0s: 97 succeeded; 2 running when last asked (3.1s ago at
    most); 1 not asked yet)). Ansible writes to a pipe in blocks, so in CI logs the lines show up late
    unless E(PYTHONUNBUFFERED=1) is set."
  - On any other host the module runs there as usual and RV(history) tells the story when it ends. Set the variable
    C(jobwatch_progress=false) to run every wait as a module. Tasks with C(no_log) print no progress.
'''
