# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Ansible side of every job module: options, one query or a wait, the result, the failure."""

import time
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import REQUESTS_IMPORT_ERROR
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import BLOCKED, FAILURE_STATES, job_result
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import CONNECTION_SPEC, WAIT_SPEC, check_connection
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import REACHED, TIMED_OUT, WaitGoal, Waiter


class JobModule(object):
    """Runs a module for one ``JobApi`` (openstack.cloud style: one object, ``run()``)."""

    def __init__(self, api):
        self.api = api
        spec = dict(api.argument_spec)
        spec.update(CONNECTION_SPEC)
        spec.update(WAIT_SPEC)
        spec[api.id_option] = dict(type='str', required=True)
        spec.update(api.options)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **api.constraints)

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
        job_id = api.check_id(params[api.id_option])
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
        if waiting:
            self._wait(connection, job_id, goal)
        else:
            self._query_once(connection, job_id)

    def _query_once(self, connection, job_id):
        start = time.monotonic()
        job, request_id = self.api.fetch(connection, job_id, None)
        result = job_result(self.api, job, request_id)
        self.module.exit_json(changed=False, elapsed=round(time.monotonic() - start, 3), polls=1, **result)

    def _wait(self, connection, job_id, goal):
        module, api, params = self.module, self.api, self.module.params
        waiter = Waiter(params['wait_timeout'], params['wait_interval'])
        seen = {}

        def poll(deadline):
            seen['job'], seen['request_id'] = api.fetch(connection, job_id, deadline)
            return api.read_status(seen['job']), seen['job']

        try:
            verdict, status, job = waiter.run(poll, goal)
        except JobwatchError as error:
            progress = dict(elapsed=waiter.elapsed, polls=waiter.polls, history=waiter.history)
            if seen:
                progress.update(job_result(api, seen['job'], seen['request_id']))
            progress.update(error.as_result())
            module.fail_json(msg=str(error), **progress)
        result = job_result(api, job, seen['request_id'])
        result.update(elapsed=waiter.elapsed, polls=waiter.polls, history=waiter.history)
        message = self._trouble(verdict, status, job, job_id, goal, waiter)
        if message and (verdict == TIMED_OUT or params['fail_on_job_failure']):
            module.fail_json(msg=message, **result)
        if message and result['state'] == BLOCKED:
            module.warn(message)
        module.exit_json(changed=False, **result)

    def _trouble(self, verdict, status, job, job_id, goal, waiter):
        """Why this wait did not end where the user wanted, or None when it did."""
        api = self.api
        state = api.lookup(status)[0]
        name = '%s %s' % (api.noun, job_id)
        if verdict == TIMED_OUT:
            return ('Timed out after %s s waiting for %s to reach %s; last status %s after %d polls'
                    % (self.module.params['wait_timeout'], name, goal.describe(), status, waiter.polls))
        if verdict == REACHED and (goal.explicit or state not in FAILURE_STATES):
            return None
        if state == BLOCKED:
            return '%s is %s: %s' % (name, status, api.blocked_reasons.get(status, 'it will not move by itself'))
        message = '%s ended in %s after %.1f s' % (name, status, waiter.elapsed)
        if goal.explicit:
            message += ', so it can no longer reach %s' % goal.describe()
        reason = api.failure_reason(job) if state in FAILURE_STATES else None
        return message + (': %s' % reason if reason else '')
