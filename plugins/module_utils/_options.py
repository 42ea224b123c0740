# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options every module shares (connection and waiting) and their checks, made before any request."""

import os
import re
from urllib.parse import urlsplit

from ansible_collections.jobwatch.cloud.plugins.module_utils._checks import check_number
from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError

CONNECTION_SPEC = dict(
    endpoint=dict(type='str'),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    timeout=dict(type='float', default=30.0),
    rate_limit=dict(type='float'),
)

WAIT_SPEC = dict(
    concurrency=dict(type='int', default=8),
    wait=dict(type='bool', default=False),
    wait_for=dict(type='list', elements='str'),
    wait_timeout=dict(type='int', default=600),
    wait_interval=dict(type='float'),
    fail_on_job_failure=dict(type='bool', default=True),
)

REGION_PATTERN = re.compile(r'^[a-z]{2,}(-[a-z0-9]+)+$')
# A service's host prefix (ecs, dataarts, dataworks): one DNS label.
HOST_LABEL_PATTERN = re.compile(r'^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')
# A cloud's domain (myhuaweicloud.com): only ever a host name's last labels, never a port or user.
DOMAIN_PATTERN = re.compile(r'^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$', re.I)

# Bounds of the numbers every module takes: beyond them a value is a typo, or would flood the
# cloud (a poll every millisecond) or overflow a clock.
MAX_TIMEOUT = 3600
MAX_CONCURRENCY = 64
MAX_RATE_LIMIT = 1000
MIN_RATE_LIMIT = 0.001
MAX_WAIT_TIMEOUT = 7 * 86400
MIN_WAIT_INTERVAL = 0.5
MAX_WAIT_INTERVAL = 3600


def check_endpoint(endpoint, option='endpoint', example='https://SERVICE.REGION.CLOUD'):
    """``endpoint`` without a trailing slash, or a JobwatchError that names ``option``."""
    url = endpoint.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number, or above 65535, raises here
    except ValueError as error:
        raise JobwatchError('use %s %r' % (option, endpoint), 'it is not a URL (%s)' % error, hint='Write it like %s' % example)
    if port == 0:
        raise JobwatchError('use %s %r' % (option, endpoint), 'port 0 is no port to connect to', hint='Write it like %s' % example)
    if '@' in parts.netloc:
        # requests would send user:password as Basic auth instead of the signature: never shown, never sent.
        raise JobwatchError('use %s' % option, '%s has user info (user:password@) before the host name' % option,
                            hint='Give credentials in their own options, and %s like %s' % (option, example))
    odd_characters = any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in url)
    if parts.scheme not in ('http', 'https') or not parts.hostname or parts.query or parts.fragment or odd_characters:
        raise JobwatchError('use %s %r' % (option, endpoint),
                            'it is not an http:// or https:// URL with a host name and no query or fragment',
                            hint='Write it like %s' % example)
    return url.rstrip('/')


def check_host_label(params, option, examples, first_label):
    """Refuse ``option``, the first label of a service's host name, when given and not one DNS label."""
    value = params.get(option)
    if value is not None and not HOST_LABEL_PATTERN.match(value):
        raise JobwatchError('check %s' % option, '%s %r is not a host name prefix like %s' % (option, value, examples),
                            hint='Give the first label of the service host (%s), or a whole URL in endpoint' % first_label)


def check_cloud(cloud):
    if cloud is not None and not DOMAIN_PATTERN.match(cloud):
        raise JobwatchError('check cloud', 'cloud %r is not a domain name' % cloud,
                            hint='Give the domain of the cloud\'s endpoints, like myhuaweicloud.com; a whole URL goes in endpoint')


def service_url(endpoint, service, region, cloud, option='endpoint', region_variable='HW_REGION_NAME'):
    """The base URL of ``service``: ``endpoint`` when given, else built from region and cloud."""
    if endpoint:
        return check_endpoint(endpoint, option, example='https://%s.%s.%s' % (service, region or 'REGION', cloud))
    check_cloud(cloud)
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
    check_number(params, 'timeout', 0, MAX_TIMEOUT, 'seconds', low_allowed=False)
    check_number(params, 'concurrency', 1, MAX_CONCURRENCY, 'requests in flight')
    if params.get('rate_limit') is not None and params['rate_limit'] <= 0:
        raise JobwatchError('check rate_limit', 'rate_limit must be more than 0 requests per second when given, got %s' % params['rate_limit'])
    check_number(params, 'rate_limit', MIN_RATE_LIMIT, MAX_RATE_LIMIT, 'requests per second')


def check_wait(params, waiting):
    """The wait options; wait_timeout only matters, and is only checked, when waiting."""
    if waiting:
        check_number(params, 'wait_timeout', 0, MAX_WAIT_TIMEOUT, 'seconds', low_allowed=False)
    check_number(params, 'wait_interval', MIN_WAIT_INTERVAL, MAX_WAIT_INTERVAL, 'seconds')


def http_settings(params):
    """The HttpClient keyword arguments the connection options give."""
    return dict(timeout=params['timeout'], validate_certs=params['validate_certs'], ca_path=params.get('ca_path'),
                rate_limit=params.get('rate_limit'), pool_size=params.get('concurrency') or 1)
