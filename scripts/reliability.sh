#!/usr/bin/env bash
# The reliability suite: long scenarios on the local Slurm that the CI tests are too short for (kill -9 at random
# moments, slurmctld and slurmdbd outages, a node failing under a job, 5,000 points tracked at once). Each scenario
# prints PASS or FAIL with its figures; scripts/reliability.py has them. Writes RELIABILITY.md after a run of all
# of them; exits non-zero when any failed. About 15-20 minutes on 2 cores.
#
#   scripts/reliability.sh                          # all five scenarios
#   RELIABILITY_SCENARIOS=1,4 scripts/reliability.sh   # some of them (RELIABILITY.md is then left as it was)
#   RELIABILITY_SEED=42 scripts/reliability.sh      # the same random kill moments as an earlier run
#   scripts/bench.sh --reliability                  # the benchmark suite, then this
#
# RELIABILITY_SKIP_BUILD=1 uses target/sweepd.jar as it is (bench.sh --reliability, which has just built it);
# RELIABILITY_KEEP=1 keeps the work directory (the scenarios' homes, daemon logs and ledgers) and names it.
#
# It sets up as scripts/bench.sh does (local Slurm, build, engine stand-in, the launcher's class-data archive) and
# needs root, since it stops and starts slurmctld and slurmdbd and sets a node DOWN. Whatever happens, the trap
# below puts the cluster back: the Slurm daemons running, every node resumed, the suite's own jobs cancelled and
# its sweepd daemons stopped. It must not run while something else (a CI run) uses the local Slurm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $EUID -eq 0 ]] || { echo "reliability.sh: must run as root (stops and starts the local Slurm's daemons)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sweepd-reliability.XXXXXX")
export RELIABILITY_WORK=$work

restore() {
    local status=$?
    set +e
    echo "== restore the local Slurm" >&2
    # sweepd daemons of the suite still running (the scenarios stop their own; this is for an interrupted run):
    # each home's lock file names its daemon's pid, checked to be a sweepd daemon of that home before it is stopped.
    local lock pid home
    for lock in "$work"/*/state/daemon.lock; do
        [[ -f $lock ]] || continue
        home=${lock%/state/daemon.lock}
        pid=$(sed -n 's/^pid[=: ]*\([0-9][0-9]*\).*/\1/p' "$lock" | head -n1)
        if [[ -n $pid ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "--home $home"; then
            kill -KILL "$pid" 2>/dev/null
        fi
    done
    # slurmctld or slurmdbd left stopped, nodes left DOWN: start is idempotent, starts what is missing and resumes
    # nodes that are down or drained.
    bash scripts/local-slurm.sh start >/dev/null
    eval "$(bash scripts/local-slurm.sh env)"
    export SLURM_CONF
    # The suite's jobs: every job script sweepd renders lives in a job directory under a home in $work.
    local ids
    ids=$(squeue -h -o '%i %o' 2>/dev/null | awk -v w="$work/" 'index($2, w) == 1 { print $1 }')
    if [[ -n $ids ]]; then
        echo "== cancelling $(wc -w <<<"$ids") leftover job(s) of the suite" >&2
        # shellcheck disable=SC2086 # one job id per word
        scancel $ids
    fi
    if [[ -z ${RELIABILITY_KEEP:-} ]]; then rm -rf "$work"; else echo "== kept $work" >&2; fi
    exit "$status"
}
trap restore EXIT
trap 'exit 130' INT TERM

echo "== local Slurm" >&2
bash scripts/local-slurm.sh start >/dev/null
eval "$(bash scripts/local-slurm.sh env)"
export SLURM_CONF

if [[ -z ${RELIABILITY_SKIP_BUILD:-} ]]; then
    echo "== build" >&2
    mvn -q -B -ntp -DskipTests package >&2
fi
bash scripts/engine-stand-in.sh install >&2
./sweepd --version >/dev/null 2>&1 || true   # makes the launcher's class-data archive once, before any scenario

python3 scripts/reliability.py
