# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Under a quota: waits while the API gateway throttles the account (``--only quota``).

1. N = 100 ECS jobs of 5-30 s (made as many_jobs.py makes them) waited for under a quota of 100
   status requests a minute per credential (the emulator's ``/_emulator/quotas``, sliding window,
   Huawei's 429 ``APIG.0308`` without Retry-After), by one task of the module and by the
   ``loop:`` + ``until:`` + uri baseline, each on a fresh emulator state (reset, quota set), through
   ansible-playbook on the real clock. The plot of requests over time comes from the emulator's
   request log (each request's time and whether it was throttled); should the log's ``recent`` list
   have dropped some, from the counts a thread read every second meanwhile.
2. One job whose every answer is throttled for 60 s: a quota of 1 request per 60 s on the
   credential the wait uses, its one request spent by the bench just before the wait starts. The
   module's own task code (``JobTask``, as the module runs it) waits with ``wait_timeout: 300``;
   the wait and the emulator share a ``WarpClock``, so the 60 s cost no real time.
"""

import json
import threading
import time
import urllib.error
import urllib.request

from common import PROJECT_ID, REGION, WarpClock, log, median, run_playbook, warped_time
from many_jobs import job_specs

COUNT = 100
QUOTA = dict(limit=100, window=60, service='ecs')
WAIT_TIMEOUT = 600
DELAY = 5
SAMPLE_EVERY = 1.0  # seconds between two readings of the emulator's request counts (a fallback for the plot)
# 2. one job throttled for THROTTLED_FOR seconds
THROTTLED_FOR = 60.0
SINGLE_TIMEOUT = 300
SINGLE_LENGTH = 30.0
SINGLE_JOB = 'quota-throttled-60s'
# Goals
MAX_REQUESTS_RATIO = 1.3  # under the quota: at most this many times the baseline's status requests
NO_QUOTA_PER_JOB = 1.5  # without a quota, N = 100: status requests per job


def control(url, path, document):
    """POST ``document`` to the emulator's control API; its JSON answer."""
    request = urllib.request.Request(url + path, data=json.dumps(document).encode('utf-8'), method='POST',
                                     headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read().decode('utf-8') or 'null')
    except urllib.error.HTTPError as error:
        raise RuntimeError('POST %s answered %d: %s (an emulator without quotas has no %s)'
                           % (path, error.code, error.read()[:300].decode('utf-8', 'replace'), path)) from error


def set_quotas(url, quotas):
    return control(url, '/_emulator/quotas', {'quotas': quotas})


def throttled(snapshot):
    """Throttled answers in a request log snapshot (the 429s where the log has no such count)."""
    if 'throttled' in snapshot:
        return snapshot['throttled']
    return snapshot.get('statuses', {}).get('429', 0)


def status_requests(snapshot):
    return snapshot.get('routes', {}).get('ecs.show_job', 0)


class Sampler:
    """Reads the emulator's request counts every ``every`` seconds: (time.time(), sent, throttled)."""

    def __init__(self, emulator, every=SAMPLE_EVERY):
        self.emulator = emulator
        self.every = every
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name='bench-quota-sampler', daemon=True)

    def sample(self):
        snapshot = self.emulator.requests()
        self.samples.append((time.time(), status_requests(snapshot), throttled(snapshot)))

    def _run(self):
        while not self._stop.wait(self.every):
            self.sample()

    def __enter__(self):
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        self.sample()

    def series(self, origin):
        """[seconds since ``origin``, sent, throttled] where a count changed (and the first and last)."""
        kept = []
        for index, (moment, sent, refused) in enumerate(self.samples):
            if kept and index < len(self.samples) - 1 and (sent, refused) == tuple(kept[-1][1:]):
                continue
            kept.append([round(moment - origin, 3), sent, refused])
        return kept


def logged_series(snapshot, origin):
    """[seconds since ``origin``, sent, throttled] after each status request of the log, or None when
    the log's ``recent`` list no longer holds them all."""
    entries = [entry for entry in snapshot.get('recent', []) if entry.get('route') == 'ecs.show_job']
    if len(entries) != status_requests(snapshot):
        return None
    series, refused = [], 0
    for sent, entry in enumerate(sorted(entries, key=lambda entry: entry['wall_time']), 1):
        refused += 1 if entry.get('throttled', entry.get('status') == '429') else 0
        series.append([round(entry['wall_time'] - origin, 3), sent, refused])
    return [[0.0, 0, 0]] + series


def run_many(emulator, build_dir, work_dir, approach, tag):
    """One wait on COUNT jobs under the quota, on a fresh emulator state; its figures."""
    emulator.reset()
    set_quotas(emulator.url, [QUOTA])
    jobs = job_specs(COUNT, 'quota-%s' % tag)
    extra = dict(approach=approach, jobs=jobs, delay=DELAY, wait_timeout=WAIT_TIMEOUT)
    with Sampler(emulator) as sampler:
        run = run_playbook('many.yml', extra, build_dir, work_dir, emulator.url, 'quota-%s' % tag, check=False)
    wait = run['tasks'].get('wait')
    if wait is None or wait['outcome'] == 'skipped':
        raise RuntimeError('the wait task did not run (exit %d); see %s' % (run['returncode'], run['log']))
    snapshot = emulator.requests()
    created = emulator.app.jobs.get('ecs', jobs[0]['id']).started_at
    task_failed = wait['outcome'] == 'failed'
    unfinished = wait.get('unfinished')
    if unfinished is None:
        unfinished = COUNT if task_failed else 0
    longest = max(job['timeline'][-1][1] for job in jobs)
    row = dict(approach=approach, count=COUNT, sent=status_requests(snapshot), throttled=throttled(snapshot),
               failed=unfinished, task_failed=task_failed, msg=wait.get('msg') if task_failed else None,
               since_created=wait['returned'] - created, task_wall=wait['returned'] - wait['started'], longest=longest,
               cpu=run['cpu'], log=run['log'])
    logged = logged_series(snapshot, created)
    row.update(series=logged or sampler.series(created), series_source='request log' if logged else 'counts read every %g s' % SAMPLE_EVERY)
    return row


def median_run(runs):
    """The run of median time from the jobs' start (the lower middle one of an even count)."""
    ordered = sorted(runs, key=lambda row: row['since_created'])
    return ordered[(len(ordered) - 1) // 2]


def throttled_job():
    """One job, every answer throttled for THROTTLED_FOR s, waited for by the module's task code."""
    # pylint: disable=import-outside-toplevel
    from jobwatch_emulator.server import Emulator
    from ansible_collections.jobwatch.cloud.plugins.module_utils._task import JobTask, argument_spec
    from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
    import requests
    from request_cost import iam_token

    clock = WarpClock()
    with Emulator(now=clock.time) as emulator:
        set_quotas(emulator.url, [dict(limit=1, window=THROTTLED_FOR, service=QUOTA['service'])])
        emulator.add_jobs([{'service': 'ecs', 'id': SINGLE_JOB, 'project_id': PROJECT_ID, 'start': 'created',
                            'timeline': [['RUNNING', 0], ['SUCCESS', SINGLE_LENGTH]]}])
        token = iam_token(emulator.url)
        job_url = '%s/v1/%s/jobs/%s' % (emulator.url, PROJECT_ID, SINGLE_JOB)
        # The quota's one request, spent now: every status request in the next 60 s is throttled.
        primer = requests.get(job_url, headers={'X-Auth-Token': token}, timeout=30)
        if primer.status_code != 200:
            raise RuntimeError('the request that uses up the quota was answered %d' % primer.status_code)
        api = EcsJobApi()
        spec, _constraints = argument_spec(api)
        params = {name: option.get('default') for name, option in spec.items()}
        params.update(endpoint=emulator.url, region=REGION, project_id=PROJECT_ID, auth_token=token, job_id=SINGLE_JOB,
                      wait=True, wait_timeout=SINGLE_TIMEOUT)
        primed_at = clock.time()
        real_started = time.monotonic()
        with warped_time(clock):
            task_failed, result = JobTask(api, params).run()
        ended = clock.time()
        real = time.monotonic() - real_started
        snapshot = emulator.requests()
    first_answer = None
    for entry in snapshot.get('recent', []):
        is_throttled = entry.get('throttled', entry.get('status') == '429')
        if entry.get('route') == 'ecs.show_job' and not is_throttled and entry['wall_time'] > primed_at:
            first_answer = entry['wall_time'] - primed_at
            break
    status = result.get('status')
    row = dict(length=SINGLE_LENGTH, throttled_for=THROTTLED_FOR, wait_timeout=SINGLE_TIMEOUT, status=status,
               task_failed=task_failed, msg=result.get('msg') if task_failed else None, wall=ended - primed_at, real=real,
               sent=status_requests(snapshot) - 1, throttled=throttled(snapshot), first_answer=first_answer,
               polls=result.get('polls'))
    row['success'] = not task_failed and status == 'SUCCESS'
    log('quota) one job throttled for %.0f s: %s after %.1f s (%.1f s real), %d requests, %d throttled'
        % (THROTTLED_FOR, status if not task_failed else 'FAILED (%s)' % (row['msg'] or '')[:120], row['wall'], real,
           row['sent'], row['throttled']))
    return row


def run(config, build_dir, work_dir):
    """Every figure of the quota section."""
    from jobwatch_emulator.server import Emulator  # pylint: disable=import-outside-toplevel
    repeats = config.get('quota_repeats', 1)
    module_runs = []
    with Emulator() as emulator:
        for repeat in range(repeats):
            log('quota) N=%d under %d requests per %d s: module (run %d of %d)'
                % (COUNT, QUOTA['limit'], QUOTA['window'], repeat + 1, repeats))
            module_runs.append(run_many(emulator, build_dir, work_dir, 'module', 'module-%d' % (repeat + 1)))
            describe(module_runs[-1])
        log('quota) N=%d under %d requests per %d s: loop + until + uri' % (COUNT, QUOTA['limit'], QUOTA['window']))
        loop = run_many(emulator, build_dir, work_dir, 'baseline', 'loop')
        describe(loop)
    log('quota) one job whose answers are all throttled for %d s' % THROTTLED_FOR)
    single = throttled_job()
    return dict(quota=dict(limit=QUOTA['limit'], window=QUOTA['window'], service=QUOTA['service'], count=COUNT,
                           wait_timeout=WAIT_TIMEOUT, delay=DELAY, module_runs=module_runs, loop=loop, throttled_job=single))


def describe(row):
    log('quota) %s: %d status requests, %d throttled, %d failed waits%s, %.1f s from the jobs\' start'
        % ('module' if row['approach'] == 'module' else 'loop', row['sent'], row['throttled'], row['failed'],
           ' (task failed)' if row['task_failed'] else '', row['since_created']))


def module_summary(quota):
    """Medians over the module's runs (each figure on its own) and the every-run lists."""
    runs = quota['module_runs']
    return dict(runs=len(runs), since_created=median([row['since_created'] for row in runs]),
                sent=median([row['sent'] for row in runs]), throttled=median([row['throttled'] for row in runs]),
                failed=max(row['failed'] for row in runs), task_failed=sum(1 for row in runs if row['task_failed']))


def lateness_bound(length):
    """The lateness goal of a) for a wait of ``length`` seconds: max(1 s, 10%)."""
    return max(1.0, 0.1 * length)


def goals(results):
    """Goal rows (name, measured text, met) from the results; only those whose figures are there."""
    rows = []
    many = {(row['count'], row['approach']): row for row in results.get('many', [])}
    module = many.get((100, 'module'))
    if module:
        calls = module.get('repeat_calls') or [module['api_calls']]
        per_job = median(calls) / float(module['count'])
        rows.append(dict(key='no_quota_requests', goal='no quota, N = 100: ≤ %.1f status requests per job' % NO_QUOTA_PER_JOB,
                         measured='%.2f per job (%s requests%s)' % (per_job, format_number(median(calls)),
                                                                    '; median of %d runs: %s' % (len(calls), ', '.join(str(c) for c in calls))
                                                                    if len(calls) > 1 else ''),
                         met=per_job <= NO_QUOTA_PER_JOB))
        times = module.get('repeats') or [module['since_created']]
        late = [value - module['longest'] for value in times]
        bound = lateness_bound(module['longest'])
        rows.append(dict(key='no_quota_lateness',
                         goal='no quota, N = 100: the task ends within max(1 s, 10%%) of the last job\'s end (%s)' % seconds(bound, 1),
                         measured='%s after it%s' % (seconds(median(late)), '; median of %d runs: %s, %d within'
                                                     % (len(late), ', '.join(seconds(value) for value in late),
                                                        sum(1 for value in late if value <= bound)) if len(late) > 1 else ''),
                         met=median(late) <= bound))
    quota = results.get('quota')
    if quota:
        summary, loop = module_summary(quota), quota['loop']
        runs = quota['module_runs']
        rows.append(dict(key='quota_failed', goal='under %d requests a minute, N = %d: no failed wait' % (quota['limit'], quota['count']),
                         measured='%s job waits failed%s; loop + until + uri: %d'
                         % (', '.join(str(row['failed']) for row in runs), ' (the task failed)' if summary['task_failed'] else '',
                            loop['failed']),
                         met=summary['failed'] == 0 and not summary['task_failed']))
        ratio = summary['sent'] / float(loop['sent']) if loop['sent'] else float('inf')
        sooner = summary['since_created'] < loop['since_created']
        rows.append(dict(key='quota_sooner',
                         goal='under %d requests a minute: done sooner than loop + until + uri, with ≤ %.1f× its status requests'
                         % (quota['limit'], MAX_REQUESTS_RATIO),
                         measured='%s vs %s from the jobs\' start; %s vs %d requests (%.2f×, throttled answers included)'
                         % (seconds(summary['since_created'], 1), seconds(loop['since_created'], 1), format_number(summary['sent']),
                            loop['sent'], ratio),
                         met=sooner and ratio <= MAX_REQUESTS_RATIO and summary['failed'] == 0 and not summary['task_failed']))
        single = quota['throttled_job']
        rows.append(dict(key='quota_throttled_job',
                         goal='one job, every answer throttled for %d s (no Retry-After), wait_timeout %d: ends SUCCESS'
                         % (single['throttled_for'], single['wait_timeout']),
                         measured='%s after %s; %d status requests, %d throttled'
                         % (single['status'] if not single['task_failed']
                            else 'task failed (%s)' % ('last status %s' % single['status'] if single['status'] else 'no status seen'),
                            seconds(single['wall'], 1), single['sent'], single['throttled']),
                         met=single['success']))
    return rows


def format_number(value):
    return ('%d' % value) if float(value).is_integer() else ('%.1f' % value)


def seconds(value, digits=2):
    return '%.*f s' % (digits, value)
