# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # What the signed request modules (huaweicloud_request, alicloud_request) share: one core runs both.
    DOCUMENTATION = r'''
options:
  status_code:
    description:
      - The HTTP statuses that count as success. Any other status fails the task.
      - When not set, any 2xx status. An error status listed here is returned as an answer instead of failing the task.
    type: list
    elements: int
attributes:
  check_mode:
    support: partial
    description: C(GET) and C(HEAD) are sent; any other method is not, and the module returns what it would send.
    details: A request other than C(GET) and C(HEAD) is not sent in check mode; RV(request) shows it instead.
  diff_mode:
    support: none
    description: The module does not know the state before the call.
notes:
  - Redirects are not followed, as a signature is valid for one URL only.
'''
