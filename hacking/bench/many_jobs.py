# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""b) One task waiting on N jobs against ``loop:`` + ``until:`` + ``uri``, through ansible-playbook.

The jobs are made by the playbook's task just before the wait (``"start": "created"``: their
clocks start then, as when one task created N servers), with lengths spread evenly over 5-30 s
in a shuffled order. The emulator runs in this process on the real clock; the playbook is a
child process, so RUSAGE_CHILDREN is the controller's CPU (ansible-playbook, its workers and the
module processes), never the emulator's.
"""

import math
import random

from common import PROJECT_ID, log, run_playbook

SHORTEST, LONGEST = 5.0, 30.0
DELAY = 5
WAIT_TIMEOUT = 300


def job_specs(count, tag):
    if count == 1:
        lengths = [LONGEST]
    else:
        lengths = [SHORTEST + (LONGEST - SHORTEST) * index / (count - 1) for index in range(count)]
    random.Random(count).shuffle(lengths)
    return [{'service': 'ecs', 'id': '%s-%04d' % (tag, index), 'project_id': PROJECT_ID, 'start': 'created',
             'timeline': [['RUNNING', 0], ['SUCCESS', round(length, 3)]]}
            for index, length in enumerate(lengths)]


def run_one(emulator, build_dir, work_dir, count, approach):
    emulator.reset()
    jobs = job_specs(count, 'n%d-%s' % (count, approach))
    extra = dict(approach=approach, jobs=jobs, delay=DELAY, wait_timeout=WAIT_TIMEOUT)
    run = run_playbook('many.yml', extra, build_dir, work_dir, emulator.url, 'many-%d-%s' % (count, approach))
    counts = emulator.requests()
    created = emulator.app.jobs.get('ecs', jobs[0]['id']).started_at
    wait = run['tasks'].get('wait', {})
    longest = max(job['timeline'][-1][1] for job in jobs)
    result = dict(count=count, approach=approach, cpu=run['cpu'], playbook_wall=run['wall'], longest=longest,
                  api_calls=counts['routes'].get('ecs.show_job', 0), all_requests=counts['total'])
    if approach != 'none':
        result.update(task_wall=wait['returned'] - wait['started'], since_created=wait['returned'] - created,
                      outcome=wait['outcome'], waited=wait.get('elapsed'))
    return result


def extrapolate_baseline(count, measured, fixed_cpu):
    """The baseline for ``count`` jobs from a measured run's per-poll cost, by replaying its loop.

    The loop asks job after job; each ask costs the measured wall and CPU of one uri poll; a job
    not yet done is asked again after DELAY + that cost. The replay uses the same job lengths.
    """
    polls_measured = measured['api_calls']
    # The measured wall time without the pauses: one per poll that was not a job's last.
    per_poll_wall = (measured['task_wall'] - (polls_measured - measured['count']) * DELAY) / polls_measured
    per_poll_cpu = (measured['cpu'] - fixed_cpu) / polls_measured
    now, polls = 0.0, 0
    for job in job_specs(count, 'extrapolated'):
        end = job['timeline'][-1][1]
        while True:
            now += per_poll_wall
            polls += 1
            if now >= end:
                break
            now += DELAY
    return dict(count=count, approach='baseline', extrapolated=True, api_calls=polls, task_wall=now,
                since_created=now + measured['since_created'] - measured['task_wall'], cpu=fixed_cpu + polls * per_poll_cpu,
                longest=LONGEST, per_poll_wall=per_poll_wall, per_poll_cpu=per_poll_cpu, from_count=measured['count'])


def run(emulator, build_dir, work_dir, counts, baseline_counts, goal_repeats=1):
    """Every measured and extrapolated row, in the order of ``counts``.

    The module at N = 100 (the goal's row) runs ``goal_repeats`` times; the row is the median run
    by time from the jobs' start, and ``repeats`` keeps every run's time.
    """
    rows = []
    for count in counts:
        log('b) N=%d: playbook without the wait (fixed cost)' % count)
        fixed = run_one(emulator, build_dir, work_dir, count, 'none')
        repeats = []
        for repeat in range(goal_repeats if count == 100 else 1):
            log('b) N=%d: module%s' % (count, ' (run %d of %d)' % (repeat + 1, goal_repeats) if count == 100 and goal_repeats > 1 else ''))
            repeats.append(run_one(emulator, build_dir, work_dir, count, 'module'))
        repeats.sort(key=lambda row: row['since_created'])
        module = repeats[len(repeats) // 2]
        module['repeats'] = [row['since_created'] for row in repeats]
        module['repeat_calls'] = [row['api_calls'] for row in repeats]  # in the order of ``repeats``
        module['fixed_cpu'] = fixed['cpu']
        rows.append(module)
        if count in baseline_counts:
            log('b) N=%d: loop + until + uri baseline' % count)
            baseline = run_one(emulator, build_dir, work_dir, count, 'baseline')
            baseline['fixed_cpu'] = fixed['cpu']
        else:
            measured = [row for row in rows if row['approach'] == 'baseline' and not row.get('extrapolated')]
            if not measured:
                continue
            source = max(measured, key=lambda row: row['count'])
            log('b) N=%d: baseline extrapolated from N=%d' % (count, source['count']))
            baseline = extrapolate_baseline(count, source, source['fixed_cpu'])
            baseline['fixed_cpu'] = fixed['cpu']
        rows.append(baseline)
        log('b) N=%d: module %.1f s, %d calls, %.1f s CPU; baseline %.1f s, %d calls, %.1f s CPU%s'
            % (count, module['task_wall'], module['api_calls'], module['cpu'], baseline['task_wall'],
               baseline['api_calls'], baseline['cpu'], ' (extrapolated)' if baseline.get('extrapolated') else ''))
    return rows


def goals(rows):
    """N=100: within the longest job + 2 s, and >= 10x faster than the baseline."""
    by_key = {(row['count'], row['approach']): row for row in rows}
    module, baseline = by_key.get((100, 'module')), by_key.get((100, 'baseline'))
    if module is None:
        return {}
    result = dict(within=module['since_created'] <= module['longest'] + 2.0,
                  since_created=module['since_created'], longest=module['longest'], repeats=module.get('repeats'))
    if baseline is not None:
        result['speedup'] = baseline['task_wall'] / module['task_wall'] if module['task_wall'] else math.inf
        result['faster'] = result['speedup'] >= 10.0
    return result
