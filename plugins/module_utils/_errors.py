# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one exception the shared code raises, and how it reads to a person."""


class JobwatchError(Exception):
    """Something a person must act on: a cloud error, a transport failure or bad input.

    ``what`` names the operation ("query ECS job 2c9e…"); ``code``, ``message`` and
    ``request_id`` are the cloud's own words, so a support ticket can quote them.
    """

    def __init__(self, what, message, status=None, code=None, request_id=None, hint=None, transient=False, throttled=False):
        super().__init__(message)
        self.what = what
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id
        self.hint = hint
        # A failure that asking again may cure (throttling, a 5xx, a broken connection): inside a
        # wait it means "no answer before the deadline", not a verdict on the job.
        self.transient = transient
        self.throttled = throttled

    def __str__(self):
        parts = ['Failed to %s' % self.what if self.what else 'Failed']
        details = []
        if self.status is not None:
            details.append('HTTP %s' % self.status)
        if self.code:
            details.append('error code %s' % self.code)
        text = '%s: %s' % (', '.join(parts + details), self.message)
        if self.request_id:
            text += ' (request id %s)' % self.request_id
        if self.hint:
            text += '. %s' % self.hint
        return text

    def as_result(self):
        """The fields a failed task returns next to ``msg``."""
        return dict(
            error=dict(status=self.status, code=self.code, message=self.message),
            request_id=self.request_id,
        )
