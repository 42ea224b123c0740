# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the bad_input target: how the cases are run in batches."""


def case_batches(cases):
    """The cases' indexes in batches: every case of a module that must send nothing, in one batch
    per module, and each case that sends requests alone.

    The emulator's request count is read after each batch. A batch of refused cases must have sent
    nothing at all, and as no case sends fewer than none, that proves each sent none; a case that
    sends is counted on its own. Indexes rather than the cases themselves are looped over, so that
    no secret of a case's arguments is shown as the loop item in the -vvv output.
    """
    refused = {}
    alone = []
    for index, case in enumerate(cases):
        if case.get('sends', 0):
            alone.append([index])
        else:
            refused.setdefault(case['module'], []).append(index)
    return list(refused.values()) + alone


class FilterModule:
    def filters(self):
        return {'case_batches': case_batches}
