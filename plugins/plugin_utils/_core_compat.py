# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What differs between the ansible-core lines the collection supports (2.16 and later), in one place.

Each name here has one meaning on every line; the rest of the collection uses it and never asks
which ansible-core it runs on. ``HAS_DATA_TAGGING`` says which side a line is on: 2.19 brought
data tagging (values that carry their origin and trust) and ``ansible.module_utils.testing``.
"""

import contextlib
import json
from collections.abc import Mapping
from unittest import mock

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args as _patch_module_args
except ImportError:  # ansible-core before 2.19
    _patch_module_args = None

HAS_DATA_TAGGING = _patch_module_args is not None


@contextlib.contextmanager
def patch_module_args(args=None):
    """Give ``AnsibleModule`` objects made inside the block these arguments, as the controller would."""
    if _patch_module_args is not None:
        with _patch_module_args(args):
            yield
        return
    # Before 2.19 a module reads its arguments from basic._ANSIBLE_ARGS when that is set.
    encoded = json.dumps({'ANSIBLE_MODULE_ARGS': dict(args or {})}).encode('utf-8')
    with mock.patch.object(basic, '_ANSIBLE_ARGS', encoded):
        yield


def as_module_args(args):
    """Task arguments as a module on a host gets them: plain ``str``, whatever the line.

    Before 2.19 templated values are ``AnsibleUnsafeText``, whose class name would show in the
    messages of the argument checks run on the controller; from 2.19 they are already plain.
    """
    return args if HAS_DATA_TAGGING else _plain(args)


def _plain(value):
    # str() and bytes() would keep the subclass: AnsibleUnsafeText.__str__ returns itself.
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bytes):
        return bytes(bytearray(value))
    if isinstance(value, Mapping):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
