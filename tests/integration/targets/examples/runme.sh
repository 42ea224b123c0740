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
# Each playbook's -vvv output in a log of its own (target_log); the leak check reads them all.
logs=()

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
    one_log="$(target_log "${name}")"
    logs+=("${one_log}")
    rc=0
    ansible-playbook -i ../../inventory "${playbook}" -vvv "$@" > "${one_log}" 2>&1 || rc=$?
    count=$((count + 1))
    if [ "${rc}" -ne 0 ]; then
        report_play "${one_log}" "${rc}" "example ${name}"
        fail "example ${name} exited ${rc}"
    elif [ "${name}" = demo ]; then
        # demo.yml (make demo) ends with an assert of its own and prints the outcome.
        grep -q "status SUCCESS (succeeded)" "${one_log}" || fail "demo did not report a successful job"
    elif ! grep -q "EXAMPLE OK ${name}:" "${one_log}"; then
        report_play "${one_log}" 1 "example ${name}"
        fail "example ${name} did not end with its EXAMPLE OK line"
    fi
    grep -h "EXAMPLE OK\|status SUCCESS (succeeded)" "${one_log}" || true
done
# demo plus the four examples of creation then waiting, at least.
[ "${count}" -ge 5 ] || fail "only ${count} example playbooks found in ${examples}"
# Every creation is a signed call of the collection's request modules: no IAM token fetched for
# ansible.builtin.uri, no signing script of the examples' own.
if grep -lE 'X-Auth-Token|ansible\.builtin\.(uri|command|script)' "${examples}"/*.yml; then
    fail "an example above still creates with uri, a token or a script of its own"
fi
[ ! -d "${examples}/files" ] || fail "docs/examples/files is back: $(ls "${examples}/files")"

start_emulator role_jobs.json
role_log="$(target_log role)"
logs+=("${role_log}")
rc=0
ansible-playbook -i ../../inventory role.yml -vvv "$@" > "${role_log}" 2>&1 || rc=$?
report_play "${role_log}" "${rc}" role.yml
[ "${rc}" -eq 0 ] || fail "role.yml"

# Every secret the plays use, and every IAM token the emulator issued ("MIIemulator..."): none
# may appear anywhere in the -vvv output.
for one_log in "${logs[@]}"; do
    assert_no_secret_in "${one_log}" emulator-secret-key-0000000000000000 emulator-ali-secret-000000000000000000 \
        demo-password-1 MIIemulator || fail "a secret leaked"
done
exit "${status}"
