# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for the cloud APIs the jobwatch.cloud modules talk to.

Standard library only, so it runs in any virtual environment. Start it with
``python -m jobwatch_emulator`` (see ``tests/emulator/README.md``) or in-process::

    from jobwatch_emulator.server import Emulator

    with Emulator(jobs=[...]) as emu:
        ...  # talk to emu.url

Module map (see ``tests/emulator/README.md``): ``server`` (sockets, threads, TLS), ``app`` (one
request from route to answer), ``routing`` (path templates on the raw path), ``apig`` and
``sdk_hmac`` (Huawei API gateway authentication), ``acs_gateway`` and ``acs3`` (Alibaba's
gateway, ACS3 signatures), ``iam`` (tokens, projects), ``identity``
(accepted credentials), ``jobs`` (job store and timelines), ``faults`` (injected failures),
``requestlog`` (request counts and times), ``tls`` (a throwaway CA for ``--tls``), ``control``
(the ``/_emulator`` test API), ``messages`` (request and answer types), ``services/`` (one file
per cloud service).
"""
