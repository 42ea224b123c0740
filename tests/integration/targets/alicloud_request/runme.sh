#!/usr/bin/env bash
# Runs the alicloud_request playbook against a fresh emulator, at -vvv so that the output can be
# searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(target_log plays)"

play_logged "${log}" -i ../../inventory main.yml "$@"

# The secrets the play signs with (permanent and STS), and the wrong one it tries: none may appear
# in the -vvv output.
assert_no_secret_in "${log}" emulator-ali-secret-000000000000000000 emulator-ali-sts-secret-0000000000000 \
    emulator-ali-sts-token-0001 wrong-ali-secret-DO-NOT-LEAK-7a2f
exit_with_play_status
