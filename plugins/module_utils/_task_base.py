# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every task of the collection's modules shares, whatever it asks the cloud."""

import time
import traceback

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._redact import Secrets


class TaskBase:
    """The checked input, the ``warn``/``hide`` callbacks, the secrets to mask, and a ``run()`` that never raises.

    A subclass provides ``_run()``, returning (failed, result); ``doing`` names what it does for
    the message of an error nobody foresaw, and ``failed_keys`` are added to every failed result.
    """

    doing = 'running the task'
    failed_keys = {}

    def __init__(self, api, params, spec, warn=None, hide=None, clock=time.monotonic):
        self.api = api
        self.params = params
        self._warn = warn or (lambda text: None)
        self._hide = hide or (lambda value: None)
        self._clock = clock
        # Masked in any text an answer brings into a message: a piece of one escapes no_log.
        self._secrets = Secrets(params.get(name) for name, option in spec.items() if option.get('no_log'))

    def run(self):
        """Return (failed, result); never raises."""
        try:
            return self._run()
        except JobwatchError as error:
            result = dict(msg=str(error), **self.failed_keys)
            result.update(error.as_result())
            return True, result
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A bug of ours or an answer nobody foresaw: still a result with a message, never a bare traceback.
            return True, dict(msg='Unexpected %s while %s: %s (please report this)' % (type(error).__name__, self.doing, error),
                              exception=traceback.format_exc(), **self.failed_keys)

    def _run(self):
        raise NotImplementedError

    def _secret_learnt(self, value):
        """A secret learnt on the way (a login token, a credential header): masked and hidden like no_log values."""
        self._secrets.add(value)
        self._hide(value)
