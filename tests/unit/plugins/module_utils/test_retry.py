# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backoff pauses (full jitter, cap, Retry-After as a floor) and Retry-After parsing."""

import random
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._retry import RetryPolicy, parse_retry_after


@pytest.mark.parametrize('attempt, ceiling', [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (6, 16.0), (7, 20.0), (60, 20.0)])
def test_full_jitter_ceiling_doubles_up_to_the_cap(attempt, ceiling):
    policy = RetryPolicy(base=0.5, cap=20.0, rand=lambda: 1.0)
    assert policy.pause(attempt) == pytest.approx(ceiling)


@pytest.mark.parametrize('attempt', [1, 3, 10])
def test_full_jitter_can_be_as_short_as_nothing(attempt):
    assert RetryPolicy(base=0.5, cap=20.0, rand=lambda: 0.0).pause(attempt) == 0.0


def test_full_jitter_scales_the_ceiling_by_the_random_draw():
    assert RetryPolicy(base=0.5, cap=20.0, rand=lambda: 0.25).pause(3) == pytest.approx(0.5)
    assert RetryPolicy(base=1.0, cap=5.0, rand=lambda: 0.5).pause(10) == pytest.approx(2.5)


def test_default_random_pauses_stay_within_bounds_and_spread():
    policy = RetryPolicy(base=0.5, cap=20.0, rand=random.Random(7).random)
    pauses = [policy.pause(4) for _draw in range(500)]
    assert all(0.0 <= pause <= 4.0 for pause in pauses)
    # Full jitter, not "equal jitter": short pauses are as likely as long ones.
    assert min(pauses) < 0.5 and max(pauses) > 3.5


@pytest.mark.parametrize('draw', [0.0, 0.5, 0.999])
@pytest.mark.parametrize('attempt', [1, 2, 8])
def test_retry_after_is_a_floor_with_a_little_jitter_on_top(draw, attempt):
    policy = RetryPolicy(base=0.5, cap=20.0, rand=lambda: draw)
    pause = policy.pause(attempt, server_pause=7.0)
    assert 7.0 <= pause <= 7.0 + 0.1 * 7.0 + 0.1


def test_retry_after_longer_than_the_cap_is_still_honoured():
    pause = RetryPolicy(base=0.5, cap=20.0, rand=lambda: 1.0).pause(1, server_pause=45.0)
    assert pause >= 45.0


def test_retry_after_zero_means_retry_soon():
    pause = RetryPolicy(base=0.5, cap=20.0, rand=lambda: 1.0).pause(5, server_pause=0.0)
    assert 0.0 <= pause <= 0.1


@pytest.mark.parametrize('value, seconds', [('120', 120.0), (' 5 ', 5.0), ('0', 0.0), ('1.5', 1.5)])
def test_parse_retry_after_seconds(value, seconds):
    assert parse_retry_after(value) == seconds


def test_parse_retry_after_http_date_in_the_future():
    now = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    value = format_datetime(datetime(2024, 1, 2, 3, 4, 35, tzinfo=timezone.utc), usegmt=True)
    assert value == 'Tue, 02 Jan 2024 03:04:35 GMT'
    assert parse_retry_after(value, now=now.timestamp()) == pytest.approx(30.0)


def test_parse_retry_after_http_date_in_the_past_means_now():
    now = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc).timestamp()
    assert parse_retry_after('Tue, 02 Jan 2024 03:00:00 GMT', now=now) == 0.0


def test_parse_retry_after_http_date_uses_the_wall_clock_by_default():
    assert parse_retry_after('Fri, 31 Dec 9999 23:59:59 GMT') > 365 * 24 * 3600
    assert parse_retry_after('Thu, 01 Jan 1970 00:00:10 GMT') == 0.0


@pytest.mark.parametrize('value', [None, '', '   ', 'soon', 'in 5 seconds', 'Wed, 99 Foo 2024', '5s', '0x10'])
def test_parse_retry_after_garbage_is_none(value):
    assert parse_retry_after(value) is None


@pytest.mark.parametrize('value', ['inf', 'nan', '1e400'])
def test_parse_retry_after_refuses_non_numbers_float_accepts(value):
    assert parse_retry_after(value) is None
