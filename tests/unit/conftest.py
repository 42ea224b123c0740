# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Makes the emulator importable for every unit test (its own tests, the fidelity and TLS tests)."""

import os
import sys

# The emulator is a plain package under tests/emulator (no collection imports), as in `make demo`.
EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'emulator')
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)
