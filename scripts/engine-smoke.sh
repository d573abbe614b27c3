#!/usr/bin/env bash
# engine-smoke.sh - proof that a real vLLM (the CPU build from PyPI) serves, is benchmarked and is evaluated here:
#   1. make a tiny random-weight Llama (scripts/make-tiny-model.py; tokenizer trained on this repo's docs)
#   2. `vllm serve` it on 127.0.0.1 and wait (bounded) for /health
#   3. `vllm bench serve` (random dataset) at each concurrency, num-prompts = 10 x concurrency, writing
#      results_concurrency_<c>_gpus_1.json into OUT/results
#   4. lm-eval local-completions against the server on the shipped task sweepd_tiny_gsm8k (engine/lm-eval-tasks)
#   5. stop the server; then `vllm serve MODEL --definitely-not-a-flag` must fail with vLLM's own argument error
#   Prints each step's time and the server's peak RSS; exit 0 only if every step did what it should.
#
# Usage: scripts/engine-smoke.sh [OUT_DIR]       (default: ./engine-smoke-out; wiped first)
#
# Environment (all optional):
#   SWEEPD_ENGINE_VENV       venv from scripts/install-engine.sh (default $HOME/.cache/sweepd/engine-venv);
#                            it must already be installed (`scripts/install-engine.sh --check`)
#   SWEEPD_SMOKE_PORT        server port (default 18000)
#   SWEEPD_SMOKE_CONCURRENCIES  default "1 2"
#   SWEEPD_SMOKE_ISL / _OSL  random input / output length (default 128 / 32; random-range-ratio 0.5)
#   SWEEPD_SMOKE_START_TIMEOUT  seconds to wait for /health (default 420)
#   SWEEPD_SMOKE_STEP_TIMEOUT   seconds any other step may take (default 600)
#   SWEEPD_SMOKE_SKIP_LMEVAL=1  skip step 4
#   VLLM_CPU_KVCACHE_SPACE   GiB of KV cache (default 1 here; vLLM's own default is far larger)
#   VLLM_CPU_OMP_THREADS_BIND / VLLM_CPU_NUM_OF_RESERVED_CPU  passed through to vLLM (its defaults: auto / 1)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SWEEPD_ENGINE_VENV:-$HOME/.cache/sweepd/engine-venv}"
OUT="$(mkdir -p "${1:-engine-smoke-out}" && cd "${1:-engine-smoke-out}" && pwd)"
PORT="${SWEEPD_SMOKE_PORT:-18000}"
CONCS="${SWEEPD_SMOKE_CONCURRENCIES:-1 2}"
ISL="${SWEEPD_SMOKE_ISL:-128}"
OSL="${SWEEPD_SMOKE_OSL:-32}"
START_TIMEOUT="${SWEEPD_SMOKE_START_TIMEOUT:-420}"
STEP_TIMEOUT="${SWEEPD_SMOKE_STEP_TIMEOUT:-600}"
NAME=sweepd-tiny

# Everything offline: the model and data are made here, nothing may come from a hub.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
export VLLM_TARGET_DEVICE=cpu VLLM_NO_USAGE_STATS=1 DO_NOT_TRACK=1
export VLLM_CPU_KVCACHE_SPACE="${VLLM_CPU_KVCACHE_SPACE:-1}"
export TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1

[[ -x "$VENV/bin/vllm" && -x "$VENV/bin/lm_eval" ]] \
  || { echo "engine-smoke: no engine venv at $VENV (run scripts/install-engine.sh)" >&2; exit 1; }

rm -rf "${OUT:?}"/{model,results,lm-eval,logs} "$OUT/timings.txt" "$OUT/summary.json"
mkdir -p "$OUT/results" "$OUT/lm-eval" "$OUT/logs"
TIMINGS="$OUT/timings.txt"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
note() { echo "engine-smoke: $*" >&2; }
record() { printf '%-28s %8s s\n' "$1" "$2" | tee -a "$TIMINGS" >&2; }

SERVER_PID=""; SAMPLER_PID=""
stop_server() {
  [[ -n "$SAMPLER_PID" ]] && { kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; }
  [[ -z "$SERVER_PID" ]] && return 0
  # the server was started as the leader of its own session/process group: signal that group only
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
  local deadline=$(( $(date +%s) + 30 ))
  while kill -0 -- "-$SERVER_PID" 2>/dev/null && (( $(date +%s) < deadline )); do sleep 0.5; done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

# 1. model
t=$(now)
timeout "$STEP_TIMEOUT" "$VENV/bin/python" "$ROOT/scripts/make-tiny-model.py" "$OUT/model" \
  > "$OUT/logs/make-model.log" 2>&1 || { tail -20 "$OUT/logs/make-model.log" >&2; exit 1; }
record "make tiny model" "$(secs "$t" "$(now)")"

# 2. serve
t=$(now)
setsid "$VENV/bin/vllm" serve "$OUT/model" --served-model-name "$NAME" --host 127.0.0.1 --port "$PORT" \
  --dtype float32 --max-model-len 4096 --enforce-eager --max-num-seqs 16 --disable-uvicorn-access-log \
  > "$OUT/logs/server.log" 2>&1 < /dev/null &
SERVER_PID=$!
# peak RSS of the whole server (API server + engine core + worker processes = its session)
( peak=0; while kill -0 "$SERVER_PID" 2>/dev/null; do
    rss=$(ps -eo sid=,rss= | awk -v s="$SERVER_PID" '$1 == s { t += $2 } END { print t + 0 }')
    (( rss > peak )) && { peak=$rss; echo "$peak" > "$OUT/logs/server-peak-rss-kb"; }
    sleep 1
  done ) &
SAMPLER_PID=$!
healthy=""
deadline=$(( $(date +%s) + START_TIMEOUT ))
while (( $(date +%s) < deadline )); do
  if curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"; then healthy=1; break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 1
done
if [[ -z "$healthy" ]]; then
  note "server not healthy (exited or ${START_TIMEOUT}s passed); last lines of its log:"
  tail -30 "$OUT/logs/server.log" >&2
  exit 1
fi
record "server start -> /health" "$(secs "$t" "$(now)")"

# 3. benchmark client, one run per concurrency, same allocation and server
for c in $CONCS; do
  t=$(now)
  timeout "$STEP_TIMEOUT" "$VENV/bin/vllm" bench serve --backend vllm --base-url "http://127.0.0.1:$PORT" \
    --endpoint /v1/completions --model "$NAME" --tokenizer "$OUT/model" \
    --dataset-name random --random-input-len "$ISL" --random-output-len "$OSL" --random-range-ratio 0.5 \
    --num-prompts $(( 10 * c )) --max-concurrency "$c" --request-rate inf --ignore-eos --seed 0 \
    --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,90,99 --disable-tqdm \
    --save-result --result-dir "$OUT/results" --result-filename "results_concurrency_${c}_gpus_1.json" \
    > "$OUT/logs/bench_concurrency_$c.log" 2>&1 || { tail -30 "$OUT/logs/bench_concurrency_$c.log" >&2; exit 1; }
  record "bench serve concurrency=$c" "$(secs "$t" "$(now)")"
  "$VENV/bin/python" - "$OUT/results/results_concurrency_${c}_gpus_1.json" "$c" <<'EOF' >&2
import json, sys
d = json.load(open(sys.argv[1]))
assert d["completed"] == 10 * int(sys.argv[2]) and d["failed"] == 0, (d["completed"], d["failed"])
assert d["output_throughput"] > 0, d["output_throughput"]
print(f"engine-smoke:   completed={d['completed']} output_throughput={d['output_throughput']:.1f} tok/s "
      f"total_token_throughput={d['total_token_throughput']:.1f} tok/s median_ttft={d['median_ttft_ms']:.1f} ms")
EOF
done

# 4. lm-eval against the running server, on the task the project ships
if [[ "${SWEEPD_SMOKE_SKIP_LMEVAL:-0}" != 1 ]]; then
  t=$(now)
  timeout "$STEP_TIMEOUT" "$VENV/bin/lm_eval" --model local-completions \
    --model_args "model=$NAME,base_url=http://127.0.0.1:$PORT/v1/completions,tokenizer=$OUT/model,tokenizer_backend=huggingface,num_concurrent=2,max_retries=2,tokenized_requests=False" \
    --include_path "$ROOT/engine/lm-eval-tasks" --tasks sweepd_tiny_gsm8k --output_path "$OUT/lm-eval" --log_samples \
    > "$OUT/logs/lm-eval.log" 2>&1 || { tail -30 "$OUT/logs/lm-eval.log" >&2; exit 1; }
  record "lm-eval sweepd_tiny_gsm8k" "$(secs "$t" "$(now)")"
  res="$(find "$OUT/lm-eval" -name 'results_*.json' | head -1)"
  [[ -n "$res" ]] || { note "lm-eval wrote no results_*.json"; exit 1; }
  "$VENV/bin/python" - "$res" <<'EOF' >&2
import json, sys
r = json.load(open(sys.argv[1]))["results"]["sweepd_tiny_gsm8k"]
print("engine-smoke:   lm-eval " + " ".join(f"{k}={v}" for k, v in r.items() if k.startswith("exact_match")))
EOF
fi

t=$(now)
stop_server
record "server stop" "$(secs "$t" "$(now)")"
peak_kb="$(cat "$OUT/logs/server-peak-rss-kb" 2>/dev/null || echo 0)"
printf '%-28s %8s MiB\n' "server peak RSS (all procs)" "$(( peak_kb / 1024 ))" | tee -a "$TIMINGS" >&2

# 5. a bad engine flag must fail the way vLLM fails: its own argparse error, exit status 2
t=$(now)
set +e
timeout "$STEP_TIMEOUT" "$VENV/bin/vllm" serve "$OUT/model" --definitely-not-a-flag > "$OUT/logs/bad-flag.log" 2>&1
bad_rc=$?
set -e
record "bad flag run (exit $bad_rc)" "$(secs "$t" "$(now)")"
if [[ $bad_rc -ne 2 ]] || ! grep -q 'error: unrecognized arguments: --definitely-not-a-flag' "$OUT/logs/bad-flag.log"; then
  note "bad flag did not fail as expected (exit $bad_rc):"; cat "$OUT/logs/bad-flag.log" >&2; exit 1
fi

cp "$TIMINGS" "$OUT/logs/timings.txt"
echo "engine-smoke: OK; results in $OUT/results, lm-eval in $OUT/lm-eval, logs in $OUT/logs" >&2
cat "$TIMINGS"
