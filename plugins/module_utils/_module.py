# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Ansible side of every job module: options, one query or a wait, the result, the failure."""

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import REQUESTS_IMPORT_ERROR
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import BLOCKED, FAILURE_STATES, job_result
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import CONNECTION_SPEC, WAIT_SPEC, check_connection
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import REACHED, TIMED_OUT, JobWatch, WaitGoal, Waiter

# How many failed jobs a message names before it only counts the rest.
NAMED_IN_MESSAGE = 10


class JobModule(object):
    """Runs a module for one ``JobApi`` (openstack.cloud style: one object, ``run()``)."""

    def __init__(self, api):
        self.api = api
        spec = dict(api.argument_spec)
        spec.update(CONNECTION_SPEC)
        spec.update(WAIT_SPEC)
        spec[api.id_option] = dict(type='str')
        spec[api.ids_option] = dict(type='list', elements='str')
        spec.update(api.options)
        constraints = dict((key, list(value) if isinstance(value, (list, tuple)) else value) for key, value in api.constraints.items())
        pair = (api.id_option, api.ids_option)
        constraints['mutually_exclusive'] = constraints.get('mutually_exclusive', []) + [pair]
        constraints['required_one_of'] = constraints.get('required_one_of', []) + [pair]
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **constraints)

    def run(self):
        if REQUESTS_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        try:
            self._run()
        except JobwatchError as error:
            self.module.fail_json(msg=str(error), **error.as_result())
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A bug of ours or an answer nobody foresaw: still a result with a message, never a bare traceback.
            self.module.fail_json(msg='Unexpected %s while asking for the job: %s (please report this)'
                                      % (type(error).__name__, error), exception=traceback.format_exc())

    def _run(self):
        module, api, params = self.module, self.api, self.module.params
        # Every check on the input comes before the first request.
        single = params[api.ids_option] is None
        job_ids = self._job_ids(single)
        goal = WaitGoal(api, params['wait_for'])
        waiting = params['wait'] or bool(params['wait_for'])
        if waiting and params['wait_timeout'] <= 0:
            raise JobwatchError('check wait_timeout', 'wait_timeout must be more than 0 seconds, got %s' % params['wait_timeout'])
        if params['wait_interval'] is not None and params['wait_interval'] <= 0:
            raise JobwatchError('check wait_interval', 'wait_interval must be more than 0 seconds when given')
        check_connection(params)
        if not params['validate_certs']:
            module.warn('TLS certificate verification is off (validate_certs=false): anyone on the path can read '
                        'and change these requests. Use ca_path to trust a private CA instead.')
        connection = api.connect(params, on_secret=module.no_log_values.add)
        # Settle what every poll shares (a project id, a login) once, before the workers start.
        connection.prepare()

        watches = [JobWatch(job_id, goal) for job_id in job_ids]
        waiter = Waiter(params['wait_timeout'], params['wait_interval'], workers=min(params['concurrency'], len(watches)),
                        once=not waiting)

        def poll(job_id, deadline):
            job, request_id = api.fetch(connection, job_id, deadline)
            return api.read_status(job), (job, request_id)

        waiter.watch(poll, watches)
        if single:
            self._finish_one(watches[0], waiting)
        self._finish_many(watches, waiting)

    def _job_ids(self, single):
        api, params = self.api, self.module.params
        if single:
            return [api.check_id(params[api.id_option])]
        job_ids = [api.check_id(value) for value in params[api.ids_option]]
        if not job_ids:
            raise JobwatchError('check %s' % api.ids_option, '%s is empty' % api.ids_option)
        if len(set(job_ids)) != len(job_ids):
            raise JobwatchError('check %s' % api.ids_option, '%s names a job twice' % api.ids_option)
        return job_ids

    def _report(self, watch, waiting):
        """The single-job result keys of one watch (DESIGN "What every module returns")."""
        result = dict(elapsed=watch.elapsed, polls=watch.polls)
        if watch.payload is not None:
            result.update(job_result(self.api, *watch.payload))
        if waiting:
            result['history'] = watch.history
        if watch.error is not None:
            result.update(watch.error.as_result())
        return result

    def _finish_one(self, watch, waiting):
        module = self.module
        result = self._report(watch, waiting)
        if watch.error is not None:
            module.fail_json(msg=self._error_message(watch), **result)
        message = self._trouble(watch) if waiting else None
        if message and (watch.verdict == TIMED_OUT or module.params['fail_on_job_failure']):
            module.fail_json(msg=message, **result)
        if message and result['state'] == BLOCKED:
            module.warn(message)
        module.exit_json(changed=False, **result)

    def _finish_many(self, watches, waiting):
        module, api = self.module, self.api
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
                failing = failing or watch.error is not None or watch.verdict == TIMED_OUT or module.params['fail_on_job_failure']
            jobs.append(entry)
        result = dict(changed=False, jobs=jobs, counts=counts, polls=sum(watch.polls for watch in watches),
                      elapsed=max(watch.elapsed or 0.0 for watch in watches),
                      finished=all(entry.get('finished') for entry in jobs),
                      succeeded=all(entry.get('succeeded') for entry in jobs))
        if failing:
            named = ' '.join('(%d) %s' % (number, text) for number, text in enumerate(problems[:NAMED_IN_MESSAGE], 1))
            more = ' (and %d more)' % (len(problems) - NAMED_IN_MESSAGE) if len(problems) > NAMED_IN_MESSAGE else ''
            module.fail_json(msg='%d of %d %ss did not end as waited for: %s%s' % (len(problems), len(jobs), api.noun, named, more),
                             **result)
        module.exit_json(**result)

    def _error_message(self, watch):
        error, api = watch.error, self.api
        if watch.polls and (error.status == 404 or error.code in api.gone_codes):
            # Seen before, unknown now: deleted while we waited. Retrying until the timeout would not bring it back.
            return ('%s %s disappeared during the wait (last seen %s after %d polls): %s'
                    % (api.noun, watch.job_id, watch.status, watch.polls, error))
        return str(error)

    def _trouble(self, watch):
        """Why this job's wait did not end where the user wanted, or None when it did."""
        api, goal, status = self.api, watch.goal, watch.status
        state = api.lookup(status)[0]
        name = '%s %s' % (api.noun, watch.job_id)
        if watch.verdict == TIMED_OUT:
            return ('Timed out after %s s waiting for %s to reach %s; last status %s after %d polls'
                    % (self.module.params['wait_timeout'], name, goal.describe(), status, watch.polls))
        if watch.verdict == REACHED and (goal.explicit or state not in FAILURE_STATES):
            return None
        if state == BLOCKED:
            return '%s is %s: %s' % (name, status, api.blocked_reasons.get(status, 'it will not move by itself'))
        message = '%s ended in %s after %.1f s' % (name, status, watch.elapsed)
        if goal.explicit:
            message += ', so it can no longer reach %s' % goal.describe()
        reason = api.failure_reason(watch.payload[0]) if state in FAILURE_STATES else None
        return message + (': %s' % reason if reason else '')
