# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reads the job events ansible-runner wrote for main.yml (the events AWX shows as a job's output).

The wait's progress lines must be events of their own, stamped while the wait went on (seconds
before the task's result), and the no_log task must have none. Standard library only.

    python check_events.py ARTIFACTS_DIR/job_events
"""

import datetime
import glob
import json
import os
import sys

WAIT_TASK = 'Wait on a job that runs for three seconds'


def read_events(directory):
    events = []
    for path in glob.glob(os.path.join(directory, '*.json')):
        with open(path, encoding='utf-8') as handle:
            events.append(json.load(handle))
    return sorted(events, key=lambda event: event['counter'])


def stamp(event):
    return datetime.datetime.fromisoformat(event['created'])


def main(directory):
    events = read_events(directory)
    progress = [event for event in events if 'ecs_job_info | job rp-long ' in event.get('stdout', '')]
    results = [event for event in events
               if event['event'] == 'runner_on_ok' and event.get('event_data', {}).get('task') == WAIT_TASK]
    assert len(results) == 1, 'no single result event of %r among %d events' % (WAIT_TASK, len(events))
    assert [('is RUNNING after' in event['stdout'], 'RUNNING -> SUCCESS after' in event['stdout']) for event in progress] \
        == [(True, False), (False, True)], [event['stdout'] for event in progress]
    # Each line an event of its own, as the execution-environment guide says AWX shows it.
    assert {event['event'] for event in progress} == {'verbose'}, [event['event'] for event in progress]
    ahead = (stamp(results[0]) - stamp(progress[0])).total_seconds()
    # The job runs for 3 s: its first line must have been an event well before the task's result.
    assert ahead >= 2.0, 'the first progress line was stamped only %.2f s before the result' % ahead
    assert stamp(progress[-1]) <= stamp(results[0]), 'the last progress line came after the result'
    quiet = [event['stdout'] for event in events if 'rp-secret' in event.get('stdout', '')]
    assert not quiet, 'the no_log task showed progress: %r' % quiet
    print('progress in %d events, the first %.1f s before the result; none from the no_log task' % (len(progress), ahead))


if __name__ == '__main__':
    main(sys.argv[1])
