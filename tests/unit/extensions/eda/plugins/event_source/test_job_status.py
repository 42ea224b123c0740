# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source as ansible-rulebook runs it (by its path, ``main(queue, args)``), against the emulator in real time."""

import asyncio
import os
import runpy
import sys
import time

import pytest
import yaml

from jobwatch_emulator.identity import Identity
from jobwatch_emulator.server import Emulator

from ansible_collections.jobwatch.cloud.extensions.eda.plugins.event_source import job_status

CREDS = Identity()
PLUGIN = os.path.abspath(job_status.__file__)


@pytest.fixture(name='emulator')
def _emulator():
    with Emulator() as emu:
        yield emu


def run_path():
    """The plugin's namespace, loaded as ansible-rulebook loads it: runpy.run_path, by its path."""
    # Under ansible-test the collection loader's path hook would claim the file (as a package
    # directory); in ansible-rulebook no hook does, and run_path runs the file as a script.
    cache, sys.path_importer_cache[PLUGIN] = sys.path_importer_cache.get(PLUGIN), None
    try:
        return runpy.run_path(PLUGIN)
    finally:
        if cache is None:
            sys.path_importer_cache.pop(PLUGIN, None)
        else:
            sys.path_importer_cache[PLUGIN] = cache


def args_for(emu, **args):
    return dict(region='cn-north-4', project_id=CREDS.projects['cn-north-4'], access_key=CREDS.access_key,
                secret_key=CREDS.secret_key, endpoint=emu.url, **args)


def watch(main, args, timeout=20.0):
    """Run ``main`` until it returns; return its events and the longest the event loop was kept from running."""
    queue = asyncio.Queue()
    ticks = []

    async def ticker():
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.02)

    async def go():
        beat = asyncio.ensure_future(ticker())
        try:
            await asyncio.wait_for(main(queue, args), timeout)
        finally:
            beat.cancel()

    asyncio.run(go())
    events = []
    while not queue.empty():
        events.append(queue.get_nowait()['jobwatch'])
    return events, max(later - earlier for earlier, later in zip(ticks, ticks[1:]))


def test_rulebook_loads_it_by_path_and_finds_an_async_main():
    module = run_path()
    assert asyncio.iscoroutinefunction(module['main'])
    docs = yaml.safe_load(module['DOCUMENTATION'])
    assert {'service', 'job_id', 'job_ids', 'job_name', 'job_names', 'interval'} <= set(docs['options'])
    assert yaml.safe_load(module['EXAMPLES'])[0]['sources'][0]['jobwatch.cloud.job_status']['service'] == 'dataarts'


def test_events_in_order_through_throttling_dropped_connections_and_5xx(emulator):
    # After the first four polls (at 0, 0.5, 1 and 1.5 s: INIT, then RUNNING): about 5 s of faults and retries.
    faults = [{'kind': 'throttle', 'after': 4, 'times': 2}, {'kind': 'drop'}, {'kind': 'http_5xx', 'status': 503},
              {'kind': 'slow', 'delay': 1.0}]
    emulator.add_jobs([{'service': 'ecs', 'id': 'job-1', 'timeline': [['INIT', 0], ['RUNNING', 0.7], ['SUCCESS', 8]],
                        'faults': faults}])
    main = run_path()['main']
    events, longest_stall = watch(main, args_for(emulator, service='ecs', job_id='job-1', interval=0.5))
    assert [(event['previous_status'], event['status']) for event in events] == [
        (None, 'INIT'), ('INIT', 'RUNNING'), ('RUNNING', 'SUCCESS')]
    assert events[-1]['finished'] is True and events[-1]['request_id']
    assert emulator.requests()['faults']['job-1'] == {'throttle': 2, 'drop': 1, 'http_5xx': 1, 'slow': 1}
    # The HTTP calls, a 1 s slow answer and the retry pauses included, never held up the event loop.
    assert longest_stall < 0.5
    assert CREDS.secret_key not in repr(events)


def test_a_quota_slows_the_watch_down_and_never_ends_it():
    # Two requests in 3 s per credential, for a watch that would ask twice a second.
    jobs = [{'service': 'ecs', 'id': 'job-3', 'timeline': [['INIT', 0], ['RUNNING', 1], ['SUCCESS', 7]]}]
    with Emulator(jobs=jobs, quotas=[{'limit': 2, 'window': 3, 'service': 'ecs'}]) as emulator:
        events = watch(job_status.main, args_for(emulator, service='ecs', job_id='job-3', interval=0.5))[0]
        assert [event['status'] for event in events] == ['INIT', 'RUNNING', 'SUCCESS']
        assert emulator.requests()['throttled'] >= 1


def test_a_deleted_job_is_an_event_and_a_real_time_job_goes_on(emulator):
    emulator.add_jobs([{'service': 'ecs', 'id': 'job-2', 'timeline': [['RUNNING', 0]], 'faults': [{'kind': 'gone', 'after': 2}]},
                       {'service': 'dataarts', 'name': 'job_sms', 'timeline': [['NORMAL', 0], ['EXCEPTION', 1]]}])
    events = watch(job_status.main, args_for(emulator, service='ecs', job_id='job-2', interval=0.5))[0]
    assert [event['state'] for event in events] == ['running', 'gone']
    assert events[-1]['msg'].startswith('ECS job job-2 disappeared (last seen RUNNING)')
    with pytest.raises(asyncio.TimeoutError):
        watch(job_status.main, args_for(emulator, service='dataarts', job_name='job_sms', interval=0.5), timeout=3.0)


def test_bad_options_end_it_before_any_request(emulator):
    with pytest.raises(Exception, match='service must be one of'):
        watch(job_status.main, args_for(emulator, service='s3', job_id='job-1'))
    assert emulator.requests()['total'] == 0
