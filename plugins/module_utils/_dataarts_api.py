# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The DataArts real-time job API that jobwatch.cloud.dataarts_job_status waits on (the module and its action plugin share it)."""

import unicodedata

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.jobwatch.cloud.plugins.module_utils._checks import check_text
from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import dicts_at, text_at
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiJobApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._job import FAILED, PENDING, RUNNING, STOPPED
from ansible_collections.jobwatch.cloud.plugins.module_utils._times import iso_times


class DataArtsJobApi(HuaweiJobApi):
    noun = 'DataArts real-time job'
    id_option = 'job_name'
    service = 'dayu-dlf'
    path = '/v1/{project_id}/jobs/{job_name}/status'
    options = dict(workspace=dict(type='str'))
    # "The job does not exist": DLF.0100 in the error code table, DLF.30100 in the API page's example,
    # DLF.1001 on older pages.
    gone_codes = ('DLF.0100', 'DLF.30100', 'DLF.1001')
    statuses = {
        'STARTING': (PENDING, False),
        'NORMAL': (RUNNING, True),
        'EXCEPTION': (FAILED, True),
        'STOPPING': (RUNNING, False),
        'STOPPED': (STOPPED, True),
    }
    # A stopped or failed real-time job can be started again: never done for a watcher.
    restartable = True
    # A running job can still fail or be stopped; a failed one can be stopped.
    leads_to = {'NORMAL': ('EXCEPTION', 'STOPPING', 'STOPPED'), 'EXCEPTION': ('STOPPING', 'STOPPED')}

    @staticmethod
    def id_problem(text):
        # Names are free text: only what cannot travel in one path segment, or would climb out of it, is refused.
        if any(unicodedata.category(char) == 'Cc' for char in text):
            return 'has control characters', 'Job names are printable text'
        if set(text.split('/')) & {'.', '..'}:
            return 'has a "." or ".." part, which would leave the job\'s path', 'Rename the job, or check the name'
        return None

    def read_job(self, data):
        # The SDK's response model spells starttime and a node's nodeType where the API page says
        # startTime and type: either spelling reads as the page's.
        if not isinstance(data, dict):
            return data
        job = dict(data)
        if 'startTime' not in job and 'starttime' in job:
            job['startTime'] = job.pop('starttime')
        if isinstance(job.get('nodes'), list):
            job['nodes'] = [_page_spelling(node, 'nodeType', 'type') for node in job['nodes']]
        return job

    def check_params(self, params):
        super().check_params(params)
        check_text(params, 'workspace', header=True)

    def request_headers(self, params):
        return {'workspace': params['workspace']} if params.get('workspace') else None

    def extras(self, job):
        result = dict(nodes=[camel_dict_to_snake_dict(node) for node in dicts_at(job, 'nodes')])
        result.update(iso_times(job, ['startTime', 'endTime', 'lastUpdateTime']))
        return result

    def failure_reason(self, job):
        failed = [text_at(node, 'name') or '(unnamed)' for node in dicts_at(job, 'nodes') if node.get('status') == 'EXCEPTION']
        return 'nodes in EXCEPTION: %s' % ', '.join(failed) if failed else None


def _page_spelling(node, other, page):
    if not isinstance(node, dict) or page in node or other not in node:
        return node
    node = dict(node)
    node[page] = node.pop(other)
    return node
