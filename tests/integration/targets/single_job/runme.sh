#!/usr/bin/env bash
# What every job module does with one job, tested once for the four of them (services.yml says
# what differs): the generic waits (a failure tolerated, a status out of reach, a timeout, an
# unknown wait_for), riding out each injected fault, bounded retries, and the refusals (an unknown
# job, an id with a path in it). The four modules run at the same time, each against an emulator
# of its own, at -vvv so that the output can be searched for secrets afterwards. Each module's
# jobs are posted by its play (tasks/jobs.yml).
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"

logs="$(mktemp -d)"
services=(ecs dataarts cfw dataworks)
pids=()
for service in "${services[@]}"; do
    "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -m jobwatch_emulator --jobs jobs.json -- \
        ansible-playbook -vvv -i ../../inventory main.yml -e only_service="${service}" "$@" \
        > "${logs}/${service}.log" 2>&1 &
    pids+=("$!")
done
for index in "${!pids[@]}"; do
    rc=0
    wait "${pids[${index}]}" || rc=$?
    cat "${logs}/${services[${index}]}.log"
    if [ "${play_status}" -eq 0 ]; then
        play_status="${rc}"
    fi
    assert_no_secret_in "${logs}/${services[${index}]}.log" \
        emulator-secret-key-0000000000000000 emulator-ali-secret-000000000000000000
done
rm -rf "${logs}"
exit_with_play_status
