# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Huawei Cloud credentials and region, shared by every Huawei Cloud module.
    DOCUMENTATION = r'''
options:
  region:
    description:
      - The Huawei Cloud region, for example V(cn-north-4).
      - Builds the service endpoint C(https://SERVICE.REGION.CLOUD) unless O(endpoint) is given, the IAM endpoint
        unless O(iam_endpoint) is given, and names the project looked up when O(project_id) is not given.
      - If not set, the environment variables E(HW_REGION_NAME) and then E(OS_REGION_NAME) are used.
    type: str
  cloud:
    description:
      - The domain of the Huawei Cloud site.
      - Defaults to V(myhuaweicloud.com), or V(myhuaweicloud.eu) for the European region V(eu-west-101).
      - Must be a domain name, without a scheme, port or user.
      - If not set, the environment variable E(HW_CLOUD) is used.
    type: str
  project_id:
    description:
      - The id of the project the job belongs to (32 hexadecimal digits); one with characters other than letters,
        digits, C(-) and C(_) is refused.
      - When not given, it is looked up in IAM from O(region) (a project is named after its region), or taken from
        the token of a password login.
      - When IAM lists more than one project named after the region, the task fails without choosing one; give
        O(project_id) then.
      - If not set, the environment variables E(HW_PROJECT_ID), E(HUAWEICLOUD_SDK_PROJECT_ID) and then
        E(OS_PROJECT_ID) are used.
    type: str
  access_key:
    description:
      - The access key id (AK) for AK/SK request signing (C(SDK-HMAC-SHA256)).
      - Requires O(secret_key). Cannot be combined with O(auth_token) or O(user_name).
      - If not set, the environment variables E(HW_ACCESS_KEY), E(HUAWEICLOUD_SDK_AK) and then E(OS_ACCESS_KEY)
        are used.
    type: str
  secret_key:
    description:
      - The secret access key (SK) that signs requests. It never leaves this machine and is never logged.
      - If not set, the environment variables E(HW_SECRET_KEY), E(HUAWEICLOUD_SDK_SK) and then E(OS_SECRET_KEY)
        are used.
    type: str
  security_token:
    description:
      - The security token of temporary access keys, sent as C(X-Security-Token) and signed with the request.
      - Requires O(access_key).
      - If not set, the environment variables E(HW_SECURITY_TOKEN) and then E(HUAWEICLOUD_SDK_SECURITY_TOKEN)
        are used.
    type: str
  auth_token:
    description:
      - An IAM token, sent as C(X-Auth-Token) instead of signing with access keys.
      - If not set, the environment variable E(HW_AUTH_TOKEN) is used.
    type: str
  user_name:
    description:
      - The IAM user to log in as with O(password); the token obtained is scoped to the project and renewed once
        if it expires during a wait.
      - Requires O(password) and O(domain_name).
      - If not set, the environment variable E(HW_USER_NAME) is used.
    type: str
  password:
    description:
      - The password of O(user_name).
      - If not set, the environment variable E(HW_USER_PASSWORD) is used.
    type: str
  domain_name:
    description:
      - The account (domain) O(user_name) belongs to.
      - If not set, the environment variable E(HW_DOMAIN_NAME) is used.
    type: str
  iam_endpoint:
    description:
      - The IAM endpoint used for password login and project lookup. When given, it is always used; it is checked
        like O(endpoint).
      - When not given, it is chosen as the official Huawei Cloud SDK does - C(https://iam.REGION.CLOUD) for the
        regions that have an IAM host of their own (such as V(cn-north-4), V(ap-southeast-1), V(eu-west-0) and
        V(eu-west-101)), and the global C(https://iam.CLOUD) (V(https://iam.myhuaweicloud.com)) for every other
        region (such as V(af-north-1), V(ap-southeast-5), V(cn-north-11) or V(ru-northwest-2)).
      - When the regional IAM host name does not resolve, the global one is used instead.
      - If not set, the environment variables E(HW_AUTH_URL) and then E(HUAWEICLOUD_SDK_IAM_ENDPOINT) are used.
    type: str
notes:
  - Exactly one way to authenticate is used - O(access_key) and O(secret_key) (with O(security_token) for temporary
    keys), O(auth_token), or O(user_name), O(password) and O(domain_name). Giving two of them is an error, also when
    one comes from an environment variable.
  - A credential (O(access_key), O(secret_key), O(security_token), O(auth_token), O(user_name), O(password),
    O(domain_name)) that is empty, or has a control character (a line break) or surrounding white space, is refused
    before any request, and the message never shows its value. Those sent in a header (O(access_key),
    O(security_token), O(auth_token)) must also be printable ASCII.
  - Credentials can be written once for all Huawei Cloud modules of this collection with
    C(module_defaults) and the action group C(group/jobwatch.cloud.huaweicloud).
'''
