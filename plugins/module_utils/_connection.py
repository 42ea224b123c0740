# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the shared task code uses of a cloud's connection (``JobApi.connect``, ``RequestApi.connect``)."""


class Connection:
    """One task's authenticated way to one service of a cloud.

    A subclass sets ``http`` (the HttpClient every request goes through: the task gives it the
    secrets to mask and reads its counters), ``auth`` (the Auth that signs or authorises each
    request) and ``endpoint`` (the service's base URL), and provides ``url``; ``prepare`` has a
    default that settles nothing.
    """

    http = None
    auth = None
    endpoint = None

    def prepare(self, deadline=None):
        """Settle what every poll shares (a login, a project id) once, before they start, by ``deadline``."""

    def url(self, path, deadline=None, send=True):
        """The URL of ``path`` on the service with its placeholders filled in (a look-up may run by
        ``deadline``); with ``send`` false nothing but a read may be sent to find them."""
        raise NotImplementedError
