#!/usr/bin/env bash
# What every job module shares when it waits on many jobs or meets quotas, tested once for the
# four of them (services.yml says what differs), against a fresh emulator, at -vvv so that the
# output can be searched for secrets afterwards. Each case posts its own jobs to the emulator.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(mktemp)"

play_logged "${log}" -i ../../inventory main.yml "$@"

set +x
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 emulator-ali-secret-000000000000000000
rm -f "${log}"
exit_with_play_status
