# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One task of a job module, whoever runs it (the module on a host, or the action plugin on the controller).

``JobTask(api, params).run()`` returns ``(failed, result)``; it needs validated ``params`` and
two callbacks: ``warn(text)`` and ``hide(value)`` (a secret learnt on the way, such as a token).
"""

import time

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import text
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import BLOCKED, FAILURE_STATES, job_result
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import CONNECTION_SPEC, WAIT_SPEC, check_connection, check_wait
from ansible_collections.jobwatch.cloud.plugins.module_utils._task_base import TaskBase
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import REACHED, TIMED_OUT, JobWatch, WaitGoal, Waiter

# How many failed jobs a message names before it only counts the rest.
NAMED_IN_MESSAGE = 10


def argument_spec(api):
    """The options of ``api``'s module, and the constraints between them."""
    spec = dict(api.argument_spec)
    spec.update(CONNECTION_SPEC)
    spec.update(WAIT_SPEC)
    spec[api.id_option] = dict(type='str')
    spec[api.ids_option] = dict(type='list', elements='str')
    spec.update(api.options)
    constraints = {key: list(value) if isinstance(value, (list, tuple)) else value for key, value in api.constraints.items()}
    pair = (api.id_option, api.ids_option)
    constraints['mutually_exclusive'] = constraints.get('mutually_exclusive', []) + [pair]
    constraints['required_one_of'] = constraints.get('required_one_of', []) + [pair]
    return spec, constraints


def checked_job_ids(api, params):
    """The ids of ``job_id`` or ``job_ids`` (``job_name``...), each checked, or a JobwatchError before any request."""
    if params[api.ids_option] is None:
        return [api.check_id(params[api.id_option])]
    job_ids = [api.check_id(value, api.ids_option) for value in params[api.ids_option]]
    if not job_ids:
        raise JobwatchError('check %s' % api.ids_option, '%s is empty' % api.ids_option)
    if len(set(job_ids)) != len(job_ids):
        raise JobwatchError('check %s' % api.ids_option, '%s names a job twice' % api.ids_option)
    return job_ids


class JobTask(TaskBase):
    """Checks the input, asks or waits, and builds the result of one task."""

    doing = 'asking for the job'

    def __init__(self, api, params, warn=None, hide=None, on_change=None, clock=time.monotonic):
        super().__init__(api, params, argument_spec(api)[0], warn=warn, hide=hide, clock=clock)
        self._on_change = on_change
        self._http = None

    def _run(self):
        # wait_timeout bounds the whole task, the look-ups and logins before the first poll included.
        started = self._clock()
        api, params = self.api, self.params
        # Every check on the input comes before the first request.
        single = params[api.ids_option] is None
        job_ids = checked_job_ids(api, params)
        goal = WaitGoal(api, params['wait_for'])
        waiting = params['wait'] or bool(params['wait_for'])
        check_wait(params, waiting)
        check_connection(params)
        api.check_params(params)
        if not params['validate_certs']:
            self._warn('TLS certificate verification is off (validate_certs=false): anyone on the path can read '
                       'and change these requests. Use ca_path to trust a private CA instead.')
        connection = api.connect(params, on_secret=self._secret_learnt)
        connection.http.secrets = self._secrets
        self._http = connection.http
        # Settle what every poll shares (a project id, a login) once, before the workers start. Without
        # a wait there is no deadline: the retry policy bounds these requests, as it bounds the query.
        connection.prepare(started + params['wait_timeout'] if waiting else None)

        watches = [JobWatch(job_id, goal) for job_id in job_ids]
        waiter = Waiter(params['wait_timeout'], params['wait_interval'], workers=min(params['concurrency'], len(watches)),
                        once=not waiting, on_change=self._on_change, clock=self._clock, start=started)

        def poll(job_id, deadline):
            try:
                job, request_id = api.fetch(connection, job_id, deadline)
                return api.read_status(job), (job, request_id)
            except JobwatchError:
                raise
            except Exception as error:  # pylint: disable=broad-exception-caught
                # An answer no reader foresaw spoils this job's entry only, not the whole task.
                raise _unreadable(api, job_id, error)

        waiter.watch(poll, watches)
        return self._finish_one(watches[0], waiting) if single else self._finish_many(watches, waiting)

    def _report(self, watch, waiting):
        """The single-job result keys of one watch: the keys every module returns, its elapsed time and polls."""
        result = dict(elapsed=watch.elapsed, polls=watch.polls)
        if watch.payload is not None:
            try:
                result.update(job_result(self.api, *watch.payload))
            except Exception as error:  # pylint: disable=broad-exception-caught
                watch.error = watch.error or _unreadable(self.api, watch.job_id, error)
        if waiting:
            result['history'] = watch.history
        problem = watch.error if watch.error is not None else watch.failure
        if problem is not None:
            result.update(problem.as_result())
        return result

    def _finish_one(self, watch, waiting):
        result = dict(changed=False)
        result.update(self._report(watch, waiting))
        if watch.error is not None:
            result['msg'] = self._error_message(watch)
            return True, result
        message = self._trouble(watch) if waiting else None
        if message and (watch.verdict == TIMED_OUT or self.params['fail_on_job_failure']):
            result['msg'] = message
            return True, result
        if message and result['state'] == BLOCKED:
            self._warn(message)
        return False, result

    def _finish_many(self, watches, waiting):
        api, params = self.api, self.params
        jobs, counts, problems, failing = [], {}, [], False
        for watch in watches:
            entry = {api.id_option: watch.job_id}
            entry.update(self._report(watch, waiting))
            state = entry.get('state', 'unknown')
            counts[state] = counts.get(state, 0) + 1
            message = self._error_message(watch) if watch.error is not None else (self._trouble(watch) if waiting else None)
            if message:
                entry['msg'] = message
                problems.append(message)
                failing = failing or watch.error is not None or watch.verdict == TIMED_OUT or params['fail_on_job_failure']
            jobs.append(entry)
        result = dict(changed=False, jobs=jobs, counts=counts, polls=sum(watch.polls for watch in watches),
                      elapsed=max(watch.elapsed or 0.0 for watch in watches),
                      finished=all(entry.get('finished') for entry in jobs),
                      succeeded=all(entry.get('succeeded') for entry in jobs))
        if failing:
            named = ' '.join('(%d) %s' % (number, text) for number, text in enumerate(problems[:NAMED_IN_MESSAGE], 1))
            more = ' (and %d more)' % (len(problems) - NAMED_IN_MESSAGE) if len(problems) > NAMED_IN_MESSAGE else ''
            outcome = 'did not end as waited for' if waiting else 'could not be read'
            result['msg'] = '%d of %d %ss %s: %s%s' % (len(problems), len(jobs), api.noun, outcome, named, more)
        return failing, result

    def _error_message(self, watch):
        error, api = watch.error, self.api
        if watch.polls and api.is_gone(error):
            # Seen before, unknown now: deleted while we waited. Retrying until the timeout would not bring it back.
            return ('%s %s disappeared during the wait (last seen %s after %s): %s'
                    % (api.noun, watch.job_id, watch.status, _polls(watch.polls), error))
        return str(error)

    def _trouble(self, watch):
        """Why this job's wait did not end where the user wanted, or None when it did."""
        api, goal, status = self.api, watch.goal, watch.status
        state = api.lookup(status)[0]
        name = '%s %s' % (api.noun, watch.job_id)
        if watch.verdict == TIMED_OUT:
            seen = 'last status %s after %s' % (status, _polls(watch.polls)) if watch.polls else 'no status seen'
            message = 'Timed out after %s s waiting for %s to reach %s; %s' % (self.params['wait_timeout'], name, goal.describe(), seen)
            return message + self._throttling_note(watch)
        if watch.verdict == REACHED and (goal.explicit or state not in FAILURE_STATES):
            return None
        if state == BLOCKED:
            return '%s is %s: %s' % (name, status, api.blocked_reasons.get(status, 'it will not move by itself'))
        message = '%s ended in %s after %.1f s' % (name, status, watch.elapsed)
        if goal.explicit:
            message += ', so it can no longer reach %s' % goal.describe()
        try:
            reason = api.failure_reason(watch.payload[0]) if state in FAILURE_STATES else None
        except Exception:  # pylint: disable=broad-exception-caught
            reason = None  # an account of the failure we cannot read: the status still says it failed
        return message + (': %s' % reason if reason else '')

    def _throttling_note(self, watch):
        """Why a timed-out wait saw so little: the cloud throttled it, or kept failing."""
        throttled = self._http.throttled_answers if self._http else 0
        note = ''
        if watch.failure is not None:
            note = '; no answer at the end (%s)' % watch.failure
        if throttled:
            note += ('; the cloud throttled %d of the %d requests this task sent (it was asked to slow down, and did)'
                     % (throttled, self._http.requests_sent))
        return note


def _unreadable(api, job_id, error):
    """A reader's unexpected exception as the error of this one job."""
    return JobwatchError('read the answer about %s %s' % (api.noun, job_id),
                         'the answer has a shape this module cannot read (%s: %s)' % (type(error).__name__, text(str(error))))


def _polls(count):
    return '%d poll%s' % (count, '' if count == 1 else 's')
