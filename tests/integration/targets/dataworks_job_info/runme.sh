#!/usr/bin/env bash
# Runs the DataWorks playbooks against a fresh emulator, at -vvv so that the output can be
# searched for secrets afterwards; a second playbook checks credentials from the environment,
# once with an AccessKey pair and once with STS credentials.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

start_emulator jobs.json
log="$(target_log plays)"

play_logged "${log}" -i ../../inventory main.yml "$@"

# Credentials from the environment only: nothing about them in the task. (Not traced, so the
# secrets are not echoed by this script itself; the plays' output is searched like the first.)
set +x
ALIBABA_CLOUD_ACCESS_KEY_ID=EMULATORALIAK0000001 ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-ali-secret-000000000000000000 \
    play_logged "${log}" -i ../../inventory env_credentials.yml "$@"
ALIBABA_CLOUD_ACCESS_KEY_ID=STS.EMULATORALIAK01 ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-ali-sts-secret-0000000000000 \
ALIBABA_CLOUD_SECURITY_TOKEN=emulator-ali-sts-token-0001 \
    play_logged "${log}" -i ../../inventory env_credentials.yml "$@"

# Every secret the plays use: none may appear anywhere in the -vvv output.
assert_no_secret_in "${log}" emulator-ali-secret-000000000000000000 wrong-ali-secret-DO-NOT-LEAK-5c1e \
    emulator-ali-sts-secret-0000000000000 emulator-ali-sts-token-0001
exit_with_play_status
