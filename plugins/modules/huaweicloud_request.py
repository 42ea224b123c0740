#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: huaweicloud_request
short_description: Send one signed request to any Huawei Cloud API
version_added: 0.1.0
description:
  - Sends one request to a Huawei Cloud API - signed with access keys (C(SDK-HMAC-SHA256), over the body's hash too),
    or with an IAM token - and returns the answer. Use it for the call that starts a job (creating servers, a firewall),
    then wait for the job with the job modules, for example M(jobwatch.cloud.ecs_job_info) on RV(job_id).
  - The same credentials, environment variables, project lookup, TLS and time bounds as the job modules.
  - A request other than C(GET) or C(HEAD) reports C(changed). In check mode such a request is not sent; the module
    returns what it would send in RV(request). C(GET) and C(HEAD) are sent in check mode too.
  - A request that may change something (any method but C(GET) and C(HEAD)) is sent again only when the answer says it
    was not carried out - the gateway throttled it (HTTP 429, C(APIG.0308)) or the connection was refused - never after
    a timeout, a 5xx or an answer cut short, which may come after the change was made. With an C(X-Client-Token) header
    (the idempotency token the APIs that support one document) it is sent again after any passing failure, like a read.
  - Input that cannot make a valid request (a path without a leading C(/), with C(..) or control characters, an unknown
    method, a header name or value that is not safe to send, a placeholder other than C({project_id})) is refused
    before any request.
author:
  - jobwatch.cloud maintainers (@jobwatch)
options:
  service:
    description:
      - The service's host prefix - the endpoint is C(https://SERVICE.REGION.CLOUD), for example V(ecs) for
        C(https://ecs.cn-north-4.myhuaweicloud.com).
      - One of O(service) and O(endpoint) is required; O(endpoint) wins when both are given.
    type: str
  method:
    description:
      - The HTTP method, one of V(GET), V(HEAD), V(POST), V(PUT), V(PATCH) and V(DELETE) (in any case).
    type: str
    default: GET
  path:
    description:
      - The path of the API, starting with C(/), for example V(/v1/{project_id}/cloudservers).
      - C({project_id}) is replaced by O(project_id), or by the project looked up from O(region) when it is not given.
        No other placeholder is filled in.
      - Sent as given (percent-encode what a URL path cannot carry); the query goes in O(query).
    type: str
    required: true
  query:
    description:
      - The query parameters. A list value sends the parameter once for each item.
    type: dict
  body:
    description:
      - The body, a dict or a list, sent as JSON with C(Content-Type) C(application/json;charset=UTF-8) unless
        O(headers) sets another. The signature covers its SHA-256 hash.
    type: raw
  headers:
    description:
      - Extra request headers, for example C(X-Client-Token) or C(X-Language).
      - The module sets C(Authorization), C(Host), C(X-Sdk-Date), C(X-Auth-Token), C(X-Security-Token),
        C(X-Project-Id) and C(Content-Length) itself; giving one of them is an error.
      - The value of a header whose name mentions a credential (auth, token, key, secret, password, cookie, signature)
        is hidden like a no_log option - masked in messages and in the output.
    type: dict
extends_documentation_fragment:
  - jobwatch.cloud.huaweicloud
  - jobwatch.cloud.connection
  - jobwatch.cloud.request
attributes:
  action_group:
    support: full
    membership:
      - jobwatch.cloud.huaweicloud
    description: Use C(group/jobwatch.cloud.huaweicloud) in C(module_defaults) to set credentials once.
seealso:
  - module: jobwatch.cloud.ecs_job_info
  - name: Huawei Cloud API signing (AK/SK)
    description: How requests are signed.
    link: https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-provide.html
'''

EXAMPLES = r'''
- name: Create servers with AK/SK, then wait for the job
  module_defaults:
    group/jobwatch.cloud.huaweicloud:
      region: cn-north-4
      access_key: "{{ hw_access_key }}"
      secret_key: "{{ hw_secret_key }}"
  block:
    - name: Create two servers
      jobwatch.cloud.huaweicloud_request:
        service: ecs
        method: POST
        path: /v1/{project_id}/cloudservers
        headers:
          X-Client-Token: "{{ 'create-web-servers' | hash('md5') }}"
        body:
          server:
            name: web
            count: 2
            imageRef: "{{ image_id }}"
            flavorRef: s6.small.1
            vpcid: "{{ vpc_id }}"
            nics: [{subnet_id: "{{ subnet_id }}"}]
            root_volume: {volumetype: SSD}
      register: create_servers

    - name: Wait until the servers are made
      jobwatch.cloud.ecs_job_info:
        job_id: "{{ create_servers.job_id }}"
        wait: true
        wait_timeout: 900

- name: List the servers (a GET, also sent in check mode)
  jobwatch.cloud.huaweicloud_request:
    region: cn-north-4
    service: ecs
    path: /v1/{project_id}/cloudservers/detail
    query:
      limit: 50
  register: servers

- name: Accept a 404 as an answer
  jobwatch.cloud.huaweicloud_request:
    region: cn-north-4
    service: ecs
    path: /v1/{project_id}/cloudservers/{{ server_id }}
    status_code: [200, 404]
  register: server
'''

RETURN = r'''
status:
  description: The HTTP status of the answer.
  returned: when the request was sent
  type: int
  sample: 200
json:
  description: The answer's JSON (any JSON value).
  returned: when the request was sent and the answer is JSON
  type: raw
  sample: {"job_id": "70a599e0-31e7-49b7-b260-868f441e862b", "serverIds": ["8a2b0c0c-8bbd-4c1f-8ad4-3b3d5b5f0a3e"]}
content:
  description: The answer's text when it is not JSON (at most 65536 characters).
  returned: when the request was sent and the answer is not JSON
  type: str
request_id:
  description: The id the cloud gave the answer (C(X-Request-Id)), to quote in a support ticket.
  returned: when the request was sent
  type: str
  sample: 9b2f2e6c1f5d4a3b8c7d6e5f4a3b2c1d
job_id:
  description:
    - The id of the job the call started, where the answer names one (C(job_id), C(jobId), C(data.job_id), ...).
    - Give it to M(jobwatch.cloud.ecs_job_info) or another job module.
  returned: when the answer names a job
  type: str
  sample: 70a599e0-31e7-49b7-b260-868f441e862b
url:
  description: The URL the request was sent to, without its query.
  returned: when the request was sent
  type: str
  sample: https://ecs.cn-north-4.myhuaweicloud.com/v1/0123456789abcdef0123456789abcdef/cloudservers
request:
  description: In check mode, for a method other than C(GET) and C(HEAD), the request that was not sent.
  returned: in check mode, when the request was not sent
  type: dict
  contains:
    method:
      description: The method.
      type: str
      sample: POST
    url:
      description: The URL without its query.
      type: str
    query:
      description: The query parameters, as (name, value) pairs.
      type: list
      elements: list
    headers:
      description: The headers given (credential headers masked), and C(Content-Type) when there is a body.
      type: dict
    body:
      description: The body.
      type: raw
error:
  description: The cloud's error when the request failed.
  returned: failure
  type: dict
  contains:
    status:
      description: The HTTP status.
      type: int
      sample: 400
    code:
      description: The cloud's error code.
      type: str
      sample: Ecs.0005
    message:
      description: The cloud's error message.
      type: str
'''

from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_request import HuaweiRequestApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._module import RequestModule


def main():
    RequestModule(HuaweiRequestApi()).run()


if __name__ == '__main__':
    main()
