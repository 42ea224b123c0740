# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""c) One status request: the collection's shared client against Huawei's official ECS SDK; import times.

Both clients ask the same emulator (its own process, so this process's CPU time is the
client's alone) for the same job, AK/SK signed, each with its session kept alive, in
alternating blocks so that both see the same machine load.
"""

import json
import logging
import os
import subprocess
import sys
import tempfile
import time

import common
from common import ACCESS_KEY, PROJECT_ID, SECRET_KEY, log, median, percentile

JOB_ID = '2c9eb2c5544cbf6101544f0602af2b4f'
# The page's example answer: a createServer job with one sub-job that made a server.
JOB = {'service': 'ecs', 'id': JOB_ID, 'project_id': PROJECT_ID, 'timeline': [['SUCCESS', 0]],
       'result': {'job_type': 'createServer', 'entities': {'sub_jobs': [
           {'job_id': '2c9eb2c5544cbf6101544f0635672b60', 'job_type': 'createSingleServer',
            'entities': {'server_id': 'bae51750-0089-41a1-9b18-5c777978ff6d'}}]}}}
BLOCK = 10

IMPORTS = (
    ('module', 'the module (ecs_job_info and its module_utils)', 'import ansible_collections.jobwatch.cloud.plugins.modules.ecs_job_info'),
    ('requests', 'requests alone', 'import requests'),
    ('basic', 'ansible.module_utils.basic alone', 'import ansible.module_utils.basic'),
    ('sdk', 'official SDK (huaweicloudsdkecs.v2, credentials)',
     'import huaweicloudsdkecs.v2, huaweicloudsdkcore.auth.credentials'),
)


class EmulatorProcess:
    """``python -m jobwatch_emulator`` in a child process, serving one job file."""

    def __init__(self, work_dir):
        self.work_dir = work_dir
        self.process = None
        self.url = None

    def __enter__(self):
        os.makedirs(self.work_dir, exist_ok=True)
        jobs_file = os.path.join(self.work_dir, 'cost-jobs.json')
        port_file = os.path.join(self.work_dir, 'cost-port')
        with open(jobs_file, 'w', encoding='utf-8') as handle:
            json.dump({'jobs': [JOB]}, handle)
        if os.path.exists(port_file):
            os.unlink(port_file)
        env = dict(os.environ, PYTHONPATH=common.EMULATOR_DIR)
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, '-m', 'jobwatch_emulator', '--jobs', jobs_file, '--port-file', port_file],
            env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError('the emulator did not start')
            time.sleep(0.05)
        with open(port_file, encoding='utf-8') as handle:
            self.url = 'http://127.0.0.1:%d' % int(handle.read())
        return self

    def __exit__(self, *exc_info):
        self.process.terminate()
        self.process.wait()


def shared_client(url):
    # pylint: disable=import-outside-toplevel
    from lateness import connect
    api, connection = connect(url)

    def ask():
        job, _request_id = api.fetch(connection, JOB_ID, None)
        return job['status']
    return ask


def sdk_client(url):
    # pylint: disable=import-outside-toplevel
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkecs.v2 import EcsClient, ShowJobRequest
    logging.getLogger('HuaweiCloudSDK').setLevel(logging.ERROR)
    client = EcsClient.new_builder().with_credentials(BasicCredentials(ACCESS_KEY, SECRET_KEY, PROJECT_ID)) \
        .with_endpoints([url]).build()

    def ask():
        return client.show_job(ShowJobRequest(job_id=JOB_ID)).status
    return ask


def iam_token(url):
    import requests  # pylint: disable=import-outside-toplevel
    login = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'demo-user', 'password': 'demo-password-1', 'domain': {'name': 'demo-domain'}}}},
        'scope': {'project': {'name': 'cn-north-4'}}}}
    reply = requests.post(url + '/v3/auth/tokens', json=login, timeout=30)
    reply.raise_for_status()
    return reply.headers['X-Subject-Token']


def requests_floor(url):
    """A bare requests session GET with a token header and .json(): no signing, no checks."""
    import requests  # pylint: disable=import-outside-toplevel
    session = requests.Session()
    session.headers['X-Auth-Token'] = iam_token(url)
    job_url = '%s/v1/%s/jobs/%s' % (url, PROJECT_ID, JOB_ID)

    def ask():
        return session.get(job_url, timeout=30).json()['status']
    return ask


def stdlib_floor(url):
    """http.client on one kept-alive connection, token header, json.loads: the least a Python client does."""
    import http.client  # pylint: disable=import-outside-toplevel
    host, port = url.rsplit('/', 1)[-1].split(':')
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {'X-Auth-Token': iam_token(url)}
    path = '/v1/%s/jobs/%s' % (PROJECT_ID, JOB_ID)

    def ask():
        connection.request('GET', path, headers=headers)
        return json.loads(connection.getresponse().read().decode('utf-8'))['status']
    return ask


def measure_requests(work_dir, repetitions):
    """Per client: wall seconds per request (median, p90) and client CPU seconds per request."""
    with EmulatorProcess(work_dir) as emulator:
        clients = dict(shared=shared_client(emulator.url), sdk=sdk_client(emulator.url),
                       requests_floor=requests_floor(emulator.url), stdlib_floor=stdlib_floor(emulator.url))
        walls = {name: [] for name in clients}
        cpu = dict.fromkeys(clients, 0.0)
        for ask in clients.values():  # warm up: connections, lazy imports
            for _count in range(20):
                assert ask() == 'SUCCESS'
        done = 0
        while done < repetitions:
            for name, ask in clients.items():
                cpu_before = time.process_time()
                for _count in range(BLOCK):
                    started = time.perf_counter()
                    ask()
                    walls[name].append(time.perf_counter() - started)
                cpu[name] += time.process_time() - cpu_before
            done += BLOCK
    result = {}
    for name in clients:
        result[name] = dict(median=median(walls[name]), p90=percentile(walls[name], 0.9), cpu=cpu[name] / len(walls[name]),
                            count=len(walls[name]))
    result['ratio'] = result['shared']['median'] / result['sdk']['median']
    result['ratio_p90'] = result['shared']['p90'] / result['sdk']['p90']
    result['ratio_cpu'] = result['shared']['cpu'] / result['sdk']['cpu']
    log('c) per request: shared %.2f ms, SDK %.2f ms (median), ratio %.2f'
        % (result['shared']['median'] * 1e3, result['sdk']['median'] * 1e3, result['ratio']))
    return result


def measure_imports(build_dir, runs):
    """Median seconds of each import in a fresh interpreter, the imports taken in turn run after run
    (so that all see the same machine load), after one round that writes the .pyc files."""
    env = dict(os.environ, PYTHONPATH=build_dir)
    times = {key: [] for key, _label, _statement in IMPORTS}
    times['interpreter'] = []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(runs + 1):
            for key, _label, statement in IMPORTS:
                code = 'import time; started = time.perf_counter(); %s; print(time.perf_counter() - started)' % statement
                out = subprocess.run([sys.executable, '-c', code], env=env, cwd=scratch, check=True,
                                     stdout=subprocess.PIPE, text=True).stdout
                if run:
                    times[key].append(float(out.strip().splitlines()[-1]))
            before = time.perf_counter()
            subprocess.run([sys.executable, '-c', 'pass'], env=env, cwd=scratch, check=True)
            if run:
                times['interpreter'].append(time.perf_counter() - before)
    result = dict(interpreter=dict(median=median(times['interpreter'])))
    for key, label, statement in IMPORTS:
        result[key] = dict(label=label, statement=statement, median=median(times[key]), p90=percentile(times[key], 0.9), runs=runs)
    log('c) imports: module %.0f ms, SDK %.0f ms (median)' % (result['module']['median'] * 1e3, result['sdk']['median'] * 1e3))
    return result
