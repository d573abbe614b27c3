#!/usr/bin/env bash
# The test command: brings up everything the tests talk to for real (a local Slurm cluster with accounting,
# PostgreSQL, headless Chromium, a real vLLM in a venv), then runs unit, route and end-to-end tests with
# `mvn verify`. Safe to run again: every step is idempotent. Extra arguments go to Maven
# (e.g. scripts/test.sh -Dit.test=QuickstartIT).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "== local Slurm"
eval "$(bash scripts/local-slurm.sh start | tail -n 1)"
export SLURM_CONF

echo "== PostgreSQL"
eval "export $(bash scripts/start-postgres.sh | tail -n 1)"
export SWEEPD_TEST_PG_USER="${SWEEPD_TEST_PG_USER:-sweepd}" SWEEPD_TEST_PG_PASSWORD="${SWEEPD_TEST_PG_PASSWORD:-sweepd}"

echo "== Chromium (the HTML report is checked in a real headless browser)"
bash scripts/install-chromium.sh >/dev/null

echo "== engine (a real vLLM, CPU build, for RealEngineIT; ~2.5 min the first time, then ~0 s)"
SWEEPD_ENGINE_VENV="$(bash scripts/install-engine.sh | tail -n 1)"
export SWEEPD_ENGINE_VENV

echo "== mvn verify"
exec mvn -B -ntp verify "$@"
