# shellcheck shell=bash
# Sourced by the integration targets' runme.sh (ansible-test runs them from a temporary copy of the
# target, so the emulator is reached through the collection's own tree on ANSIBLE_COLLECTIONS_PATH).
#
#   start_emulator JOBS_FILE [EMULATOR_OPTIONS...]   exports JOBWATCH_EMULATOR_URL; stopped on exit
#   assert_no_secret_in LOG_FILE SECRET...           fails when any SECRET appears in LOG_FILE

emulator_python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
emulator_workdir="$(mktemp -d)"
export PYTHONPATH="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator${PYTHONPATH:+:${PYTHONPATH}}"

stop_emulator() {
    if [ -n "${emulator_pid:-}" ]; then
        kill "${emulator_pid}" 2>/dev/null || true
        wait "${emulator_pid}" 2>/dev/null || true
    fi
    rm -rf "${emulator_workdir}"
}
trap stop_emulator EXIT

start_emulator() {
    local jobs_file="$1"
    shift
    "${emulator_python}" -m jobwatch_emulator --jobs "${jobs_file}" --port-file "${emulator_workdir}/port" "$@" \
        > "${emulator_workdir}/emulator.log" 2>&1 &
    emulator_pid=$!
    for _ in $(seq 200); do
        [ -s "${emulator_workdir}/port" ] && break
        if ! kill -0 "${emulator_pid}" 2>/dev/null; then
            cat "${emulator_workdir}/emulator.log" >&2
            echo "the emulator did not start" >&2
            return 1
        fi
        sleep 0.05
    done
    JOBWATCH_EMULATOR_URL="http://127.0.0.1:$(cat "${emulator_workdir}/port")"
    export JOBWATCH_EMULATOR_URL
}

assert_no_secret_in() {
    local log_file="$1" secret
    shift
    for secret in "$@"; do
        if grep -F -n -- "${secret}" "${log_file}" >&2; then
            echo "a secret leaked into ${log_file} (lines above)" >&2
            return 1
        fi
    done
}
