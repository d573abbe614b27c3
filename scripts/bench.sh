#!/usr/bin/env bash
# The benchmark suite: measures sweepd against its anchors on this machine, prints a table and writes
# BENCHMARKS.md. Figures are medians of several runs (wall and CPU time), never asserted in tests.
#
#   scripts/bench.sh                      # what needs no Slurm: planning
#   INFERENCEMAX_DIR=~/InferenceMAX scripts/bench.sh   # also time InferenceMAX's own generator on the same file
#
# INFERENCEMAX_DIR is a checkout of InferenceMAX (utils/matrix_logic/generate_sweep_configs.py, with PyYAML and
# pydantic importable by python3). Without it the plan ratio is left out and the table says so.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${SWEEPD_BENCH_RUNS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== build" >&2
mvn -q -B -DskipTests package >&2
./sweepd --version >/dev/null 2>&1 || true   # makes the launcher's class-data archive once, outside the timings

snapshot=fixtures/inferencemax/snapshots/2026-05-01
cat "$snapshot/nvidia-master.yaml" "$snapshot/amd-master.yaml" > "$work/may.yaml"
cp "$snapshot/runners.yaml" "$work/runners.yaml"

# A sweep of N copies of the May master configs (keys renamed), for the linearity measure.
copies() {
  python3 - "$work/may.yaml" "$1" > "$work/may-x$1.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for i in range(int(sys.argv[2])):
    print(re.sub(r'^([A-Za-z0-9][^\s:#]*):', lambda m: f'{m.group(1)}-c{i}:', text, flags=re.M))
PY
}

# median wall seconds and CPU seconds of a command over $runs runs: "wall cpu"
measure() {
  local times=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$work/t" "$@" >/dev/null 2>&1
    times+=("$(cat "$work/t")")
  done
  printf '%s\n' "${times[@]}" | python3 -c '
import sys, statistics
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
print("%.3f %.3f" % (statistics.median(r[0] for r in rows), statistics.median(r[1] + r[2] for r in rows)))'
}

echo "== plan" >&2
read -r matrix_wall matrix_cpu < <(measure ./sweepd plan "$work/may.yaml" --format matrix)
read -r plan_wall plan_cpu < <(measure ./sweepd plan "$work/may.yaml" --format json)
points=$(./sweepd plan "$work/may.yaml" --format matrix | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

gen_wall="" gen_cpu=""
if [[ -n "${INFERENCEMAX_DIR:-}" ]]; then
  gen="$INFERENCEMAX_DIR/utils/matrix_logic/generate_sweep_configs.py"
  read -r gen_wall gen_cpu < <(measure python3 "$gen" full-sweep --config-files "$snapshot/nvidia-master.yaml" \
      "$snapshot/amd-master.yaml" --runner-config "$snapshot/runners.yaml")
fi

echo "== plan linearity" >&2
linear=()
for n in 1 4 9; do
  copies "$n"
  read -r wall _ < <(runs=3 measure ./sweepd plan "$work/may-x$n.yaml" --format matrix)
  linear+=("$((points * n)) $wall")
done

python3 - "$work" "$points" "$matrix_wall" "$matrix_cpu" "$plan_wall" "$plan_cpu" "${gen_wall:-}" "${gen_cpu:-}" \
    "${linear[@]}" <<'PY'
import datetime, os, platform, subprocess, sys
work, points, mw, mc, pw, pc, gw, gc, *linear = sys.argv[1:]
cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True, text=True).stdout.strip()
rows = []
def ratio(a, b):
    return "%.2fx" % (float(a) / float(b)) if b else "n/a (set INFERENCEMAX_DIR)"
rows.append(("plan --format matrix, May master configs (%s points): wall" % points, mw + " s",
             ratio(mw, gw), "<= 0.8x the generator"))
rows.append(("  same, CPU", mc + " s", ratio(mc, gc), "informative"))
rows.append(("plan --format json (placement, recipes, preflight, jobs): wall", pw + " s", ratio(pw, gw),
             "informative"))
rows.append(("InferenceMAX generator full-sweep, same files: wall / CPU",
             (gw + " s / " + gc + " s") if gw else "not measured", "anchor", ""))
base_n, base_t = map(float, linear[0].split())
for item in linear:
    n, t = map(float, item.split())
    rows.append(("plan --format matrix, %d points: wall" % n, "%.3f s" % t,
                 "%.2fx the %d-point time for %.1fx the points" % (t / base_t, base_n, n / base_n), "linear"))
out = ["# Benchmarks", "",
       "Measured by `scripts/bench.sh` on %s: %s, %d cores, Java %s. Medians of several runs; CPU = user + system."
       % (datetime.date.today().isoformat(), cpu or platform.machine(), os.cpu_count(),
          subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split('"')[1]),
       "", "| measure | figure | against the anchor | goal |", "|---|---|---|---|"]
out += ["| %s | %s | %s | %s |" % r for r in rows]
open("BENCHMARKS.md", "w").write("\n".join(out) + "\n")
for r in rows:
    print("%-75s %-22s %-40s %s" % r)
PY
echo "wrote BENCHMARKS.md" >&2
