# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fields of a cloud's answer read without trusting their types: an answer may hold anything.

A field of the wrong type is read as absent (the default), never as something else: a dict is
not str()-ed into a status, a number is not iterated as a list.
"""

import json

# How much of an odd value (or of a message) a message quotes.
QUOTED_CHARS = 2000  # as much as the client shows of a cloud's own error message


def field(container, key, kind, default=None):
    """``container[key]`` when ``container`` is a dict and the value is a ``kind`` (a type or a tuple); else ``default``.

    A bool is never taken for a number (JSON's true is not 1).
    """
    if not isinstance(container, dict):
        return default
    value = container.get(key)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        return default
    return value


def dict_at(container, key):
    """The object at ``key``, or an empty dict."""
    return field(container, key, dict, {})


def dicts_at(container, key):
    """The objects of the list at ``key`` (items of other types left out), or an empty list."""
    return [item for item in field(container, key, list, []) if isinstance(item, dict)]


def text_at(container, key):
    """The text at ``key`` (a number written as text), or None: an object or a list is no text."""
    value = field(container, key, (str, int, float))
    return None if value is None or value == '' else str(value)


def text(value, limit=QUOTED_CHARS):
    """``value`` as short text for a message: text as it is, anything else as compact JSON; cut to ``limit``."""
    if value is None:
        return None
    if not isinstance(value, str):
        try:
            value = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(', ', ': '), default=repr)
        except (TypeError, ValueError, RecursionError):
            value = repr(value)
    return value if len(value) <= limit else value[:limit - 3] + '...'


# Checked in this order: a bool is an int to Python.
_KINDS = ((bool, 'a bool'), ((int, float), 'a number'), (dict, 'an object'), (list, 'a list'))


def describe(value):
    """What kind of JSON value this is, with a short quote: ``a number (3)``, ``an object ({"a": 1})``."""
    if value is None:
        return 'null'
    if isinstance(value, str):
        return 'a text of %d characters' % len(value) if len(value) > 60 else 'a text (%s)' % json.dumps(value)
    kind = next((name for types, name in _KINDS if isinstance(value, types)), 'a %s' % type(value).__name__)
    return '%s (%s)' % (kind, text(value, 60))
