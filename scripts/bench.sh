#!/usr/bin/env bash
# The benchmark suite: measures sweepd against its anchors on this machine, prints a table and writes
# BENCHMARKS.md (scripts/bench.py has the measures and their anchors). About 8 minutes on 2 cores.
#
#   scripts/bench.sh                                   # everything but the generator's own time
#   INFERENCEMAX_DIR=~/InferenceMAX scripts/bench.sh   # also time InferenceMAX's generator on the same files
#   scripts/bench.sh --reliability                     # then the reliability suite (scripts/reliability.sh, ~20 min)
#
# INFERENCEMAX_DIR is a checkout of InferenceMAX (utils/matrix_logic/generate_sweep_configs.py, with PyYAML and
# pydantic importable by python3). Without it the plan ratio is left out and the table says so.
# It starts the local Slurm (scripts/local-slurm.sh) and installs the engine stand-in, as the quickstart does; the
# jobs it submits are held or short, and it cancels what it leaves queued. Figures are never asserted in tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

reliability=0
for arg in "$@"; do
    case $arg in
        --reliability) reliability=1 ;;
        *) echo "usage: $0 [--reliability]" >&2; exit 2 ;;
    esac
done

echo "== local Slurm" >&2
bash scripts/local-slurm.sh start >/dev/null
eval "$(bash scripts/local-slurm.sh env)"
export SLURM_CONF

echo "== build" >&2
mvn -q -B -ntp -DskipTests package >&2
bash scripts/engine-stand-in.sh install >&2
./sweepd --version >/dev/null 2>&1 || true   # makes the launcher's class-data archive once, outside the timings

python3 scripts/bench.py

if ((reliability)); then
    # Built and set up above already: the suite's own setup only checks the cluster and the stand-in again.
    RELIABILITY_SKIP_BUILD=1 bash scripts/reliability.sh
fi
