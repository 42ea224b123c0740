#!/usr/bin/env bash
# The fault matrix: main.yml against one emulator (its hosts side by side), then clock_skew.yml
# against a second one whose gateways' clock runs an hour ahead. Both at -vvv, so that the
# output can be searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

# Every host of inventory.yml at once.
export ANSIBLE_FORKS=8
log="$(target_log plays)"

start_emulator jobs.json
# A port that nothing listens on: bound, then let go (after the emulator has its own port).
JOBWATCH_CLOSED_PORT="$("${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export JOBWATCH_CLOSED_PORT
play_logged "${log}" -i inventory.yml main.yml "$@"

start_emulator jobs.json --clock-skew 3600
play_logged "${log}" -i ../../inventory clock_skew.yml "$@"

# Every secret the plays use, and every IAM token the emulator issued ("MIIemulator…"): none may
# appear anywhere in the -vvv output.
set +x
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 emulator-ali-secret-000000000000000000 \
    demo-password-1 MIIemulator
exit_with_play_status
