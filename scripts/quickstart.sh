#!/usr/bin/env bash
# The quickstart: a real sweep on a local Slurm cluster, start to finish.
#  1. brings up the single-host Slurm (scripts/local-slurm.sh: 2 partitions x 4 nodes x 8 fake GPUs),
#  2. builds sweepd and installs the engine stand-in (scripts/engine-stand-in.sh: these machines have no GPU, so
#     the jobs' vllm, srtctl and lm_eval commands are simulated; the job scripts around them are the real ones),
#  3. starts the daemon with its home in .sweepd/quickstart,
#  4. submits examples/quickstart.yaml on the `local` profile,
#  5. waits for the run to finish (a progress line as its jobs change state), prints where the plan, results
#     and any failure archives are, and shows every point's final state.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
home="${SWEEPD_QUICKSTART_HOME:-$PWD/.sweepd/quickstart}"

echo "== local Slurm"
bash scripts/local-slurm.sh start >/dev/null
eval "$(bash scripts/local-slurm.sh env)"
export SLURM_CONF

echo "== build"
mvn -q -B -ntp -DskipTests package
bash scripts/engine-stand-in.sh install
sweepd=(java -jar target/sweepd.jar)

echo "== daemon (home $home, log $home/daemon.log)"
mkdir -p "$home"
# The local cluster is small and quick: poll it every 2 s (a real cluster keeps the 30 s default).
SWEEPD_POLL_INTERVAL_MS=2000 "${sweepd[@]}" daemon --home "$home" >"$home/daemon.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT

echo "== submit examples/quickstart.yaml on profile local"
"${sweepd[@]}" submit examples/quickstart.yaml --profile local --home "$home"

echo "== wait"
status=0
"${sweepd[@]}" wait quickstart --timeout PT15M --home "$home" || status=$?
"${sweepd[@]}" status quickstart --points --home "$home"
exit "$status"
