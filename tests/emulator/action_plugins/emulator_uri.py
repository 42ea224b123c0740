# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The integration targets' calls to the emulator's control API (``/_emulator/...``), in the worker.

The options of ``ansible.builtin.uri`` the targets use, with the same result keys (``status``,
``json``, ``content``, ``url``), sent from the controller's worker process: ``uri`` starts a module
process for each call, about a third of a CPU-second, and the targets make some 250 calls per
ansible-core line. integration.sh puts this directory on ANSIBLE_ACTION_PLUGINS.
"""

import http.client
import json
import os
import ssl
from urllib.parse import urlsplit

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # use_proxy: always off (the emulator listens on 127.0.0.1); return_content: always returned.
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
        status, content = self._send(url, args.get('method', 'GET'), body, headers, int(args.get('timeout', 30)))
        result.update(changed=False, url=url, status=status, content=content)
        try:
            result['json'] = json.loads(content)
        except ValueError:
            pass
        if result['status'] not in expected:
            result.update(failed=True, msg='Status code was %s and not %s: %s' % (result['status'], expected, content[:500]))
        return result

    @staticmethod
    def _send(url, method, body, headers, timeout):
        # http.client, not urllib or ansible's open_url: those build a TLS context (the system's CA
        # bundle read) for every call, also for http://.
        parts = urlsplit(url)
        if parts.scheme == 'https':
            context = ssl.create_default_context(cafile=os.environ.get('JOBWATCH_EMULATOR_CA'))
            connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=context)
        else:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            connection.request(method, parts.path + ('?' + parts.query if parts.query else ''), body=body, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.read().decode('utf-8', 'replace')
        finally:
            connection.close()
