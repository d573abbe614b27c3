#!/usr/bin/env bash
# The quickstart: a real sweep on a local Slurm cluster, start to finish.
#  1. brings up the single-host Slurm (scripts/local-slurm.sh: 2 partitions x 4 nodes x 8 fake GPUs),
#  2. builds sweepd and installs the engine stand-in (scripts/engine-stand-in.sh: these machines have no GPU, so
#     the jobs' vllm, srtctl and lm_eval commands are simulated; the job scripts around them are the real ones),
#  3. starts the daemon with its home in .sweepd/quickstart,
#  4. submits examples/quickstart.yaml on the `local` profile,
#  5. waits for the run to finish (a progress line as its jobs change state), prints where the plan, results
#     and any failure archives are, and shows every point's final state.
# The daemon's status page is printed as a URL; its port is SWEEPD_HTTP_PORT, or the first free one from 7744.
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
# The launcher, as on a login node: its JVM options and class-data archive (made here once per build, README
# Performance) start the daemon and every command in about half the time.
sweepd=(./sweepd)
"${sweepd[@]}" --version >/dev/null

# A port nothing listens on yet, so a second daemon on this host (another checkout, a test) cannot collide.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port="${SWEEPD_HTTP_PORT:-}"
if [[ -z $port ]]; then
    port=7744
    while port_in_use "$port"; do port=$((port + 1)); done
fi

echo "== daemon (home $home, log $home/daemon.log)"
mkdir -p "$home"
# The local cluster is small and quick: poll it every 2 s (a real cluster keeps the 30 s default).
SWEEPD_POLL_INTERVAL_MS=2000 SWEEPD_HTTP_PORT="$port" "${sweepd[@]}" daemon --home "$home" >"$home/daemon.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT

echo "== status page: http://127.0.0.1:$port/ (health /observe/health, metrics /observe/metrics)"

echo "== submit examples/quickstart.yaml on profile local"
"${sweepd[@]}" submit examples/quickstart.yaml --profile local --home "$home"

echo "== wait"
status=0
"${sweepd[@]}" wait quickstart --timeout PT15M --home "$home" || status=$?
"${sweepd[@]}" status quickstart --points --home "$home"
exit "$status"
