# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One result schema: the keys every module returns are documented alike in each module's RETURN.

A key's description is a list; its first item says what the key is and must read the same in every
module (with the module's id option written as ID / IDS); further items are the module's own
(its statuses, its API's name for a field). Type, elements and ``returned`` must agree too.
"""

import re

import pytest
import yaml

from ansible_collections.jobwatch.cloud.plugins.modules import (alicloud_request, cfw_job_info, dataarts_job_status, dataworks_job_info,
                                                                ecs_job_info, huaweicloud_request)

MODULES = {module.__name__.rsplit('.', 1)[-1]: module
           for module in (ecs_job_info, cfw_job_info, dataarts_job_status, dataworks_job_info)}
# What _task.py and _job.py return for every module (the shared result).
SHARED_KEYS = ('job', 'status', 'state', 'finished', 'succeeded', 'elapsed', 'polls', 'history', 'request_id',
               'error', 'jobs', 'counts')


def returned(name):
    return yaml.safe_load(MODULES[name].RETURN)


def normalized(text):
    """The text with the module's id options written alike."""
    text = str(text)
    text = re.sub(r'\b(job_ids|job_names)\b', 'IDS', text)
    return re.sub(r'\b(job_id|job_name)\b', 'ID', text)


def description(entry):
    text = entry['description']
    return text if isinstance(text, list) else [text]


def test_every_module_returns_the_shared_keys():
    for name in MODULES:
        missing = [key for key in SHARED_KEYS if key not in returned(name)]
        assert not missing, '%s documents no %s' % (name, ', '.join(missing))


@pytest.mark.parametrize('key', SHARED_KEYS)
def test_a_shared_key_is_documented_alike_in_every_module(key):
    first = {}
    shape = {}
    for name in MODULES:
        entry = returned(name)[key]
        first[name] = normalized(description(entry)[0])
        shape[name] = tuple(normalized(entry.get(field)) for field in ('type', 'elements', 'returned'))
    assert len(set(first.values())) == 1, 'the first description item of %s differs: %s' % (key, first)
    assert len(set(shape.values())) == 1, 'type, elements or returned of %s differ: %s' % (key, shape)


def shape(entry):
    """What a result key is, less its words: type, elements, when returned, and the same of what it contains."""
    return (entry.get('type'), entry.get('elements'), entry.get('returned'),
            {key: shape(inner) for key, inner in entry.get('contains', {}).items()})


def test_the_request_modules_document_the_same_result():
    # One core (_request_task.py) returns the result of both; only the words for each cloud differ.
    huawei, alibaba = (yaml.safe_load(module.RETURN) for module in (huaweicloud_request, alicloud_request))
    assert sorted(huawei) == sorted(alibaba)
    differ = {key: (shape(huawei[key]), shape(alibaba[key])) for key in huawei if shape(huawei[key]) != shape(alibaba[key])}
    assert not differ, differ


def test_the_check_can_fail():
    # The normalisation must not hide a real difference.
    assert normalized('Whether the job (with O(job_ids), every job) is final.') != normalized('Whether the job is final.')
