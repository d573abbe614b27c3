#!/usr/bin/env bash
# install-chromium.sh - headless Chromium for the HTML report's browser test (ReportHtmlIT), Debian, as root.
#
# Idempotent: installs Debian's `chromium` package only when no chromium binary is there yet, and runs
# `apt-get update` only then (an update on every CI run costs time and can fail on a flaky mirror).
# Debian's package, not a downloaded browser build: CI machines reach the Debian archive only.
#
# Usage:  scripts/install-chromium.sh
#   Progress goes to stderr; stdout is exactly one line, the binary's absolute path, so
#   `CHROMIUM=$(scripts/install-chromium.sh)` works.
set -euo pipefail

log() { printf 'install-chromium: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

find_chromium() {
    local candidate
    for candidate in /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"; do
        if [[ -n $candidate && -x $candidate ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

if ! binary=$(find_chromium); then
    [[ $EUID -eq 0 ]] || die "chromium is missing and installing it needs root (apt-get install chromium)"
    log "installing Debian's chromium package"
    export DEBIAN_FRONTEND=noninteractive
    # apt progress goes to stderr: stdout is reserved for the path.
    apt-get update >&2
    apt-get install -y --no-install-recommends chromium >&2
    binary=$(find_chromium) || die "chromium installed but no binary found at /usr/bin/chromium"
fi

log "chromium: $("$binary" --version 2>/dev/null || echo 'version unknown')"
printf '%s\n' "$binary"
