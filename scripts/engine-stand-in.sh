#!/usr/bin/env bash
# The engine stand-in for the local test cluster: shims that answer to the commands a real job runs (vllm serve,
# vllm bench serve, python3 -m sglang.launch_server, trtllm-serve, lm_eval, python3 -m srtctl.cli.do_sweep) with
# sweepd's engine simulator (src/test/java/io/sweepd/sim), so the job script sweepd renders runs unchanged and
# only the engine is simulated. The local profiles (cluster-profiles/local*.yaml) name DIR as their venv and
# DIR/bin/python3 as srt-slurm's python.
#
# Usage: scripts/engine-stand-in.sh install [DIR]    default DIR: /tmp/sweepd-local/engine-stand-in
# Needs target/sweepd.jar and the compiled test classes (mvn package; -DskipTests still compiles them). The
# stand-in is deliberately not a jar: target/ holds sweepd.jar alone, so nothing can take the test tool for sweepd.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() { echo "usage: $0 install [DIR]" >&2; exit 2; }
[[ ${1:-} == install ]] || usage
dir=${2:-/tmp/sweepd-local/engine-stand-in}

jar="$PWD/target/sweepd.jar"
classes="$PWD/target/test-classes"
for built in "$jar" "$classes/io/sweepd/sim/EngineSimulator.class"; do
    [[ -f $built ]] || { echo "$built is missing: build first (mvn -DskipTests package)" >&2; exit 1; }
done
java=$(command -v java) || { echo "java is not on PATH" >&2; exit 1; }
java=$(readlink -f "$java")

mkdir -p "$dir/bin" "$dir/srt-slurm"
# The shims are written to a temporary directory and renamed into place, so a job starting meanwhile never
# runs half a shim.
tmp=$(mktemp -d "$dir/.bin.XXXXXX")
classpath="$jar:$classes"
# Short-lived JVMs: C1 only and the serial collector start fastest on these small machines.
launch=$(printf '%q ' "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$classpath" io.sweepd.sim.EngineSimulator)

for command in vllm trtllm-serve lm_eval; do
    printf '#!/bin/sh\n# sweepd engine stand-in (scripts/engine-stand-in.sh)\nexec %s%s "$@"\n' "$launch" "$command" \
        > "$tmp/$command"
done
# python3 is the stand-in only for the two modules a job starts; anything else goes to the real python3.
cat > "$tmp/python3" <<EOF
#!/bin/bash
# sweepd engine stand-in (scripts/engine-stand-in.sh)
if [[ \${1:-} == -m && ( \${2:-} == srtctl.cli.do_sweep || \${2:-} == sglang.launch_server ) ]]; then
    exec ${launch}python3 "\$@"
fi
here=\$(cd "\$(dirname "\${BASH_SOURCE[0]}")" && pwd)
PATH=\$(printf '%s' "\$PATH" | tr ':' '\n' | grep -vxF "\$here" | paste -sd: -)
exec python3 "\$@"
EOF
chmod +x "$tmp"/*
for shim in "$tmp"/*; do
    mv -f "$shim" "$dir/bin/"
done
rmdir "$tmp"
cat > "$dir/srt-slurm/README" <<'EOF'
Where srtctl's checkout would be: the srt-slurm launcher runs its jobs from here. The local profiles' srt-slurm
python (../bin/python3) is sweepd's engine stand-in, which plays srtctl's sweep.
EOF
echo "engine stand-in installed in $dir (vllm, python3, trtllm-serve, lm_eval)"
