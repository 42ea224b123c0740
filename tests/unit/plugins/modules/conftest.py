# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module test needs: no credentials from the developer's environment, a scripted server."""

import json

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils import _alibaba_cloud, _huawei_cloud
from ansible_collections.jobwatch.cloud.plugins.plugin_utils._core_compat import patch_module_args


@pytest.fixture(autouse=True)
def _no_credentials_from_the_environment(monkeypatch):
    # Options fall back to HW_* / OS_* / ALIBABA_CLOUD_* variables: a developer's own must not leak in.
    for spec in list(_huawei_cloud.ARGUMENT_SPEC.values()) + list(_alibaba_cloud.ARGUMENT_SPEC.values()):
        for name in spec.get('fallback', (None, []))[1]:
            monkeypatch.delenv(name, raising=False)


def run_module_main(main, args, capsys):
    """Run a module's ``main()`` as Ansible would; return the JSON it printed."""
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            main()
    return json.loads(capsys.readouterr().out)
