# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a cloud's conventions must tell the shared HTTP client: how its answers name themselves and fail."""

from ansible_collections.jobwatch.cloud.plugins.module_utils._retry import parse_retry_after


class Conventions:
    """How one cloud (its gateway and services) reports request ids, errors and throttling.

    A subclass must provide ``request_id``, ``read_error``, ``is_throttled`` and ``is_transient``;
    ``server_pause``, ``throttle_policy`` and ``hint`` have defaults that say nothing the cloud did not.
    """

    def request_id(self, headers, data):
        """The id the cloud gave this answer (for a support ticket), from ``headers`` or the JSON ``data``
        (None when the body is no JSON object), or None."""
        raise NotImplementedError

    def read_error(self, data):
        """(code, message) of an error answer's JSON object, each text or None: never any other type."""
        raise NotImplementedError

    def is_throttled(self, status, code):
        """Whether an error answer (HTTP ``status``, error ``code``) asks us to slow down: retried after a backoff."""
        raise NotImplementedError

    def is_transient(self, status, code):
        """Whether an error answer is a passing failure of the cloud (a 503): retried."""
        raise NotImplementedError

    def server_pause(self, headers):
        """Seconds the answer asks us to wait before the next request, or None."""
        return parse_retry_after(headers.get('Retry-After'))

    def throttle_policy(self, message):  # pylint: disable=unused-argument
        """(limit, window seconds) of the quota a throttling message names, or None when it names none."""
        return None

    def hint(self, status, code, message=None, auth=None):  # pylint: disable=unused-argument
        """What the user should do about an error, as a sentence, or None.

        For a 401, ``auth`` (an Auth) knows which credential was refused: its ``refused_hint()`` says what to check.
        """
        return None
