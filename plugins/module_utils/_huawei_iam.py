# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where Huawei IAM answers: the region's own IAM host, or the global one the SDK falls back to."""

import socket
from urllib.parse import urlsplit

from ansible_collections.jobwatch.cloud.plugins.module_utils._errors import JobwatchError
from ansible_collections.jobwatch.cloud.plugins.module_utils._options import service_url

# The regions with an IAM host of their own (iam.REGION.CLOUD), as the official SDK 3.1.219 lists
# them: huaweicloudsdkcore auth/endpoint.py, plus eu-west-101 (on the European site) from
# huaweicloudsdkiam's IamRegion. The SDK sends every other region to the global host.
REGIONAL_IAM_REGIONS = frozenset((
    'af-south-1', 'ae-ad-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
    'cn-east-2', 'cn-east-3', 'cn-east-4', 'cn-east-5', 'cn-north-1', 'cn-north-2', 'cn-north-4', 'cn-north-9',
    'cn-north-12', 'cn-south-1', 'cn-south-2', 'cn-southwest-2', 'eu-west-0', 'eu-west-101', 'la-north-2',
    'la-south-2', 'me-east-1', 'my-kualalumpur-1', 'na-mexico-1', 'ru-moscow-1', 'sa-brazil-1', 'tr-west-1',
))


def iam_urls(given, region, cloud):
    """The IAM base URLs to try in turn: ``given`` alone, else the regional host then the global one."""
    if given:
        return [service_url(given, 'iam', region, cloud, option='iam_endpoint')]
    # The SDK's global host is https://iam.myhuaweicloud.com; the same name under the site's domain elsewhere.
    global_url = 'https://iam.%s' % cloud
    if not region:
        return [global_url]
    regional = service_url(None, 'iam', region, cloud, option='iam_endpoint')  # also checks the region's form
    return [regional, global_url] if region in REGIONAL_IAM_REGIONS else [global_url]


def resolves(host):
    try:
        return bool(socket.getaddrinfo(host, None))
    except (socket.gaierror, UnicodeError):
        return False


class IamEndpoint:
    """IAM for one task: the first of its URLs whose host name resolves, remembered once found."""

    def __init__(self, urls, resolver=resolves):
        self.urls = list(urls)
        self._resolves = resolver

    @property
    def url(self):
        return self.urls[0]

    def request(self, http, method, path, what, **kwargs):
        while True:
            try:
                return http.request(method, self.url + path, what, **kwargs)
            except JobwatchError as error:
                if len(self.urls) == 1 or not self._unresolvable(error):
                    raise
                # A region IAM has no host for here (or a DNS that does not know it): the SDK's global host serves all.
                self.urls.pop(0)

    def _unresolvable(self, error):
        # Only a failure without an answer can be a name that does not resolve; the resolver says whether it was.
        return error.status is None and not error.transient and not self._resolves(urlsplit(self.url).hostname)
