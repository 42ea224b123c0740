# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options every module shares (connection and waiting) and their checks, made before any request."""

import os
import re
from urllib.parse import urlsplit

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError

CONNECTION_SPEC = dict(
    endpoint=dict(type='str'),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    timeout=dict(type='float', default=30.0),
    concurrency=dict(type='int', default=8),
    rate_limit=dict(type='float'),
)

WAIT_SPEC = dict(
    wait=dict(type='bool', default=False),
    wait_for=dict(type='list', elements='str'),
    wait_timeout=dict(type='int', default=600),
    wait_interval=dict(type='float'),
    fail_on_job_failure=dict(type='bool', default=True),
)

REGION_PATTERN = re.compile(r'^[a-z]{2,}(-[a-z0-9]+)+$')


def service_url(endpoint, service, region, cloud, option='endpoint', region_variable='HW_REGION_NAME'):
    """The base URL of ``service``: ``endpoint`` when given, else built from region and cloud."""
    if endpoint:
        parts = urlsplit(endpoint.strip())
        if parts.scheme not in ('http', 'https') or not parts.hostname or parts.query or parts.fragment:
            raise JobwatchError('use %s %r' % (option, endpoint),
                                'it is not an http:// or https:// URL with a host name and no query or fragment',
                                hint='Write it like https://%s.%s.%s' % (service, region or 'REGION', cloud))
        return endpoint.strip().rstrip('/')
    if not region:
        raise JobwatchError('build the %s endpoint' % service, 'neither %s nor region was given' % option,
                            hint='Give region (or the %s environment variable) or %s' % (region_variable, option))
    if not REGION_PATTERN.match(region):
        raise JobwatchError('build the %s endpoint' % service, 'region %r is not a region name' % region,
                            hint='Region names look like cn-north-4 or ap-southeast-1')
    return 'https://%s.%s.%s' % (service, region, cloud)


def check_connection(params):
    # A PEM bundle, or a directory of certificates hashed by `openssl rehash` (requests takes both).
    if params.get('ca_path') and not (os.path.isfile(params['ca_path']) or os.path.isdir(params['ca_path'])):
        raise JobwatchError('check ca_path', 'there is no file or directory at %s' % params['ca_path'],
                            hint='Give the path of a PEM file with the CA certificates to trust, or of a directory '
                                 'of certificates hashed by openssl rehash')
    if params['timeout'] <= 0:
        raise JobwatchError('check timeout', 'timeout must be more than 0 seconds, got %s' % params['timeout'])
    if params['concurrency'] < 1:
        raise JobwatchError('check concurrency', 'concurrency must be 1 or more, got %s' % params['concurrency'])
    if params['rate_limit'] is not None and params['rate_limit'] <= 0:
        raise JobwatchError('check rate_limit', 'rate_limit must be more than 0 requests per second when given, got %s' % params['rate_limit'])


def http_settings(params):
    """The HttpClient keyword arguments the connection options give."""
    return dict(timeout=params['timeout'], validate_certs=params['validate_certs'], ca_path=params.get('ca_path'),
                rate_limit=params.get('rate_limit'), pool_size=params.get('concurrency') or 1)
