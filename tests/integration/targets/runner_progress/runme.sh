#!/usr/bin/env bash
# Runs main.yml through ansible-runner, the engine AWX and Automation Platform run playbooks with,
# then reads the job events it wrote (check_events.py): the wait's progress lines are among them,
# stamped while the wait went on, and the no_log task shows none. Every event is also read for
# the secret, whether the run passed or not.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(target_log runner)"
events_log="$(target_log events)"

# ansible-runner's private data directory: the playbook in project/, the artifacts (job events) it
# writes. In the target's copy, which ansible-test removes afterwards.
private_dir="${PWD}/runner"
mkdir -p "${private_dir}/project"
cp main.yml secrets.yml "${private_dir}/project/"

rc=0
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -m ansible_runner run "${private_dir}" --playbook main.yml \
    --inventory "${PWD}/../../inventory" --ident jobwatch > "${log}" 2>&1 || rc=$?
cat "${private_dir}/artifacts/jobwatch/job_events/"*.json > "${events_log}" 2>/dev/null || true
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000
assert_no_secret_in "${events_log}" emulator-secret-key-0000000000000000
report_play "${log}" "${rc}" ansible-runner run --playbook main.yml
[ "${rc}" -eq 0 ] || exit "${rc}"

"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" check_events.py "${private_dir}/artifacts/jobwatch/job_events"
