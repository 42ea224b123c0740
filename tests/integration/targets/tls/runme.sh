#!/usr/bin/env bash
# The modules over HTTPS: main.yml against the emulator with a throwaway CA, env_bundle.yml against
# the same with an empty CA bundle in the environment of the whole run, then mismatch.yml against a
# second emulator whose certificate (of a new CA) names another host. All at -vvv, so that the
# output can be searched for secrets afterwards.
set -eu -o pipefail
# shellcheck source=../../../emulator/integration.sh
source "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/integration.sh"
set -x

work="$(mktemp -d)"
log="$(target_log plays)"
# A file given as ca_path that holds no certificate.
JOBWATCH_NOT_A_CA="${work}/not-a-ca.pem"
echo 'not a certificate' > "${JOBWATCH_NOT_A_CA}"
export JOBWATCH_NOT_A_CA

start_emulator_tls jobs.json
# The same CA as a directory of certificates named by subject hash (what ca_path may also name).
JOBWATCH_CA_DIR="${work}/ca-dir"
mkdir "${JOBWATCH_CA_DIR}"
cp "${JOBWATCH_EMULATOR_CA}" "${JOBWATCH_CA_DIR}/emulator-ca.pem"
openssl rehash "${JOBWATCH_CA_DIR}"
export JOBWATCH_CA_DIR
play_logged "${log}" -i ../../inventory main.yml "$@"
REQUESTS_CA_BUNDLE=/dev/null CURL_CA_BUNDLE=/dev/null \
    play_logged "${log}" -i ../../inventory env_bundle.yml "$@"

# The first emulator's CA, kept for the second play: it signed nothing there.
JOBWATCH_OTHER_CA="${work}/first-ca.pem"
cp "${JOBWATCH_EMULATOR_CA}" "${JOBWATCH_OTHER_CA}"
export JOBWATCH_OTHER_CA
start_emulator_tls jobs.json --tls-hostname-mismatch
play_logged "${log}" -i ../../inventory mismatch.yml "$@"

# Every secret the plays use, and any IAM token the emulator could issue ("MIIemulator…"): none may
# appear anywhere in the -vvv output.
set +x
assert_no_secret_in "${log}" emulator-secret-key-0000000000000000 emulator-ali-secret-000000000000000000 MIIemulator
rm -rf "${work}"
exit_with_play_status
