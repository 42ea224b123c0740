# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_times: epoch milliseconds (numbers or strings) and ISO strings, all returned as ISO 8601 UTC.

The expected values were worked out with ``date -u -d @<seconds>`` (GNU coreutils), not with the
code under test: 1729063449 s is 2024-10-16T07:24:09Z (the DataWorks page's CreateTime),
1641370501 s is 2022-01-05T08:15:01Z (the CFW page's begin_time).
"""

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._times import iso8601, iso_times


@pytest.mark.parametrize('value', [1729063449802, 1729063449802.0, 1729063449802.4, '1729063449802', ' 1729063449802 '],
                         ids=['int', 'float', 'float-sub-ms', 'string', 'padded-string'])
def test_epoch_milliseconds_in_any_form(value):
    assert iso8601(value) == '2024-10-16T07:24:09.802Z'


@pytest.mark.parametrize('value, expected', [
    (0, '1970-01-01T00:00:00.000Z'),
    (1, '1970-01-01T00:00:00.001Z'),
    (1641370501000, '2022-01-05T08:15:01.000Z'),
    ('1641370515000', '2022-01-05T08:15:15.000Z'),
    (951868799999, '2000-02-29T23:59:59.999Z'),
])
def test_epoch_milliseconds_hand_checked(value, expected):
    assert iso8601(value) == expected


@pytest.mark.parametrize('value, expected', [
    ('2022-01-05T08:15:01Z', '2022-01-05T08:15:01.000Z'),
    ('2016-04-25T20:04:47.591Z', '2016-04-25T20:04:47.591Z'),
    ('2016-04-25T20:04:47.5Z', '2016-04-25T20:04:47.500Z'),
    ('2016-04-25T20:04:47.591234Z', '2016-04-25T20:04:47.591Z'),
    # The CFW page: "Z refers to the time zone offset, ... Beijing time ... +0800".
    ('2022-01-05T16:15:01+0800', '2022-01-05T08:15:01.000Z'),
    ('2022-01-05T16:15:01+08:00', '2022-01-05T08:15:01.000Z'),
    ('2022-01-05T03:15:01-0500', '2022-01-05T08:15:01.000Z'),
    ('2022-01-05T16:15:01.250+0800', '2022-01-05T08:15:01.250Z'),
    ('2022-01-01T02:00:00+0800', '2021-12-31T18:00:00.000Z'),
    (' 2022-01-05T08:15:01Z ', '2022-01-05T08:15:01.000Z'),
])
def test_iso_strings_are_normalised_to_utc_with_milliseconds(value, expected):
    assert iso8601(value) == expected


@pytest.mark.parametrize('value', [None, '', True, False])
def test_nothing_is_none(value):
    assert iso8601(value) is None


@pytest.mark.parametrize('value', ['yesterday', 'N/A', '2022-13-45T99:99:99Z', '2022/01/05 08:15', '-', '12:00', '1.5e12'])
def test_garbage_is_returned_unchanged(value):
    assert iso8601(value) == value


@pytest.mark.parametrize('value', ['99999999999999999999', 10 ** 20, float('inf'), float('nan')],
                         ids=['20-digit-string', 'int-1e20', 'inf', 'nan'])
def test_out_of_range_numbers_do_not_raise(value):
    assert iso8601(value) in (value, str(value))


def test_iso_times_snake_cases_and_skips_missing_fields():
    job = {'startTime': 1714982400000, 'lastUpdateTime': '2024-05-06T16:00:00+0800', 'endTime': None, 'name': 'x'}
    assert iso_times(job, ['startTime', 'endTime', 'lastUpdateTime', 'createTime']) == {
        'start_time': '2024-05-06T08:00:00.000Z',
        'end_time': None,
        'last_update_time': '2024-05-06T08:00:00.000Z',
    }


def test_iso_times_of_snake_case_fields():
    job = {'begin_time': 1641370501000, 'end_time': '1641370515000', 'id': 'f588ce71'}
    assert iso_times(job, ['begin_time', 'end_time']) == {'begin_time': '2022-01-05T08:15:01.000Z',
                                                          'end_time': '2022-01-05T08:15:15.000Z'}
    assert iso_times({}, ['begin_time']) == {}


@pytest.mark.parametrize('value', [{'epoch': 1641370501000}, [1641370501000], {}, []], ids=['object', 'list', 'empty-object', 'empty-list'])
def test_an_object_or_a_list_is_no_time(value):
    assert iso8601(value) is None


def test_a_long_string_is_cut_not_returned_whole():
    assert iso8601('x' * 10000) == 'x' * 61 + '...'
    assert len(iso8601('9' * 4000)) == 64


def test_a_number_too_big_to_write_out_does_not_raise():
    assert 'digits' in iso8601(10 ** 5000)
