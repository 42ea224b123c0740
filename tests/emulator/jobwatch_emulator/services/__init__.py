# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One file per cloud service: its routes and how it renders a job.

A service module provides ``NAME`` (the ``"service"`` value of its job specs) and ``ROUTES``
(``routing.Route`` list). Register it in ``SERVICES`` below; nothing else needs to change.
"""

from . import cfw, dataarts, dataworks, ecs

SERVICES = {module.NAME: module for module in (ecs, dataarts, cfw, dataworks)}
