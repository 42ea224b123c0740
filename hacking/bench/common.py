# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every part of ``make bench`` shares: paths, the emulator, a warped clock, playbook runs.

Imported by bench.py and its parts after ``setup_paths()`` has put the emulator package and the
collection copy (``<build dir>/ansible_collections/jobwatch/cloud``) on ``sys.path``.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH_DIR = os.path.join(ROOT, 'hacking', 'bench')
PLAYBOOKS = os.path.join(BENCH_DIR, 'playbooks')
EMULATOR_DIR = os.path.join(ROOT, 'tests', 'emulator')  # until setup_paths() points it at the copy

# The emulator's built-in test credentials (tests/emulator/README.md); not secrets.
ACCESS_KEY = 'EMULATORAK0000000001'
SECRET_KEY = 'emulator-secret-key-0000000000000000'
PROJECT_ID = '0123456789abcdef0123456789abcdef'
REGION = 'cn-north-4'
TERMINAL = ('SUCCESS', 'FAIL')


def setup_paths(build_dir):
    """Make ``jobwatch_emulator`` and ``ansible_collections.jobwatch.cloud`` importable, both from
    the copy in ``build_dir`` so that one run measures one snapshot of the work tree."""
    global EMULATOR_DIR  # pylint: disable=global-statement
    EMULATOR_DIR = os.path.join(build_dir, 'ansible_collections', 'jobwatch', 'cloud', 'tests', 'emulator')
    for path in (EMULATOR_DIR, build_dir):
        if path not in sys.path:
            sys.path.insert(0, path)


def log(message):
    sys.stderr.write('[bench %s] %s\n' % (time.strftime('%H:%M:%S'), message))
    sys.stderr.flush()


class WarpClock:
    """Real time plus every sleep skipped: sleeping costs nothing, everything else counts as it runs.

    ``monotonic()`` is the waiter's clock and ``time()`` the emulator's (epoch seconds); both move
    together, so the poller and the job timelines see one and the same time. Requests, signing
    and parsing take their real time; only the pauses between polls are skipped.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self.skipped = 0.0
        self._epoch_offset = time.time() - time.monotonic()

    def reset(self):
        """Back to the real time (new jobs only: an older job's timeline would see time go back)."""
        with self._lock:
            self.skipped = 0.0
            self._epoch_offset = time.time() - time.monotonic()

    def monotonic(self):
        return time.monotonic() + self.skipped

    def time(self):
        return time.monotonic() + self.skipped + self._epoch_offset

    def sleep(self, seconds):
        if seconds and seconds > 0:
            with self._lock:
                self.skipped += seconds


class warped_time:  # pylint: disable=invalid-name
    """While active, the collection's code (modules already imported under ``package``) reads
    ``clock``'s time and sleeps on it: ``time.monotonic``, ``time.time`` and ``time.sleep`` are
    swapped for ``clock``'s wherever that code can reach them (its modules' ``time``, names
    imported from ``time``, class attributes, and default arguments such as ``clock=time.monotonic``). Nothing else
    changes: the code under test runs as written, only its pauses cost no real time. Waits on
    other primitives (an Event, a socket timeout) still take real time, which the clock counts.
    """

    def __init__(self, clock, package='ansible_collections.jobwatch.cloud.plugins'):
        self.package = package
        self.swaps = {id(time.monotonic): clock.monotonic, id(time.time): clock.time, id(time.sleep): clock.sleep}
        shim = type(sys)('time')  # a module object: what ``time`` means inside the collection meanwhile
        shim.__dict__.update((name, value) for name, value in vars(time).items() if not name.startswith('__'))
        shim.monotonic, shim.time, shim.sleep = clock.monotonic, clock.time, clock.sleep
        self.shim = shim
        self._undo = []

    def _swap(self, value):
        if value is time:
            return self.shim
        return self.swaps.get(id(value)) if callable(value) else None

    def _patch_defaults(self, function):
        function = getattr(function, '__func__', function)  # staticmethod, classmethod
        defaults = getattr(function, '__defaults__', None)
        if defaults and any(self._swap(value) for value in defaults):
            self._undo.append((function, '__defaults__', defaults))
            function.__defaults__ = tuple(self._swap(value) or value for value in defaults)
        kwdefaults = getattr(function, '__kwdefaults__', None)
        if kwdefaults and any(self._swap(value) for value in kwdefaults.values()):
            self._undo.append((function, '__kwdefaults__', kwdefaults))
            function.__kwdefaults__ = {key: self._swap(value) or value for key, value in kwdefaults.items()}

    def __enter__(self):
        for name, module in list(sys.modules.items()):
            if module is None or not (name == self.package or name.startswith(self.package + '.')):
                continue
            for attribute, value in list(vars(module).items()):
                swap = self._swap(value)
                if swap is not None:
                    self._undo.append((module, attribute, value))
                    setattr(module, attribute, swap)
                elif isinstance(value, type) and value.__module__ == name:
                    for member_name, member in list(vars(value).items()):
                        member_swap = self._swap(member)
                        if member_swap is not None:  # a class attribute such as ``clock = time.monotonic``
                            self._undo.append((value, member_name, member))
                            setattr(value, member_name, member_swap)
                        else:
                            self._patch_defaults(member)
                elif callable(value) and getattr(value, '__module__', None) == name:
                    self._patch_defaults(value)
        return self

    def __exit__(self, *exc_info):
        while self._undo:
            target, attribute, value = self._undo.pop()
            setattr(target, attribute, value)


def percentile(values, share):
    """The nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))
    return ordered[index]


def median(values):
    return statistics.median(values)


def ansible_env(build_dir, work_dir, emulator_url, times_file):
    """Environment of an ansible-playbook run: the collection copy, the timing callback, quiet."""
    env = dict(os.environ)
    for name in list(env):
        if name.startswith('ANSIBLE_') or name.startswith('HW_') or name.startswith('HUAWEICLOUD_'):
            del env[name]
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': build_dir,
        'ANSIBLE_CALLBACK_PLUGINS': os.path.join(BENCH_DIR, 'callback_plugins'),
        'ANSIBLE_CALLBACKS_ENABLED': 'jobwatch_bench_times',
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_HOME': os.path.join(work_dir, 'ansible-home'),
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
        'JOBWATCH_EMULATOR_URL': emulator_url,
        'JOBWATCH_BENCH_TIMES': times_file,
    })
    return env


def run_playbook(playbook, extra_vars, build_dir, work_dir, emulator_url, name, check=True):
    """Run one playbook; return its task times (from the callback), wall and controller CPU seconds.

    A failed run raises RuntimeError, unless ``check`` is false: then the caller reads the failure
    from the tasks' outcomes (``returncode`` is ansible-playbook's exit status).

    CPU is user+sys of the whole ansible-playbook process tree (workers and module processes
    are waited for by their parents, so RUSAGE_CHILDREN gathers them).
    """
    os.makedirs(work_dir, exist_ok=True)
    vars_file = os.path.join(work_dir, name + '.vars.json')
    times_file = os.path.join(work_dir, name + '.times.jsonl')
    output_file = os.path.join(work_dir, name + '.log')
    with open(vars_file, 'w', encoding='utf-8') as handle:
        json.dump(extra_vars, handle)
    if os.path.exists(times_file):
        os.unlink(times_file)
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
               '-e', 'ansible_python_interpreter=%s' % sys.executable, '-e', '@' + vars_file,
               os.path.join(PLAYBOOKS, playbook)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    with open(output_file, 'w', encoding='utf-8') as output:
        returncode = subprocess.call(command, stdout=output, stderr=subprocess.STDOUT, cwd=work_dir,
                                     env=ansible_env(build_dir, work_dir, emulator_url, times_file))
    wall = time.time() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tasks = {}
    if os.path.exists(times_file):
        with open(times_file, encoding='utf-8') as handle:
            for line in handle:
                entry = json.loads(line)
                # Tasks skipped by their "when" stand aside for the one of the same name that ran.
                if entry['outcome'] != 'skipped' or entry['task'] not in tasks:
                    tasks[entry['task']] = entry
    if returncode != 0 and check:
        raise RuntimeError('%s failed (exit %d); see %s' % (playbook, returncode, output_file))
    return dict(tasks=tasks, wall=wall, cpu=cpu, log=output_file, returncode=returncode)
