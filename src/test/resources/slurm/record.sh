#!/bin/bash
# Re-records the Slurm outputs the slurm package's unit tests read, from a running local cluster
# (scripts/local-slurm.sh start; eval "$(scripts/local-slurm.sh env)"). Takes about two minutes: one job runs
# into its one-minute time limit. squeue is read as JSON: json/record.sh records it.
# Usage: bash src/test/resources/slurm/record.sh
set -euo pipefail
: "${SLURM_CONF:?export SLURM_CONF first}"
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/sweepd-record.XXXXXX)
mkdir -p "$work/logs" "$out/sbatch" "$out/sacct" "$out/scontrol"
fields=JobID,State,ExitCode,Elapsed,Start,End,NodeList,Reason,JobName

script() { # name partition body [#SBATCH lines...]
  local name=$1 part=$2 body=$3; shift 3
  { echo '#!/bin/bash'; echo "#SBATCH --job-name=rec-$name"; echo "#SBATCH --partition=$part"
    echo "#SBATCH --output=$work/logs/%x-%j.out"; for l in "$@"; do echo "#SBATCH $l"; done; echo "$body"; } > "$work/$name.sbatch"
}
submit() { (cd "$work" && sbatch --parsable "$work/$1.sbatch"); }
refuse() { # name -> stderr file
  (cd "$work" && sbatch --parsable "$work/$1.sbatch" >/dev/null 2>"$out/sbatch/$2.stderr") && { echo "$1 was accepted" >&2; exit 1; } || true
}
wait_state() { # id state...
  for _ in $(seq 1 200); do
    s=$(squeue -h -t all -j "$1" -o %T 2>/dev/null || true)
    for want in "${@:2}"; do [ "$s" = "$want" ] && return 0; done
    sleep 0.5
  done
  echo "job $1 never reached ${*:2}" >&2; exit 1
}

script ok h100 'echo hello; exit 0' --gres=gpu:h100:1
script fail h100 'echo bad >&2; exit 1' --gres=gpu:h100:1
script sleeper h100 'sleep 300' --gres=gpu:h100:1
script twonode h100 'srun hostname' --nodes=2 --gres=gpu:h100:1 --time=5
script hog h200 'sleep 300' --nodes=2 --gres=gpu:h200:8
script waits h200 'exit 0' --gres=gpu:h200:1
script toomanynodes h100 'exit 0' --nodes=3
script toomanygpus h100 'exit 0' --gres=gpu:h100:9
script wronggpu h100 'exit 0' --gres=gpu:h200:1
script badpart nope 'exit 0'
script badtime h100 'exit 0' --time=abc
# Ignores SIGTERM so that the job stays COMPLETING until SIGKILL (KillWait later), long enough to be seen.
script tlimit h100 "trap '' TERM; while true; do sleep 1; done" --time=1

submit ok > "$out/sbatch/submitted.stdout"
ok=$(cat "$out/sbatch/submitted.stdout")
fail=$(submit fail); sleeper=$(submit sleeper); twonode=$(submit twonode); tlimit=$(submit tlimit)
hog=$(submit hog); wait_state "$hog" RUNNING; waits=$(submit waits); toomanynodes=$(submit toomanynodes)
refuse toomanygpus too-many-gpus
refuse wronggpu wrong-gpu-type
refuse badpart invalid-partition
refuse badtime invalid-time
(cd "$work" && sbatch --parsable "$work/missing.sbatch" 2>"$out/sbatch/unable-to-open.stderr") || true

wait_state "$sleeper" RUNNING; wait_state "$ok" COMPLETED; wait_state "$fail" FAILED; wait_state "$twonode" COMPLETED
wait_state "$waits" PENDING; wait_state "$toomanynodes" PENDING
scontrol show job "$twonode" > "$out/scontrol/completed-two-node.txt"
scontrol show job "$fail" > "$out/scontrol/failed.txt"
scontrol show job "$toomanynodes" > "$out/scontrol/pending-partition-node-limit.txt"
scontrol show job "$sleeper" > "$out/scontrol/running.txt"
scancel "$sleeper"; wait_state "$sleeper" CANCELLED
scontrol show job "$sleeper" > "$out/scontrol/cancelled.txt"
scancel "$hog" "$waits" "$toomanynodes"

wait_state "$tlimit" TIMEOUT
scontrol show job "$tlimit" > "$out/scontrol/timeout.txt"
sleep 2 # sacct's records lag the controller by up to a second
sacct -j "$ok,$fail,$sleeper,$twonode,$tlimit,$hog,$waits,$toomanynodes" -X -n --parsable2 -o "$fields" > "$out/sacct/finished.txt"
sacct -c -j "$ok,$fail,$sleeper,$twonode,$tlimit" -X -n --parsable2 -o "$fields" > "$out/sacct/jobcomp.txt"
sacct -j "$ok,$fail" -n --parsable2 -o "$fields" > "$out/sacct/with-steps.txt"

(scontrol show job 999999 2>"$out/scontrol/invalid-job-id.stderr") || true
sacct -j 999999 -X -n --parsable2 -o "$fields" > "$out/sacct/unknown-job.txt"

# Unreachable controller and database, without disturbing the cluster: a copy of slurm.conf with ports nobody
# listens on. Slurm's clients give up after about 9 s.
down=$work/down.conf
sed -e 's/^SlurmctldPort=.*/SlurmctldPort=1/' -e 's/^AccountingStoragePort=.*/AccountingStoragePort=1/' "$SLURM_CONF" > "$down"
(cd "$work" && SLURM_CONF=$down sbatch --parsable "$work/ok.sbatch" 2>"$out/sbatch/controller-down.stderr") || true
(SLURM_CONF=$down sacct -j "$ok" -X -n --parsable2 -o "$fields" 2>"$out/sacct/database-down.stderr") || true
(SLURM_CONF=$down scontrol show job "$ok" 2>"$out/scontrol/controller-down.stderr") || true
rm -rf "$work"
echo "recorded into $out"
