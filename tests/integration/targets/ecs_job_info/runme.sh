#!/usr/bin/env bash
# Runs the ECS playbooks against a fresh emulator, at -vvv so that the output can be searched
# for secrets afterwards; a second playbook checks credentials from the environment.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

# Modules run on localhost: pipelining spares copying each one to a temporary file first.
export ANSIBLE_PIPELINING=true
start_emulator jobs.json
log="$(mktemp)"

# A failed assertion must not skip the leak check below (failures are where secrets leak):
# the play's exit code is kept and returned last.
status=0
ansible-playbook -i ../../inventory main.yml -vvv "$@" 2>&1 | tee "${log}" || status=$?

# Credentials from the environment only: nothing about them in the task. (Not traced, so the
# secret is not echoed by this script itself; the play's output is searched like the first.)
set +x
HW_ACCESS_KEY=EMULATORAK0000000001 HW_SECRET_KEY=emulator-secret-key-0000000000000000 \
HW_PROJECT_ID=0123456789abcdef0123456789abcdef \
    ansible-playbook -i ../../inventory env_credentials.yml -vvv "$@" 2>&1 | tee -a "${log}"

# Every secret the plays use, and every IAM token the emulator issued ("MIIemulator…"):
# none may appear anywhere in the -vvv output.
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 wrong-secret-DO-NOT-LEAK-7f3a demo-password-1 \
    emulator-security-token-0001 emulator-temp-secret-00000000000000000 MIIemulator
rm -f "${log}"
exit "${status}"
