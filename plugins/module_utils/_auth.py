# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a way of proving who you are must provide to the shared HTTP client (``auth=`` of HttpClient.request)."""


class Auth:
    """One credential, applied to every request it authenticates.

    A subclass must provide ``apply`` and ``refused_hint``; ``refresh`` is for credentials that can
    be renewed (a login token), the others keep the default.
    """

    def apply(self, method, url, query, headers, body):
        """Return the headers to send: ``headers`` plus what proves who sends them (a signature, a token).

        ``query`` is the list of (key, value) pairs and ``body`` the bytes, both as they will be sent.
        Called once per attempt, so a signature is always fresh; must not change ``headers`` in place.
        """
        raise NotImplementedError

    def refresh(self, deadline=None):  # pylint: disable=unused-argument
        """After a 401: renew the credential by ``deadline`` (None: the retry policy's bound) and return
        whether the request is worth one more try. A credential that cannot be renewed returns False."""
        return False

    def refused_hint(self):
        """What the user should check when the cloud refuses this credential (a 401), as a sentence."""
        raise NotImplementedError
