#!/usr/bin/env python
# Copyright: contributors to the jobwatch.cloud collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run make targets as the steps of `make test`: quietly, timed, each step's output in a log file.

Each argument is a lane: make targets separated by commas, run one after the other. Lanes run at
the same time (a lane of checks that mostly wait, such as the integration targets, beside one of
checks that mostly compute). Every step runs, also after a failure, so that one run tells every
check that fails. For each step one line is printed when it ends::

    == sanity ... ok (62 s, CPU 80 s)
    == docs-lint ... FAILED (exit 2, 16 s, CPU 9 s): tests/output/make/docs-lint.log

followed, on failure, by the log's lines that name a failure and its last 80 lines. The last line counts the steps; the exit code is 1 when one
failed. Standard library only, Python 3.9+ (it runs before any venv exists).

    python3 hacking/run_checks.py --make make setup 'integration' 'sanity,units'
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lines of a failed step's log printed before its tail: what ansible-test, make and the integration
# targets (tests/emulator/integration.sh) print when something fails.
FAILURE_LINE = re.compile(r'^(FAILED|FATAL|ERROR|\[[\w-]+\] FAILED|make(\[\d+\])?: \*\*\*)|: exit [1-9][0-9]* after ')
MARKED_LINES = 30


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 120:
        return f'{seconds} s'
    return f'{seconds // 60} min {seconds % 60:02d} s'


class Runner:
    def __init__(self, make: list[str], log_dir: Path, tail: int) -> None:
        self.make = make
        self.log_dir = log_dir
        self.tail = tail
        self.lock = threading.Lock()
        self.results: list[tuple[str, bool]] = []

    def report(self, text: str) -> None:
        with self.lock:
            print(text, flush=True)

    def step(self, target: str) -> bool:
        log = self.log_dir / f'{target}.log'
        started = time.monotonic()
        with log.open('wb') as out:
            child = subprocess.Popen([*self.make, '--no-print-directory', target], cwd=ROOT,
                                     stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
            # wait4: the step's own CPU time (its processes and theirs), apart from the other lanes'.
            _pid, status, usage = os.wait4(child.pid, 0)
            child.returncode = rc = os.waitstatus_to_exitcode(status)
        took = duration(time.monotonic() - started) + ', CPU ' + duration(usage.ru_utime + usage.ru_stime)
        shown = log.relative_to(ROOT) if log.is_relative_to(ROOT) else log
        if rc == 0:
            text = f'== {target} ... ok ({took})'
        else:
            marked = []
            with log.open(encoding='utf-8', errors='replace') as lines:
                last = deque(maxlen=self.tail)
                for line in lines:
                    last.append(line)
                    if FAILURE_LINE.search(line) and len(marked) < MARKED_LINES:
                        marked.append(line)
            text = f'== {target} ... FAILED (exit {rc}, {took}): {shown}'
            if marked:
                text += f'\n-- its lines that name a failure (at most {MARKED_LINES}):\n' + ''.join(marked).rstrip()
            text += f'\n-- its last {self.tail} lines:\n' + ''.join(last).rstrip() + f'\n== end of {shown}'
        self.report(text)
        with self.lock:
            self.results.append((target, rc == 0))
        return rc == 0

    def lane(self, targets: list[str]) -> None:
        for target in targets:
            self.step(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--make', default='make', help='the make command (the Makefile passes $(MAKE))')
    parser.add_argument('--log-dir', type=Path, default=ROOT / 'tests' / 'output' / 'make')
    parser.add_argument('--tail', type=int, default=80, help='lines of a failed step log to print')
    parser.add_argument('--first', default='',
                        help='comma-separated targets run before the lanes (the venvs); when one fails, nothing else runs')
    parser.add_argument('lanes', nargs='+', help='comma-separated make targets, run in order; lanes run at once')
    opts = parser.parse_args()

    log_dir = opts.log_dir.resolve()
    log_dir.mkdir(parents=True, exist_ok=True)
    for old in log_dir.glob('*.log'):
        old.unlink()
    runner = Runner(opts.make.split(), log_dir, opts.tail)
    started = time.monotonic()
    lanes = [[target for target in lane.split(',') if target] for lane in opts.lanes]
    first = [target for target in opts.first.split(',') if target]
    if all(runner.step(target) for target in first):
        threads = [threading.Thread(target=runner.lane, args=(lane,)) for lane in lanes if lane]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        runner.report('== the steps after it were not run')

    failed = [target for target, ok in runner.results if not ok]
    passed = len(runner.results) - len(failed)
    not_run = sum(len(lane) for lane in lanes) + len(first) - len(runner.results)
    summary = f'{passed} passed, {len(failed)} failed'
    if not_run:
        summary += f', {not_run} not run'
    summary += f' in {duration(time.monotonic() - started)}'
    if failed:
        summary += f' (FAILED: {", ".join(failed)}; logs in {log_dir.relative_to(ROOT) if log_dir.is_relative_to(ROOT) else log_dir}/)'
    print(summary, flush=True)
    return 1 if failed or not_run else 0


if __name__ == '__main__':
    sys.exit(main())
