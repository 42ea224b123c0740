#!/usr/bin/env bash
# wait_timeout and timeout hold whatever the cloud does: main.yml against the emulator (jobs.json)
# whose jobs hang or trickle, at -vvv so that the output can be searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

log="$(target_log plays)"
start_emulator jobs.json
play_logged "${log}" -i ../../inventory main.yml "$@"

set +x
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 demo-password-1 MIIemulator
exit_with_play_status
