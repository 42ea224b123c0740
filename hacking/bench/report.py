# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/performance.md and its plots, from the results bench.py gathered."""

import math
import os

GOAL_MET, GOAL_MISSED = 'met', '**missed**'


def verdict(flag):
    return GOAL_MET if flag else GOAL_MISSED


def seconds(value, digits=2):
    return '%.*f s' % (digits, value)


def ms(value):
    return '%.2f ms' % (value * 1e3)


def strategy_name(strategy):
    return 'module (adaptive)' if strategy == 'adaptive' else '`until:` every %d s' % strategy


# ---------------------------------------------------------------- plots

def plot_lateness(sweep, path):
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use('Agg')
    from matplotlib import pyplot  # pylint: disable=import-outside-toplevel

    figure, (left, right) = pyplot.subplots(1, 2, figsize=(11, 5.0), dpi=110)
    styles = {'adaptive': ('#1f77b4', 'module (adaptive)'), 5: ('#ff7f0e', '`until:` every 5 s'),
              30: ('#2ca02c', '`until:` every 30 s')}
    floor = 0.05
    for strategy, (color, label) in styles.items():
        runs = sorted((run for run in sweep if run['strategy'] == strategy), key=lambda run: run['length'])
        lengths = [run['length'] for run in runs]
        left.plot(lengths, [run['polls'] for run in runs], color=color, label=label.replace('`', ''), linewidth=1.8)
        if strategy == 5:
            long_runs = [run for run in runs if run['length'] >= 120]
            left.plot([run['length'] for run in long_runs], [run['polls'] / 2.0 for run in long_runs], color=color,
                      linestyle=':', linewidth=1.5, label='goal from 120 s: half the 5-s loop\'s polls')
        right.scatter(lengths, [max(run['lateness'], floor) for run in runs], color=color, label=label.replace('`', ''), s=12)
    lengths = [run['length'] for run in sweep]
    low, high = min(lengths), max(lengths)
    grid = [low * (high / low) ** (index / 200.0) for index in range(201)]
    right.plot(grid, [max(1.0, 0.1 * length) for length in grid], color='black', linestyle='--', linewidth=1.2,
               label='goal: max(1 s, 10% of length)')
    right.set_ylim(floor * 0.8, 100)
    left.set_xscale('log')
    left.set_yscale('log')
    left.set_xlabel('job length (s)')
    left.set_ylabel('status requests (polls)')
    left.set_title('Polls until the job is seen finished')
    right.set_xscale('log')
    right.set_yscale('log')
    right.set_xlabel('job length (s)')
    right.set_ylabel('lateness: job end to return (s)')
    right.set_title('How late the wait ends (one run per length; < %.2f s drawn at %.2f)' % (floor, floor), fontsize=10)
    left.grid(True, which='both', alpha=0.3)
    left.legend(fontsize=8, loc='upper left')
    right.grid(True, which='both', alpha=0.3)
    right.legend(fontsize=8, loc='upper center', bbox_to_anchor=(0.5, -0.16), ncol=2)
    figure.suptitle('One job, virtual clock shared by poller and emulator (real HTTP)', fontsize=10)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)


def plot_many(rows, path):
    import matplotlib  # pylint: disable=import-outside-toplevel
    matplotlib.use('Agg')
    from matplotlib import pyplot  # pylint: disable=import-outside-toplevel

    figure, (left, right) = pyplot.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    for approach, color, label in (('module', '#1f77b4', 'module, one task (job_ids)'),
                                   ('baseline', '#ff7f0e', 'loop + until + uri, delay 5 s')):
        chosen = sorted((row for row in rows if row['approach'] == approach), key=lambda row: row['count'])
        counts = [row['count'] for row in chosen]
        for axes, key in ((left, 'task_wall'), (right, 'cpu')):
            axes.plot(counts, [row[key] for row in chosen], color=color, label=label, marker='o')
            for row in chosen:
                if row.get('extrapolated'):
                    axes.plot([row['count']], [row[key]], marker='o', markerfacecolor='white', color=color, markersize=9)
                    axes.annotate('extrapolated', (row['count'], row[key]), textcoords='offset points', xytext=(-75, -3), fontsize=8)
    longest = max(row['longest'] for row in rows)
    left.axhline(longest + 2, color='black', linestyle='--', linewidth=1, label='longest job + 2 s')
    left.set_title('Wall time of the waiting task')
    left.set_ylabel('seconds')
    right.set_title('Controller CPU (whole ansible-playbook run)')
    right.set_ylabel('CPU seconds (user + sys)')
    for axes in (left, right):
        axes.set_xscale('log')
        axes.set_ylim(bottom=0)
        axes.set_xlabel('jobs waited for (N)')
        axes.grid(True, which='both', alpha=0.3)
        axes.legend(fontsize=8, loc='upper left')
        axes.set_xticks([row['count'] for row in rows if row['approach'] == 'module'])
        axes.set_xticklabels([str(row['count']) for row in rows if row['approach'] == 'module'])
    figure.suptitle('N jobs of 5-30 s, all started together', fontsize=10)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)


# ---------------------------------------------------------------- markdown

def machine_table(info):
    lines = ['| | |', '|---|---|']
    for key, value in info:
        lines.append('| %s | %s |' % (key, value))
    return lines


def goals_section(results):
    lateness_rows, b_goals, cost = results['lateness_table'], results['many_goals'], results['requests']
    lines = ['| goal | measured | verdict |', '|---|---|---|']
    for row in lateness_rows:
        adaptive = row['strategies']['adaptive']
        worst = adaptive['worst']
        lines.append('| a) lateness ≤ max(1 s, 10%%) for ≈ %d-s jobs | %d/%d runs (0.9-1.1 × %d s) within; closest: %s late for a %.1f-s job (bound %s) | %s |'
                     % (row['nominal'], adaptive['within'], adaptive['runs'], row['nominal'], seconds(worst['lateness']), worst['length'],
                        seconds(worst['bound']), verdict(adaptive['within'] == adaptive['runs'])))
    for row in lateness_rows:
        if row['nominal'] < 120:
            continue
        adaptive, fixed = row['strategies']['adaptive'], row['strategies'][5]
        lines.append('| a) polls ≤ ½ of the 5-s loop\'s for %d-s jobs | %.1f vs %.1f (limit %.1f) | %s |'
                     % (row['nominal'], adaptive['polls'], fixed['polls'], fixed['polls'] / 2, verdict(adaptive['polls'] <= fixed['polls'] / 2)))
    if b_goals:
        runs = b_goals.get('repeats') or [b_goals['since_created']]
        inside = sum(1 for value in runs if value <= b_goals['longest'] + 2.0)
        lines.append('| b) N = 100 done within longest job + 2 s | %s from the jobs\' start (longest %s)%s | %s |'
                     % (seconds(b_goals['since_created']), seconds(b_goals['longest'], 0),
                        '; median of %d runs (%s), %d of them within' % (len(runs), ', '.join(seconds(value, 1) for value in runs), inside)
                        if len(runs) > 1 else '', verdict(b_goals['within'])))
        if 'speedup' in b_goals:
            lines.append('| b) N = 100 ≥ 10× faster than loop + until + uri | %.1f× wall time%s (CPU: %.1f× less) | %s |'
                         % (b_goals['speedup'], ' (baseline extrapolated)' if b_goals.get('extrapolated') else '',
                            b_goals['cpu_ratio'], verdict(b_goals['faster'])))
    lines.append('| c) a status request ≤ 0.5× the official SDK\'s time | %.2f× (median %s vs %s) | %s |'
                 % (cost['ratio'], ms(cost['shared']['median']), ms(cost['sdk']['median']), verdict(cost['ratio'] <= 0.5)))
    return lines


def lateness_section(results, plot_name):
    table, config = results['lateness_table'], results['config']
    lines = [
        '## a) One job: lateness and polls',
        '',
        'Lateness is the time from the job\'s end to the moment the wait returns; polls are the status requests the',
        'emulator counted for the job. Each nominal length was run at %d lengths spread evenly over 0.9-1.1 × the'
        % config['per_length'],
        'nominal one (where a job ends between two polls decides its lateness, so one length per row would be luck);',
        'polls are the mean, lateness the median and the maximum of those runs.',
        '',
        '**How time was simulated.** Nothing was scaled and no algorithm was re-implemented. The collection\'s own',
        '`Waiter` (`plugins/module_utils/_waiter.py`, adaptive pause = min(30, max(1, 0.1 × waited))) and two',
        'fixed-interval loops (the schedule of an `until:` loop: ask, and when not done sleep `delay`) poll the',
        'emulator over real HTTP on localhost through the collection\'s `HttpClient` and `EcsJobApi.fetch`',
        '(AK/SK signed, one kept-alive session per wait, as in the module). Poller and emulator share one clock',
        '(`hacking/bench/common.py` `WarpClock`, passed to the emulator as `Emulator(now=...)` and to the',
        '`Waiter` as `clock=`/`sleep=`): it is the real time plus every pause the poller skipped. A `sleep(s)`',
        'returns at once and moves the clock by `s`; everything else (signing, the request, the emulator\'s',
        'answer, parsing) takes and counts its real time. So the job\'s timeline, the waiter\'s elapsed time and',
        'its pauses are one and the same time line, only without the idle waits; a 600-s job takes well under a',
        'second. The job\'s clock starts at its first request (`"start": "first_request"`), as when a wait begins',
        'right after the job was created. The fixed-interval loops are ideal `until:` loops: in Ansible each retry',
        'also costs the task\'s own run time (see the real runs below), which makes their intervals a little longer.',
        '',
    ]
    header = ('| job length | lateness goal at that length | strategy | polls (mean) | lateness median | lateness max '
              '| runs within their lateness goal | polls goal (≥ 120 s: ≤ ½ of 5-s loop) |')
    lines += [header, '|---|---|---|---|---|---|---|---|']
    for row in table:
        fixed_polls = row['strategies'][5]['polls']
        for strategy in (['adaptive', 5, 30]):
            data = row['strategies'][strategy]
            polls_goal = ''
            if strategy == 'adaptive' and row['nominal'] >= 120:
                polls_goal = '%s (%.1f ≤ %.1f?)' % (verdict(data['polls'] <= fixed_polls / 2), data['polls'], fixed_polls / 2)
            elif strategy == 'adaptive':
                polls_goal = '—'
            within = '%d/%d %s' % (data['within'], data['runs'], verdict(data['within'] == data['runs']))
            lines.append('| %s | %s | %s | %.1f | %s | %s | %s | %s |'
                         % ('≈ %d s' % row['nominal'] if strategy == 'adaptive' else '', seconds(row['bound'], 1) if strategy == 'adaptive' else '',
                            strategy_name(strategy), data['polls'], seconds(data['lateness_median']), seconds(data['lateness_max']),
                            within, polls_goal))
    ideal = results['ideal']
    lines += [
        '',
        '![Polls and lateness against job length: module (adaptive) vs fixed 5-s and 30-s loops](%s)' % plot_name,
        '',
        '### Why the two goals of a) cannot both hold at 120 s',
        '',
        'A poller that does not know the job\'s length sees a job that ends just after a poll only at the next',
        'poll, so keeping lateness ≤ max(1 s, 10%) for *every* length needs each pause ≤ max(1 s, 10% of the time',
        'waited so far). From 0 to 10 s that is pauses of at most 1 s: **≥ 10 polls**. From 10 s to 120 s each',
        'poll may be at most 1.1 × the previous one\'s time: **≥ ln(12)/ln(1.1) = %.1f polls**. With the first'
        % (math.log(12) / math.log(1.1)),
        'poll at 0 that is **≈ 37-38 polls** to see a 120-s job end, while the 5-s loop needs 25 (0, 5, …, 120 s), half of',
        'which is **12.5**. The two goals cannot both hold at 120 s; they can at 600 s, where the 5-s loop needs 121',
        'polls and the 30-s cap lets the adaptive schedule stop growing its poll count fast. The module\'s',
        'schedule is exactly this lower bound (pause = max(1 s, 10%) capped at 30 s); without requests taking any',
        'time it needs %s polls for jobs of 5, 30, 120 and 600 s (`ideal_polls` in `hacking/bench/lateness.py`,'
        % ', '.join(str(ideal[length]) for length in sorted(ideal)),
        'from the collection\'s own `adaptive_pause`). The algorithm was not tuned to the four lengths measured.',
        '',
    ]
    real = results['lateness_real']
    if real:
        lines += [
            '### The virtual clock against real runs through ansible-playbook',
            '',
            'The same waits on the real clock: `jobwatch.cloud.ecs_job_info` with `wait: true` (AK/SK), and an',
            '`until:` loop of `ansible.builtin.uri` with `X-Auth-Token` (token from an IAM login task) and `delay: 5`;',
            'a job of exactly the given length starting at its first request. "Returned" is the moment the controller',
            'had the task\'s result (a callback, `hacking/bench/callback_plugins/`). The virtual column is the virtual',
            'run of the same length.',
            '',
            '| job length | approach | polls: real | polls: virtual | lateness: real | lateness: virtual |',
            '|---|---|---|---|---|---|',
        ]
        for row in real:
            virtual = row['virtual']
            approach = 'module (adaptive)' if row['strategy'] == 'adaptive' else '`until:` + uri, delay %d s' % row['strategy']
            lines.append('| %d s | %s | %d | %d | %s | %s |' % (row['length'], approach, row['polls'], virtual['polls'],
                                                                seconds(row['lateness']), seconds(virtual['lateness'])))
        lines += [
            '',
            'Real lateness adds what a task costs after its last request (the module exiting, the controller',
            'reading the result: a few tenths of a second); an Ansible `until:` retry also costs the uri task\'s own run',
            'time, so its polls drift later than the ideal loop\'s 5-s grid.',
            '',
        ]
    return lines


def many_section(results, plot_name):
    rows, config = results['many'], results['config']
    lines = [
        '## b) Many jobs in one task',
        '',
        'N jobs with lengths spread evenly over 5-30 s (shuffled), all made by the task just before the wait',
        '(`POST /_emulator/jobs`, `"start": "created"`: their clocks start then, as when one task created N',
        'servers). Then one task waits for all of them: `jobwatch.cloud.ecs_job_info` with `job_ids`, `wait: true`',
        '(default `concurrency: 8`, token auth), against the baseline users write today: `loop:` over the ids,',
        '`ansible.builtin.uri` GET with `X-Auth-Token` (token from an IAM login task), `until:` the status is final,',
        '`delay: 5`. Default Ansible settings (no pipelining), local connection, one host.',
        '',
        '- *wait task*: from the task\'s start to its result at the controller; *from jobs\' start*: from the moment',
        '  the jobs were made (the emulator\'s record) to the same point — the goal\'s measure.',
        '- *API calls*: job status requests the emulator answered (`/_emulator/requests`, route `ecs.show_job`).',
        '- *controller CPU*: user + sys of the whole `ansible-playbook` process tree (its workers and module',
        '  processes; `getrusage(RUSAGE_CHILDREN)` around it); *of which the wait*: minus the same playbook with',
        '  the wait skipped (login, making the jobs, start-up: %s for N = 1).' % seconds(min(row['fixed_cpu'] for row in rows)),
        '',
        '| N | approach | wait task | from jobs\' start | API calls | controller CPU | of which the wait | goal |',
        '|---|---|---|---|---|---|---|---|',
    ]
    goals = results['many_goals']
    for row in rows:
        goal = ''
        if row['count'] == 100 and row['approach'] == 'module':
            goal = 'within longest + 2 s: %s' % verdict(goals['within'])
            if 'speedup' in goals:
                goal += '; ≥ 10× faster: %s (%.1f×)' % (verdict(goals['faster']), goals['speedup'])
        approach = 'module' if row['approach'] == 'module' else 'loop + until + uri'
        if row.get('extrapolated'):
            approach += ' *(extrapolated from N = %d)*' % row['from_count']
        lines.append('| %d | %s | %s | %s | %d | %s | %s | %s |'
                     % (row['count'], approach, seconds(row['task_wall'], 1), seconds(row['since_created'], 1), row['api_calls'],
                        seconds(row['cpu'], 1), seconds(row['cpu'] - row['fixed_cpu'], 1), goal))
    extrapolated = [row for row in rows if row.get('extrapolated')]
    lines += ['', '![Wall time and controller CPU against N: module vs loop + until + uri](%s)' % plot_name, '']
    if extrapolated:
        row = extrapolated[0]
        lines += [
            '**Extrapolated rows** (not measured, to keep the run short: `make bench` measures the baseline up to',
            'N = 100, `make bench FULL=1` at N = 500 too, `QUICK=1` only up to N = 10):',
            'the baseline\'s loop replayed over the same job lengths with the per-poll cost measured at N = %d'
            % row['from_count'],
            '(%s wall and %s CPU per uri poll, besides the 5-s delays): each job is asked in turn, again after'
            % (seconds(row['per_poll_wall']), seconds(row['per_poll_cpu'])),
            '5 s + one poll until it is done.',
        ]
        lines.append('')
    check = results.get('extrapolation_check')
    if check:
        lines += [
            '**How good is the replay?** Fed with N = %d\'s cost (%s wall, %s CPU per poll) it predicts N = %d at %s,'
            % (check['from_count'], seconds(check['per_poll_wall']), seconds(check['per_poll_cpu']), check['count'],
               seconds(check['task_wall'], 1)),
            '%d calls and %s CPU; measured: %s, %d calls and %s CPU (%s wall and %s CPU per poll): off by %+.0f%% in'
            % (check['api_calls'], seconds(check['cpu'], 1), seconds(check['measured_wall'], 1), check['measured_calls'],
               seconds(check['measured_cpu'], 1), seconds(check['measured_per_poll_wall']), seconds(check['measured_per_poll_cpu']),
               100.0 * (check['task_wall'] / check['measured_wall'] - 1)),
            'wall time and %+.0f%% in CPU. The per-poll cost moves with the machine\'s load and with how many items the'
            % (100.0 * (check['cpu'] / check['measured_cpu'] - 1)),
            'loop carries, so read an extrapolated row as an estimate of about that accuracy.',
            '',
        ]
    lines += results.get('many_notes', [])
    return lines


def cost_section(results):
    cost, imports, config = results['requests'], results['imports'], results['config']
    lines = [
        '## c) Cost of one status request, and import time',
        '',
        'The same job (the ECS page\'s example: a createServer job with one sub-job) asked %d times by each client,'
        % cost['shared']['count'],
        'in alternating blocks of 10, against one emulator in its own process (so this process\'s CPU time is the',
        'client\'s alone), AK/SK signed, session kept alive, after 20 warm-up requests. The two floors show what the',
        'transport costs by itself: a bare `requests.Session` GET with a token header, and the standard library\'s',
        '`http.client` on one kept-alive connection.',
        '',
        '| client | median | p90 | client CPU per request | vs SDK (median) |',
        '|---|---|---|---|---|',
    ]
    names = (('shared', 'shared client: `HttpClient` + `EcsJobApi.fetch` (AK/SK)'),
             ('sdk', 'official SDK: `huaweicloudsdkecs` `EcsClient.show_job(ShowJobRequest)` (AK/SK)'),
             ('requests_floor', 'floor: bare `requests.Session().get(...).json()`, token, no signing'),
             ('stdlib_floor', 'floor: `http.client` + `json.loads`, token, no signing'))
    for key, label in names:
        data = cost[key]
        lines.append('| %s | %s | %s | %s | %.2f× |'
                     % (label, ms(data['median']), ms(data['p90']), ms(data['cpu']), data['median'] / cost['sdk']['median']))
    floor = cost['requests_floor']
    lines += [
        '',
        'Goal ≤ 0.5× the SDK\'s time: **%s** (%.2f× at the median, %.2f× at p90, %.2f× in client CPU).'
        % ('met' if cost['ratio'] <= 0.5 else 'missed', cost['ratio'], cost['ratio_p90'], cost['ratio_cpu']),
        'Wall times per request move with the machine\'s load (the emulator process must be scheduled for every',
        'answer); client CPU per request is the steadier figure. Both clients send their requests through',
        '`requests`: the bare `requests` GET alone costs %.2f× the SDK\'s time (%.2f× its CPU), so no client built'
        % (floor['median'] / cost['sdk']['median'], floor['cpu'] / cost['sdk']['cpu']),
        'on a `requests` session, as DESIGN asks, can reach 0.5×; the shared client\'s signing, checks and',
        'parsing add %s to that floor (CPU), the SDK\'s %s. Only a client on the standard library\'s'
        % (ms(cost['shared']['cpu'] - floor['cpu']), ms(cost['sdk']['cpu'] - floor['cpu'])),
        '`http.client` would (the last row).',
        '',
        'Import time in a fresh interpreter (`python -c "import time; t = time.perf_counter(); import …"`, the',
        'collection copy on `PYTHONPATH`, median of %d runs after one that writes the `.pyc` files; starting the'
        % config['import_runs'],
        'interpreter itself takes %s more):' % ms(imports['interpreter']['median']),
        '',
        '| import | median | p90 |',
        '|---|---|---|',
    ]
    for key in ('module', 'requests', 'basic', 'sdk'):  # requests and basic alone: imports overlap, they do not add up
        data = imports[key]
        lines.append('| %s: `%s` | %s | %s |' % (data['label'], data['statement'], ms(data['median']), ms(data['p90'])))
    lines += ['', 'requests and `ansible.module_utils.basic` load many of the same standard modules, so their times',
              'overlap and do not add up to the module\'s.', '']
    return lines


def write(results, out_path):
    docs = os.path.dirname(out_path)
    lateness_png, many_png = 'performance-lateness.png', 'performance-many-jobs.png'
    plot_lateness(results['sweep'], os.path.join(docs, lateness_png))
    plot_many(results['many'], os.path.join(docs, many_png))
    config = results['config']
    lines = [
        '# Performance',
        '',
        'Written by `make bench%s` (`hacking/bench/`) on %s in %.1f minutes; every figure below comes'
        % (' QUICK=1' if config['quick'] else ' FULL=1' if config.get('full') else '', results['date'], results['duration'] / 60.0),
        'from that one run, against the emulator (`tests/emulator/`) on the machine below. On this 2-core machine',
        '`make bench` takes about 9-10 minutes (it extrapolates the N = 500 baseline), `make bench FULL=1` about',
        '14 (it measures it), `make bench QUICK=1` (fewer lengths, repetitions and jobs) about 4; the first run adds',
        '~30 s to make `.venv-bench`. The goals come from issue 5; a missed goal is reported as missed, with the reason where',
        'it is known. Other work on the machine during the run shows in the load average below: wall times and',
        'per-request figures move with it, poll and request counts do not.',
        '',
        '## Machine',
        '',
    ]
    lines += machine_table(results['machine'])
    lines += ['', '## Goals', '']
    lines += goals_section(results)
    lines += ['']
    lines += lateness_section(results, lateness_png)
    lines += many_section(results, many_png)
    lines += cost_section(results)
    lines += results.get('findings', [])
    with open(out_path, 'w', encoding='utf-8') as handle:
        handle.write('\n'.join(lines).rstrip('\n') + '\n')
