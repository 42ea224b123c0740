#!/usr/bin/env bash
# The options every job module shares (module_defaults groups, check mode, credentials from the
# task, from a group and from the environment), tested once for the four of them (services.yml
# says what differs). The four modules run at the same time, each against emulators of its own,
# at -vvv so that the output can be searched for secrets afterwards: first the cases with no
# credentials in the environment, then those with the module's credentials in the environment
# only (twice for DataWorks: an AccessKey pair, then STS credentials). Not traced, so that no
# secret is echoed by this script itself.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"

# One play against an emulator of its own: [VARIABLE=value...] then ansible-playbook's arguments.
emulated_play() {
    local assignments=()
    while [[ "${1:-}" == *=* && "${1}" != -* ]]; do
        assignments+=("$1")
        shift
    done
    env "${assignments[@]}" "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -m jobwatch_emulator --jobs jobs.json -- \
        ansible-playbook -vvv -i ../../inventory main.yml "$@"
}

run_service() {
    local service="$1" rc=0
    shift
    emulated_play -e only_service="${service}" "$@" || rc=$?
    if [ "${service}" = dataworks ]; then
        emulated_play ALIBABA_CLOUD_ACCESS_KEY_ID=EMULATORALIAK0000001 \
            ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-ali-secret-000000000000000000 \
            -e only_service="${service}" -e cases=env "$@" || rc=$?
        emulated_play ALIBABA_CLOUD_ACCESS_KEY_ID=STS.EMULATORALIAK01 \
            ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-ali-sts-secret-0000000000000 \
            ALIBABA_CLOUD_SECURITY_TOKEN=emulator-ali-sts-token-0001 \
            -e only_service="${service}" -e cases=env "$@" || rc=$?
    else
        emulated_play HW_ACCESS_KEY=EMULATORAK0000000001 HW_SECRET_KEY=emulator-secret-key-0000000000000000 \
            HW_PROJECT_ID=0123456789abcdef0123456789abcdef \
            -e only_service="${service}" -e cases=env "$@" || rc=$?
    fi
    return "${rc}"
}

# Every secret the plays use: none may appear anywhere in the -vvv output.
run_services "ecs dataarts cfw dataworks" run_service \
    emulator-secret-key-0000000000000000 wrong-secret-DO-NOT-LEAK-7f3a \
    emulator-ali-secret-000000000000000000 wrong-ali-secret-DO-NOT-LEAK-5c1e \
    emulator-ali-sts-secret-0000000000000 emulator-ali-sts-token-0001 \
    -- "$@"
exit_with_play_status
