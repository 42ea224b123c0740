# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compatibility layer means the same on every ansible-core line.

`make test` runs these on the oldest supported line (before data tagging) and on the newest (with
it), so each side of _core_compat.py is run by one of them; `make test-matrix` runs every line.
"""

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.release import __version__ as core_version

from ansible_collections.jobwatch.cloud.plugins.plugin_utils import _core_compat
from ansible_collections.jobwatch.cloud.plugins.plugin_utils._core_compat import HAS_DATA_TAGGING, patch_module_args

SPEC = dict(name=dict(type='str', required=True), count=dict(type='int', default=1), tags=dict(type='list', elements='str'))


def core_line():
    return tuple(int(part) for part in core_version.split('.')[:2])


def test_the_side_taken_is_the_one_of_the_line_running():
    assert HAS_DATA_TAGGING is (core_line() >= (2, 19))
    assert (_core_compat._patch_module_args is not None) is HAS_DATA_TAGGING


def test_a_module_made_in_the_block_gets_the_arguments_checked_by_its_spec():
    with patch_module_args({'name': 'web', 'count': '3', 'tags': ['a', 'b']}):
        module = AnsibleModule(argument_spec=SPEC)
    assert module.params == {'name': 'web', 'count': 3, 'tags': ['a', 'b']}


def test_no_arguments_is_an_empty_set_of_arguments():
    with patch_module_args():
        module = AnsibleModule(argument_spec={})
    assert module.params == {}


def test_a_module_that_fails_its_spec_exits_as_it_would_on_a_host(capsys):
    with patch_module_args({'count': 2}):
        with pytest.raises(SystemExit):
            AnsibleModule(argument_spec=SPEC)
    assert 'missing required arguments: name' in capsys.readouterr().out


def test_the_arguments_are_gone_after_the_block():
    with patch_module_args({'name': 'first'}):
        AnsibleModule(argument_spec=SPEC)
    with patch_module_args({'name': 'second'}):
        module = AnsibleModule(argument_spec=SPEC)
    assert module.params['name'] == 'second'


@pytest.mark.skipif(HAS_DATA_TAGGING, reason='ansible-core 2.19 and later template to plain values')
def test_before_data_tagging_templated_text_reaches_the_checks_as_plain_str():
    from ansible.utils.unsafe_proxy import AnsibleUnsafeBytes, AnsibleUnsafeText  # pylint: disable=import-outside-toplevel

    args = {'job_id': AnsibleUnsafeText('job-1'), 'job_ids': (AnsibleUnsafeText('a'),), 'body': AnsibleUnsafeBytes(b'{}'),
            'headers': {AnsibleUnsafeText('k'): AnsibleUnsafeText('v')}, 'wait': True, 'timeout': 5, 'cloud': None}
    plain = _core_compat.as_module_args(args)
    assert plain == dict(args, job_ids=['a'])
    assert [type(plain['job_id']), type(plain['job_ids'][0]), type(plain['body'])] == [str, str, bytes]
    assert [type(item) for item in plain['headers'].popitem()] == [str, str]


@pytest.mark.skipif(not HAS_DATA_TAGGING, reason='ansible-core before 2.19 templates to AnsibleUnsafeText')
def test_with_data_tagging_task_arguments_are_left_as_they_are():
    args = {'job_id': 'job-1', 'wait': True}
    assert _core_compat.as_module_args(args) is args
