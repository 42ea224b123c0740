# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Alibaba Cloud credentials and region, shared by every Alibaba Cloud module.
    DOCUMENTATION = r'''
options:
  region:
    description:
      - The Alibaba Cloud region id, for example V(cn-hangzhou).
      - Builds the endpoint C(https://PRODUCT.REGION.aliyuncs.com) unless O(endpoint) is given - except in the
        regions the product's official SDK sends to another host (for DataWorks, C(https://dataworks.aliyuncs.com) for
        V(cn-qingdao), V(cn-huhehaote), V(cn-wuhan), V(ap-south-1), V(ap-southeast-2) and a few more).
      - If not set, the environment variables E(ALIBABA_CLOUD_REGION_ID), E(ALICLOUD_REGION) and then
        E(ALICLOUD_REGION_ID) are used.
    type: str
  access_key:
    description:
      - The AccessKey id. Requests are signed with C(ACS3-HMAC-SHA256).
      - Requires O(secret_key).
      - If not set, the environment variables E(ALIBABA_CLOUD_ACCESS_KEY_ID), E(ALICLOUD_ACCESS_KEY) and then
        E(ALICLOUD_ACCESS_KEY_ID) are used.
    type: str
  secret_key:
    description:
      - The AccessKey secret that signs requests. It never leaves this machine and is never logged.
      - If not set, the environment variables E(ALIBABA_CLOUD_ACCESS_KEY_SECRET) and then E(ALICLOUD_SECRET_KEY)
        are used.
    type: str
  security_token:
    description:
      - The security token of STS credentials, sent as C(x-acs-security-token) and signed with the request.
      - Requires O(access_key).
      - If not set, the environment variables E(ALIBABA_CLOUD_SECURITY_TOKEN) and then E(ALICLOUD_SECURITY_TOKEN)
        are used.
    type: str
notes:
  - A credential (O(access_key), O(secret_key), O(security_token)) that is empty, or has a control character (a
    line break, as a YAML C(|) block ends with) or surrounding white space, is refused before any request, and the
    message never shows its value. O(access_key) and O(security_token) travel in headers and must also be printable
    ASCII.
  - Credentials can be written once for all Alibaba Cloud modules of this collection with C(module_defaults) and
    the action group C(group/jobwatch.cloud.alicloud).
'''
