# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job_status event source's watch, on a fake clock: events in order, none twice, faults ridden out.

The jobs are scripted doubles of the real API descriptions (only ``connect`` and ``fetch`` are
replaced), the queue is an asyncio.Queue, and the loop's sleeps move the fake clock.
"""

import asyncio
import threading

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.plugin_utils._job_events import GONE, WatchFailed, watch_jobs
from ansible_collections.jobwatch.cloud.plugins.plugin_utils._watch_options import watch_options
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import FakeClock

SECRET = 'scripted-secret-key-0000000000000000'
HUAWEI = dict(region='cn-north-4', project_id='0123456789abcdef0123456789abcdef', access_key='SCRIPTEDAK0000000001',
              secret_key=SECRET)


class Stop(Exception):
    """Ends a watch that never ends by itself (real-time jobs) once the test has seen enough."""


def throttled(job_id):
    return JobwatchError('query job %s' % job_id, 'throttled', status=429, code='APIG.0308', transient=True, throttled=True)


def dropped(job_id):
    return JobwatchError('query job %s' % job_id, 'the connection was closed without an answer', transient=True)


def not_found(job_id):
    return JobwatchError('query job %s' % job_id, 'no such job', status=404, code='Common.0011', request_id='req-404')


class FakeConnection:
    class Http:
        secrets = None

    def __init__(self, failures):
        self.http = self.Http()
        self.failures = list(failures)
        self.prepared = 0

    def prepare(self, deadline=None):
        if self.failures:
            raise self.failures.pop(0)
        self.prepared += 1


class Scripted:
    """Mixed into an API description: each job's status follows ``timelines`` on the fake clock.

    ``timelines``: job id -> [(seconds since the watch began, status or an exception maker), ...];
    ``faults``: job id -> {poll number: exception maker}, for polls that get no answer.
    """

    def script(self, clock, timelines, faults=None, prepare_failures=(), answer=None):
        self.clock = clock
        self.start = clock.now
        self.timelines = timelines
        self.faults = faults or {}
        self.prepare_failures = prepare_failures
        self.answer = answer or {}
        self.asked = []      # (seconds since start, job id) of each poll
        self.threads = set()
        return self

    def connect(self, params, on_secret):
        self.connection = FakeConnection(self.prepare_failures)
        return self.connection

    def fetch(self, connection, job_id, deadline):
        assert connection is self.connection and connection.prepared
        self.threads.add(threading.current_thread().name)
        elapsed = self.clock.now - self.start
        self.asked.append((elapsed, job_id))
        fault = self.faults.get(job_id, {}).get(sum(1 for entry in self.asked if entry[1] == job_id))
        if fault:
            raise fault(job_id)
        now = [step for moment, step in self.timelines[job_id] if moment <= elapsed][-1]
        if callable(now):
            raise now(job_id)
        return self.read_job(dict(self.answer, status=now, job_id=job_id, name=job_id)), 'req-%d' % len(self.asked)


class ScriptedEcs(Scripted, EcsJobApi):
    pass


class ScriptedDataArts(Scripted, DataArtsJobApi):
    pass


def options_for(api, **args):
    service = 'dataarts' if isinstance(api, DataArtsJobApi) else 'ecs'
    options = watch_options(dict(HUAWEI, service=service, **args))
    options.api = api
    return options


def run_watch(clock, options, until=None):
    """Run the watch on the fake clock; return the events it queued. ``until``: stop when the clock passes it."""
    queue = asyncio.Queue()

    async def sleep(seconds):
        if until is not None and clock.now + seconds > until:
            raise Stop()
        clock.sleep(seconds)

    async def run_blocking(function, *args):
        return function(*args)

    async def go():
        try:
            await watch_jobs(queue, options, clock=clock, sleep=sleep, run_blocking=run_blocking)
        except Stop:
            pass

    asyncio.run(go())
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events


def statuses(events):
    return [(event['jobwatch']['previous_status'], event['jobwatch']['status']) for event in events]


@pytest.fixture(name='clock')
def _clock():
    return FakeClock(start=1000.0)


def test_one_event_per_change_in_order_and_the_watch_ends_with_the_job(clock):
    api = ScriptedEcs().script(clock, {'job-1': [(0, 'INIT'), (3, 'RUNNING'), (40, 'SUCCESS')]})
    events = run_watch(clock, options_for(api, job_id='job-1'))
    assert statuses(events) == [(None, 'INIT'), ('INIT', 'RUNNING'), ('RUNNING', 'SUCCESS')]
    # Asked many times, told three times: an unchanged status makes no event.
    assert len(api.asked) > 10
    last = events[-1]['jobwatch']
    assert last['service'] == 'ecs' and last['job_id'] == 'job-1'
    assert last['state'] == 'succeeded' and last['finished'] is True and last['succeeded'] is True
    assert last['request_id'] == 'req-%d' % len(api.asked)
    assert last['job']['status'] == 'SUCCESS' and last['server_ids'] == []
    # Nothing asked after the job ended.
    assert api.asked[-1][0] >= 40


def test_pauses_follow_the_waits_schedule_capped_at_30_s_while_running_and_60_s_in_a_steady_status(clock):
    api = ScriptedDataArts().script(clock, {'job_sms': [(0, 'STARTING'), (400, 'NORMAL')]})
    run_watch(clock, options_for(api, job_name='job_sms'), until=clock.now + 2000)
    moments = [entry[0] for entry in api.asked]
    gaps = [round(later - earlier, 3) for earlier, later in zip(moments, moments[1:])]
    assert gaps[:10] == [1.0] * 10          # a tenth of the time since the last change, at least 1 s
    starting = [gap for moment, gap in zip(moments, gaps) if moment < 400]
    assert max(starting) == 30.0             # running (STARTING): at most 30 s
    normal = [gap for moment, gap in zip(moments, gaps) if moment > 400]
    assert normal[0] == 1.0                  # a change: asked again soon
    assert max(normal) == 60.0               # NORMAL may last for months: at most 60 s


def test_an_interval_replaces_the_schedule(clock):
    api = ScriptedEcs().script(clock, {'job-1': [(0, 'RUNNING'), (100, 'SUCCESS')]})
    run_watch(clock, options_for(api, job_id='job-1', interval=7.5))
    moments = [entry[0] for entry in api.asked]
    assert {round(later - earlier, 3) for earlier, later in zip(moments, moments[1:])} == {7.5}


def test_throttling_and_dropped_connections_make_no_event_and_never_end_the_watch(clock):
    timeline = {'job-1': [(0, 'INIT'), (3, 'RUNNING'), (20, 'SUCCESS')]}
    faults = {'job-1': dict.fromkeys(range(2, 8), throttled)}
    faults['job-1'].update(dict.fromkeys(range(9, 14), dropped))
    api = ScriptedEcs().script(clock, timeline, faults=faults)
    events = run_watch(clock, options_for(api, job_id='job-1'))
    assert statuses(events) == [(None, 'INIT'), ('INIT', 'RUNNING'), ('RUNNING', 'SUCCESS')]
    assert len(api.asked) >= 15


def test_a_set_up_without_answers_is_tried_again(clock):
    api = ScriptedEcs().script(clock, {'job-1': [(0, 'SUCCESS')]}, prepare_failures=[dropped('iam'), throttled('iam')])
    events = run_watch(clock, options_for(api, job_id='job-1'))
    assert statuses(events) == [(None, 'SUCCESS')]
    assert api.asked[0][0] == 3.0   # 1 s, then 2 s after the two set-ups without an answer


def test_a_job_that_disappears_is_an_event_and_done(clock):
    api = ScriptedEcs().script(clock, {'job-1': [(0, 'RUNNING'), (5, not_found)], 'job-2': [(0, 'RUNNING'), (8, 'SUCCESS')]})
    events = run_watch(clock, options_for(api, job_ids=['job-1', 'job-2']))
    gone = [event['jobwatch'] for event in events if event['jobwatch']['state'] == GONE]
    assert len(gone) == 1
    assert gone[0]['job_id'] == 'job-1' and gone[0]['previous_status'] == 'RUNNING' and gone[0]['status'] is None
    assert gone[0]['finished'] is True and gone[0]['request_id'] == 'req-404'
    assert gone[0]['msg'].startswith('ECS job job-1 disappeared (last seen RUNNING): ')
    assert [event['jobwatch']['status'] for event in events if event['jobwatch']['job_id'] == 'job-2'] == ['RUNNING', 'SUCCESS']
    assert not [moment for moment, job_id in api.asked if job_id == 'job-1' and moment > 5]


def test_a_job_unknown_from_the_start_is_an_event_too(clock):
    api = ScriptedEcs().script(clock, {'job-1': [(0, not_found)]})
    events = run_watch(clock, options_for(api, job_id='job-1'))
    assert len(events) == 1
    assert events[0]['jobwatch']['msg'].startswith('ECS job job-1 does not exist: ')


def test_a_real_time_job_is_watched_for_good_through_failures_and_restarts(clock):
    # Each passing status lasts longer than the pause before it (25 s, 57 s): a watch sees what lasts that long.
    timeline = [(0, 'NORMAL'), (50, 'EXCEPTION'), (300, 'STARTING'), (330, 'NORMAL'), (900, 'STOPPING'), (970, 'STOPPED')]
    api = ScriptedDataArts().script(clock, {'job_sms': timeline})
    events = run_watch(clock, options_for(api, job_name='job_sms'), until=clock.now + 5000)
    assert statuses(events) == [(None, 'NORMAL'), ('NORMAL', 'EXCEPTION'), ('EXCEPTION', 'STARTING'),
                                ('STARTING', 'NORMAL'), ('NORMAL', 'STOPPING'), ('STOPPING', 'STOPPED')]
    assert events[1]['jobwatch']['job_name'] == 'job_sms' and events[1]['jobwatch']['state'] == 'failed'
    assert api.asked[-1][0] > 4900   # STOPPED too: a stopped real-time job can be started again


def test_an_ecs_job_waiting_for_payment_stays_watched(clock):
    api = ScriptedEcs().script(clock, {'job-1': [(0, 'PENDING_PAYMENT'), (600, 'RUNNING'), (700, 'SUCCESS')]})
    events = run_watch(clock, options_for(api, job_id='job-1'))
    assert statuses(events) == [(None, 'PENDING_PAYMENT'), ('PENDING_PAYMENT', 'RUNNING'), ('RUNNING', 'SUCCESS')]


def test_many_jobs_each_on_its_schedule(clock):
    timelines = {'job-%d' % number: [(0, 'RUNNING'), (10 * number, 'SUCCESS')] for number in range(1, 6)}
    api = ScriptedEcs().script(clock, timelines)
    events = run_watch(clock, options_for(api, job_ids=sorted(timelines), concurrency=2))
    assert [event['jobwatch']['job_id'] for event in events[:5]] == sorted(timelines)   # first statuses, in order
    ended = [event['jobwatch']['job_id'] for event in events if event['jobwatch']['status'] == 'SUCCESS']
    assert ended == sorted(timelines)


def test_a_refusal_ends_the_watch_with_the_message_and_no_secret(clock):
    def refused(job_id):
        return JobwatchError('query job %s' % job_id, 'the signature of %s was refused' % SECRET, status=401, code='APIGW.0301')

    api = ScriptedEcs().script(clock, {'job-1': [(0, 'RUNNING'), (5, refused)]})
    with pytest.raises(WatchFailed) as caught:
        asyncio.run(watch_jobs(asyncio.Queue(), options_for(api, job_id='job-1'), clock=clock, sleep=_fake_sleep(clock),
                               run_blocking=_inline))
    assert 'HTTP 401' in str(caught.value) and 'refused' in str(caught.value)
    assert SECRET not in str(caught.value) and SECRET[:12] not in str(caught.value)


def test_secrets_an_answer_echoes_are_masked_in_events(clock):
    api = ScriptedEcs().script(clock, {'job-1': [(0, 'SUCCESS')]}, answer={'fail_reason': 'key %s leaked' % SECRET[:20]})
    events = run_watch(clock, options_for(api, job_id='job-1'))
    assert SECRET[:12] not in repr(events)
    assert '********' in events[0]['jobwatch']['job']['fail_reason']


def test_blocking_calls_run_in_worker_threads(clock):
    api = ScriptedEcs().script(clock, {'job-1': [(0, 'SUCCESS')]})
    queue = asyncio.Queue()
    asyncio.run(watch_jobs(queue, options_for(api, job_id='job-1'), clock=clock, sleep=_fake_sleep(clock)))
    assert queue.qsize() == 1
    assert threading.main_thread().name not in api.threads


def _fake_sleep(clock):
    async def sleep(seconds):
        clock.sleep(seconds)
    return sleep


async def _inline(function, *args):
    return function(*args)
