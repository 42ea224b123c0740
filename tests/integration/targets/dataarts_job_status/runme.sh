#!/usr/bin/env bash
# Runs the DataArts playbook against a fresh emulator, at -vvv so that the output can be searched for
# secrets afterwards. (What every module shares, credentials and action groups among it, is tested
# by the common_options, huawei_auth, many_jobs and single_job targets.)
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(target_log plays)"

play_logged "${log}" -i ../../inventory main.yml "$@"

# The secret the play signs with: it may not appear anywhere in the -vvv output.
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000
exit_with_play_status
