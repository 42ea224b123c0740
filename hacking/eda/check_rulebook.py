#!/usr/bin/env python
# Copyright: contributors to the jobwatch.cloud collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the rulebook example (docs/examples/rulebooks/job_status.yml) with ansible-rulebook against the emulator.

Starts the emulator in this process with docs/examples/eda/job_status_jobs.json, runs
ansible-rulebook with the collection on ANSIBLE_COLLECTIONS_PATH, and checks that the actions
fired: the failed DataArts job was started again (one StartJob request reached the emulator) and
said to run again, and the follow-up playbook ran when the ECS job ended; and that no secret
appears in the output. ansible-rulebook's whole output goes to stdout; the last line says what passed.

    python hacking/eda/check_rulebook.py --collections .build/eda --bin .venv-eda/bin

Standard library only (the emulator too). Exit code 0 when every check passed.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tests' / 'emulator'))

from jobwatch_emulator.identity import Identity  # noqa: E402  (needs the path above)
from jobwatch_emulator.server import Emulator  # noqa: E402

EXAMPLES = ROOT / 'docs' / 'examples'
RULEBOOK = EXAMPLES / 'rulebooks' / 'job_status.yml'
JOBS = EXAMPLES / 'eda' / 'job_status_jobs.json'
# What the rulebook's actions print when they ran (its debug action, the follow-up playbook).
EXPECTED_LINES = (
    'EDA OK restarted: job_sms is NORMAL again',
    'EDA OK ecs_job_ended: ECS job ff80808288d41e1b018a1b0b3d7e0f51 ended in SUCCESS; '
    'servers: 3f0e4c1a-6b5d-4e2f-9a7c-8d1b2e3f4a5b',
)
# The ECS job ends about 20 s after its first poll (the restart of the DataArts job needs that on a
# busy machine); ansible-rulebook then stops every source.
TIMEOUT = 120


def java_home() -> str | None:
    """A Java 17 for ansible-rulebook's rule engine: JAVA_HOME, else the system's."""
    if os.environ.get('JAVA_HOME'):
        return os.environ['JAVA_HOME']
    found = sorted(glob.glob('/usr/lib/jvm/java-17*'))
    if found:
        return found[0]
    java = shutil.which('java')
    return str(Path(java).resolve().parent.parent) if java else None


def rulebook_environment(emulator_url: str, collections: Path, bin_dir: Path) -> dict[str, str]:
    creds = Identity()
    env = dict(os.environ)
    env.update(
        # ansible-rulebook finds the collection (ansible-galaxy collection list) and runs its actions
        # (ansible-runner, ansible-playbook) from the venv it is installed in.
        PATH='%s%s%s' % (bin_dir, os.pathsep, env.get('PATH', '')),
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        ANSIBLE_LOCALHOST_WARNING='false',
        ANSIBLE_NOCOLOR='1',
        JOBWATCH_EMULATOR_URL=emulator_url,
        # The emulator's demo credentials (not secrets), read by the event source and by
        # huaweicloud_request from the environment, as against the cloud.
        HW_ACCESS_KEY=creds.access_key,
        HW_SECRET_KEY=creds.secret_key,
        HW_REGION_NAME='cn-north-4',
        HW_PROJECT_ID=creds.projects['cn-north-4'],
    )
    home = java_home()
    if home:
        env['JAVA_HOME'] = home
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--collections', type=Path, required=True,
                        help='a collections path holding ansible_collections/jobwatch/cloud')
    parser.add_argument('--bin', type=Path, required=True, help='the bin/ of the venv ansible-rulebook is installed in')
    opts = parser.parse_args()

    command = [str(opts.bin / 'ansible-rulebook'), '--rulebook', str(RULEBOOK),
               '--inventory', str(EXAMPLES / 'eda' / 'inventory.ini'), '--vars', str(EXAMPLES / 'eda' / 'job_status_vars.yml'),
               '--env-vars', 'JOBWATCH_EMULATOR_URL', '--print-events', '--shutdown-delay', '30']
    with Emulator(jobs=_jobs()) as emulator:
        print('== %s (emulator at %s)' % (' '.join(command), emulator.url), flush=True)
        started = time.monotonic()
        try:
            run = subprocess.run(command, cwd=ROOT, env=rulebook_environment(emulator.url, opts.collections.resolve(), opts.bin.resolve()),
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT,
                                 check=False)
            output, rc = run.stdout.decode('utf-8', 'replace'), run.returncode
        except subprocess.TimeoutExpired as expired:
            output, rc = (expired.stdout or b'').decode('utf-8', 'replace'), 'timed out after %d s' % TIMEOUT
        took = time.monotonic() - started
        routes = emulator.requests()['routes']
    print(output, flush=True)

    problems = []
    if rc != 0:
        problems.append('ansible-rulebook exited %s' % rc)
    for line in EXPECTED_LINES:
        if line not in output:
            problems.append('no line %r: that action did not fire' % line)
    starts = routes.get('dataarts.start_job', 0)
    if starts != 1:
        problems.append('the emulator got %d StartJob requests for the failed DataArts job, not 1' % starts)
    if Identity().secret_key in output:
        problems.append('the secret key appears in the output')
    for problem in problems:
        print('FAILED: %s' % problem, flush=True)
    if not problems:
        print('== rulebook example: the failed DataArts job was restarted and the follow-up playbook ran (%.0f s)' % took)
    return 1 if problems else 0


def _jobs():
    return json.loads(JOBS.read_text(encoding='utf-8'))['jobs']


if __name__ == '__main__':
    sys.exit(main())
