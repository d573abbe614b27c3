#!/bin/bash
# sweepd's single-node harness: one server for all of a job's concurrencies (the model loads once), the
# benchmark client once per concurrency, lm-eval for points marked run-eval, then the server stops.
#
# Usage: single-node.sh <inputs dir>. Everything job-specific is data in <inputs dir>, written by sweepd
# (io.sweepd.render.harness.SingleNodeJob): argv files are NUL-separated words read with mapfile, never
# evaluated, so nothing from a sweep file is ever parsed as shell code here.
set -uo pipefail

inputs=${1:?usage: single-node.sh <inputs dir>}
job_dir=$(cd "$inputs/.." && pwd)
logs_dir=$job_dir/logs
server_log=$logs_dir/server.log
mkdir -p "$logs_dir" "$job_dir/results"

say() { printf 'sweepd: %s\n' "$*"; }

setting() {
    local key value
    while IFS='=' read -r key value; do
        if [[ $key == "$1" ]]; then
            [[ $value =~ ^[0-9]+$ ]] || { say "setting $1 is not a number: $value" >&2; exit 2; }
            printf '%s' "$value"
            return
        fi
    done < "$inputs/settings"
    say "setting $1 is missing from $inputs/settings" >&2
    exit 2
}

port=$(setting port) || exit 2
healthy_seconds=$(setting healthy-seconds) || exit 2
stop_grace_seconds=$(setting stop-grace-seconds) || exit 2

# NAME=value entries; export takes each as one word, so a value is never expanded or run.
mapfile -d '' -t environment < "$inputs/environment"
for entry in "${environment[@]}"; do
    export "$entry"
done

server_pid=
stop_server() {
    [[ -n $server_pid ]] || return 0
    if kill -0 "$server_pid" 2>/dev/null; then
        say "stopping the server (pid $server_pid)"
        # The server runs in its own session: signal its whole process group (engine workers included).
        kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null
        local waited=0
        while kill -0 "$server_pid" 2>/dev/null && (( waited < stop_grace_seconds )); do
            sleep 1
            waited=$((waited + 1))
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            say "server still running ${stop_grace_seconds} s after SIGTERM; killing it"
            kill -KILL -- "-$server_pid" 2>/dev/null || kill -KILL "$server_pid" 2>/dev/null
        fi
    fi
    wait "$server_pid" 2>/dev/null
    server_pid=
}
trap stop_server EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

healthy() {
    curl --silent --fail --max-time 5 --output /dev/null "http://127.0.0.1:$port/health"
}

# Jobs that share a node listen on ports spread by run and job; one that is taken all the same would make the
# clients measure another job's server, so the job stops here and says why.
if curl --silent --max-time 5 --output /dev/null "http://127.0.0.1:$port/"; then
    say "port $port on $(hostname) already answers (another job's server?); not starting a second server on it"
    exit 1
fi

mapfile -d '' -t server_argv < "$inputs/server.argv"
say "starting the server, log in $server_log: ${server_argv[*]}"
if command -v setsid > /dev/null; then
    setsid "${server_argv[@]}" > "$server_log" 2>&1 &
else
    "${server_argv[@]}" > "$server_log" 2>&1 &
fi
server_pid=$!

say "waiting up to $healthy_seconds s for http://127.0.0.1:$port/health"
started=$SECONDS
until healthy; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        wait "$server_pid"
        status=$?
        server_pid=
        say "server exited with code $status before it became healthy; last lines of $server_log:"
        tail -n 40 "$server_log"
        exit 1
    fi
    if (( SECONDS - started >= healthy_seconds )); then
        say "server not ready within $healthy_seconds seconds; last lines of $server_log:"
        tail -n 40 "$server_log"
        exit 1
    fi
    sleep 2
done
say "server healthy after $((SECONDS - started)) s"

# Every client runs even when an earlier one failed (its result files are evidence); the first failure's code
# is the job's.
first_failure=0
shopt -s nullglob
for kind in bench eval; do
    for argv_file in "$inputs/$kind"-*.argv; do
        name=$(basename "$argv_file" .argv)
        mapfile -d '' -t client_argv < "$argv_file"
        if ! kill -0 "$server_pid" 2>/dev/null; then
            say "server died before $name; last lines of $server_log:"
            tail -n 40 "$server_log"
            exit 1
        fi
        say "$name: ${client_argv[*]}"
        "${client_argv[@]}" 2>&1 | tee "$logs_dir/$name.log"
        status=${PIPESTATUS[0]}
        if (( status != 0 )); then
            say "$name failed with exit code $status"
            (( first_failure != 0 )) || first_failure=$status
        fi
    done
done

stop_server
exit "$first_failure"
