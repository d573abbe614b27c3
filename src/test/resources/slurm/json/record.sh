#!/bin/bash
# Re-records the Slurm --json outputs the slurm package's unit tests read, from a running local cluster
# (scripts/local-slurm.sh start; eval "$(scripts/local-slurm.sh env)"). Takes about three minutes: one job runs into
# its one-minute time limit, then the script waits for slurmctld to purge the jobs (MinJobAge). Only jobs named
# sjson-rec-* are submitted and cancelled; squeue --json on 22.05 lists every job of every user, so other jobs on
# the cluster appear in the recordings too (the parser's filters are tested on them).
# Usage: bash src/test/resources/slurm/json/record.sh
set -euo pipefail
: "${SLURM_CONF:?export SLURM_CONF first}"
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/sweepd-record-json.XXXXXX)
mkdir -p "$work/logs" "$out/squeue" "$out/sacct" "$out/scontrol"
P=sjson-rec

submit() { # name partition command [sbatch options...]
  local name=$1 part=$2 cmd=$3; shift 3
  (cd "$work" && sbatch --parsable --job-name="$P-$name" --partition="$part" --output="$work/logs/%x-%j.out" "$@" --wrap "$cmd")
}
state() { # id -> Slurm's state of that job in squeue --json, "" when squeue no longer lists it
  squeue --json | python3 -c 'import json,sys; s=[j["job_state"] for j in json.load(sys.stdin)["jobs"] if str(j["job_id"])==sys.argv[1]]; print(s[0] if s else "")' "$1"
}
wait_state() { # id state...
  for _ in $(seq 1 400); do
    s=$(state "$1")
    for want in "${@:2}"; do [ "$s" = "$want" ] && return 0; done
    sleep 0.5
  done
  echo "job $1 never reached ${*:2}" >&2; exit 1
}

ok=$(submit ok h100 'sleep 30')
fail=$(submit fail h100 'exit 3')
cancelled=$(submit cancel h100 'sleep 600')
# Ignores SIGTERM so that the job stays COMPLETING until SIGKILL (KillWait later), long enough to be seen.
tlimit=$(submit tlimit h100 "trap '' TERM; while true; do sleep 1; done" --time=1)
toobig=$(submit toobig h200 'exit 0' --nodes=9)

wait_state "$ok" RUNNING; wait_state "$fail" FAILED; wait_state "$cancelled" RUNNING; wait_state "$tlimit" RUNNING
wait_state "$toobig" PENDING
squeue --json > "$out/squeue/live.json"
scancel "$cancelled"; wait_state "$cancelled" CANCELLED
squeue --json > "$out/squeue/after-cancel.json"
wait_state "$ok" COMPLETED
squeue --json > "$out/squeue/completed.json"

# COMPLETING/TimeLimit lasts a few seconds at most (KillWait=2): poll fast to catch it.
for _ in $(seq 1 1500); do
  squeue --json > "$work/q.json"
  s=$(python3 -c 'import json,sys; s=[j["job_state"] for j in json.load(open(sys.argv[1]))["jobs"] if str(j["job_id"])==sys.argv[2]]; print(s[0] if s else "")' "$work/q.json" "$tlimit")
  case "$s" in COMPLETING) cp "$work/q.json" "$out/squeue/completing-time-limit.json"; break ;; TIMEOUT) echo "missed COMPLETING" >&2; break ;; esac
  sleep 0.1
done
wait_state "$tlimit" TIMEOUT
squeue --json > "$out/squeue/timeout.json"

# Why sacct and scontrol stay text on 22.05 (see SacctParser, ScontrolParser):
sleep 2 # sacct's records lag the controller by up to a second
sacct --json -j "$fail" > "$out/sacct/failed-exit-3.json"      # exit_code says SUCCESS / 0 for `exit 3`
sacct -j "$fail" -X -n --parsable2 -o JobID,State,ExitCode > "$out/sacct/failed-exit-3.txt"
sacct -c --json -j "$fail" > "$out/sacct/jobcomp.json" 2>&1 || true  # -c is ignored: it asks slurmdbd
(scontrol show job "$fail" --json 2> "$out/scontrol/json-option.stderr") || true

# Unreachable controller, without disturbing the cluster: a copy of slurm.conf with a port nobody listens on.
down=$work/down.conf
sed -e 's/^SlurmctldPort=.*/SlurmctldPort=1/' "$SLURM_CONF" > "$down"
(SLURM_CONF=$down squeue --json --states=all --me > "$out/squeue/controller-down.json" 2> "$work/down.stderr"; echo "exit $?" > "$out/squeue/controller-down.exit")
cat "$work/down.stderr" >&2

scancel "$toobig"
# After MinJobAge slurmctld forgets the jobs: squeue no longer lists them, only sacct knows them.
for _ in $(seq 1 300); do
  [ -z "$(state "$tlimit")$(state "$ok")$(state "$toobig")" ] && break
  sleep 1
done
squeue --json > "$out/squeue/purged.json"
rm -rf "$work"
echo "recorded into $out"
