#!/usr/bin/env bash
# Runs the ECS playbooks against a fresh emulator, at -vvv so that the output can be searched
# for secrets afterwards; a second playbook checks credentials from the environment.
set -eux -o pipefail

python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
workdir="$(mktemp -d)"
export PYTHONPATH="${PWD}/../../../emulator${PYTHONPATH:+:${PYTHONPATH}}"

"${python}" -m jobwatch_emulator --jobs jobs.json --port-file "${workdir}/port" > "${workdir}/emulator.log" 2>&1 &
emulator_pid=$!
trap 'kill "${emulator_pid}" 2>/dev/null || true; rm -rf "${workdir}"' EXIT
for _ in $(seq 100); do [ -s "${workdir}/port" ] && break; sleep 0.1; done
JOBWATCH_EMULATOR_URL="http://127.0.0.1:$(cat "${workdir}/port")"
export JOBWATCH_EMULATOR_URL

ansible-playbook -i ../../inventory main.yml -vvv "$@" 2>&1 | tee "${workdir}/vvv.log"

# Credentials from the environment only: nothing about them in the task. (Not traced, so the
# secret is not echoed by this script itself; the play's output is searched like the first.)
set +x
HW_ACCESS_KEY=EMULATORAK0000000001 HW_SECRET_KEY=emulator-secret-key-0000000000000000 \
HW_PROJECT_ID=0123456789abcdef0123456789abcdef \
    ansible-playbook -i ../../inventory env_credentials.yml -vvv "$@" 2>&1 | tee -a "${workdir}/vvv.log"
set -x

# Every secret the plays use: none may appear anywhere in the -vvv output.
for secret in emulator-secret-key-0000000000000000 wrong-secret-DO-NOT-LEAK-7f3a demo-password-1 \
              emulator-security-token-0001 emulator-temp-secret-00000000000000000; do
    if grep -F -- "${secret}" "${workdir}/vvv.log"; then
        echo "secret ${secret} leaked into the -vvv output" >&2
        exit 1
    fi
done
# IAM tokens the emulator issued must not appear either.
if grep -E -- 'MIIemulator' "${workdir}/vvv.log" | grep -v VALUE_SPECIFIED_IN_NO_LOG; then
    echo "an IAM token leaked into the -vvv output" >&2
    exit 1
fi
