# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masks known secrets in text taken from an answer, before it is cut or folded into a message.

Ansible's no_log masking only finds a secret spelled whole. An answer that echoes a token or a
password can carry a piece of it (cut at a length, white space folded), which no_log then misses:
so every piece of PIECE or more characters of a known secret is masked here too.
"""

import threading

MASK = '********'
# Shorter pieces would mask ordinary words; a secret shorter than this is masked whole only.
PIECE = 8


class Secrets:
    """The secrets of one task: no_log option values and tokens learnt on the way."""

    def __init__(self, values=()):
        self._whole = set()
        self._pieces = set()  # every PIECE-character substring of every secret
        self._lock = threading.Lock()
        for value in values:
            self.add(value)

    def add(self, value):
        if not isinstance(value, str) or not value:
            return
        with self._lock:
            if len(value) < PIECE:
                self._whole.add(value)
            else:
                self._pieces.update(value[start:start + PIECE] for start in range(len(value) - PIECE + 1))

    def mask(self, text):
        """``text`` with every known secret, and every piece of PIECE+ characters of one, replaced by MASK.

        Linear in the length of ``text``: a piece is found by looking up each PIECE-character
        window, and pieces that overlap or touch are masked as one.
        """
        if not isinstance(text, str) or not text:
            return text
        with self._lock:
            pieces, whole = frozenset(self._pieces), sorted(self._whole, key=len, reverse=True)
        for value in whole:
            text = text.replace(value, MASK)
        if not pieces:
            return text
        parts, kept_from, masked_to = [], 0, -1
        for start in range(len(text) - PIECE + 1):
            if text[start:start + PIECE] not in pieces:
                continue
            if start > masked_to:
                parts.append(text[kept_from:start])
                parts.append(MASK)
            masked_to = kept_from = start + PIECE
        parts.append(text[kept_from:])
        return ''.join(parts)
