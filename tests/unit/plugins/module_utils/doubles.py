# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Views the tests need and the collection does not: one job's wait, a count of logins."""

from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_auth import PasswordAuth
from ansible_collections.jobwatch.cloud.plugins.module_utils._waiter import JobWatch, Waiter


class SingleJobWaiter(Waiter):
    """A Waiter on one job: ``run(poll, goal)``, and that job's ``history`` and ``polls``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._single = None

    @property
    def history(self):
        return self._single.history if self._single else []

    @property
    def polls(self):
        return self._single.polls if self._single else 0

    def run(self, poll, goal):
        """Wait on one job; ``poll(deadline)`` returns (status, payload). Return (verdict, status, payload).

        Errors of ``poll`` are raised; ``history``, ``polls`` and ``elapsed`` stay readable.
        """
        self._single = JobWatch(None, goal)
        on_change, self._on_change = self._on_change, (lambda watch, entry: on_change(entry)) if self._on_change else None
        try:
            self.watch(lambda job_id, deadline: poll(deadline), [self._single])
        finally:
            self._on_change = on_change
        error = self._single.error or (self._single.failure if self._single.status is None else None)
        if error is not None:
            raise error
        return self._single.verdict, self._single.status, self._single.payload


class CountingPasswordAuth(PasswordAuth):
    """A PasswordAuth that counts its logins to IAM."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.logins = 0

    def login(self, deadline=None):
        super().login(deadline)
        self.logins += 1
