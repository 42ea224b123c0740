# -*- coding: utf-8 -*-
# Copyright (c) jobwatch.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the many_jobs target: the cases' jobs in each module's own statuses."""


def emulator_jobs(specs, svc):
    """Emulator job specs from a case's jobs, in the statuses of ``svc`` (a row of services.yml).

    Each case job is ``{id, ends: success|failure|never, after: seconds, faults: [...]}``: it runs
    (``svc.running``) from the start and ends ``after`` seconds later, or is over from the start
    (``after: 0``), or never ends. A failed job carries the service's failure details.
    """
    jobs = []
    for spec in specs:
        ends = spec.get('ends', 'success')
        after = spec.get('after', 0)
        timeline = [[svc['running'], 0]] if after or ends == 'never' else []
        if ends != 'never':
            timeline.append([svc[ends], after])
        job = {'service': svc['service'], 'id': spec['id'], 'start': 'created', 'timeline': timeline}
        if ends == 'failure' and svc.get('failure_result'):
            job['result'] = svc['failure_result']
        if spec.get('faults'):
            job['faults'] = spec['faults']
        jobs.append(job)
    return jobs


def numbered(prefix, count, first=1):
    """``['m01', 'm02', ...]``: ``count`` job ids."""
    return ['%s%02d' % (prefix, number) for number in range(first, first + count)]


def ending(ids, afters, **extra):
    """Case jobs ``{id, after}`` (plus ``extra`` keys) ending ``afters[n]`` seconds after they were made."""
    return [dict(extra, id=job_id, after=after) for job_id, after in zip(ids, afters)]


def most_at_once(times, span):
    """The most of ``times`` (arrival times, seconds) that fall within ``span`` seconds of each other."""
    ordered = sorted(times)
    return max((sum(1 for other in ordered if moment - span < other <= moment) for moment in ordered), default=0)


class FilterModule:
    def filters(self):
        return {'emulator_jobs': emulator_jobs, 'numbered': numbered, 'ending': ending, 'most_at_once': most_at_once}
