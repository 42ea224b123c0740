# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller side of the job modules: waits shown live in the play output.

A module reports only when it ends, so a ten-minute wait shows nothing for ten minutes. When
the task runs on the controller itself (connection ``local``: ``localhost``, or
``delegate_to: localhost``), the action plugin runs the module's own code (``JobTask``) in
its worker process instead of starting the module, and prints each status change as it is
seen. Same options, same checks, same result, one task - and no module start-up cost.

On any other host the module runs there as usual and its ``history`` tells the story at the
end; so does a query that does not wait. ``jobwatch_progress: false`` (a variable) turns the
controller path off everywhere.
"""

import os
import threading
import time

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.jobwatch.cloud.plugins.module_utils._http import REQUESTS_IMPORT_ERROR
from ansible_collections.jobwatch.cloud.plugins.module_utils._task import JobTask, argument_spec
from ansible_collections.jobwatch.cloud.plugins.plugin_utils._core_compat import as_module_args

display = Display()

# With many jobs, one line per change would flood the output: a summary at most this often.
SUMMARY_EVERY = 10.0
JOBS_SHOWN_ONE_BY_ONE = 10
ROLE_UNKNOWN_VARIABLES = 'job_wait_unknown_variables'


def duration(seconds):
    """4m12s, 1h02m, 9.5s: how long, the way a person reads it."""
    if seconds < 60:
        return '%.1fs' % seconds
    minutes, seconds = divmod(int(seconds), 60)
    if minutes < 60:
        return '%dm%02ds' % (minutes, seconds)
    hours, minutes = divmod(minutes, 60)
    return '%dh%02dm' % (hours, minutes)


class Progress:
    """Turns the waiter's status changes into lines a person watching the play can follow."""

    def __init__(self, name, host, total, out=display.display, clock=time.monotonic):
        self.name = name
        self.host = host
        self.total = total
        self._out = out
        self._clock = clock
        self._lock = threading.Lock()
        self._watches = {}
        self._ended = {}
        self._last_summary = None

    def __call__(self, watch, entry):
        with self._lock:
            if self.total <= JOBS_SHOWN_ONE_BY_ONE:
                self._out(self._change_line(watch, entry))
            else:
                self._summarize(watch, entry)

    def _change_line(self, watch, entry):
        earlier = watch.history[-2]['status'] if len(watch.history) > 1 else None
        moved = '%s -> %s' % (earlier, entry['status']) if earlier else 'is %s' % entry['status']
        return '%s: %s | job %s %s after %s' % (self.host, self.name, watch.job_id, moved, duration(entry['elapsed']))

    def _summarize(self, watch, entry):
        # A many-job wait asks one running job at a time: the others' statuses may be old, so the
        # summary says which counts are final and how old the rest are.
        self._watches[watch.job_id] = watch
        if watch.goal.verdict(entry['status']):
            self._ended[watch.job_id] = watch.goal.api.lookup(entry['status'])[0]
        now = self._clock()
        last = len(self._ended) == self.total
        if self._last_summary is not None and now - self._last_summary < SUMMARY_EVERY and not last:
            return
        self._last_summary = now
        counts = {}
        for state in self._ended.values():
            counts[state] = counts.get(state, 0) + 1
        parts = [', '.join('%d %s' % (number, state) for state, number in sorted(counts.items()))] if counts else []
        open_jobs = [seen for job_id, seen in self._watches.items() if job_id not in self._ended]
        if open_jobs:
            oldest = entry['elapsed'] - min(seen.seen if seen.seen is not None else entry['elapsed'] for seen in open_jobs)
            parts.append('%d running when last asked (%s ago at most)' % (len(open_jobs), duration(max(0.0, oldest))))
        unasked = self.total - len(self._ended) - len(open_jobs)
        if unasked:
            parts.append('%d not asked yet' % unasked)
        self._out('%s: %s | %d jobs after %s: %s' % (self.host, self.name, self.total, duration(entry['elapsed']), '; '.join(parts)))


class JobAction(ActionBase):
    """Base of the action plugins named after each job module; a subclass sets ``api``."""

    api = None
    _VALID_ARGS = None  # every option is checked by the module's own argument spec
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = True  # an async task runs as the module, like the normal action

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        if not self._runs_here(task_vars):
            result = self._run_module(result, task_vars)
        else:
            # In the task's environment, as the module would run (credential fallbacks, CA bundles, proxies).
            with self._task_environment():
                result = self._run_here(result, task_vars)
        unknown = self._unknown_role_variables(task_vars)
        if unknown:
            result['warnings'] = list(result.get('warnings') or []) + [
                'jobwatch.cloud.job_wait does not know the variable%s %s: ignored (the role\'s variables are listed in '
                'its argument spec)' % ('s' if len(unknown) > 1 else '', ', '.join(sorted(unknown)))]
        return result

    def _run_here(self, result, task_vars):
        spec, constraints = argument_spec(self.api)
        self._task.args = as_module_args(self._task.args)  # checked as the module would check them
        try:
            validation, params = self.validate_argument_spec(spec, **constraints)
        except AnsibleActionFail as error:
            result.update(failed=True, msg=str(error))
            return result
        if not (params['wait'] or params['wait_for']):
            # Nothing to watch: a single query runs as the module, like on any other host.
            return self._run_module(result, task_vars)
        hidden = set(validation._no_log_values)
        name = self._task.resolved_action.rsplit('.', 1)[-1]
        job_count = len(params.get(self.api.ids_option) or [None])
        progress = None if self._task.no_log else Progress(name, task_vars.get('inventory_hostname', 'localhost'), job_count)
        warnings = []
        failed, outcome = JobTask(self.api, params, warn=warnings.append, hide=hidden.add, on_change=progress).run()
        if warnings:
            outcome['warnings'] = warnings
        result.update(remove_values(outcome, hidden))
        if failed:
            result['failed'] = True
        return result

    def _unknown_role_variables(self, task_vars):
        # The job_wait role lists the job_wait_* variables it was given but does not know (its
        # vars/main.yml): a misspelt job_wait_endpint would otherwise be ignored without a word.
        if ROLE_UNKNOWN_VARIABLES not in task_vars:
            return []
        return list(self._templar.template(task_vars[ROLE_UNKNOWN_VARIABLES]) or [])

    def _run_module(self, result, task_vars):
        """What ansible.builtin.normal does: the module on the task's host, async if asked."""
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result.update(self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _runs_here(self, task_vars):
        if REQUESTS_IMPORT_ERROR or self._task.async_val:
            return False
        if not boolean(task_vars.get('jobwatch_progress', True), strict=False):
            return False
        return getattr(self._connection, 'transport', None) == 'local'

    def _task_environment(self):
        """The task's ``environment:`` as the module would see it, for the env-var fallbacks."""
        return _Environment(self._environment_of_task())

    def _environment_of_task(self):
        merged = {}
        for entry in self._task.environment or []:
            value = self._templar.template(entry)
            if isinstance(value, dict):
                merged.update((str(key), str(item)) for key, item in value.items())
        return merged


class _Environment:
    """Sets variables for a block of code, then puts the old ones back (the worker process is ours)."""

    def __init__(self, values):
        self._values = values
        self._saved = {}

    def __enter__(self):
        for key, value in self._values.items():
            self._saved[key] = os.environ.get(key)
            os.environ[key] = value
        return self

    def __exit__(self, *exc_info):
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
