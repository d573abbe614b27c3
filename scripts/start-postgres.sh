#!/usr/bin/env bash
# start-postgres.sh - a local PostgreSQL for sweepd's shared-store tests (Debian, as root, no systemd).
#
# Idempotent: installs Debian's `postgresql` if missing, starts the installed major version's `main`
# cluster, waits until it accepts TCP connections, creates role sweepd (password sweepd) and database
# sweepd_test owned by it when they do not exist yet.
#
# Usage:  scripts/start-postgres.sh
#   Progress goes to stderr; the last stdout line is
#   SWEEPD_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/sweepd_test
#   so `export "$(scripts/start-postgres.sh | tail -n1)"` works.
# Env:    SWEEPD_PG_TIMEOUT  seconds to wait for the server (default 30)
set -euo pipefail

readonly ROLE=sweepd
readonly PASSWORD=sweepd
readonly DATABASE=sweepd_test
readonly TIMEOUT=${SWEEPD_PG_TIMEOUT:-30}

log() { printf 'start-postgres: %s\n' "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

[[ $EUID -eq 0 ]] || die "must run as root (installs packages, runs pg_ctlcluster, su postgres)"
# psql run as postgres complains when it cannot enter the caller's directory (e.g. /root).
cd /

if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q 'install ok installed'; then
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2 # apt progress on stdout would pollute the URL line
    apt-get install -y --no-install-recommends postgresql >&2
fi

# The newest installed server version (15 on Debian 12). pg_lsclusters columns:
# Ver Cluster Port Status Owner Data-directory Log-file
version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -n | tail -n1)
[[ -n $version ]] || die "no PostgreSQL server found under /usr/lib/postgresql"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    # The package normally creates it; a site with create_main_cluster=false does not.
    log "creating cluster $version/main"
    pg_createcluster "$version" main >&2
fi
cluster_field() { pg_lsclusters -h | awk -v v="$version" -v f="$1" '$1 == v && $2 == "main" { print $f }'; }
port=$(cluster_field 3)
[[ $port == 5432 ]] || log "note: cluster $version/main listens on port $port, not 5432"

if [[ $(cluster_field 4) != online* ]]; then
    log "starting cluster $version/main"
    pg_ctlcluster "$version" main start >&2
fi

# pg_ctlcluster returns once the server runs, but wait for TCP (what JDBC uses), bounded.
deadline=$((SECONDS + TIMEOUT))
until pg_isready -q -h 127.0.0.1 -p "$port"; do
    ((SECONDS < deadline)) || die "PostgreSQL not accepting connections on 127.0.0.1:$port after ${TIMEOUT}s; see $(cluster_field 7)"
    sleep 0.1
done

psql_postgres() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtAc \"$1\""; }

# Two separate calls: CREATE DATABASE refuses to run inside a multi-statement string.
if [[ -z $(psql_postgres "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'") ]]; then
    log "creating role $ROLE"
    psql_postgres "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
fi
if [[ -z $(psql_postgres "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'") ]]; then
    log "creating database $DATABASE owned by $ROLE"
    psql_postgres "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

log "PostgreSQL $version ready on 127.0.0.1:$port (user $ROLE, password $PASSWORD)"
echo "SWEEPD_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$port/$DATABASE"
