#!/usr/bin/env python
# Copyright: contributors to the jobwatch.cloud collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Import the built collection tarball with galaxy-importer, as Galaxy does, and insist on a clean log.

Run by ``make galaxy-importer`` with the Python of the ecosystem venv (.venv-ecosystem), where
galaxy-importer, ansible-lint and flake8 are installed::

    .venv-ecosystem/bin/python hacking/check_galaxy_import.py .build/jobwatch-cloud-0.1.0.tar.gz

galaxy-importer reads hacking/galaxy-importer.cfg (see the choices there). It works in a scratch
directory next to the tarball (``galaxy-importer/``), which keeps its log and
``importer_result.json``. The check fails when the importer fails, when its log has any
WARNING or ERROR line (lint findings, a missing changelog, a bad tag, a doc that ansible-doc cannot
read, ...), or when the result lacks the documentation of a module.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONFIG = HERE / 'galaxy-importer.cfg'


def fail(message: str) -> int:
    print(f'[galaxy-importer] FAILED: {message}', file=sys.stderr, flush=True)
    return 1


def main() -> int:
    if len(sys.argv) != 2:
        return fail('usage: check_galaxy_import.py COLLECTION_TARBALL')
    tarball = Path(sys.argv[1]).resolve()
    if not tarball.is_file():
        return fail(f'no tarball at {tarball}: run `make build` first')
    work = tarball.parent / 'galaxy-importer'
    if work.exists():
        shutil.rmtree(work)
    (work / 'tmp').mkdir(parents=True)

    bindir = str(Path(sys.executable).parent)  # ansible-lint, flake8 and ansible-doc are looked up on PATH
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get('PATH', ''),
               GALAXY_IMPORTER_CONFIG=str(CONFIG),
               # Scratch space inside the build directory instead of /tmp and ~/.ansible/tmp.
               GALAXY_IMPORTER_TMP_ROOT_DIR=str(work / 'tmp'),
               GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=str(work / 'ansible-tmp'))
    env.pop('ANSIBLE_CONFIG', None)
    env.pop('ANSIBLE_COLLECTIONS_PATH', None)
    command = [sys.executable, '-m', 'galaxy_importer.main', str(tarball)]
    print(f'[galaxy-importer] {" ".join(command)}', flush=True)
    proc = subprocess.run(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          encoding='utf-8', errors='replace', check=False)
    (work / 'importer.log').write_text(proc.stdout, encoding='utf-8')
    print(proc.stdout, end='', flush=True)

    if proc.returncode != 0:
        return fail(f'galaxy-importer exited with {proc.returncode}')
    problems = [line for line in proc.stdout.splitlines() if line.startswith(('WARNING', 'ERROR', 'CRITICAL'))]
    if problems:
        return fail('%d warning or error line(s) in the import log:\n  %s' % (len(problems), '\n  '.join(problems)))
    if 'Importer processing completed successfully' not in proc.stdout:
        return fail('the import log does not end with "Importer processing completed successfully"')

    result = json.loads((work / 'importer_result.json').read_text(encoding='utf-8'))
    documented = {item['content_name'] for item in result['docs_blob']['contents']
                  if item['content_type'] == 'module' and item.get('doc_strings')}
    modules = {path.stem for path in (ROOT / 'plugins' / 'modules').glob('*.py') if not path.name.startswith('_')}
    if modules - documented:
        return fail('no documentation imported for module(s) %s' % ', '.join(sorted(modules - documented)))
    if not result['docs_blob'].get('collection_readme', {}).get('html'):
        return fail('the README was not rendered')
    print('[galaxy-importer] accepted: %s (requires_ansible %s; %d modules documented; %d content items)'
          % (tarball.name, result.get('requires_ansible'), len(documented), len(result['contents'])), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
