# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The integration targets' calls to the emulator's control API (``/_emulator/...``), in the worker.

The options of ``ansible.builtin.uri`` the targets use, with the same result keys (``status``,
``json``, ``content``, ``url``), sent from the controller's worker process: ``uri`` starts a module
process for each call, about a third of a CPU-second, and the targets make some 250 calls per
ansible-core line. integration.sh puts this directory on ANSIBLE_ACTION_PLUGINS.
"""

import json
import os
from urllib.error import HTTPError

from ansible.errors import AnsibleActionFail
from ansible.module_utils.urls import open_url
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('url', 'method', 'body', 'body_format', 'status_code', 'return_content', 'timeout',
                             'use_proxy'))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        url = args['url']
        body = args.get('body')
        headers = {}
        if body is not None:
            if args.get('body_format') != 'json':
                raise AnsibleActionFail('emulator_uri sends a body as JSON only: give body_format: json')
            body = json.dumps(body).encode('utf-8')
            headers['Content-Type'] = 'application/json'
        expected = args.get('status_code', [200])
        expected = [int(code) for code in (expected if isinstance(expected, list) else [expected])]
        try:
            answer = open_url(url, data=body, method=args.get('method', 'GET'), headers=headers,
                              timeout=int(args.get('timeout', 30)), use_proxy=args.get('use_proxy', True),
                              ca_path=os.environ.get('JOBWATCH_EMULATOR_CA') if url.startswith('https:') else None)
        except HTTPError as error:
            answer = error
        content = answer.read().decode('utf-8', 'replace')
        result.update(changed=False, url=url, status=answer.getcode(), content=content)
        try:
            result['json'] = json.loads(content)
        except ValueError:
            pass
        if result['status'] not in expected:
            result.update(failed=True, msg='Status code was %s and not %s: %s' % (result['status'], expected, content[:500]))
        return result
