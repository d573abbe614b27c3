#!/usr/bin/env bash
# The real-engine demo: the quickstart's path with a real vLLM (its CPU build from PyPI) instead of the engine
# stand-in. On the local Slurm, sweepd plans and submits examples/real-engine/real-engine.yaml on profile
# local-engine; the job serves a tiny random-weight model made here (no hub downloads) with `vllm serve`,
# benchmarks it with `vllm bench serve` at concurrencies 1 and 16 and runs lm-eval on the shipped task, and sweepd
# reports what the real tools wrote.
#
# Slow by nature on a 2-core machine without a GPU: the engine install takes ~2.5 min the first time (6.4 GB,
# then ~0 s), the job ~15-20 min. RealEngineIT runs the same site in the test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
home="${SWEEPD_DEMO_HOME:-$PWD/.sweepd/real-engine}"
site=examples/real-engine

echo "== local Slurm"
bash scripts/local-slurm.sh start >/dev/null
eval "$(bash scripts/local-slurm.sh env)"
export SLURM_CONF

echo "== build"
mvn -q -B -ntp -DskipTests package
sweepd=(java -jar target/sweepd.jar)

echo "== engine (vLLM CPU build and lm-eval, scripts/install-engine.sh)"
venv=$(bash scripts/install-engine.sh | tail -n 1)
model="$home/models/sweepd-tiny"
if [[ ! -f $model/config.json ]]; then
    echo "== tiny model in $model"
    # 16384 positions: the 8k1k points serve with max-model-len isl + osl + 256.
    "$venv/bin/python" scripts/make-tiny-model.py "$model" --max-position-embeddings 16384
fi

echo "== site: profile local-engine and the CPU engine rules in $home"
mkdir -p "$home/cluster-profiles" "$home/workarounds" "$home/sweeps"
profile=$(<"$site/local-engine.yaml")
profile=${profile//@MODELS@/$home/models}
profile=${profile//@MODEL@/$model}
profile=${profile//@VENV@/$venv}
profile=${profile//@EVAL_TASKS@/$PWD/engine/lm-eval-tasks}
printf '%s\n' "$profile" > "$home/cluster-profiles/local-engine.yaml"
cp "$site/cpu-engine.yaml" "$home/workarounds/cpu-engine.yaml"
{ printf 'sweep:\n  name: real-engine\n'; cat "$site/real-engine.yaml"; } > "$home/sweeps/real-engine.yaml"

echo "== daemon (home $home, log $home/daemon.log)"
# The local cluster is small and quick: poll it every 2 s (a real cluster keeps the 30 s default).
SWEEPD_POLL_INTERVAL_MS=2000 "${sweepd[@]}" daemon --home "$home" >"$home/daemon.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT

echo "== submit the real-engine sweep on profile local-engine"
"${sweepd[@]}" submit "$home/sweeps/real-engine.yaml" --profile local-engine --home "$home"

echo "== wait (the job takes ~15-20 min here)"
status=0
"${sweepd[@]}" wait real-engine --timeout PT45M --home "$home" || status=$?
"${sweepd[@]}" status real-engine --points --home "$home"
exit "$status"
