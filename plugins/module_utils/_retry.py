# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How long to pause before trying a request again."""

import random
import re
import time
from email.utils import parsedate_to_datetime


class RetryPolicy:
    """Bounded retries with "full jitter" exponential backoff.

    Full jitter (a uniform pause in [0, base * 2**attempt]) spreads many clients that were
    throttled at the same moment, instead of waking them together again. When the server
    names a pause (Retry-After), that pause is the floor: we never come back earlier.
    """

    def __init__(self, retries=5, base=0.5, cap=20.0, rand=random.random, longest_server_pause=300.0):
        self.retries = retries
        # A server asking for a longer pause than this is not waited for: the task fails, saying so.
        self.longest_server_pause = longest_server_pause
        self.base = base
        self.cap = cap
        self.rand = rand  # the source of jitter, shared with the pacer

    def pause(self, attempt, server_pause=None):
        """Seconds to sleep before retry number ``attempt`` (1 for the first retry)."""
        # The exponent is bounded: inside a long wait the attempts are counted in hundreds.
        ceiling = min(self.cap, self.base * (2 ** min(attempt - 1, 30)))
        jitter = ceiling * self.rand()
        if server_pause is None:
            return jitter
        # A little jitter on top of the server's pause keeps throttled workers apart.
        return server_pause + min(jitter, 0.1 * server_pause + 0.1)


def parse_seconds(value, unit=1.0):
    """A non-negative decimal number of ``unit``s as seconds, or None.

    Digits only: float() would also take "inf", "nan" and "1e400", which no server means.
    """
    text = str(value).strip() if value is not None else ''
    if re.match(r'^[0-9]{1,12}(\.[0-9]+)?\Z', text):
        return float(text) * unit
    return None


def parse_retry_after(value, now=None):
    """Seconds from an HTTP ``Retry-After`` value (delay seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    seconds = parse_seconds(value)
    if seconds is not None:
        return seconds
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))
