#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: alicloud_request
short_description: Send one signed request to any Alibaba Cloud API
version_added: 0.1.0
description:
  - Sends one request to an Alibaba Cloud API, signed with C(ACS3-HMAC-SHA256) over its query, its headers and the
    SHA-256 hash of its body, and returns the answer. Use it for the call that starts a job (a DataWorks import, for
    example), then wait for the job with the job modules, for example M(jobwatch.cloud.dataworks_job_info) on
    RV(job_id).
  - Parameters are encoded the way the official SDK sends each style. An RPC call (O(style=rpc)) goes to C(/) with
    the API's name and version in the C(x-acs-action) and C(x-acs-version) headers; O(query) and a form body from O(body)
    are flattened - a list of objects as C(Tag.1.Key), C(Tag.1.Value), a map as C(Filter.Name). A ROA call
    (O(style=roa)) goes to O(path) with O(body) as JSON.
  - The same credentials (access keys, STS), environment variables, TLS and time bounds as the job modules.
  - A request other than C(GET) or C(HEAD) reports C(changed). In check mode such a request is not sent; the module
    returns what it would send in RV(request). C(GET) and C(HEAD) are sent in check mode too.
  - A request that may change something (any method but C(GET) and C(HEAD)) is sent again only when the answer says it
    was not carried out - the gateway throttled it (C(Throttling.User) and the other C(Throttling) codes, HTTP 429) or
    the connection was refused - never after a timeout, a 5xx or an answer cut short, which may come after the change
    was made. With a C(ClientToken) parameter in O(query) or O(body) (the idempotency token the APIs that support one
    document) it is sent again after any passing failure, like a read. Each attempt is signed anew, with a fresh nonce.
  - Input that cannot make a valid request (an action or version that is not an API name or version, a ROA path
    without a leading C(/), with C(..) or control characters, an unknown method, a header name or value that is not safe
    to send, a body of the wrong kind for the style) is refused before any request.
author:
  - jobwatch.cloud maintainers (@jobwatch)
options:
  product:
    description:
      - The product's endpoint prefix - the endpoint is C(https://PRODUCT.REGION.aliyuncs.com), for example
        V(dataworks) for C(https://dataworks.cn-hangzhou.aliyuncs.com).
      - One of O(product) and O(endpoint) is required; O(endpoint) wins when both are given. Give O(endpoint) for a
        product or region served by another host (a central endpoint, a VPC endpoint).
    type: str
  action:
    description:
      - The API's name, for example V(ImportWorkflowDefinition). Sent in the C(x-acs-action) header.
    type: str
    required: true
  version:
    description:
      - The product's API version, for example V(2024-05-18). Sent in the C(x-acs-version) header.
    type: str
    required: true
  style:
    description:
      - How the API takes its parameters, as its API reference and SDK say.
      - V(rpc) - the call goes to C(/); O(query) and O(body) are flattened (C(Tag.1.Key)) and O(body) is sent as a
        form (C(application/x-www-form-urlencoded)).
      - V(roa) - the call goes to O(path); O(body) is sent as JSON (C(application/json; charset=utf-8)).
    type: str
    choices: [rpc, roa]
    default: rpc
  method:
    description:
      - The HTTP method, one of V(GET), V(HEAD), V(POST), V(PUT), V(PATCH) and V(DELETE) (in any case).
      - Most RPC APIs are documented as C(POST), reads included; they take C(GET) as well. Give V(GET) for a read so that
        it reports no change and is sent in check mode.
    type: str
    default: POST
  path:
    description:
      - The path of a ROA API, starting with C(/), for example V(/clusters/c-123/nodepools). Required with
        O(style=roa); an RPC call is sent to C(/) and takes no other path.
      - Sent as given (percent-encode what a URL path cannot carry); the query goes in O(query).
    type: str
  query:
    description:
      - The query parameters.
      - Flattened as the official SDK does - a list value becomes C(Name.1), C(Name.2), ..., a map C(Name.Key), at any
        depth; a null value is left out. Values are sent as Python writes them, so a boolean is C(True) or C(False), as
        the SDK sends it.
    type: dict
  body:
    description:
      - The body.
      - With O(style=rpc), a dict of the API's parameters, flattened like O(query) and sent as a form, sorted by name.
        Give the parameters the API reference lists (C(ProjectId), C(Spec), ...) here or in O(query).
      - With O(style=roa), a dict or a list sent as JSON.
      - The signature covers its SHA-256 hash (C(x-acs-content-sha256)).
    type: raw
  headers:
    description:
      - Extra request headers. C(Accept) is C(application/json) unless given here.
      - The module sets C(Authorization), C(Host), C(Content-Length), C(x-acs-action), C(x-acs-version),
        C(x-acs-date), C(x-acs-signature-nonce), C(x-acs-content-sha256), C(x-acs-security-token) and
        C(x-acs-accesskey-id) itself; giving one of them is an error. Every header sent is signed.
      - The value of a header whose name mentions a credential (auth, token, key, secret, password, cookie, signature)
        is hidden like a no_log option - masked in messages and in the output.
    type: dict
extends_documentation_fragment:
  - jobwatch.cloud.alicloud
  - jobwatch.cloud.connection
  - jobwatch.cloud.request
attributes:
  action_group:
    support: full
    membership:
      - jobwatch.cloud.alicloud
    description: Use C(group/jobwatch.cloud.alicloud) in C(module_defaults) to set credentials once.
seealso:
  - module: jobwatch.cloud.dataworks_job_info
  - name: Alibaba Cloud V3 request signature (ACS3-HMAC-SHA256)
    description: How requests are signed and how RPC and ROA parameters are sent.
    link: https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
'''

EXAMPLES = r'''
- name: Import a DataWorks workflow, then wait for the job
  module_defaults:
    group/jobwatch.cloud.alicloud:
      region: cn-hangzhou
      access_key: "{{ ali_access_key }}"
      secret_key: "{{ ali_secret_key }}"
  block:
    - name: Import the workflow (an RPC call; the parameters go in a form body)
      jobwatch.cloud.alicloud_request:
        product: dataworks
        action: ImportWorkflowDefinition
        version: '2024-05-18'
        body:
          ProjectId: 123456
          Spec: "{{ lookup('ansible.builtin.file', 'workflow.json') }}"
      register: imported

    - name: Wait until DataWorks has imported it
      jobwatch.cloud.dataworks_job_info:
        job_id: "{{ imported.job_id }}"
        wait: true

- name: Create two ECS instances; ClientToken makes a resend after a timeout safe
  jobwatch.cloud.alicloud_request:
    region: cn-hangzhou
    product: ecs
    action: RunInstances
    version: '2014-05-26'
    query:
      RegionId: cn-hangzhou
      ImageId: "{{ image_id }}"
      InstanceType: ecs.g7.large
      VSwitchId: "{{ vswitch_id }}"
      Amount: 2
      Tag:                       # sent as Tag.1.Key=env&Tag.1.Value=prod
        - Key: env
          Value: prod
      ClientToken: "{{ 'create-web-servers' | hash('md5') }}"
  register: instances

- name: Read with GET (no change reported, also sent in check mode)
  jobwatch.cloud.alicloud_request:
    region: cn-hangzhou
    product: ecs
    action: DescribeInstances
    version: '2014-05-26'
    method: GET
    query:
      RegionId: cn-hangzhou
      InstanceIds: "{{ instances.json.InstanceIdSets.InstanceIdSet | to_json }}"

- name: A ROA call with a path and a JSON body
  jobwatch.cloud.alicloud_request:
    region: cn-hangzhou
    product: cs
    action: ScaleClusterNodePool
    version: '2015-12-15'
    style: roa
    path: /clusters/{{ cluster_id }}/nodepools/{{ nodepool_id }}
    body:
      count: 2
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
  sample: {"RequestId": "5E2BFE96-C0E0-5A98-85C8-633EC803198D", "AsyncJob": {"Id": "d4b1c2e3-...", "Status": "Running"}}
content:
  description: The answer's text when it is not JSON (at most 65536 characters).
  returned: when the request was sent and the answer is not JSON
  type: str
request_id:
  description: The id the cloud gave the answer (C(RequestId), or the C(x-acs-request-id) header), to quote in a support ticket.
  returned: when the request was sent
  type: str
  sample: 5E2BFE96-C0E0-5A98-85C8-633EC803198D
job_id:
  description:
    - The id of the job the call started, where the answer names one (C(AsyncJob.Id), C(JobId), C(Data.JobId), ...).
    - Give it to M(jobwatch.cloud.dataworks_job_info) or another job module.
  returned: when the answer names a job
  type: str
  sample: 9c1b6a2e-5d3f-4e7a-8b9c-0d1e2f3a4b5c
url:
  description: The URL the request was sent to, without its query.
  returned: when the request was sent
  type: str
  sample: https://dataworks.cn-hangzhou.aliyuncs.com/
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
      description: The query parameters as sent, flattened into (name, value) pairs.
      type: list
      elements: list
    headers:
      description:
        - The headers given (credential headers masked), C(x-acs-action), C(x-acs-version), C(Accept), and
          C(Content-Type) when there is a body.
      type: dict
    body:
      description: The body as given (before it is flattened into a form or written as JSON).
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
      sample: MissingSpec
    message:
      description: The cloud's error message.
      type: str
'''

from ansible_collections.jobwatch.cloud.plugins.module_utils._alibaba_request import AlibabaRequestApi
from ansible_collections.jobwatch.cloud.plugins.module_utils._module import RequestModule


def main():
    RequestModule(AlibabaRequestApi()).run()


if __name__ == '__main__':
    main()
