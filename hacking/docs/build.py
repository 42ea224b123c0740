#!/usr/bin/env python
# Copyright: contributors to the jobwatch.cloud collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the collection's HTML docsite with antsibull-docs and Sphinx, without network access.

Run by ``make docs`` with the Python of the docs venv (.venv-docs), after the Makefile has
copied the collection to ``<collections>/ansible_collections/jobwatch/cloud``:

1. ``antsibull-docs sphinx-init --use-current`` writes a Sphinx site template (conf.py, an
   antsibull-docs config) into ``<dest>/site``; our own front page (hacking/docs/index.rst)
   replaces the generic one.
2. Offline: the generated conf.py maps intersphinx to docs.python.org, jinja and
   docs.ansible.com, which Sphinx would download (and ``-W`` turns the failure into an error).
   The mapping is replaced by one local inventory (written here) that holds only the labels of
   the Ansible docs that antsibull-docs' pages refer to; their links still point to
   docs.ansible.com, and nothing is fetched. A new label that antsibull-docs starts to use makes
   the build fail with "undefined label"; add it to ANSIBLE_DOCS_LABELS.
3. ``antsibull-docs collection --use-current`` writes the RST of every plugin, role and
   docs/docsite page, then ``sphinx-build -W`` renders ``<dest>/html``.
4. The result is checked: an HTML page for every module and role and every page of
   docs/docsite/extra-docs.yml.

Exit code 0 when the site was built and checked.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
COLLECTION = 'jobwatch.cloud'

# Labels of the Ansible documentation that antsibull-docs' generated pages refer to, with their
# place on docs.ansible.com (relative to ANSIBLE_DOCS_URL).
ANSIBLE_DOCS_URL = 'https://docs.ansible.com/projects/ansible/devel/'
ANSIBLE_DOCS_LABELS = {
    'action_plugins': ('plugins/action.html#action-plugins', 'Action plugins'),
    'common_return_values': ('reference_appendices/common_return_values.html#common-return-values',
                             'Return Values'),
    'ansible_configuration_settings': ('reference_appendices/config.html#ansible-configuration-settings',
                                       'Ansible Configuration Settings'),
    'module_defaults': ('playbook_guide/playbooks_module_defaults.html#module-defaults',
                        'Module defaults'),
    'playbooks_delegation': ('playbook_guide/playbooks_delegation.html#playbooks-delegation',
                             'Controlling where tasks run: delegation and local actions'),
}

OFFLINE_CONF = '''
# --- added by hacking/docs/build.py: no network access while building ---
# Only a local inventory of the Ansible docs labels the generated pages use; links still go to
# docs.ansible.com. (The mapping above would download inventories.)
intersphinx_mapping = {
    'ansible_devel': (%r, %r),
}
intersphinx_disabled_reftypes = []
'''


def log(message: str) -> None:
    print(f'[docs] {message}', flush=True)


def run(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    log(' '.join(command))
    subprocess.run(command, cwd=cwd, env=env, check=True)


def write_inventory(path: Path) -> None:
    """A Sphinx (intersphinx) inventory, version 2, of ANSIBLE_DOCS_LABELS."""
    lines = ''.join('%s std:label -1 %s %s\n' % (name, uri, title) for name, (uri, title) in sorted(ANSIBLE_DOCS_LABELS.items()))
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n')
    path.write_bytes(header.encode('utf-8') + zlib.compress(lines.encode('utf-8')))


def expected_pages(collection_dir: Path) -> list[str]:
    """HTML pages (relative to the site root) that must exist after the build."""
    base = 'collections/jobwatch/cloud/'
    pages = ['index.html', base + 'index.html']
    for module in sorted((collection_dir / 'plugins' / 'modules').glob('*.py')):
        if not module.name.startswith('_'):
            pages.append(base + module.stem + '_module.html')
    for role in sorted((collection_dir / 'roles').glob('*/meta/argument_specs.yml')):
        pages.append(base + role.parent.parent.name + '_role.html')
    extra = yaml.safe_load((collection_dir / 'docs' / 'docsite' / 'extra-docs.yml').read_text(encoding='utf-8'))
    for section in extra.get('sections') or []:
        for entry in section.get('toctree') or []:
            name = entry if isinstance(entry, str) else entry.get('ref')
            pages.append(base + 'docsite/' + name + '.html')
    return pages


def check_site(html: Path, collection_dir: Path) -> None:
    missing = [page for page in expected_pages(collection_dir) if not (html / page).is_file()]
    if missing:
        sys.exit('[docs] missing HTML pages: ' + ', '.join(missing))
    guide = (html / 'collections/jobwatch/cloud/docsite/guide_waiting.html').read_text(encoding='utf-8')
    # Semantic markup rendered as links to the module pages, not left as raw roles.
    if 'ecs_job_info_module.html' not in guide or ':ansopt:' in guide:
        sys.exit('[docs] guide_waiting.html does not link to the module pages as expected')
    log('checked: %d pages present, e.g. %s' % (len(expected_pages(collection_dir)), html / 'index.html'))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--collections', type=Path, required=True,
                        help='directory holding ansible_collections/jobwatch/cloud (the synced copy)')
    parser.add_argument('--dest', type=Path, default=ROOT / 'docs' / 'build',
                        help='output directory (default docs/build): site/ (sources), html/ (the site)')
    opts = parser.parse_args()

    collections = opts.collections.resolve()
    collection_dir = collections / 'ansible_collections' / 'jobwatch' / 'cloud'
    if not (collection_dir / 'galaxy.yml').is_file():
        sys.exit(f'[docs] no collection at {collection_dir}')
    dest = opts.dest.resolve()
    site = dest / 'site'
    if dest.exists():
        shutil.rmtree(dest)
    site.mkdir(parents=True)

    bindir = str(Path(sys.executable).parent)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), PATH=bindir + os.pathsep + os.environ.get('PATH', ''))
    # ansible-doc (called by antsibull-docs) must not warn about or read a user's config.
    env.pop('ANSIBLE_CONFIG', None)

    run(['antsibull-docs', 'sphinx-init', '--use-current', '--fail-on-error', '--dest-dir', str(site),
         '--project', COLLECTION, '--copyright', 'jobwatch.cloud contributors',
         '--title', 'jobwatch.cloud documentation', '--html-short-title', COLLECTION,
         '--index-rst-source', str(HERE / 'index.rst'), COLLECTION], cwd=site, env=env)
    write_inventory(site / 'ansible_devel.inv')
    with open(site / 'conf.py', 'a', encoding='utf-8') as conf:
        conf.write(OFFLINE_CONF % (ANSIBLE_DOCS_URL, str(site / 'ansible_devel.inv')))

    rst = site / 'rst'
    rst.mkdir(exist_ok=True)
    os.chmod(rst, 0o755)  # antsibull-docs wants the directory writable by its owner only
    run(['antsibull-docs', '--config-file', 'antsibull-docs.cfg', 'collection', '--use-current', '--fail-on-error',
         '--cleanup', 'everything', '--dest-dir', str(rst), COLLECTION], cwd=site, env=env)
    run(['sphinx-build', '-b', 'html', '-c', str(site), '-d', str(dest / 'doctrees'), '-W', '--keep-going', '-q',
         str(rst), str(dest / 'html')], cwd=site, env=env)
    check_site(dest / 'html', collection_dir)
    return 0


if __name__ == '__main__':
    sys.exit(main())
