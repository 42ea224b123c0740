# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # How requests reach the cloud: endpoint override, TLS and the per-request timeout.
    DOCUMENTATION = r'''
options:
  endpoint:
    description:
      - The full URL of the service endpoint, replacing the one built from the region, for example
        V(https://ecs.cn-north-4.myhuaweicloud.com).
      - C(http://) is accepted for local stand-ins and tests.
      - A URL with user info (C(https://user:password@host)), a query or a fragment is refused; credentials go in
        their own options.
    type: str
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate.
      - Setting it to V(false) gives a warning; prefer O(ca_path) for a private CA.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of the CA certificates to trust instead of the system's, or a directory of CA certificates
        named by their subject hash (as C(openssl rehash) names them).
    type: path
  timeout:
    description:
      - How long one HTTP request may take, in seconds - connecting, the answer's headers and its whole body. It bounds
        each request, never the whole wait (see C(wait_timeout)); inside a wait, a request also ends at the wait's deadline.
      - A request that times out, or whose answer does not arrive whole in time, is retried like any other transient failure.
      - An answer larger than 8 MiB (once inflated) or nested deeper than 100 levels is no job's answer - it is taken as a
        malformed answer and retried, then reported.
      - More than 0 and at most 3600 seconds.
    type: float
    default: 30
  rate_limit:
    description:
      - At most this many requests per second to the endpoint, spaced evenly, whichever job they are for.
      - The limit holds for one task on one host. Tasks running at once (several hosts of a play, C(async)
        tasks, other playbooks) each keep their own; to share one account's quota among many hosts, wait from one
        host (for example with C(job_ids) and C(run_once)), or give each host its share of the quota.
      - A request whose turn would come after C(wait_timeout) is not sent at all; queued requests never burst
        at the deadline.
      - Unlimited when not set; throttling answers from the cloud slow every request of the task anyway.
      - From 0.001 (one request in about 17 minutes) to 1000.
    type: float
notes:
  - Text from the cloud's answers that enters a message (an error message, an HTML page's title) has every secret of
    the task masked first - the no_log options and tokens learnt on the way, and each piece of 8 or more characters
    of one - so that an answer that echoes a credential, even cut short, does not show it.
  - Requests that fail for a passing reason (connection errors, timeouts, HTTP 5xx, throttling) are retried up to
    5 times with jittered exponential backoff, honouring the server's C(Retry-After). A throttling answer pauses
    every request to that endpoint. Only reads are retried (M(jobwatch.cloud.huaweicloud_request) and
    M(jobwatch.cloud.alicloud_request) say when they retry a call that may change something).
requirements:
  - python >= 3.9
  - requests
'''
