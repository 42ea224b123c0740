# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module as Ansible runs it on a host: AnsibleModule around one JobTask, or one RequestTask."""

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.jobwatch.cloud.plugins.module_utils import _request_task
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import REQUESTS_IMPORT_ERROR
from ansible_collections.jobwatch.cloud.plugins.module_utils._request_task import RequestTask
from ansible_collections.jobwatch.cloud.plugins.module_utils._task import JobTask, argument_spec


class JobModule:
    """Runs a module for one ``JobApi`` (openstack.cloud style: one object, ``run()``)."""

    def __init__(self, api):
        self.api = api
        spec, constraints = argument_spec(api)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **constraints)

    def run(self):
        module = self.module
        if REQUESTS_IMPORT_ERROR:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        failed, result = JobTask(self.api, module.params, warn=module.warn, hide=module.no_log_values.add).run()
        if failed:
            module.fail_json(**result)
        module.exit_json(**result)


class RequestModule:
    """Runs a request module for one ``RequestApi``: one call, check mode supported."""

    def __init__(self, api):
        self.api = api
        spec, constraints = _request_task.argument_spec(api)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **constraints)

    def run(self):
        module = self.module
        if REQUESTS_IMPORT_ERROR:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        failed, result = RequestTask(self.api, module.params, warn=module.warn, hide=module.no_log_values.add,
                                     check_mode=module.check_mode).run()
        if failed:
            module.fail_json(**result)
        module.exit_json(**result)
