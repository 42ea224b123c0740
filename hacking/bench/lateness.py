# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""a) Lateness and polls for one job: the module's adaptive waiter against fixed-interval loops.

Virtual runs: the collection's own ``Waiter`` (adaptive pause) and two fixed-interval loops (an
``until:`` loop's schedule: ask, and if not done sleep ``delay``) poll the emulator over real HTTP
through the collection's ``HttpClient`` and ``EcsJobApi.fetch`` (AK/SK signed). Poller and
emulator share one ``WarpClock``: real time plus every pause skipped. Real runs: the same through
``ansible-playbook`` on the real clock, for the shorter jobs.
"""

import math

from common import ACCESS_KEY, PROJECT_ID, REGION, SECRET_KEY, TERMINAL, log, median, run_playbook

NOMINAL_LENGTHS = (5, 30, 120, 600)
INTERVALS = (5, 30)
WAIT_TIMEOUT = 3600
# Signed requests carry the real date; the emulator refuses a date more than 15 min from its
# (warped) clock. One run must stay well inside that.
MAX_SKIP = 850.0


def collection():
    """The collection's code, imported from the copy on sys.path (see common.setup_paths)."""
    # pylint: disable=import-outside-toplevel
    from ansible_collections.jobwatch.cloud.plugins.module_utils import _options, _waiter
    from ansible_collections.jobwatch.cloud.plugins.module_utils._huawei_cloud import ARGUMENT_SPEC
    from ansible_collections.jobwatch.cloud.plugins.module_utils._ecs_api import EcsJobApi
    return _options, _waiter, ARGUMENT_SPEC, EcsJobApi


def module_params(endpoint, **overrides):
    """The parameters the module would have: every option's default, then the given ones."""
    options, _waiter, argument_spec, _api = collection()
    params = {}
    for spec in (argument_spec, options.CONNECTION_SPEC, options.WAIT_SPEC):
        for name, option in spec.items():
            params[name] = option.get('default')
    params.update(endpoint=endpoint, region=REGION, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY)
    params.update(overrides)
    return params


def connect(endpoint):
    _options, _waiter, _spec, ecs_job_api = collection()
    api = ecs_job_api()
    connection = api.connect(module_params(endpoint), on_secret=lambda secret: None)
    connection.prepare()
    return api, connection


def ideal_polls(length, pause):
    """Polls a schedule needs to see a job of ``length`` s end, requests taking no time."""
    elapsed, polls = 0.0, 1
    while elapsed < length:
        elapsed += pause(elapsed)
        polls += 1
    return polls


def virtual_run(emulator, clock, length, strategy, tag):
    """One job of ``length`` s waited for by ``strategy`` ('adaptive' or an interval in s), on the warped clock."""
    _options, waiter_module, _spec, _api = collection()
    clock.reset()
    job_id = 'virtual-%s-%s' % (strategy, tag)
    emulator.add_jobs([{'service': 'ecs', 'id': job_id, 'project_id': PROJECT_ID,
                        'timeline': [['RUNNING', 0], ['SUCCESS', length]]}])
    api, connection = connect(emulator.url)
    try:
        if strategy == 'adaptive':
            watch = waiter_module.JobWatch(job_id, waiter_module.WaitGoal(api))
            waiter = waiter_module.Waiter(WAIT_TIMEOUT, None, clock=clock.monotonic, sleep=clock.sleep)

            def poll(job_id, deadline):
                job, request_id = api.fetch(connection, job_id, deadline)
                return api.read_status(job), (job, request_id)

            waiter.watch(poll, [watch])
            polls, status = watch.polls, watch.status
        else:
            polls = 0
            while True:
                job, _request_id = api.fetch(connection, job_id, None)
                polls += 1
                status = api.read_status(job)
                if status in TERMINAL or polls > WAIT_TIMEOUT // strategy:
                    break
                clock.sleep(strategy)
        returned = clock.time()
    finally:
        connection.http.session.close()
    if clock.skipped > MAX_SKIP:
        raise RuntimeError('a virtual run skipped %.0f s, more than the signature date window allows' % clock.skipped)
    job = emulator.app.jobs.get('ecs', job_id)
    if status != 'SUCCESS':
        raise RuntimeError('virtual run %s ended in %s' % (job_id, status))
    return dict(length=length, strategy=strategy, polls=polls, server_polls=emulator.requests()['jobs'].get(job_id, 0),
                lateness=returned - (job.started_at + length))


def spread(nominal, count):
    """``count`` lengths evenly inside [0.9, 1.1] x nominal: where a job ends between two polls varies."""
    return [nominal * (0.9 + 0.2 * (index + 0.5) / count) for index in range(count)]


def strategies():
    return ['adaptive'] + list(INTERVALS)


def run_virtual(emulator, clock, per_length, sweep_count):
    """Runs at the spread around each nominal length, and a log-spaced sweep for the plot."""
    runs, sweep = [], []
    for nominal in NOMINAL_LENGTHS:
        for index, length in enumerate(spread(nominal, per_length)):
            for strategy in strategies():
                run = virtual_run(emulator, clock, length, strategy, 'n%d-%d' % (nominal, index))
                run['nominal'] = nominal
                runs.append(run)
        log('a) virtual: %d-s jobs done' % nominal)
    low, high = math.log(2.0), math.log(700.0)
    for index in range(sweep_count):
        length = math.exp(low + (high - low) * index / (sweep_count - 1))
        for strategy in strategies():
            sweep.append(virtual_run(emulator, clock, length, strategy, 'sweep-%d' % index))
    log('a) virtual: sweep of %d lengths done' % sweep_count)
    return runs, sweep


def real_run(emulator, build_dir, work_dir, length, approach, delay=None):
    """One job of ``length`` s through ansible-playbook: the module, or an until loop with ``delay``."""
    job_id = 'real-%s-%d' % (approach if delay is None else 'until%d' % delay, length)
    emulator.add_jobs([{'service': 'ecs', 'id': job_id, 'project_id': PROJECT_ID,
                        'timeline': [['RUNNING', 0], ['SUCCESS', length]]}])
    extra = dict(approach=approach, job_id=job_id, wait_timeout=300, delay=delay or 5)
    run = run_playbook('lateness.yml', extra, build_dir, work_dir, emulator.url, job_id)
    job = emulator.app.jobs.get('ecs', job_id)
    wait = run['tasks']['wait']
    return dict(length=length, strategy='adaptive' if approach == 'module' else delay, polls=emulator.requests()['jobs'][job_id],
                lateness=wait['returned'] - (job.started_at + length), retries=wait.get('retries'))


def run_real(emulator, build_dir, work_dir, lengths):
    rows = []
    for length in lengths:
        for approach, delay in (('module', None), ('until', 5)):
            log('a) real: %d-s job, %s' % (length, 'module' if delay is None else 'until loop, delay %d' % delay))
            rows.append(real_run(emulator, build_dir, work_dir, length, approach, delay))
    return rows


def summarize(runs):
    """Per nominal length and strategy: polls (mean), lateness median and max, goal checks."""
    table = []
    for nominal in NOMINAL_LENGTHS:
        by_strategy = {}
        for strategy in strategies():
            chosen = [run for run in runs if run['nominal'] == nominal and run['strategy'] == strategy]
            if not chosen:
                continue
            within = [run['lateness'] <= max(1.0, 0.1 * run['length']) for run in chosen]
            worst = max(chosen, key=lambda run: run['lateness'] / max(1.0, 0.1 * run['length']))
            by_strategy[strategy] = dict(
                polls=sum(run['polls'] for run in chosen) / float(len(chosen)),
                polls_max=max(run['polls'] for run in chosen),
                lateness_median=median([run['lateness'] for run in chosen]),
                lateness_max=max(run['lateness'] for run in chosen),
                within=sum(within), runs=len(chosen),
                worst=dict(length=worst['length'], lateness=worst['lateness'], bound=max(1.0, 0.1 * worst['length'])))
        table.append(dict(nominal=nominal, bound=max(1.0, 0.1 * nominal), strategies=by_strategy))
    return table
