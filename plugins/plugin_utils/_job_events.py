# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Status changes of cloud jobs as events: what the job_status event source runs.

Each job is asked on a schedule of its own: the waits' adaptive pause, a tenth of the time since
its status last changed (at least 1 s, so a change is soon followed by the next look), at most
30 s while the job runs and 60 s in a status it may stay in for months (a real-time job that runs
or failed, an order waiting for payment); every ``interval`` seconds instead when given. A change
of status - the first status seen included - puts one event on the queue; the same status seen
again puts none. The watch ends when every job is done: finished in a status it cannot leave. A
real-time job (``restartable``) is never done, nor a blocked one: both may move again.

Nothing a cloud does in passing ends a watch. A poll without an answer after the HTTP client's
retries (throttling, a 5xx, a dropped connection) makes no event: the job is asked again on its
schedule, and the client's pacing, which every poll shares, keeps the pace the cloud accepted.
A job the cloud no longer knows is an event (state ``gone``), and done. Any other refusal
(credentials, rights, input) ends the watch with its message: asking again would not cure it.

Every blocking call (HTTP, an IAM login) runs in a worker thread (``run_blocking``), never on the
event loop.
"""

import asyncio
import logging
import time

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import BLOCKED, job_result
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import FIRST_PAUSE, LONGEST_PAUSE, PAUSE_SHARE

GONE = 'gone'
STEADY_LONGEST_PAUSE = 60.0
# How long one poll (its retries included) may take; a poll cut off here is asked again on schedule.
POLL_SECONDS = 120.0

log = logging.getLogger('jobwatch.cloud.job_status')


class WatchFailed(Exception):
    """A refusal that asking again would not cure; its message has every known secret masked."""


class WatchedJob:
    """One job: its last status, when that status began, when to ask next, whether it is done."""

    def __init__(self, job_id, now):
        self.job_id = job_id
        self.status = None
        self.changed_at = now   # when its status last changed (the watch's start before the first answer)
        self.due = now
        self.done = False
        self.failure = None     # the transient failure of its last poll, if it had no answer


class JobStatusWatch:
    """The blocking half: a connection, one poll of one job, the event a change makes, the next pause."""

    def __init__(self, options, clock=time.monotonic):
        self.options = options
        self.api = options.api
        self._clock = clock
        now = clock()
        self.jobs = [WatchedJob(job_id, now) for job_id in options.job_ids]
        self._connection = None

    def prepare(self):
        """Connect, then settle what every poll shares (a project id, a login). Blocking."""
        if self._connection is None:
            self._connection = self.api.connect(self.options.params, on_secret=self.options.secrets.add)
            self._connection.http.secrets = self.options.secrets
        self._connection.prepare(self._clock() + POLL_SECONDS)

    def poll(self, job):
        """Ask about ``job`` once; return the event its change of status makes, or None. Blocking."""
        api = self.api
        try:
            data, request_id = api.fetch(self._connection, job.job_id, self._clock() + POLL_SECONDS)
            result = job_result(api, data, request_id)
        except JobwatchError as error:
            if error.transient:
                return self._no_answer(job, error)
            if api.is_gone(error):
                return self._gone(job, error)
            raise
        except Exception as error:  # pylint: disable=broad-exception-caught
            # An answer no reader foresaw: a glitch of one answer must not end a watch of months.
            return self._no_answer(job, JobwatchError(
                'read the answer about %s %s' % (api.noun, job.job_id),
                'the answer has a shape this event source cannot read (%s: %s)' % (type(error).__name__, error)))
        if job.failure is not None:
            log.info('%s %s answers again', api.noun, job.job_id)
            job.failure = None
        status, previous = result['status'], job.status
        state, finished = result['state'], result['finished']
        job.done = finished and state != BLOCKED and not api.restartable and not api.leads_to.get(api.spelled(status))
        if status == previous:
            return None
        job.status, job.changed_at = status, self._clock()
        return self._event(job, previous, result)

    def pause(self, job):
        """Seconds until ``job`` is asked again."""
        if self.options.interval:
            return self.options.interval
        steady = job.status is not None and self.api.lookup(job.status)[1]
        return min(STEADY_LONGEST_PAUSE if steady else LONGEST_PAUSE,
                   max(FIRST_PAUSE, PAUSE_SHARE * (self._clock() - job.changed_at)))

    def _no_answer(self, job, error):
        if job.failure is None:
            # Once per spell without answers: a throttled watch of months must not flood the log.
            log.warning('%s; asking again later', self.options.secrets.mask(str(error)))
        job.failure = error
        return None

    def _gone(self, job, error):
        api, previous = self.api, job.status
        job.done = True
        job.status, job.changed_at = None, self._clock()
        if previous is None:
            what = '%s %s does not exist' % (api.noun, job.job_id)
        else:
            what = '%s %s disappeared (last seen %s)' % (api.noun, job.job_id, previous)
        result = dict(job=None, status=None, state=GONE, finished=True, succeeded=False, request_id=error.request_id,
                      msg='%s: %s' % (what, error))
        return self._event(job, previous, result)

    def _event(self, job, previous, result):
        event = {'service': self.options.service, self.api.id_option: job.job_id, 'previous_status': previous}
        event.update(result)
        return dict(jobwatch=self._masked(event))

    def _masked(self, value):
        if isinstance(value, str):
            return self.options.secrets.mask(value)
        if isinstance(value, dict):
            return {key: self._masked(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._masked(item) for item in value]
        return value


async def watch_jobs(queue, options, clock=time.monotonic, sleep=asyncio.sleep, run_blocking=asyncio.to_thread):
    """Put an event on ``queue`` for each status change of the watched jobs, until every job is done.

    Raises WatchFailed for a refusal that asking again would not cure.
    """
    watch = JobStatusWatch(options, clock=clock)
    if not options.params.get('validate_certs', True):
        log.warning('TLS certificate verification is off (validate_certs=false): anyone on the path can read and '
                    'change these requests. Use ca_path to trust a private CA instead.')
    try:
        await _prepared(watch, sleep, run_blocking)
        limit = asyncio.Semaphore(options.params['concurrency'])

        async def poll(job):
            async with limit:
                return await run_blocking(watch.poll, job)

        while not all(job.done for job in watch.jobs):
            now = clock()
            due = [job for job in watch.jobs if not job.done and job.due <= now]
            if not due:
                await sleep(min(job.due for job in watch.jobs if not job.done) - now)
                continue
            events = await asyncio.gather(*(poll(job) for job in due))
            for job, event in zip(due, events):
                job.due = clock() + watch.pause(job)
                if event is not None:
                    await queue.put(event)
    except JobwatchError as error:
        raise WatchFailed(options.secrets.mask(str(error))) from None


async def _prepared(watch, sleep, run_blocking):
    """Connect and log in, asking again (1 s, 2 s, ... up to 60 s apart) while the cloud gives no answer."""
    pause = FIRST_PAUSE
    while True:
        try:
            await run_blocking(watch.prepare)
            return
        except JobwatchError as error:
            if not error.transient:
                raise
            log.warning('%s; trying again in %.0f s', watch.options.secrets.mask(str(error)), pause)
        await sleep(pause)
        pause = min(STEADY_LONGEST_PAUSE, 2 * pause)
