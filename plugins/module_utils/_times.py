# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job times as one format: the APIs send epoch milliseconds (as numbers or strings) or ISO strings."""

from datetime import datetime, timezone

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.jobwatch.cloud.plugins.module_utils._fields import text

# A time string longer than this is no time: it is cut, not returned whole.
QUOTED_TIME = 64
_FORMATS = ('%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z')


def iso8601(value):
    """``value`` as ISO 8601 in UTC (``2022-01-05T08:15:01.000Z``); None stays None.

    A string that is neither epoch milliseconds nor ISO 8601 is returned as it is (cut short):
    better the API's own words than nothing. An object, a list or a bool is no time: None.
    """
    if value is None or value == '' or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    moment = None
    if isinstance(value, (int, float)) or value.strip().isdigit():
        try:
            moment = datetime.fromtimestamp(int(value) / 1000.0, tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            # Out of range, NaN or infinite (json.loads accepts those): not a time we can show.
            return text(value.strip() if isinstance(value, str) else _number(value), QUOTED_TIME)
    else:
        written = value.strip()
        for layout in _FORMATS:
            try:
                moment = datetime.strptime(written, layout)
                break
            except ValueError:
                continue
        if moment is None:
            return text(written, QUOTED_TIME)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def _number(value):
    try:
        return str(value)
    except ValueError:
        # An int of more digits than Python writes out (sys.set_int_max_str_digits).
        return 'a number of about %d digits' % int(value.bit_length() * 0.30103)


def iso_times(job, fields):
    """``{snake_name: iso}`` for each API field name in ``fields`` that the job has."""
    return camel_dict_to_snake_dict({field: iso8601(job[field]) for field in fields if field in job})
