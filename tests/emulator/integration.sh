# shellcheck shell=bash
# Sourced by the integration targets' runme.sh (ansible-test runs them from a temporary copy of the
# target, so the emulator is reached through the collection's own tree on ANSIBLE_COLLECTIONS_PATH).
#
#   start_emulator JOBS_FILE [EMULATOR_OPTIONS...]   exports JOBWATCH_EMULATOR_URL; stopped on exit. With --tls
#                                                    (or --tls-hostname-mismatch) among the options the URL is
#                                                    https:// and JOBWATCH_EMULATOR_CA is the throwaway CA's ca.pem
#   start_emulator_tls JOBS_FILE [EMULATOR_OPTIONS...]   the same as start_emulator JOBS_FILE --tls ... (no --tls-dir:
#                                                    ca.pem must stay beside the port file)
#   target_log NAME                                  prints the path of a new, empty log file of this target:
#                                                    tests/output/integration-logs/TARGET/NAME.log (see below)
#   play_logged LOG_FILE ANSIBLE_PLAYBOOK_ARGS...    a play at -vvv into LOG_FILE, one line about it on stdout (and
#                                                    the log's tail when it failed); a failure does not stop the script
#   report_play LOG_FILE EXIT_CODE WHAT...           that line for a play run otherwise (kept in play_status)
#   exit_with_play_status                            the script's last line: the first failed play's code, or 0
#   assert_no_secret_in LOG_FILE SECRET...           fails when any SECRET appears in LOG_FILE
#
# The plays' -vvv output goes to log files only (the console gets a line per play), so that a run
# stays readable and the leak checks can read every line. They are written to tests/output/
# integration-logs/<target>/ of the collection ansible-test runs on; hacking/ansible_test_offline.py
# links that directory of its copy to the work tree's integration-logs/<ansible-core line>/, and the
# path printed is the one resolved.

emulator_python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
# Modules run on localhost: pipelining spares copying each one to a temporary file first.
export ANSIBLE_PIPELINING=true
emulator_workdir="$(mktemp -d)"
export PYTHONPATH="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator${PYTHONPATH:+:${PYTHONPATH}}"
# The plays reach the emulator's control API with the emulator_uri action (action_plugins/).
export ANSIBLE_ACTION_PLUGINS="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/emulator/action_plugins${ANSIBLE_ACTION_PLUGINS:+:${ANSIBLE_ACTION_PLUGINS}}"

stop_emulator_process() {
    if [ -n "${emulator_pid:-}" ]; then
        kill "${emulator_pid}" 2>/dev/null || true
        wait "${emulator_pid}" 2>/dev/null || true
        emulator_pid=
    fi
}

stop_emulator() {
    stop_emulator_process
    rm -rf "${emulator_workdir}"
}

# Stops the emulator, then says how the target ended and how long it took: wall time, and the CPU
# time of everything it ran (plays, their workers and modules, the emulator), which says what a
# target costs whatever else the machine was doing.
target_started="${SECONDS}"
end_target() {
    local rc=$? cpu=
    stop_emulator
    if [ -n "${target_log_dir:-}" ] && times > "${target_log_dir}/times"; then
        # The second line of `times`: the finished children's user and system time, as 1m2.345s.
        cpu="$(awk 'function s(t) { sub(/s$/, "", t); split(t, p, "m"); return p[1] * 60 + p[2] }
            NR == 2 { printf ", %.0f CPU-s", s($1) + s($2) }' "${target_log_dir}/times")"
    fi
    echo "$(basename "${PWD}"): exit ${rc} after $((SECONDS - target_started)) s${cpu} (logs: ${target_log_dir:-none})"
}
trap end_target EXIT

start_emulator() {
    local jobs_file="$1" option scheme=http
    shift
    for option in "$@"; do
        case "${option}" in
            --tls | --tls-hostname-mismatch) scheme=https ;;
        esac
    done
    stop_emulator_process
    # A port file left by an earlier start would be read before this emulator writes its own.
    rm -f "${emulator_workdir}/port" "${emulator_workdir}/ca.pem"
    unset JOBWATCH_EMULATOR_CA
    "${emulator_python}" -m jobwatch_emulator --jobs "${jobs_file}" --port-file "${emulator_workdir}/port" "$@" \
        > "${emulator_workdir}/emulator.log" 2>&1 &
    emulator_pid=$!
    for _ in $(seq 400); do
        [ -s "${emulator_workdir}/port" ] && break
        if ! kill -0 "${emulator_pid}" 2>/dev/null; then
            cat "${emulator_workdir}/emulator.log" >&2
            echo "the emulator did not start" >&2
            return 1
        fi
        sleep 0.05
    done
    if [ ! -s "${emulator_workdir}/port" ]; then
        cat "${emulator_workdir}/emulator.log" >&2
        echo "the emulator did not write its port in time" >&2
        return 1
    fi
    JOBWATCH_EMULATOR_URL="${scheme}://127.0.0.1:$(cat "${emulator_workdir}/port")"
    export JOBWATCH_EMULATOR_URL
    if [ "${scheme}" = https ]; then
        # Written by the emulator (beside its port file) before the port file.
        JOBWATCH_EMULATOR_CA="${emulator_workdir}/ca.pem"
        export JOBWATCH_EMULATOR_CA
    fi
}

start_emulator_tls() {
    local jobs_file="$1"
    shift
    start_emulator "${jobs_file}" --tls "$@"
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

# This target's logs, emptied at its start; the tail of a failed play's log is printed.
log_tail_lines=80
target_log_dir="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/jobwatch/cloud/tests/output/integration-logs/$(basename "${PWD}")"
rm -rf "${target_log_dir}"
mkdir -p "${target_log_dir}"
target_log_dir="$(cd -P "${target_log_dir}" && pwd)"
# The scripts' own trace (set -x) goes to a file of its own as well.
exec {xtrace_fd}> "${target_log_dir}/xtrace.log"
BASH_XTRACEFD="${xtrace_fd}"

target_log() {
    : > "${target_log_dir}/$1.log"
    echo "${target_log_dir}/$1.log"
}

# A failed play must not stop the script before its leak check (failures are where secrets
# leak): the first failing exit code is kept in play_status, for the script's exit.
play_status=0
report_play() {
    local log_file="$1" rc="$2"
    shift 2
    if [ "${rc}" -eq 0 ]; then
        echo "ok: $*"
    else
        echo "FAILED (exit ${rc}): $*; the last ${log_tail_lines} lines of ${log_file}:"
        tail -n "${log_tail_lines}" "${log_file}"
        echo "(end of ${log_file})"
    fi
    if [ "${play_status}" -eq 0 ]; then
        play_status="${rc}"
    fi
}

play_logged() {
    local log_file="$1" rc=0
    shift
    ansible-playbook -vvv "$@" >> "${log_file}" 2>&1 || rc=$?
    report_play "${log_file}" "${rc}" ansible-playbook "$@"
}

# The shared targets' way to run (many_jobs, single_job, common_options, huawei_auth): one play
# per service, all at the same time, each into its own log; then each play is reported and its log
# searched for the secrets. Most of a play's time is spent waiting on emulated jobs.
# Usage: run_services "ecs cfw ..." RUNNER SECRET... -- ARGS...; RUNNER SERVICE ARGS... runs one
# (play_service, or a function of the target's own).
run_services() {
    local services=() secrets=() pids=() logs=() runner index rc service
    read -r -a services <<< "$1"
    runner="$2"
    shift 2
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
        secrets+=("$1")
        shift
    done
    shift
    for service in "${services[@]}"; do
        logs+=("$(target_log "${service}")")
        "${runner}" "${service}" "$@" > "${logs[-1]}" 2>&1 &
        pids+=("$!")
    done
    for index in "${!pids[@]}"; do
        rc=0
        wait "${pids[${index}]}" || rc=$?
        report_play "${logs[${index}]}" "${rc}" "main.yml for ${services[${index}]}"
        assert_no_secret_in "${logs[${index}]}" "${secrets[@]}"
    done
}

# main.yml for one service (-e only_service), against an emulator of its own started with jobs.json.
play_service() {
    local service="$1"
    shift
    "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" -m jobwatch_emulator --jobs jobs.json -- \
        ansible-playbook -vvv -i ../../inventory main.yml -e only_service="${service}" "$@"
}

exit_with_play_status() {
    exit "${play_status}"
}
