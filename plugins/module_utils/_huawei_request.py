# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""huaweicloud_request: one signed call to any Huawei Cloud API (the cloud's part; the rest is _request_task.py)."""

from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import ARGUMENT_SPEC, CONSTRAINTS, HuaweiConnection, check_options
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import check_host_label
from ansible_collections.jobwatch.cloud.plugins.module_utils._request_task import RequestApi


class HuaweiRequestApi(RequestApi):
    argument_spec = dict(ARGUMENT_SPEC, service=dict(type='str'))
    constraints = dict(CONSTRAINTS, required_one_of=[('service', 'endpoint')])
    placeholders = ('project_id',)
    reserved_headers = ('Authorization', 'Host', 'X-Sdk-Date', 'X-Auth-Token', 'X-Security-Token', 'X-Project-Id',
                        'Content-Length')
    # "X-Client-Token": the idempotency token Huawei APIs that support one document (ECS, EVS, ...).
    idempotency_header = 'X-Client-Token'

    def check_params(self, params):
        check_options(params)
        check_host_label(params, 'service', 'ecs or dataarts', 'ecs for https://ecs.REGION.CLOUD')

    def connect(self, params, on_secret):
        return HuaweiConnection(params, params.get('service') or 'SERVICE', on_secret)
