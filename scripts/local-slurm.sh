#!/usr/bin/env bash
# local-slurm.sh - a REAL single-host Slurm cluster for sweepd development, tests, CI and the quickstart.
#
# What it runs (Debian 12 / Slurm 22.05, as root, no systemd needed):
#   munged, MariaDB, slurmdbd (so `sacct` has history), slurmctld, and eight simulated nodes
#   (`slurmd -N`): gpu-node[1-4] with 8 x h100 in partition h100 (default),
#              gpu-node[5-8] with 8 x h200 in partition h200 (four a partition, like the h100-multinode
#              pool, so the seed PR's 1P+1D DP16/EP16 shape - 2 nodes a side - can be submitted).
#   Each node claims CPUs=16 RealMemory=64000 so several jobs can share a node.
#
# Usage (as root):
#   scripts/local-slurm.sh start    # idempotent (~0.7 s when up, ~5 s from nothing + apt if needed);
#                                   # waits until all 8 nodes are usable and sacct answers, resumes
#                                   # nodes left drained/down; last stdout line: export SLURM_CONF=...
#   scripts/local-slurm.sh stop     # cancels running jobs, stops every daemon it started, waits
#                                   # until they are gone. Pending jobs and history are kept.
#   scripts/local-slurm.sh status   # exit 0 only when the whole cluster is up
#   scripts/local-slurm.sh reset    # stop, wipe all state (job history, job ids, spool, DB), start
#   scripts/local-slurm.sh env      # prints `export SLURM_CONF=...` only
#
#   In a script:  scripts/local-slurm.sh start >/dev/null && eval "$(scripts/local-slurm.sh env)"
#   (`eval "$(... start)"` works too, but eval of an empty string hides a failed start.)
#
# Environment:
#   SWEEPD_SLURM_DIR      everything lives here (default /var/tmp/sweepd-slurm)
#   SWEEPD_SLURM_TIMEOUT  seconds `start` waits for the daemons to come up (default 60)
#
# Fixed, non-default ports (so a system Slurm/MariaDB on the default ports never clashes; also
# means one such cluster per host, whatever SWEEPD_SLURM_DIR says):
#   slurmctld 16817, slurmdbd 16819, slurmd 17001-17008 (Slurm binds 0.0.0.0; munge guards them),
#   MariaDB 16306 (127.0.0.1 only). munged uses its own socket and key, never /run/munge.
#
# Layout of $SWEEPD_SLURM_DIR:
#   etc/       slurm.conf gres.conf slurmdbd.conf (generated on every start)
#   log/       slurmctld.log slurmdbd.log slurmd-gpu-nodeN.log (+ *.out: daemon stdout/stderr)
#   run/       pid files            state/   slurmctld state, jobcomp.txt (jobcomp/filetxt)
#   spool/N/   slurmd spool per node  dev/   fake GPUs nvidia0-7 (character devices)
#   munge/     key, socket, pid, log (owned by munge)
#   mysql/     MariaDB datadir, socket, pid, log (owned by mysql)
#
# Progress goes to stderr; stdout carries only the `export` line, so callers can eval it.
set -euo pipefail

readonly DIR=${SWEEPD_SLURM_DIR:-/var/tmp/sweepd-slurm}
readonly TIMEOUT=${SWEEPD_SLURM_TIMEOUT:-60}
readonly CONF=$DIR/etc/slurm.conf

readonly CLUSTER=sweepd
readonly CTLD_PORT=16817
readonly DBD_PORT=16819
readonly DB_PORT=16306
readonly NODE_PORT_BASE=17000 # gpu-nodeN listens on 17000+N
readonly NODES=(gpu-node1 gpu-node2 gpu-node3 gpu-node4 gpu-node5 gpu-node6 gpu-node7 gpu-node8)
# A throw-away credential for a database that only listens on 127.0.0.1 and a socket under $DIR.
readonly DB_USER=slurm
readonly DB_PASS=sweepd-local-slurm
readonly DB_NAME=slurm_acct_db
readonly PACKAGES=(slurmctld slurmd slurm-client munge slurmdbd mariadb-server)

readonly MUNGE_DIR=$DIR/munge
readonly MUNGE_SOCKET=$MUNGE_DIR/munge.socket.2
readonly DB_DIR=$DIR/mysql
readonly DB_SOCKET=$DB_DIR/mysqld.sock
readonly LOG_DIR=$DIR/log
readonly RUN_DIR=$DIR/run
# Marks a directory as ours, so `reset` never wipes a directory this script did not create.
readonly MARKER=$DIR/.sweepd-local-slurm

# Every Slurm command below (sinfo, sacct, scancel, and the daemons) reads this.
export SLURM_CONF=$CONF

# fd 3 = our stderr, so messages stay visible inside wait_for, which silences the polled command.
exec 3>&2
log() { printf 'local-slurm: %s\n' "$*" >&3; }
die() {
    log "ERROR: $*"
    exit 1
}

# Slurm config files cannot quote paths, and the munge/MariaDB sockets must fit in 107 bytes.
case $DIR in
    /*) ;;
    *) die "SWEEPD_SLURM_DIR must be an absolute path, got '$DIR'" ;;
esac
[[ $DIR != *[[:space:]]* ]] || die "SWEEPD_SLURM_DIR must not contain whitespace: '$DIR'"
[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "SWEEPD_SLURM_TIMEOUT must be a whole number of seconds"

need_root() { [[ $EUID -eq 0 ]] || die "must run as root (installs packages, runs munged/MariaDB as their users, mknod)"; }

now_us() { local t=${EPOCHREALTIME//[^0-9]/}; echo "$t"; } # locale-proof: drop the decimal separator

# ---------------------------------------------------------------------------------------------
# Process helpers. PID 1 on these machines reaps orphans late: a daemon that exited stays a
# zombie (and `kill -0` succeeds) for ~2 s, so "alive" means: /proc/PID/stat exists, state is not
# Z, and the command name is the one we expect (a stale pid file in /var/tmp survives reboots and
# its pid may have been reused).
# ---------------------------------------------------------------------------------------------
pid_alive() { # pid_alive PID COMM
    local pid=$1 comm=$2 stat
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) } # comm may contain spaces; the state is the first field after ") "
    [[ ${stat%% *} != Z ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$comm" ]]
}

pidfile_pid() { # prints the pid recorded in FILE if that process is alive with command COMM
    local file=$1 comm=$2 pid
    pid=$(head -n1 "$file" 2>/dev/null | tr -dc '0-9') || true
    if [[ -n $pid ]] && pid_alive "$pid" "$comm"; then echo "$pid"; else return 1; fi
}

# Is something listening on 127.0.0.1/0.0.0.0 TCP PORT? Reads /proc/net/tcp* rather than probing
# the port (a bare connect makes slurmctld log an error) or needing iproute2 (absent in slim images).
port_listening() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# poll_until DEADLINE_US CMD...: run CMD every 0.1 s until it succeeds (0) or the deadline passes (1).
poll_until() {
    local deadline=$1
    shift
    until "$@" >/dev/null 2>&1; do
        (($(now_us) < deadline)) || return 1
        sleep 0.1
    done
}

# wait_for WHAT LOGFILE CMD...: poll CMD until it succeeds or the start deadline passes; on timeout
# show the tail of the daemon's log, which is where the real reason is.
DEADLINE=0
wait_for() {
    local what=$1 logfile=$2
    shift 2
    poll_until "$DEADLINE" "$@" && return 0
    log "timed out after ${TIMEOUT}s waiting for $what"
    if [[ -f $logfile ]]; then
        log "last lines of $logfile:"
        tail -n 25 "$logfile" >&2
    fi
    exit 1
}

# detached CMD...: exec CMD (a daemon) with only fds 0-2. Daemons otherwise keep whatever the caller
# leaked to us - seen here: munged, mariadbd and slurmdbd holding the write end of a pipe of the
# calling shell (fd 251), which makes `$(...)`/CI log capture wait forever - and our lock on fd 9.
detached() {
    (
        local fd
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            # -e skips the fd the glob used to read the directory (already closed again)
            if ((fd > 2)) && [[ -e /proc/self/fd/$fd ]]; then exec {fd}>&-; fi
        done
        exec "$@"
    )
}

# stop_pids COMM PID...: SIGTERM, wait up to 30 s for every one to be gone, then SIGKILL.
stop_pids() {
    local comm=$1
    shift
    (($#)) || return 0
    kill -TERM "$@" 2>/dev/null || true
    local deadline=$(($(now_us) + 30000000)) pid left
    while :; do
        left=()
        for pid in "$@"; do pid_alive "$pid" "$comm" && left+=("$pid"); done
        ((${#left[@]})) || return 0
        if (($(now_us) > deadline)); then
            log "$comm ${left[*]} ignored SIGTERM for 30 s; sending SIGKILL"
            kill -KILL "${left[@]}" 2>/dev/null || true
            deadline=$(($(now_us) + 10000000))
        fi
        sleep 0.1
    done
}

# ---------------------------------------------------------------------------------------------
# Packages. Only touch apt when something is missing (apt-get update costs seconds and network).
# ---------------------------------------------------------------------------------------------
ensure_packages() {
    local p missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    log "installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # apt writes progress to stdout; keep stdout clean for the export line.
    apt-get update >&2
    apt-get install -y --no-install-recommends "${PACKAGES[@]}" >&2
}

# ---------------------------------------------------------------------------------------------
# Configuration. Regenerated on every start (hostname may differ on a new CI machine) but only
# written when the content changes, so a running cluster is restarted only if it must be.
# ---------------------------------------------------------------------------------------------
CONFIG_CHANGED=0
write_if_changed() { # write_if_changed FILE MODE  (content on stdin)
    local file=$1 mode=$2 tmp
    tmp=$(mktemp "$file.XXXXXX")
    cat >"$tmp"
    chmod "$mode" "$tmp"
    if cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
    else
        mv -f "$tmp" "$file"
        CONFIG_CHANGED=1
    fi
}

make_dirs() {
    install -d -m 0755 "$DIR" "$DIR/etc" "$DIR/dev" "$LOG_DIR" "$RUN_DIR" "$DIR/state" "$DIR/spool"
    install -d -m 0700 "$DIR/state/slurmctld"
    local n
    for n in "${NODES[@]}"; do install -d -m 0755 "$DIR/spool/$n"; done
    # munged refuses a socket/key/log directory that others can write to; it runs as user munge.
    install -d -o munge -g munge -m 0755 "$MUNGE_DIR"
    # MariaDB runs as mysql and needs its socket, pid and log in a directory it owns.
    install -d -o mysql -g mysql -m 0750 "$DB_DIR" "$DB_DIR/data"
    : >"$MARKER"
}

# slurmd drops a GPU that has no File= ("Removing file-less GPU" -> node INVALID_REG) and refuses
# regular files, so the fake GPUs are character devices (same numbers as /dev/null: harmless).
# All nodes share them: with task/none nothing ever constrains device access.
make_fake_gpus() {
    local i
    for i in 0 1 2 3 4 5 6 7; do
        [[ -c $DIR/dev/nvidia$i ]] || { rm -f "$DIR/dev/nvidia$i" && mknod -m 0666 "$DIR/dev/nvidia$i" c 1 3; }
    done
}

write_configs() {
    local host
    host=$(uname -n)
    host=${host%%.*} # slurmctld/slurmdbd compare their short hostname with SlurmctldHost/DbdHost

    write_if_changed "$CONF" 0644 <<EOF
# Generated by scripts/local-slurm.sh - edits are overwritten on the next start.
ClusterName=$CLUSTER
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$CTLD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$DIR/state/slurmctld
SlurmdSpoolDir=$DIR/spool/%n
SlurmctldPidFile=$RUN_DIR/slurmctld.pid
SlurmdPidFile=$RUN_DIR/slurmd-%n.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd-%n.log
# No mail on a dev box; avoids "MailProg is invalid" noise.
MailProg=/bin/true
# No cgroups available here: track processes by parentage, no task binding, no usage sampling.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# Default batch_sched_delay is 3 s; tests want jobs to start at once.
SchedulerParameters=batch_sched_delay=0
# A node that was DOWN comes back by itself once its slurmd registers again.
ReturnToService=2
# Finished jobs leave squeue after 30 s (default 300) so purge handling is testable.
MinJobAge=30
KillWait=2
GresTypes=gpu
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$DBD_PORT
# Connections to slurmdbd take their munge socket from here, not from AuthInfo.
AccountingStoragePass=$MUNGE_SOCKET
AccountingStorageTRES=gres/gpu
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/state/jobcomp.txt
# The nodes claim CPUs=16 RealMemory=64000 (so several jobs share a node) on a host with fewer
# CPUs and less memory. Without config_overrides slurmctld refuses the registration: "Setting node
# gpu-node1 state to INVAL with reason:Low socket*core*thread count, Low CPUs, Low RealMemory
# (reported:24105 < 100.00% of configured:64000)". With it, slurmd reports the configured values.
SlurmdParameters=config_overrides
NodeName=gpu-node[1-4] NodeHostname=$host NodeAddr=127.0.0.1 Port=$((NODE_PORT_BASE + 1))-$((NODE_PORT_BASE + 4)) CPUs=16 RealMemory=64000 Gres=gpu:h100:8 State=UNKNOWN
NodeName=gpu-node[5-8] NodeHostname=$host NodeAddr=127.0.0.1 Port=$((NODE_PORT_BASE + 5))-$((NODE_PORT_BASE + 8)) CPUs=16 RealMemory=64000 Gres=gpu:h200:8 State=UNKNOWN
PartitionName=h100 Nodes=gpu-node[1-4] Default=YES MaxTime=7-00:00:00 State=UP
PartitionName=h200 Nodes=gpu-node[5-8] MaxTime=7-00:00:00 State=UP
EOF

    write_if_changed "$DIR/etc/gres.conf" 0644 <<EOF
# Generated by scripts/local-slurm.sh. No NVML here: declare the fake devices explicitly.
AutoDetect=off
NodeName=gpu-node[1-4] Name=gpu Type=h100 File=$DIR/dev/nvidia[0-7]
NodeName=gpu-node[5-8] Name=gpu Type=h200 File=$DIR/dev/nvidia[0-7]
EOF

    # slurmdbd refuses a slurmdbd.conf that is readable by group/others (it holds StoragePass).
    write_if_changed "$DIR/etc/slurmdbd.conf" 0600 <<EOF
# Generated by scripts/local-slurm.sh.
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
DbdHost=$host
DbdAddr=127.0.0.1
DbdPort=$DBD_PORT
SlurmUser=root
LogFile=$LOG_DIR/slurmdbd.log
PidFile=$RUN_DIR/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=$DB_USER
StoragePass=$DB_PASS
StorageLoc=$DB_NAME
EOF
}

# ---------------------------------------------------------------------------------------------
# Daemons
# ---------------------------------------------------------------------------------------------
munge_pid() { pidfile_pid "$MUNGE_DIR/munged.pid" munged; }
munge_ok() { munge -S "$MUNGE_SOCKET" -n </dev/null 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1; }

start_munge() {
    if munge_pid >/dev/null && munge_ok; then return 0; fi
    # Our own key (not /etc/munge/munge.key): the directory is self-contained and a fresh machine
    # whose package did not generate a key still works.
    if [[ ! -s $MUNGE_DIR/munge.key ]]; then
        (umask 077 && head -c 1024 /dev/urandom >"$MUNGE_DIR/munge.key")
        chown munge:munge "$MUNGE_DIR/munge.key"
    fi
    if munge_pid >/dev/null; then stop_pids munged "$(munge_pid)"; fi # alive but not answering
    rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock"
    log "starting munged"
    # munged daemonizes and returns once its socket is ready.
    detached runuser -u munge -- /usr/sbin/munged --socket="$MUNGE_SOCKET" --key-file="$MUNGE_DIR/munge.key" \
        --pid-file="$MUNGE_DIR/munged.pid" --log-file="$MUNGE_DIR/munged.log" \
        --seed-file="$MUNGE_DIR/munged.seed" </dev/null >&2 ||
        die "munged failed to start; see $MUNGE_DIR/munged.log"
    wait_for "munge" "$MUNGE_DIR/munged.log" munge_ok
}

db_pid() { pidfile_pid "$DB_DIR/mysqld.pid" mariadbd; }
db_sql() { mariadb --no-defaults --socket="$DB_SOCKET" --user=root --batch --skip-column-names "$@"; }
db_ok() { db_sql -e 'SELECT 1'; }

start_mariadb() {
    if ! db_pid >/dev/null; then
        # An interrupted initialisation leaves a half-made datadir: redo it from scratch.
        if [[ ! -f $DB_DIR/.initialized ]]; then
            log "initialising MariaDB data directory"
            find "$DB_DIR/data" -mindepth 1 -delete
            mariadb-install-db --no-defaults --user=mysql --datadir="$DB_DIR/data" \
                --auth-root-authentication-method=socket --skip-test-db >"$LOG_DIR/mariadb-install-db.log" 2>&1 ||
                {
                    tail -n 25 "$LOG_DIR/mariadb-install-db.log" >&2
                    die "mariadb-install-db failed"
                }
            : >"$DB_DIR/.initialized"
        fi
        log "starting MariaDB on 127.0.0.1:$DB_PORT"
        # --no-defaults: ignore /etc/mysql (a system MariaDB may run beside us). mariadbd does not
        # daemonize: setsid -f detaches it so it survives us and keeps no fd of our caller's pipe.
        detached setsid -f /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$DB_DIR/data" \
            --socket="$DB_SOCKET" --pid-file="$DB_DIR/mysqld.pid" --log-error="$DB_DIR/mysqld.log" \
            --port="$DB_PORT" --bind-address=127.0.0.1 --skip-name-resolve \
            --innodb-buffer-pool-size=128M --innodb-lock-wait-timeout=900 \
            </dev/null >>"$DB_DIR/mariadbd.out" 2>&1
    fi
    wait_for "MariaDB" "$DB_DIR/mysqld.log" db_ok
    # Idempotent; with --skip-name-resolve a TCP client from 127.0.0.1 matches host '127.0.0.1'.
    db_sql <<EOF
CREATE DATABASE IF NOT EXISTS $DB_NAME;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'localhost';
GRANT ALL ON $DB_NAME.* TO '$DB_USER'@'127.0.0.1';
EOF
}

dbd_pid() { pidfile_pid "$RUN_DIR/slurmdbd.pid" slurmdbd; }
dbd_ok() { port_listening "$DBD_PORT" && sacctmgr -n -P list cluster format=cluster; }

start_slurmdbd() {
    if ! dbd_pid >/dev/null; then
        log "starting slurmdbd on 127.0.0.1:$DBD_PORT"
        # slurmdbd finds slurmdbd.conf next to $SLURM_CONF and daemonizes itself.
        detached slurmdbd </dev/null >>"$LOG_DIR/slurmdbd.out" 2>&1 || die "slurmdbd failed to start; see $LOG_DIR/slurmdbd.log"
    fi
    wait_for "slurmdbd" "$LOG_DIR/slurmdbd.log" dbd_ok
    # Without the cluster in the accounting DB, slurmctld's records are dropped and sacct is empty.
    if ! sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER"; then
        log "registering cluster '$CLUSTER' in the accounting database"
        sacctmgr -i add cluster "$CLUSTER" >&2
    fi
}

ctld_pid() { pidfile_pid "$RUN_DIR/slurmctld.pid" slurmctld; }

CTLD_STARTED=0
start_slurmctld() {
    if ! ctld_pid >/dev/null; then
        log "starting slurmctld on 127.0.0.1:$CTLD_PORT"
        CTLD_STARTED=1
        detached slurmctld </dev/null >>"$LOG_DIR/slurmctld.out" 2>&1 || die "slurmctld failed to start; see $LOG_DIR/slurmctld.log"
    fi
    # Poll the listening socket, not `scontrol ping`: a client retries a refused connection for ~9 s.
    wait_for "slurmctld" "$LOG_DIR/slurmctld.log" port_listening "$CTLD_PORT"
}

slurmd_pid() { pidfile_pid "$RUN_DIR/slurmd-$1.pid" slurmd; }

start_slurmds() {
    local n p
    for n in "${NODES[@]}"; do
        if p=$(slurmd_pid "$n"); then
            # A new slurmctld leaves running nodes UNKNOWN until it pings them (~4 s measured);
            # SIGHUP makes slurmd re-register at once (~0.05 s).
            if ((CTLD_STARTED)); then kill -HUP "$p"; fi
            continue
        fi
        log "starting slurmd -N $n"
        detached slurmd -N "$n" </dev/null >>"$LOG_DIR/slurmd-$n.out" 2>&1 || die "slurmd -N $n failed to start; see $LOG_DIR/slurmd-$n.log"
    done
}

# All nodes registered and usable. idle at a fresh start; mix/alloc/comp when jobs run (a
# second `start` while tests run must still succeed). A '*' suffix (not responding), drain, down,
# inval, unk... all mean not ready.
nodes_ready() {
    local out state n=0
    out=$(sinfo -h -N -o '%N %t' 2>/dev/null) || return 1
    while read -r _ state; do
        case $state in
            idle | mix | alloc | comp) n=$((n + 1)) ;;
            *) return 1 ;;
        esac
    done <<<"$out"
    ((n == ${#NODES[@]}))
}
# A node left DRAIN/DOWN/INVAL (by an earlier configuration, a test, a killed slurmd) but whose
# slurmd answers again is resumed: `start` promises a fully usable cluster.
RESUMED=" "
nodes_ready_or_resume() {
    nodes_ready && return 0
    local out name state
    out=$(sinfo -h -N -o '%N %t' 2>/dev/null) || return 1
    while read -r name state; do
        case $state in
            drain | drng | down | inval | fail | failg)
                [[ $RESUMED == *" $name "* ]] && continue
                log "node $name is $state: resuming it"
                scontrol update NodeName="$name" State=RESUME >&2 || true
                RESUMED+="$name "
                ;;
            *) ;; # fine, or not registered yet ('*' suffix, unk): registration settles it
        esac
    done <<<"$out"
    return 1
}
sacct_ok() { sacct -n -X -a -o JobID -S now >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------
# Job steps: slurmstepd detaches from slurmd (its parent becomes PID 1) and would outlive `stop`,
# keep running the job and write into a spool dir that `reset` deletes. Ours are recognised by an
# open file under $DIR (the node log), and are killed together with the job processes under them.
# ---------------------------------------------------------------------------------------------
our_stepd_pids() {
    local p fd
    for p in /proc/[0-9]*; do
        [[ $(cat "$p/comm" 2>/dev/null) == slurmstepd ]] || continue
        for fd in "$p"/fd/*; do
            if [[ $(readlink "$fd" 2>/dev/null) == "$DIR"/* ]]; then
                echo "${p#/proc/}"
                break
            fi
        done
    done
}

with_descendants() { # prints the given pids and all their descendants
    local -A children=()
    local p stat ppid
    for p in /proc/[0-9]*/stat; do
        stat=$(cat "$p" 2>/dev/null) || continue
        stat=${stat##*) }
        ppid=$(cut -d' ' -f2 <<<"$stat")
        p=${p#/proc/}
        children[$ppid]+=" ${p%/stat}"
    done
    local queue=("$@") out=()
    while ((${#queue[@]})); do
        p=${queue[0]}
        queue=("${queue[@]:1}")
        out+=("$p")
        # shellcheck disable=SC2206 # word splitting of the space-separated pid list is intended
        queue+=(${children[$p]:-})
    done
    printf '%s\n' "${out[@]}"
}

kill_job_steps() {
    local stepds pids=()
    mapfile -t stepds < <(our_stepd_pids)
    ((${#stepds[@]})) || return 0
    mapfile -t pids < <(with_descendants "${stepds[@]}")
    log "killing ${#stepds[@]} leftover job step(s): ${pids[*]}"
    kill -KILL "${pids[@]}" 2>/dev/null || true
    local deadline=$(($(now_us) + 10000000)) p alive stat
    while :; do
        alive=0
        for p in "${pids[@]}"; do
            # any command name: check zombie state only
            if stat=$(cat "/proc/$p/stat" 2>/dev/null) && stat=${stat##*) } && [[ ${stat%% *} != Z ]]; then alive=1; fi
        done
        ((alive)) || return 0
        (($(now_us) < deadline)) || {
            log "some job processes survived SIGKILL"
            return 0
        }
        sleep 0.1
    done
}

# ---------------------------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------------------------
print_env() { echo "export SLURM_CONF=$CONF"; }

cmd_start() {
    need_root
    local t0
    t0=$(now_us)
    ensure_packages
    umask 022
    make_dirs
    make_fake_gpus
    write_configs
    if ((CONFIG_CHANGED)) && { ctld_pid || dbd_pid || slurmd_pid "${NODES[0]}"; } >/dev/null 2>&1; then
        log "configuration changed: restarting the Slurm daemons"
        stop_slurm
    fi
    DEADLINE=$(($(now_us) + TIMEOUT * 1000000))
    start_munge
    start_mariadb
    start_slurmdbd
    start_slurmctld
    start_slurmds
    wait_for "all ${#NODES[@]} nodes to be idle" "$LOG_DIR/slurmctld.log" nodes_ready_or_resume
    wait_for "sacct to answer" "$LOG_DIR/slurmdbd.log" sacct_ok
    log "cluster up in $((($(now_us) - t0) / 1000)) ms"
    sinfo >&2
    print_env
}

# Cancel running jobs while slurmctld can still do it properly. Killing only their processes leaves
# ghosts: after a restart slurmctld kept such a job RUNNING for minutes (the host's boot time had
# not changed, so it never declared the job lost). Cancelled jobs end up CANCELLED in sacct.
no_running_jobs() { [[ -z $(squeue -h -t RUNNING,SUSPENDED,COMPLETING -o %i 2>/dev/null) ]]; }
cancel_running_jobs() {
    ctld_pid >/dev/null && port_listening "$CTLD_PORT" || return 0
    local ids
    ids=$(squeue -h -t RUNNING,SUSPENDED -o %i 2>/dev/null | tr '\n' ' ') || return 0
    [[ -n ${ids// /} ]] || return 0
    log "cancelling running job(s): $ids"
    # shellcheck disable=SC2086 # one job id per word
    scancel $ids >&2 || true
    poll_until $(($(now_us) + 20000000)) no_running_jobs || log "some jobs did not finish within 20 s"
}

stop_slurm() {
    local n pids=() p
    cancel_running_jobs
    for n in "${NODES[@]}"; do p=$(slurmd_pid "$n") && pids+=("$p"); done
    if ((${#pids[@]})); then log "stopping slurmd ${pids[*]}"; fi
    stop_pids slurmd "${pids[@]}"
    kill_job_steps
    if p=$(ctld_pid); then
        log "stopping slurmctld $p"
        stop_pids slurmctld "$p"
    fi
    if p=$(dbd_pid); then
        log "stopping slurmdbd $p"
        stop_pids slurmdbd "$p"
    fi
}

cmd_stop() {
    need_root
    local p
    stop_slurm
    if p=$(db_pid); then
        log "stopping MariaDB $p"
        stop_pids mariadbd "$p"
    fi
    if p=$(munge_pid); then
        log "stopping munged $p"
        stop_pids munged "$p"
    fi
    log "stopped"
}

cmd_status() {
    local ok=0 n
    report() { # report NAME PID-or-empty
        if [[ -n $2 ]]; then
            printf '%-20s running  pid %s\n' "$1" "$2"
        else
            printf '%-20s STOPPED\n' "$1"
            ok=1
        fi
    }
    report munged "$(munge_pid || true)"
    report mariadbd "$(db_pid || true)"
    report slurmdbd "$(dbd_pid || true)"
    report slurmctld "$(ctld_pid || true)"
    for n in "${NODES[@]}"; do report "slurmd -N $n" "$(slurmd_pid "$n" || true)"; done
    echo "SLURM_CONF=$CONF"
    if ((ok == 0)); then
        sinfo || ok=1
        nodes_ready || {
            echo "not all nodes are usable"
            ok=1
        }
        sacct_ok || {
            echo "sacct does not answer"
            ok=1
        }
        munge_ok || {
            echo "munge does not answer"
            ok=1
        }
    fi
    if ((ok == 0)); then echo "cluster: UP"; else echo "cluster: NOT fully up"; fi
    return "$ok"
}

cmd_reset() {
    need_root
    # Only wipe a directory this script created (or an empty one): never an arbitrary path.
    if [[ ! -e $MARKER && -n $(find "$DIR" -mindepth 1 -maxdepth 1 ! -name .lock -print -quit) ]]; then
        die "$DIR was not created by this script (no $MARKER); refusing to wipe it"
    fi
    cmd_stop
    log "wiping $DIR"
    # Keep .lock: we hold it, and a caller waiting on it must keep waiting on the same file.
    find "$DIR" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
    cmd_start
}

# Tests may call `start` from several processes at once: serialise start/stop/reset. Daemons are
# launched through `detached`, or they would inherit the lock (fd 9) and hold it forever.
take_lock() {
    need_root
    install -d -m 0755 "$DIR"
    exec 9>>"$DIR/.lock"
    flock 9
}

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
    exit 2
}

case ${1:-} in
    start)
        take_lock
        cmd_start
        ;;
    stop)
        take_lock
        cmd_stop
        ;;
    status) cmd_status ;;
    reset)
        take_lock
        cmd_reset
        ;;
    env) print_env ;;
    *) usage ;;
esac
