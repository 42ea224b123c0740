# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs jobwatch.cloud.dataworks_job_info on the controller with live progress (see plugin_utils/_job_action.py)."""

from ansible_collections.jobwatch.cloud.plugins.module_utils._dataworks_api import DataWorksJobApi
from ansible_collections.jobwatch.cloud.plugins.plugin_utils._job_action import JobAction


class ActionModule(JobAction):
    api = DataWorksJobApi()
