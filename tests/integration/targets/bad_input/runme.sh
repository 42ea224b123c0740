#!/usr/bin/env bash
# Runs the bad-input matrix (cases.yml) against a fresh emulator, at -vvv so that the output can
# be searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"

# "No credentials" must mean none: drop every variable the modules read credentials, regions,
# projects or clouds from (main.yml checks that none is left).
while read -r name; do
    unset "${name}"
done < <(compgen -e | grep -E '^(HW_|HUAWEICLOUD_SDK_|OS_|ALIBABA_CLOUD_|ALICLOUD_)' || true)
set -x

start_emulator jobs.json
log="$(target_log plays)"

play_logged "${log}" -i ../../inventory main.yml "$@"

# Every secret the cases hand to the modules: none may appear anywhere in the -vvv output.
set +x
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 emulator-ali-secret-000000000000000000 \
    emulator-security-token-0001 emulator-ali-sts-token-0001 demo-password-1 MIIbad-input-token-DO-NOT-LEAK-3b9e \
    emulator-temp-secret-00000000000000000 emulator-ali-sts-secret-0000000000000
exit_with_play_status
