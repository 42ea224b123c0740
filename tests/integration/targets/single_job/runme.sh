#!/usr/bin/env bash
# What every job module does with one job, tested once for the four of them (services.yml says
# what differs): the generic waits (a failure, tolerated or not, a status out of reach, a timeout, an
# unknown wait_for), riding out each injected fault, bounded retries, and the refusals (an unknown
# job, an id with a path in it). The four modules run at the same time, each against an emulator
# of its own, at -vvv so that the output can be searched for secrets afterwards. Each module's
# jobs are posted by its play (tasks/jobs.yml).
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"

run_services "ecs dataarts cfw dataworks" play_service \
    emulator-secret-key-0000000000000000 \
    emulator-ali-secret-000000000000000000 \
    -- "$@"
exit_with_play_status
