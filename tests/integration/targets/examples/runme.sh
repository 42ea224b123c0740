#!/usr/bin/env bash
# Runs every playbook of docs/examples against a fresh emulator each (with its jobs file:
# NAME_jobs.json when there is one, else examples_jobs.json), then the role's own plays
# (role.yml: module_defaults and role-variable credentials, many jobs, failures, refused input).
# All at -vvv, so that the output can be searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

# The examples live outside this target, in the collection's docs.
examples="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/docs/examples"
log="$(mktemp)"
one_log="$(mktemp)"

# A failure must not skip the leak check below: the first failing exit code is kept and
# returned last.
status=0
fail() {
    echo "FAILED: $*" >&2
    [ "${status}" -ne 0 ] || status=1
}

count=0
for playbook in "${examples}"/*.yml; do
    name="$(basename "${playbook}" .yml)"
    jobs_file="${examples}/${name}_jobs.json"
    [ -f "${jobs_file}" ] || jobs_file="${examples}/examples_jobs.json"
    start_emulator "${jobs_file}"
    play_status=0
    ansible-playbook -i ../../inventory "${playbook}" -vvv "$@" > "${one_log}" 2>&1 || play_status=$?
    cat "${one_log}" >> "${log}"
    count=$((count + 1))
    if [ "${play_status}" -ne 0 ]; then
        cat "${one_log}"
        fail "example ${name} exited ${play_status}"
    elif [ "${name}" = demo ]; then
        # demo.yml (make demo) ends with an assert of its own and prints the outcome.
        grep -q "status SUCCESS (succeeded)" "${one_log}" || fail "demo did not report a successful job"
    elif ! grep -q "EXAMPLE OK ${name}:" "${one_log}"; then
        cat "${one_log}"
        fail "example ${name} did not end with its EXAMPLE OK line"
    fi
    grep -h "EXAMPLE OK\|status SUCCESS (succeeded)" "${one_log}" || true
done
# demo plus the four examples of creation then waiting, at least.
[ "${count}" -ge 5 ] || fail "only ${count} example playbooks found in ${examples}"

start_emulator role_jobs.json
ansible-playbook -i ../../inventory role.yml -vvv "$@" 2>&1 | tee -a "${log}" || fail "role.yml"

# Every secret the plays use, and every IAM token the emulator issued ("MIIemulator..."): none
# may appear anywhere in the -vvv output.
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 emulator-ali-secret-000000000000000000 \
    demo-password-1 MIIemulator || fail "a secret leaked"
rm -f "${log}" "${one_log}"
exit "${status}"
