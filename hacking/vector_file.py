# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the make_*_vectors.py generators share: write the vectors' JSON file, or check it is current."""

import argparse
import json
import os
import sys


def write_or_check(description, output, vectors, sort_keys=True):
    """Write ``vectors`` (a dict with a ``vectors`` list) to ``output``, or with --check compare; return the exit code."""
    parser = argparse.ArgumentParser(description=description.split('\n\n', 1)[0])
    parser.add_argument('--check', action='store_true', help='compare with the file instead of writing it')
    args = parser.parse_args()
    text = json.dumps(vectors, indent=2, ensure_ascii=False, sort_keys=sort_keys) + '\n'
    if args.check:
        with open(output, encoding='utf-8') as handle:
            if handle.read() != text:
                print('%s is out of date: run %s' % (output, sys.argv[0]), file=sys.stderr)
                return 1
        return 0
    os.makedirs(os.path.dirname(output), exist_ok=True)
    with open(output, 'w', encoding='utf-8') as handle:
        handle.write(text)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print('wrote %d vectors to %s' % (len(vectors['vectors']), os.path.relpath(output, root)))
    return 0
