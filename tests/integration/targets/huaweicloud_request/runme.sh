#!/usr/bin/env bash
# Runs the huaweicloud_request playbook against a fresh emulator, at -vvv so that the output can be
# searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(target_log plays)"

play_logged "${log}" -i ../../inventory main.yml "$@"

# The secret the play signs with, and the wrong one it tries: neither may appear in the -vvv output.
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 emulator-temp-secret-00000000000000000 \
    emulator-security-token-0001 demo-password-1
assert_no_secret_in "${log}" wrong-secret-key-111111111111111111
exit_with_play_status
