# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How much of each job module's integration target stands, names aside, in all four.

For each module target: its YAML lines (blank and comment lines left out), and how many of them
stand in all four targets: a line counts when a run of RUN consecutive lines holding it stands in
each of the other three targets once the module's own names are put aside (module name, job ids
from its jobs.json, id option, statuses, the noun its messages use, numbers and quoted strings
that are job ids). Usage: python3 hacking/shared_target_lines.py [--run N]
"""

import argparse
import json
import pathlib
import re

TARGETS = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'integration' / 'targets'

# What differs between the modules, names only.
SERVICES = {
    'ecs_job_info': {'noun': 'ECS job', 'words': ['ECS', 'ecs'],
                     'statuses': ['SUCCESS', 'RUNNING', 'FAIL', 'INIT', 'PENDING_PAYMENT']},
    'cfw_job_info': {'noun': 'CFW job', 'words': ['CFW', 'cfw'], 'statuses': ['Success', 'Running', 'Failed']},
    'dataarts_job_status': {'noun': 'DataArts real-time job', 'words': ['DataArts', 'dataarts'],
                            'statuses': ['NORMAL', 'STARTING', 'STOPPED', 'STOPPING', 'EXCEPTION']},
    'dataworks_job_info': {'noun': 'DataWorks job', 'words': ['DataWorks', 'dataworks'],
                           'statuses': ['Success', 'Running', 'Fail', 'Cancel']},
}


def _ids(target):
    path = TARGETS / target / 'jobs.json'
    if not path.exists():
        return []
    jobs = json.loads(path.read_text(encoding='utf-8')).get('jobs', [])
    return sorted({job.get('id') or job.get('name') for job in jobs}, key=len, reverse=True)


def normalized_lines(target):
    """(file, number, text) of the target's YAML lines, its own names put aside."""
    svc = SERVICES[target]
    subs = [(re.escape(target), 'MODULE'), (re.escape(svc['noun']), 'NOUN')]
    subs += [(re.escape(job_id), 'JOB') for job_id in _ids(target) + ['no-such-job']]
    subs += [(r'\b%s\b' % re.escape(word), 'SVC') for word in svc['words']]
    subs += [(r'\b%s\b' % re.escape(status), 'STATUS') for status in svc['statuses']]
    subs += [(r'\bjob_names?\b|\bjob_ids?\b', 'ID_OPTION'), (r'\b(huaweicloud|alicloud)\b', 'GROUP'),
             (r'\b[0-9]+([.][0-9]+)?\b', 'N')]
    lines = []
    for path in sorted((TARGETS / target).rglob('*.yml')):
        for number, text in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
            text = text.strip()
            if not text or text.startswith('#'):
                continue
            for pattern, name in subs:
                text = re.sub(pattern, name, text)
            lines.append((path.relative_to(TARGETS / target).as_posix(), number, text))
    return lines


def runs(lines, size):
    return {tuple(text for _file, _number, text in lines[start:start + size]) for start in range(len(lines) - size + 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--run', type=int, default=4, help='consecutive lines that make a shared run (4)')
    parser.add_argument('--show', help='print the shared lines of this target')
    args = parser.parse_args()
    lines = {target: normalized_lines(target) for target in SERVICES}
    grams = {target: runs(found, args.run) for target, found in lines.items()}
    total = 0
    for target, found in lines.items():
        others = [grams[other] for other in SERVICES if other != target]
        shared = set()
        for start in range(len(found) - args.run + 1):
            gram = tuple(text for _file, _number, text in found[start:start + args.run])
            if all(gram in other for other in others):
                shared.update(range(start, start + args.run))
        total += len(found)
        print('%-20s %4d YAML lines, %4d of them standing in all four' % (target, len(found), len(shared)))
        if args.show == target:
            for index in sorted(shared):
                print('    %s:%d  %s' % found[index])
    print('%-20s %4d YAML lines' % ('all four', total))


if __name__ == '__main__':
    main()
