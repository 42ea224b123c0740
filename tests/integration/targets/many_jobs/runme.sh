#!/usr/bin/env bash
# What every job module shares when it waits on many jobs or meets quotas, tested once for the
# four of them (services.yml says what differs). The four modules run at the same time, each
# against an emulator of its own (most of the time is spent waiting on jobs), at -vvv so that
# the output can be searched for secrets afterwards. Each case posts its own jobs.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"

run_services "ecs dataarts cfw dataworks" play_service \
    emulator-secret-key-0000000000000000 \
    emulator-ali-secret-000000000000000000 \
    -- "$@"
exit_with_play_status
