#!/usr/bin/env bash
# Runs main.yml with every output line stamped with the time it reached the pipe, then checks
# that the progress lines were printed while the wait was going on, not with the result. At -vvv,
# so that the leak check reads everything the play could print; it runs whether the play passed
# or not.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(target_log plays)"

# Ansible leaves flushing its output to Python, which holds it back when stdout is a pipe (a
# terminal gets each line at once): unbuffered here, as a person at a terminal would see it.
# (EPOCHREALTIME: a time stamp without a process per line.)
rc=0
PYTHONUNBUFFERED=1 ansible-playbook -vvv -i ../../inventory main.yml "$@" 2>&1 | while IFS= read -r line; do
    printf '%s %s\n' "${EPOCHREALTIME}" "${line}"
done > "${log}" || rc=$?
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000
report_play "${log}" "${rc}" ansible-playbook -vvv -i ../../inventory main.yml "$@"
[ "${rc}" -eq 0 ] || exit "${rc}"

stamp_of() {
    grep -F -- "$1" "${log}" | head -n 1 | cut -d' ' -f1
}
started="$(stamp_of 'ecs_job_info | job lp-long is RUNNING after')"
finished="$(stamp_of 'ecs_job_info | job lp-long RUNNING -> SUCCESS after')"
task_done="$(stamp_of 'ok: [testhost]')"
[ -n "${started}" ] && [ -n "${finished}" ] && [ -n "${task_done}" ]
# The job runs for 3 s: the first line must have reached the output well before the task ended.
python3 -c "import sys; started, finished, done = map(float, sys.argv[1:]); assert finished - started >= 2.0 and done >= finished, (started, finished, done)" \
    "${started}" "${finished}" "${task_done}"
# Turned off by the variable, silent in a no_log task, and not there in an async task (a module).
if grep -E -- 'job (lp-quiet|lp-secret|lp-async) ' "${log}"; then
    echo "progress was shown where it should not be" >&2
    exit 1
fi
