#!/usr/bin/env python
# Copyright: contributors to the jobwatch.cloud collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check what ``ansible-builder create`` wrote for hacking/ee/execution-environment.yml.

Run by ``make ee`` with the Python of the ecosystem venv (.venv-ecosystem), after it copied the
definition and the built tarball to ``EE_DIR`` and ran ``ansible-builder create`` there::

    .venv-ecosystem/bin/python hacking/ee/check_context.py .build/ee

``ansible-builder build`` cannot run here (it needs podman or docker with a running daemon), so
this checks the two halves a build would rely on:

1. The build context: a Containerfile whose galaxy stage installs ``requirements.yml``, and the
   requirements file and the collection tarball in ``context/_build/`` where it looks for them.
2. The collection's own ``meta/execution-environment.yml``: the tarball is installed into a
   scratch collections directory and ``ansible-builder introspect`` (the step a build runs in its
   builder stage) must find the collection's Python requirements there, and no system ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent


def fail(message: str) -> int:
    print(f'[ee] FAILED: {message}', file=sys.stderr, flush=True)
    return 1


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding='utf-8').splitlines():
        line = line.split('#', 1)[0].strip()
        if line:
            names.add(line.split(';')[0].split('[')[0].split('=')[0].split('<')[0].split('>')[0].strip().lower())
    return names


def main() -> int:
    if len(sys.argv) != 2:
        return fail('usage: check_context.py EE_DIR')
    ee_dir = Path(sys.argv[1]).resolve()
    context = ee_dir / 'context'
    bindir = Path(sys.executable).parent

    containerfile = context / 'Containerfile'
    if not containerfile.is_file():
        return fail(f'{containerfile} was not written')
    text = containerfile.read_text(encoding='utf-8')
    for needle in ('FROM $EE_BASE_IMAGE AS base', 'ansible-galaxy collection install', '-r requirements.yml',
                   'introspect', 'ansible-core==2.19.14'):
        if needle not in text:
            return fail(f'the Containerfile has no {needle!r}')
    requirements = context / '_build' / 'requirements.yml'
    if not requirements.is_file():
        return fail(f'{requirements} is missing')
    wanted = yaml.safe_load(requirements.read_text(encoding='utf-8'))['collections']
    for entry in wanted:
        # /build/<path> in the image is _build/<path> in the context.
        inside = context / '_build' / Path(entry['name']).relative_to('/build')
        if not inside.is_file():
            return fail(f'{entry["name"]} of requirements.yml is not in the context ({inside})')

    # What the build's builder stage would find in the collection installed from that tarball.
    tarball = context / '_build' / 'collections' / 'jobwatch-cloud.tar.gz'
    collections = ee_dir / 'installed'
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections))
    subprocess.run([str(bindir / 'ansible-galaxy'), 'collection', 'install', '--force', '--no-deps', '--offline',
                    '-p', str(collections), str(tarball)], check=True, stdout=subprocess.DEVNULL, env=env)
    meta = collections / 'ansible_collections' / 'jobwatch' / 'cloud' / 'meta' / 'execution-environment.yml'
    if not meta.is_file():
        return fail('the built collection has no meta/execution-environment.yml')
    found = subprocess.run([str(bindir / 'ansible-builder'), 'introspect', '--sanitize', str(collections)],
                           check=True, stdout=subprocess.PIPE, encoding='utf-8').stdout
    print(found, end='', flush=True)
    data = yaml.safe_load(found) or {}
    ours = [entry.split('#', 1)[0].strip().lower() for entry in data.get('python') or []
            if entry.endswith('# from collection jobwatch.cloud')]
    listed = set(ours)
    system = [entry for entry in data.get('system') or [] if 'jobwatch.cloud' in entry]
    if system:
        return fail('the collection asks for system packages it does not need: %s' % ', '.join(system))
    expected = requirement_names(ROOT / 'requirements.txt')
    if not expected <= listed:
        return fail('ansible-builder introspect does not list %s for jobwatch.cloud' % ', '.join(sorted(expected - listed)))
    print('[ee] build context in %s is complete; the collection brings %s' % (context, ', '.join(sorted(listed))), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
