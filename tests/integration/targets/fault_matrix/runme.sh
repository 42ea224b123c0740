#!/usr/bin/env bash
# The fault matrix: main.yml against one emulator (its hosts side by side), then clock_skew.yml
# against a second one whose gateways' clock runs an hour ahead. Both at -vvv, so that the
# output can be searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

# Modules run on localhost: pipelining spares copying each one to a temporary file first.
export ANSIBLE_PIPELINING=true
# Every host of inventory.yml at once.
export ANSIBLE_FORKS=8
log="$(mktemp)"

# A failed assertion must not skip the other plays or the leak check below (failures are where
# secrets leak): the first failing exit code is kept and returned last.
status=0
start_emulator jobs.json
# A port that nothing listens on: bound, then let go (after the emulator has its own port).
JOBWATCH_CLOSED_PORT="$("${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export JOBWATCH_CLOSED_PORT
ansible-playbook -i inventory.yml main.yml -vvv "$@" 2>&1 | tee "${log}" || status=$?

start_emulator jobs.json --clock-skew 3600
ansible-playbook -i ../../inventory clock_skew.yml -vvv "$@" 2>&1 | tee -a "${log}" || { rc=$?; [ "${status}" -ne 0 ] || status=${rc}; }

# Every secret the plays use, and every IAM token the emulator issued ("MIIemulator…"): none may
# appear anywhere in the -vvv output.
set +x
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 emulator-ali-secret-000000000000000000 \
    demo-password-1 MIIemulator
rm -f "${log}"
exit "${status}"
