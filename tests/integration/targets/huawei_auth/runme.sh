#!/usr/bin/env bash
# Each way to authenticate to Huawei Cloud (IAM tokens, a password login, AK/SK with the project
# looked up from the region, temporary keys), tested once for the three Huawei Cloud job modules
# (services.yml says what differs). The three run at the same time, each against an emulator of
# its own, at -vvv so that the output can be searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"

# Every secret the plays use, and every IAM token the emulator issued ("MIIemulator..."): none
# may appear anywhere in the -vvv output.
run_services "ecs dataarts cfw" play_service \
    emulator-secret-key-0000000000000000 demo-password-1 \
    emulator-temp-secret-00000000000000000 emulator-security-token-0001 MIIemulator \
    -- "$@"
exit_with_play_status
