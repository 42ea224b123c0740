# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of one option value, made before any request: text that is safe to send, numbers in bounds.

A message names the option and what is wrong, never a text value: it may be a secret.
"""

import math
import unicodedata

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError

# Control characters, and the line and paragraph separators that end a line as well.
BREAKING_CATEGORIES = frozenset(('Cc', 'Zl', 'Zp'))


def text_problem(value, header=False):
    """What is wrong with a text that is sent as given (a credential, a header), or None."""
    if not value.strip():
        return 'is empty'
    if value != value.strip() or any(unicodedata.category(char) in BREAKING_CATEGORIES for char in value):
        # requests would quote such a header value with repr(), which no_log no longer recognises.
        return 'has a control character or surrounding white space'
    if header and not all(' ' <= char <= '~' for char in value):
        return 'has characters other than printable ASCII, which an HTTP header cannot carry'
    return None


def check_text(params, option, header=False):
    """Refuse ``option`` when given and not safe to send; ``header`` when it travels in an HTTP header."""
    value = params.get(option)
    if value is None:
        return
    problem = text_problem(value, header)
    if problem:
        raise JobwatchError('check %s' % option, '%s %s' % (option, problem))


def check_number(params, option, low, high, unit, low_allowed=True):
    """Refuse ``option`` when given and not a finite number from ``low`` to ``high`` ``unit``."""
    value = params.get(option)
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        problem = 'must be a finite number of %s' % unit
    elif value < low or (value == low and not low_allowed):
        problem = 'must be %s %s %s' % ('at least' if low_allowed else 'more than', low, unit)
    elif value > high:
        problem = 'must be at most %s %s' % (high, unit)
    else:
        return
    raise JobwatchError('check %s' % option, '%s %s, got %s' % (option, problem, value))
