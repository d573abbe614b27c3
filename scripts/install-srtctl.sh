#!/usr/bin/env bash
# install-srtctl.sh - srt-slurm's srtctl from a local srt-slurm checkout into a virtualenv, for the contract test
# that runs srtctl's own config validation on what sweepd writes (SrtctlValidationTest) and for a cluster's
# login node, whose profile then names the venv under paths.srt-slurm.
#
# The checkout is never cloned here: a login node has no internet, and the contract must be checked against
# the srt-slurm the cluster runs. A bare mirror works too (its HEAD is exported). srtctl's dependencies are
# pinned below so the test sees the same libraries every time; srtctl itself is installed with --no-deps.
#
# Usage:  scripts/install-srtctl.sh SRT_SLURM_CHECKOUT VENV_DIR
#   e.g.  scripts/install-srtctl.sh /work/.mirror/NVIDIA+srt-slurm/repo /work/srt-venv
#   Progress goes to stderr; stdout is one line, the venv's python, so
#   `SWEEPD_SRTCTL_PYTHON=$(scripts/install-srtctl.sh ... )` works. Idempotent: an existing venv is reused.
set -euo pipefail

log() { printf 'install-srtctl: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

[[ $# -eq 2 ]] || die "usage: $0 SRT_SLURM_CHECKOUT VENV_DIR"
checkout=$1
venv=$2
python=${PYTHON:-python3}

# srtctl's runtime dependencies (pyproject.toml [project.dependencies]), pinned.
pins=(
    "pyyaml==6.0.2"
    "jinja2==3.1.6"
    "marshmallow==3.26.1"
    "marshmallow-dataclass==8.7.1"
    "mcp==1.27.0"
    "prometheus-client==0.21.1"
    "pydantic==2.11.7"
    "requests==2.32.4"
    "rich==14.0.0"
    "questionary==2.1.0"
    "ruamel.yaml==0.18.14"
    "matplotlib==3.10.3"
)

source_dir=$(mktemp -d)
trap 'rm -rf "$source_dir"' EXIT
if [[ -f $checkout/pyproject.toml ]]; then
    cp -a "$checkout/." "$source_dir/"
elif git -C "$checkout" rev-parse --git-dir >/dev/null 2>&1; then
    log "exporting HEAD of $checkout ($(git -C "$checkout" rev-parse --short HEAD))"
    git -C "$checkout" archive HEAD | tar -x -C "$source_dir"
else
    die "$checkout is neither an srt-slurm checkout nor a git repository"
fi
[[ -f $source_dir/src/srtctl/__init__.py ]] || die "$checkout has no src/srtctl: not srt-slurm"

if [[ ! -x $venv/bin/python ]]; then
    log "creating venv $venv"
    "$python" -m venv "$venv"
fi
log "installing srtctl's pinned dependencies"
"$venv/bin/python" -m pip install --quiet "${pins[@]}" >&2
log "installing srtctl from $checkout"
"$venv/bin/python" -m pip install --quiet --no-deps --force-reinstall "$source_dir" >&2
"$venv/bin/python" -c 'import srtctl.core.config, srtctl.core.schema' \
    || die "srtctl installed but its config module does not import"
log "srtctl: $("$venv/bin/srtctl" --help >/dev/null 2>&1 && echo 'srtctl CLI ok' || echo 'CLI did not start')"
printf '%s\n' "$venv/bin/python"
