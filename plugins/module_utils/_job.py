# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a module says about its job API, and the result every module returns for one job."""

import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import describe

PENDING = 'pending'
RUNNING = 'running'
SUCCEEDED = 'succeeded'
FAILED = 'failed'
CANCELLED = 'cancelled'
STOPPED = 'stopped'
BLOCKED = 'blocked'
FAILURE_STATES = frozenset((FAILED, CANCELLED))

# Safe in one URL path segment and never a path trick; ids of every API here fit.
ID_PATTERN = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.:-]*$')
# A status name is a short word: longer text, or text with control characters, is something else.
LONGEST_STATUS = 64
CONTROL_CHARACTERS = re.compile(r'[\x00-\x1f\x7f-\x9f]')


class JobApi:
    """What the task (_task.py) asks of one job API; subclass it per API.

    A cloud base class (HuaweiJobApi, AlibabaJobApi) provides ``argument_spec``, ``constraints``,
    ``check_params``, ``connect`` and ``fetch``; the API's own class (_ecs_api.py...) provides
    ``noun`` and ``statuses``, and overrides the readers (``read_job``, ``read_status``, ``extras``,
    ``failure_reason``) and the id rules (``id_problem``) where its answers or ids differ.
    """

    noun = 'job'             # how messages name it: "ECS job"
    id_option = 'job_id'     # the module option holding the id
    statuses = {}            # status as the API spells it -> (state, finished: will not change by itself)
    blocked_reasons = {}     # status -> why a wait cannot go on by itself
    leads_to = {}            # final status -> statuses it can still move to (default: none)
    # A job that can always be started again (a real-time job that failed or was stopped): an event
    # watcher keeps watching it, whatever its status.
    restartable = False
    gone_codes = ()          # error codes meaning "no such job" (besides HTTP 404)
    wrong_address_codes = ()  # error codes (even with HTTP 404) meaning the request went astray: no API there
    # The module's options: the cloud's (credentials, region: set by the cloud base class), the API's
    # own (``options``), and AnsibleModule's constraints between them. The task adds the connection
    # and wait options, and the id options.
    argument_spec = {}
    options = {}
    constraints = {}         # mutually_exclusive, required_together, ... as AnsibleModule takes them

    @property
    def ids_option(self):
        """The module option holding many ids: job_ids, job_names."""
        return self.id_option + 's'

    def check_id(self, value, option=None):
        """Refuse an id before any request is sent, saying what is wrong with it and in which option."""
        option = option or self.id_option
        text = '' if value is None else str(value)
        if not text.strip():
            raise JobwatchError('check %s' % option, '%s has an empty %s' % (option, self.id_option.replace('_', ' '))
                                if option != self.id_option else '%s is empty' % option)
        problem = self.id_problem(text)
        if problem:
            raise JobwatchError('check %s' % option, '%s %r %s' % (option, text, problem[0]), hint=problem[1])
        return text

    @staticmethod
    def id_problem(text):
        """(what is wrong, hint) for an id this API cannot have, or None."""
        if not ID_PATTERN.fullmatch(text) or '..' in text:
            return 'has characters a job id never has', 'Job ids are made of letters, digits and - _ . :'
        return None

    def is_gone(self, error):
        """Whether a failed query says the job does not exist (not that the address was wrong)."""
        if error.code in self.wrong_address_codes:
            return False
        return error.status == 404 or error.code in self.gone_codes

    def check_params(self, params):
        """Refuse options this API cannot send (a credential with a line break, an odd project id) before any request.

        Raise a JobwatchError. Cloud base classes check their own options; a module with options of
        its own calls ``super().check_params(params)`` and adds to it.
        """

    def connect(self, params, on_secret):
        """A Connection (_connection.py) for these validated ``params``, made once per task before any
        request; the cloud base provides it. ``on_secret(value)`` is told each secret learnt on the way
        (a login token), to be masked in every output.
        """
        raise NotImplementedError

    def lookup(self, status):
        """(state, finished) of a status, matched case-insensitively; unknown ones are taken as running."""
        key = status.upper() if isinstance(status, str) else ''
        for known, meaning in self.statuses.items():
            if known.upper() == key:
                return meaning
        return (RUNNING, False)

    def spelled(self, status):
        """The API's own spelling of a status a user typed in any case, or None if it has none."""
        if not isinstance(status, str):
            return None
        for known in self.statuses:
            if known.upper() == status.strip().upper():
                return known
        return None

    # Readers: override when the API wraps the job ("data", "JobStatus") or names fields otherwise.
    def read_job(self, data):
        """The job object inside an answer's JSON object ``data`` (None when it has none)."""
        return data

    def read_status(self, job):
        """The job's status as the API spells it, from ``read_job``'s job (None when it has none)."""
        return job.get('status')

    def extras(self, job):
        """Module-specific return keys that help the next task (server ids, nodes)."""
        return {}

    def failure_reason(self, job):
        """The job's own account of why it failed, for ``msg``, or None."""
        return None

    def fetch(self, connection, job_id, deadline):
        """Ask the API once about ``job_id`` by ``deadline``; return (``read_job``'s job, request id).

        ``connection`` is what ``connect`` made. Raise a JobwatchError when the API refuses or does not
        answer in time. Cloud base classes implement this, giving ``answer_problem`` to the HTTP client.
        """
        raise NotImplementedError

    def answer_problem(self, data):
        """What makes an answer no answer about a job (no status name in it), or None when it is one.

        The HTTP client asks this of every 2xx answer: one with a problem is asked again, never taken.
        """
        job = self.read_job(data)
        if job is None:
            return 'the answer has no job status in it'
        if not isinstance(job, dict):
            return "the answer's job is %s, not an object" % describe(job)
        return status_problem(self.read_status(job))


def status_problem(status):
    """What makes ``status`` no status name, or None when it is one."""
    if status is None or (isinstance(status, str) and not status.strip()):
        return 'the answer has no job status in it'
    if not isinstance(status, str) or len(status) > LONGEST_STATUS:
        return "the answer's status is %s, not a status name" % describe(status)
    if CONTROL_CHARACTERS.search(status):
        return "the answer's status %s has control characters, not a status name" % ascii(status)
    return None


def job_result(api, job, request_id):
    """The keys every module returns for one job (the RETURN docs of every module list them alike)."""
    status = api.read_status(job)
    state, finished = api.lookup(status)
    result = dict(
        job=camel_dict_to_snake_dict(job),
        status=status,
        state=state,
        finished=finished,
        succeeded=state == SUCCEEDED,
        request_id=request_id,
    )
    result.update(api.extras(job))
    return result
