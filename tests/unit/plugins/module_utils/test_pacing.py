# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pacing after throttling (shared pauses, the cloud's named window, the adaptive rate), and riding
out a long throttled stretch inside a wait, on a fake clock."""

import pytest

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._http import HttpClient
from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import HuaweiConventions
from ansible_collections.jobwatch.cloud.plugins.module_utils._pacing import (
    LONGEST_BACKOFF, SLOWEST_RATE, WINDOW_MARGIN, Pacer)
from ansible_collections.jobwatch.cloud.plugins.module_utils._retry import RetryPolicy
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import LAST_LOOK_SECONDS, REACHED, TIMED_OUT, JobWatch, WaitGoal, Waiter
from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
from ansible_collections.jobwatch.cloud.tests.unit.plugins.module_utils.scripted_server import json_answer

HOST = 'ecs.example'
THROTTLED = json_answer(429, {'error_code': 'APIG.0308', 'request_id': 'r-429',
                              'error_msg': 'The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 minute'})
THROTTLED_SILENT = json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'})
OK = json_answer(200, {'status': 'SUCCESS'})


@pytest.mark.parametrize('message, policy', [
    ('The throttling threshold has been reached: policy user over ratelimit,limit:200,time:5 minute', (200, 300.0)),
    ('policy api over ratelimit,limit:100,time:1 minute', (100, 60.0)),
    ('policy user over ratelimit,limit:20,time:10 second', (20, 10.0)),
    ('limit:1000, time:1 hour', (1000, 3600.0)),
    ('throttled', None),
    ('limit:0,time:1 minute', None),
    (None, None),
])
def test_a_huawei_throttling_message_names_the_quota(message, policy):
    assert HuaweiConventions.throttle_policy(message) == policy


def test_without_retry_after_a_throttled_host_backs_off_for_every_worker(clock):
    pacer = Pacer(clock=clock, rand=lambda: 1.0)
    pauses = [pacer.throttled(HOST) for dummy in range(7)]
    # min(30, 2 ** (k - 1)) * uniform(0.5, 1), at its top here: 1, 2, 4, 8, 16, 30, 30.
    assert pauses == [1.0, 2.0, 4.0, 8.0, 16.0, LONGEST_BACKOFF, LONGEST_BACKOFF]
    # Any worker's next turn at that host waits the pause out; another host does not.
    assert pacer.reserve(HOST)[0] == pytest.approx(LONGEST_BACKOFF)
    assert pacer.reserve('other.example')[0] == 0.0


def test_the_backoff_never_drops_below_half_and_restarts_after_an_accepted_answer(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    assert [pacer.throttled(HOST) for dummy in range(3)] == [0.5, 1.0, 2.0]
    pacer.accepted(HOST)
    assert pacer.throttled(HOST) == 0.5


def test_a_server_pause_is_believed(clock):
    pacer = Pacer(clock=clock, rand=lambda: 1.0)
    assert pacer.throttled(HOST, server_pause=7.0) == 7.0
    assert pacer.reserve(HOST)[0] == pytest.approx(7.0)


def test_the_named_window_is_waited_out_from_our_own_accepted_requests(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    for _dummy in range(5):
        wait, sent_at = pacer.reserve(HOST)
        assert wait == 0.0
        pacer.accepted(HOST)
        clock.advance(2.0)
    # 5 accepted at 0, 2, 4, 6, 8 s; at 10 s the cloud says "limit:5,time:1 minute".
    pause = pacer.throttled(HOST, policy=(5, 60.0))
    assert pause == pytest.approx(60.0 + WINDOW_MARGIN - 10.0)
    # Each request waits for its own place (the host is not paused for turns already given out):
    # the request of 0 s leaves the window at 60 s, the one of 2 s at 62 s.
    assert pacer.paused_for(HOST) == 0.0
    assert pacer.reserve(HOST)[0] == pytest.approx(pause)
    assert pacer.reserve(HOST)[0] == pytest.approx(pause + 2.0)
    # Once known, the window also holds back requests before they are sent (no throttled answer
    # needed): with the two turns above counted, the next place is the one the request of 4 s leaves.
    clock.advance(pause)
    assert pacer.reserve(HOST)[0] == pytest.approx(4.0)


def test_requests_under_way_count_in_the_window_and_throttled_ones_do_not(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    for _dummy in range(4):
        pacer.reserve(HOST)
        clock.advance(1.0)
    throttled_turn = pacer.reserve(HOST)[1]
    pacer.throttled(HOST, server_pause=0.0, policy=(5, 60.0), sent_at=throttled_turn)
    # 4 counted (at 0-3 s), the throttled one not: one place left in the window of 5 a minute.
    # Eight workers take their turns at once: the first gets it, the others wait for the window.
    waits = [pacer.reserve(HOST)[0] for dummy in range(8)]
    assert waits[0] == 0.0
    assert waits[1] == pytest.approx(60.0 + WINDOW_MARGIN - 4.0)
    assert all(wait > 55 for wait in waits[1:])


def test_a_window_our_requests_do_not_fill_falls_back_to_the_backoff(clock):
    # Others share the account's quota: our two requests do not explain a limit of 5.
    pacer = Pacer(clock=clock, rand=lambda: 1.0)
    for _dummy in range(2):
        pacer.reserve(HOST)
        pacer.accepted(HOST)
    assert pacer.throttled(HOST, policy=(5, 60.0)) == 1.0


def test_the_pace_halves_on_throttling_and_grows_back_slowly(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    # 40 requests in the last 10 s: 4 per second.
    for _dummy in range(40):
        pacer.reserve(HOST)
        clock.advance(0.25)
    pacer.throttled(HOST)
    assert pacer.rate(HOST) == pytest.approx(2.0)
    # More throttled answers in the same stretch are the backoff's business: the pace is cut once.
    pacer.throttled(HOST)
    assert pacer.rate(HOST) == pytest.approx(2.0)
    clock.advance(5.0)
    pacer.accepted(HOST)
    # Accepted again: requests leave 1 / rate apart, and each accepted answer adds 5%.
    first = pacer.reserve(HOST)[1]
    assert pacer.reserve(HOST)[1] - first == pytest.approx(1 / (2.0 * 1.05))
    for _dummy in range(13):
        pacer.accepted(HOST)
    assert pacer.rate(HOST) == pytest.approx(2.0 * 1.05 ** 14)
    for _dummy in range(50):
        pacer.accepted(HOST)
    assert pacer.rate(HOST) is None


def test_the_pace_never_drops_below_one_request_in_30_s(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    for _dummy in range(20):
        pacer.throttled(HOST)
        pacer.accepted(HOST)
        clock.advance(10.0)
    assert pacer.rate(HOST) == pytest.approx(SLOWEST_RATE * 1.05)


def test_the_pace_is_cut_at_most_once_in_10_s(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    for _dummy in range(20):
        pacer.reserve(HOST)
    pacer.throttled(HOST)
    assert pacer.rate(HOST) == pytest.approx(10.0)
    clock.advance(5.0)
    pacer.throttled(HOST)
    assert pacer.rate(HOST) == pytest.approx(10.0)
    clock.advance(5.0)
    pacer.throttled(HOST)
    # 10 s later: the 20 requests of the last 10 s, over those 10 s, halved.
    assert pacer.rate(HOST) == pytest.approx(2.0 * 0.5)


def test_one_throttled_job_among_many_answered_is_not_the_account_quota(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    for _dummy in range(6):
        pacer.reserve(HOST)
        pacer.accepted(HOST)
    # 1 throttled among the last 7 answers: the pace is not cut (the pause still holds).
    assert pacer.throttled(HOST, server_pause=0.2) == 0.2
    assert pacer.rate(HOST) is None
    for _dummy in range(5):
        clock.advance(0.2)
        pacer.throttled(HOST, server_pause=0.2)
    # Now half of the last 10 answers were throttled: it is.
    assert pacer.rate(HOST) is not None


def test_rate_limit_stays_the_hard_cap(clock):
    pacer = Pacer(rate_limit=0.5, clock=clock, rand=lambda: 0.0)
    starts = [pacer.reserve(HOST)[1] for dummy in range(3)]
    assert [later - earlier for earlier, later in zip(starts, starts[1:])] == [2.0, 2.0]
    # A pace faster than the cap does not lift it.
    for _dummy in range(40):
        pacer.accepted(HOST)
    assert pacer.reserve(HOST)[1] - starts[-1] == pytest.approx(2.0)


def client_for(clock):
    return HttpClient(HuaweiConventions(), timeout=5.0, sleep=clock.sleep, clock=clock,
                      retry=RetryPolicy(retries=5, rand=lambda: 1.0))


def get(client, server, deadline=None):
    return client.request('GET', '%s/v1/p/jobs/j1' % server.url, 'query ECS job j1', deadline=deadline)


def wait_for_job(client, server, clock, timeout):
    """A wait on job j1 through ``client``, as a job module waits (Waiter and client on one fake clock)."""
    def poll(job_id, deadline):
        return get(client, server, deadline).data['status'], None

    watch = JobWatch('j1', WaitGoal(EcsJobApi()))
    Waiter(timeout, clock=clock, sleep=clock.sleep).watch(poll, [watch])
    return watch


def test_inside_a_wait_a_long_throttled_stretch_is_ridden_out(server, clock):
    # Eight throttled answers without Retry-After: more than the six attempts a single query gets.
    for _dummy in range(8):
        server.add(THROTTLED_SILENT)
    server.add(OK)
    client = client_for(clock)
    watch = wait_for_job(client, server, clock, timeout=300)
    assert watch.verdict == REACHED and watch.status == 'SUCCESS' and watch.polls == 1
    assert client.throttled_answers == 8 and len(server.requests) == 9
    # The host's backoff doubled up to its cap (1, 2, 4, 8, 16, 30, 30, 30 s); the first poll gave
    # up after six attempts, the waiter asked again after its own pause (in which the host's 30 s
    # pause went on).
    assert clock.now - 1000.0 >= 121.0


def test_a_single_query_keeps_its_attempt_bound(server, clock):
    for _dummy in range(8):
        server.add(THROTTLED_SILENT)
    client = client_for(clock)
    with pytest.raises(JobwatchError) as caught:
        get(client, server)
    assert len(server.requests) == 6 and 'gave up after 6 attempts' in str(caught.value)
    assert caught.value.transient and caught.value.throttled


def test_inside_a_wait_throttling_ends_the_wait_only_at_its_timeout(server, clock):
    server.set_default(THROTTLED_SILENT)
    client = client_for(clock)
    watch = wait_for_job(client, server, clock, timeout=100)
    assert watch.verdict == TIMED_OUT and watch.error is None and watch.status is None
    failure = watch.failure
    assert failure.transient and failure.throttled and failure.status == 429
    # Asked again until the timeout: more than one poll's six attempts, and none after the last look.
    assert len(server.requests) > 6
    assert 100.0 - 30.0 <= clock.now - 1000.0 <= 100.0 + LAST_LOOK_SECONDS + 1.0


def test_a_server_pause_beyond_the_deadline_ends_the_request_at_once(server, clock):
    server.add(json_answer(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, headers={'Retry-After': '120'}), OK)
    client = client_for(clock)
    with pytest.raises(JobwatchError):
        get(client, server, deadline=clock.now + 30)
    assert clock.sleeps == [] and len(server.requests) == 1


def test_a_named_window_spares_throttled_requests(server, clock):
    server.add(OK, OK, OK, OK, OK, THROTTLED, OK)
    client = client_for(clock)
    for _dummy in range(5):
        get(client, server, deadline=clock.now + 300)
        clock.advance(1.0)
    reply = get(client, server, deadline=clock.now + 300)
    assert reply.data == {'status': 'SUCCESS'} and client.throttled_answers == 1
    # The first of the five accepted requests left at 0 s: the window had room at 60 s (+ margin).
    assert clock.now - 1000.0 == pytest.approx(60.0 + WINDOW_MARGIN)


def test_a_worker_waiting_for_its_turn_also_waits_out_a_pause_that_began_meanwhile(server, clock):
    client = HttpClient(HuaweiConventions(), timeout=5.0, clock=clock, rate_limit=5.0,
                        retry=RetryPolicy(retries=5, rand=lambda: 1.0))
    server.add(OK, OK)
    get(client, server)
    sleeps = []

    def sleep(seconds):
        # Another worker is throttled while this one sleeps until its slot.
        if not sleeps:
            client.pacer.throttled('127.0.0.1:%d' % server.port)
        sleeps.append(seconds)
        clock.sleep(seconds)

    client._sleep = sleep
    get(client, server)
    # Its slot (0.2 s after the first request), then what is left of the 1-s pause.
    assert sleeps == [pytest.approx(0.2), pytest.approx(0.8)]
    assert len(server.requests) == 2


def test_the_window_log_keeps_what_requests_under_way_may_yet_give_back(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    for _dummy in range(5):
        pacer.reserve(HOST)
        clock.advance(1.0)
    # Three more turns taken at 5 s, under way together; the cloud (5 a minute) throttles all three.
    turns = [pacer.reserve(HOST)[1] for dummy in range(3)]
    for turn in turns:
        pacer.throttled(HOST, policy=(5, 60.0), sent_at=turn)
    # The five counted requests (0-4 s) are all still known: the next place is at 60 s, not sooner
    # (a log cut to 5 entries while the three were under way would have lost the first ones).
    assert pacer.reserve(HOST)[0] == pytest.approx(60.0 + WINDOW_MARGIN - 5.0)


def test_the_rate_measured_at_a_throttle_ignores_turns_given_out_for_later(clock):
    pacer = Pacer(clock=clock, rand=lambda: 0.0)
    for _dummy in range(20):
        pacer.reserve(HOST)
        clock.advance(0.05)
    pacer.throttled(HOST, policy=(20, 60.0))
    assert pacer.rate(HOST) == pytest.approx(10.0)
    # Turns given out a minute ahead (the window is full) do not wipe the record of what was sent
    # in the last 10 s, which the next cut measures.
    for _dummy in range(5):
        assert pacer.reserve(HOST)[0] > 50
    assert len([moment for moment in pacer._hosts[HOST].sent if moment <= clock()]) == 20
