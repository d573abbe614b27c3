#!/usr/bin/env bash
# The quickstart: builds sweepd and plans the example sweep on the local test cluster's profile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -q -B -ntp -DskipTests package
java -jar target/sweepd.jar plan examples/quickstart.yaml --profile local
