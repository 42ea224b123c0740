# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of the job_status event source: the service's module options, checked as the module checks them.

The event source takes what the module of its ``service`` takes (credentials with their environment
fallbacks, connection options, the job ids) plus ``service`` and ``interval``. They go through the
module's own argument spec, with Ansible's own validator, and the same checks before any request.
"""

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.jobwatch.cloud.plugins.module_utils._cfw_api import CfwJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._checks import check_number
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataarts_api import DataArtsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._dataworks_api import DataWorksJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import MAX_WAIT_INTERVAL, MIN_WAIT_INTERVAL, WAIT_SPEC, check_connection
from ansible_collections.jobwatch.cloud.plugins.module_utils._redact import Secrets
from ansible_collections.jobwatch.cloud.plugins.module_utils._task import argument_spec, checked_job_ids

SERVICES = dict(ecs=EcsJobApi, cfw=CfwJobApi, dataarts=DataArtsJobApi, dataworks=DataWorksJobApi)
# A watch has no end to bound and no verdict to fail on: of the wait options only concurrency applies.
NOT_FOR_WATCHING = frozenset(name for name in WAIT_SPEC if name != 'concurrency')
# ansible-rulebook adds arguments of its own (eda_feedback_queue) to every source's.
RULEBOOK_PREFIX = 'eda_'


class WatchOptions:
    """Checked options of one watch: ``api``, ``service``, ``params`` (as the module gets them), ``interval``, ``job_ids``."""

    def __init__(self, api, service, params, interval, job_ids, secrets):
        self.api = api
        self.service = service
        self.params = params
        self.interval = interval
        self.job_ids = job_ids
        self.secrets = secrets


def watch_options(args):
    """WatchOptions from an event source's ``args``; a JobwatchError naming what is wrong, before any request."""
    # A rulebook has no ``omit``: an empty value (endpoint: "{{ url | default('') }}") is an option not given.
    args = {name: value for name, value in (args or {}).items()
            if not name.startswith(RULEBOOK_PREFIX) and value is not None and value != ''}
    service = args.pop('service', None)
    if service not in SERVICES:
        raise JobwatchError('check service', 'service must be one of %s, got %r' % (', '.join(sorted(SERVICES)), service))
    interval = args.pop('interval', None)
    api = SERVICES[service]()
    spec, constraints = argument_spec(api)
    for name in NOT_FOR_WATCHING:
        spec.pop(name)
    spec['interval'] = dict(type='float')
    args['interval'] = interval
    result = ArgumentSpecValidator(spec, **constraints).validate(args)
    secrets = Secrets(result._no_log_values)  # pylint: disable=protected-access
    if result.error_messages:
        raise JobwatchError('check the %s options of jobwatch.cloud.job_status' % service,
                            secrets.mask('; '.join(result.error_messages)))
    params = result.validated_parameters
    for name, option in spec.items():
        if option.get('no_log'):
            secrets.add(params.get(name))
    check_number(params, 'interval', MIN_WAIT_INTERVAL, MAX_WAIT_INTERVAL, 'seconds')
    check_connection(params)
    api.check_params(params)
    job_ids = checked_job_ids(api, params)
    return WatchOptions(api, service, params, params.pop('interval'), job_ids, secrets)
