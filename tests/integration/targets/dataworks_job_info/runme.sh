#!/usr/bin/env bash
# Runs the DataWorks playbooks against a fresh emulator, at -vvv so that the output can be
# searched for secrets afterwards. (What every module shares, credentials from the environment and
# action groups among it, is tested by the common_options, many_jobs and single_job targets.)
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(target_log plays)"

play_logged "${log}" -i ../../inventory main.yml "$@"

# Every secret the plays use: none may appear anywhere in the -vvv output.
assert_no_secret_in "${log}" emulator-ali-secret-000000000000000000 wrong-ali-secret-DO-NOT-LEAK-5c1e \
    emulator-ali-sts-secret-0000000000000 emulator-ali-sts-token-0001
exit_with_play_status
