# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets: known secrets, and every piece of 8+ characters of one, masked in answer text."""

import time

from ansible_collections.jobwatch.cloud.plugins.module_utils._redact import MASK, Secrets

TOKEN = 'MIIQ7wYJKoZIhvcNAQcCoIIQ4DCCENwCAQExDTALBglghkgBZQMEAgEw'


def test_a_whole_secret_and_its_pieces_are_masked():
    secrets = Secrets([TOKEN, None, ''])
    assert secrets.mask('token %s refused' % TOKEN) == 'token %s refused' % MASK
    # Cut by the answer (a title, a message at a length): the piece left is masked too.
    assert secrets.mask('token %s' % TOKEN[:12]) == 'token %s' % MASK
    assert secrets.mask('ends with %s.' % TOKEN[-9:]) == 'ends with %s.' % MASK
    # Two pieces of it with other text between: each masked.
    assert secrets.mask('%s / %s' % (TOKEN[:10], TOKEN[20:30])) == '%s / %s' % (MASK, MASK)


def test_pieces_shorter_than_eight_characters_and_other_text_stay():
    secrets = Secrets([TOKEN])
    assert secrets.mask('token %s' % TOKEN[:7]) == 'token %s' % TOKEN[:7]
    assert secrets.mask('The job does not exist.') == 'The job does not exist.'
    assert secrets.mask(None) is None and secrets.mask('') == ''


def test_a_short_secret_is_masked_whole_only():
    secrets = Secrets(['pw-1'])
    assert secrets.mask('bad password pw-1 for user') == 'bad password %s for user' % MASK


def test_a_secret_with_white_space_is_masked_before_folding():
    secrets = Secrets(['correct horse  battery staple'])
    assert secrets.mask('<title>correct horse  battery staple</title>') == '<title>%s</title>' % MASK


def test_secrets_learnt_later_are_masked_too():
    secrets = Secrets()
    assert secrets.mask(TOKEN) == TOKEN
    secrets.add(TOKEN)
    assert secrets.mask(TOKEN) == MASK


def test_masking_a_megabyte_takes_linear_time():
    secrets = Secrets([TOKEN, 'a' * 5000])
    text = ('x' * 1000 + TOKEN[:20]) * 1000
    started = time.monotonic()
    masked = secrets.mask(text)
    assert time.monotonic() - started < 5.0
    assert TOKEN[:20] not in masked and masked.count(MASK) == 1000
