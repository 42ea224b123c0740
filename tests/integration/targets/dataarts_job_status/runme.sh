#!/usr/bin/env bash
# Runs the DataArts playbooks against a fresh emulator, at -vvv so that the output can be searched
# for secrets afterwards; a second playbook checks credentials from the environment.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(target_log plays)"

play_logged "${log}" -i ../../inventory main.yml "$@"

# Credentials from the environment only: nothing about them in the task. (Not traced, so the
# secret is not echoed by this script itself; the play's output is searched like the first.)
set +x
HW_ACCESS_KEY=EMULATORAK0000000001 HW_SECRET_KEY=emulator-secret-key-0000000000000000 \
HW_PROJECT_ID=0123456789abcdef0123456789abcdef \
    play_logged "${log}" -i ../../inventory env_credentials.yml "$@"

# Every secret the plays use, and every IAM token the emulator issued ("MIIemulator…"):
# none may appear anywhere in the -vvv output.
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 wrong-secret-DO-NOT-LEAK-da71 demo-password-1 MIIemulator
exit_with_play_status
