#!/usr/bin/env python3
"""The benchmark suite's measurements. scripts/bench.sh builds sweepd, starts the local Slurm and installs the
engine stand-in, then runs this: every figure is measured against its anchor in the same run, printed as a table
and written to BENCHMARKS.md. Nothing here is asserted: the figures are for people (and README) to read.

Sections (each a function below): plan, read-only commands, daemon start, one daemon on the local Slurm for
detection latency (a real run of short jobs), submission of 200 jobs against a bash loop of sbatch over the same
scripts, polling and memory while 1,000+ jobs are tracked, cancelling them, and `sweepd report` of 10,000 points.
Jobs of the submission and tracking sections are held (`#SBATCH --hold`, from a bench profile), so they stay queued
and cost nothing; the bench cancels them at the end.
"""
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWEEPD = [str(ROOT / "sweepd")]
JAR = ROOT / "target" / "sweepd.jar"
RUNS = int(os.environ.get("SWEEPD_BENCH_RUNS", "5"))
SNAPSHOT = ROOT / "fixtures" / "inferencemax" / "snapshots" / "2026-05-01"
SEED_LOG = ROOT / "fixtures" / "seed-pr" / "failure-logs"
CLK_TCK = os.sysconf("SC_CLK_TCK")

rows = []  # (measure, figure, against the anchor, goal)


def log(message):
    print("== " + message, file=sys.stderr, flush=True)


def row(measure, figure, anchor="", goal=""):
    rows.append((measure, figure, anchor, goal))
    print("   %-70s %-18s %-34s %s" % (measure, figure, anchor, goal), file=sys.stderr, flush=True)


def timed(cmd, env=None, cwd=None, ok=(0,)):
    """Wall seconds, CPU seconds (user + system, children included) and max RSS in MB of one command, which must end
    with an exit code in ok."""
    out = Path(tempfile.mktemp())
    done = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(out)] + cmd, env=env, cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in ok:
        raise SystemExit("bench: %s failed (exit %d):\n%s" % (" ".join(cmd), done.returncode, done.stderr[-2000:]))
    wall, user, system, rss = out.read_text().split()[-4:]
    out.unlink()
    return float(wall), float(user) + float(system), int(rss) / 1024


def median_of(cmd, runs=RUNS, env=None, ok=(0,)):
    """Medians of wall, CPU and max RSS over several runs, after one that is not counted (cold file caches)."""
    timed(cmd, env, ok=ok)
    samples = [timed(cmd, env, ok=ok) for _ in range(runs)]
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def seconds(value):
    return "%.2f s" % value


def ratio(value, anchor):
    return "%.2fx" % (value / anchor) if anchor else "n/a"


def wait_for(what, condition, timeout, every=0.2, failure=lambda text: SystemExit("bench: " + text)):
    """Polls a condition until it holds (returns its value) or the generous timeout passes (then raises failure)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise failure("timed out after %d s waiting for %s" % (timeout, what))


def sh(*cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


# ---------------------------------------------------------------------------------------------------- the ledger

def ledger_rows(home, sql):
    """Rows of a query on a home's embedded ledger, read through H2's shell (the daemon shares the file)."""
    url = "jdbc:h2:file:%s/state/ledger;AUTO_SERVER=TRUE" % home
    out = sh("java", "-XX:TieredStopAtLevel=1", "-cp", str(JAR), "org.h2.tools.Shell", "-url", url, "-user", "sa",
             "-password", "", "-sql", sql)
    if out.startswith("Error:"):
        raise SystemExit("bench: ledger query failed: %s\n%s" % (sql, out))
    lines = [l for l in out.splitlines() if l.strip() and not re.match(r"^\(\d+ rows?, \d+ ms\)$", l)]
    return [[c.strip() for c in l.split(" | ")] for l in lines[1:]]


def instant(text):
    """A ledger timestamp (H2 prints '2026-12-02 23:29:40.23+00') as epoch seconds."""
    text = text.strip()
    if re.search(r"[+-]\d\d$", text):
        text += ":00"
    return datetime.datetime.fromisoformat(text).timestamp()


def run_id(home, sweep):
    found = ledger_rows(home, "select run_id from sweep_runs where sweep_name = '%s' "
                              "order by created_at desc limit 1" % sweep)
    return found[0][0] if found else None


def jobs_by_state(home, run):
    return dict((state, int(n)) for state, n in ledger_rows(
        home, "select state, count(*) from jobs where run_id = '%s' group by state" % run))


# ---------------------------------------------------------------------------------------------------- the daemon

class Daemon:
    """One `sweepd daemon` started by the launcher (which execs java: the pid is the JVM's)."""

    def __init__(self, home, env):
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.log = self.home / "daemon.log"
        self.started = time.time()
        self.process = subprocess.Popen(SWEEPD + ["daemon", "--home", str(self.home)], env=env,
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT)

    def wait_running(self, timeout=120):
        def running():
            if self.process.poll() is not None:
                raise SystemExit("bench: the daemon exited:\n" + self.log.read_text()[-3000:])
            return "sweepd daemon running" in self.log.read_text(errors="replace")
        wait_for("the daemon to run", running, timeout, every=0.02)
        return time.time() - self.started

    def cpu_seconds(self):
        fields = Path("/proc/%d/stat" % self.process.pid).read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def rss_mb(self):
        status = Path("/proc/%d/status" % self.process.pid).read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def metric(self, port, name, labels=""):
        """The sum of a Prometheus metric's samples (whose labels contain the given text) from /observe/metrics."""
        text = urllib.request.urlopen("http://127.0.0.1:%d/observe/metrics" % port, timeout=30).read().decode()
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name) and labels in line and not line.startswith("#"):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------- sweeps

def held_jobs_sweep(path, name, jobs, profile="bench-held"):
    """A sweep of `jobs` single-node jobs: one configuration per (tp, sequence-length pair), one concurrency each."""
    lines = ["sweep:", "  name: %s" % name, "  profile: %s" % profile, "",
             "bench-gptoss-fp4-h100-vllm:", "  image: vllm/vllm-openai:v0.18.0", "  model: openai/gpt-oss-120b",
             "  model-prefix: gptoss", "  runner: h100", "  precision: fp4", "  framework: vllm",
             "  multinode: false", "  seq-len-configs:"]
    tps = [1, 2, 4, 8]
    for i in range((jobs + len(tps) - 1) // len(tps)):
        lines += ["  - isl: %d" % (1000 + i), "    osl: %d" % (100 + i), "    search-space:"]
        lines += ["    - {tp: %d, conc-list: [4]}" % tp for tp in tps[:min(len(tps), jobs - i * len(tps))]]
    Path(path).write_text("\n".join(lines) + "\n")


def bench_profiles(home):
    """The local profile, and a copy whose jobs Slurm holds (they stay queued: submission and tracking cost only)."""
    profiles = Path(home) / "cluster-profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    local = (ROOT / "cluster-profiles" / "local.yaml").read_text()
    held = local.replace("slurm:\n", "slurm:\n  extra-directives: [--hold]\n", 1)
    held = held.replace("description: ", "description: (jobs held) ", 1)
    (profiles / "bench-held.yaml").write_text(held)


def submit(home, sweep_file, env, *options):
    sh(*SWEEPD, "submit", str(sweep_file), "--home", str(home), *options, env=env)
    return time.time()


def wait_submitted(home, sweep, jobs, timeout):
    """Waits until every job of the sweep's run has a Slurm job id; returns the run id."""
    def done():
        run = run_id(home, sweep)
        if not run:
            return None
        submitted = ledger_rows(home, "select count(*) from jobs where run_id = '%s' "
                                      "and slurm_job_id is not null" % run)
        return run if int(submitted[0][0]) >= jobs else None
    return wait_for("%d jobs of %s submitted" % (jobs, sweep), done, timeout, every=1)


# ---------------------------------------------------------------------------------------------------- sections

def plan_section(work, generator_dir):
    log("plan")
    may = work / "may.yaml"
    may.write_text((SNAPSHOT / "nvidia-master.yaml").read_text() + "\n" + (SNAPSHOT / "amd-master.yaml").read_text())
    shutil.copy(SNAPSHOT / "runners.yaml", work / "runners.yaml")
    points = len(json.loads(sh(*SWEEPD, "plan", str(may), "--format", "matrix")))
    matrix = median_of(SWEEPD + ["plan", str(may), "--format", "matrix"])
    # The May configs name hardware no local profile has: a plan that refuses points exits 3 (README, exit codes).
    full = median_of(SWEEPD + ["plan", str(may), "--format", "json"], ok=(0, 3))
    generator = None
    if generator_dir:
        script = Path(generator_dir) / "utils" / "matrix_logic" / "generate_sweep_configs.py"
        generator = median_of(["python3", str(script), "full-sweep", "--config-files",
                               str(SNAPSHOT / "nvidia-master.yaml"), str(SNAPSHOT / "amd-master.yaml"),
                               "--runner-config", str(SNAPSHOT / "runners.yaml")])
    anchor_wall = generator[0] if generator else None
    anchor_cpu = generator[1] if generator else None
    row("plan --format matrix, May master configs (%d points): wall" % points, seconds(matrix[0]),
        ratio(matrix[0], anchor_wall) if generator else "n/a (set INFERENCEMAX_DIR)", "<= 0.8x the generator")
    row("  same, CPU", seconds(matrix[1]), ratio(matrix[1], anchor_cpu) if generator else "", "informative")
    row("plan --format json (placement, recipes, preflight, jobs): wall", seconds(full[0]),
        ratio(full[0], anchor_wall) if generator else "", "informative")
    row("InferenceMAX generator full-sweep, same files: wall / CPU",
        "%s / %s" % (seconds(generator[0]), seconds(generator[1])) if generator else "not measured", "anchor", "")

    # Linearity: N copies of the May configs (keys renamed so they stay distinct), and a single-configuration
    # sweep of ~1,000 points for the small end.
    log("plan linearity")
    text = may.read_text()
    sizes = []
    small = work / "plan-1000.yaml"
    held_jobs_sweep(small, "plan-1000", 1000, profile="local")
    sizes.append((1000, small))
    for copies in (1, 4, 9):
        path = work / ("may-x%d.yaml" % copies)
        path.write_text("\n".join(re.sub(r"^([A-Za-z0-9][^\s:#]*):", lambda m: "%s-c%d:" % (m.group(1), i), text,
                                         flags=re.M) for i in range(copies)))
        sizes.append((points * copies, path))
    # The large copies are over the intake's default limits (1 MiB a file, 20,000 points): raised for this measure.
    limits = dict(os.environ, SWEEPD_INTAKE_MAX_FILE_BYTES=str(16 << 20), SWEEPD_INTAKE_MAX_POINTS="100000")
    timings = [(n, median_of(SWEEPD + ["plan", str(path), "--format", "matrix"], runs=3, env=limits)[0])
               for n, path in sizes]
    (n0, t0), (n1, t1) = timings[0], timings[-1]
    per_thousand = (t1 - t0) / (n1 - n0) * 1000
    for n, t in timings:
        predicted = t0 + (n - n0) * per_thousand / 1000
        row("plan --format matrix, %d points: wall" % n, seconds(t),
            "%.2fx the straight line through %dk and %dk" % (t / predicted, n0 // 1000, n1 // 1000), "linear (~1.0x)")
    row("  marginal planning cost", "%.3f s / 1,000 points" % per_thousand, "", "informative")
    return may


def read_only_section(home):
    log("read-only commands")
    quickstart = ROOT / "examples" / "quickstart.yaml"
    logs = sorted(p for p in SEED_LOG.rglob("*") if p.is_file())
    commands = [
        ("status (ledger with the bench's runs)", SWEEPD + ["status", "--home", str(home)]),
        ("plan examples/quickstart.yaml --profile local", SWEEPD + ["plan", str(quickstart), "--profile", "local"]),
        ("triage of a seed failure log", SWEEPD + ["triage", str(logs[0])]),
    ]
    for name, cmd in commands:
        wall, cpu, rss = median_of(cmd)
        row("%s: wall (CPU, max RSS)" % name, seconds(wall), "%.2f s CPU, %d MB" % (cpu, rss), "< 1 s")


def start_section(work, env):
    log("daemon start")
    samples = []
    for i in range(RUNS + 1):
        home = work / ("start-%d" % i)
        shutil.rmtree(home, ignore_errors=True)
        daemon = Daemon(home, env)
        try:
            wall = daemon.wait_running()
            samples.append((wall, daemon.cpu_seconds(), daemon.rss_mb()))
        finally:
            daemon.stop()
    samples = samples[1:]  # the first start may make the class-data archive
    wall, cpu, rss = (statistics.median(s[i] for s in samples) for i in range(3))
    row("daemon start to 'running' (fresh home): wall", seconds(wall), "CPU %.2f s, RSS %d MB" % (cpu, rss), "< 2 s")
    restart = []
    home = work / "start-restart"
    for _ in range(RUNS):
        daemon = Daemon(home, env)
        try:
            restart.append(daemon.wait_running())
        finally:
            daemon.stop()
    row("daemon restart on an existing ledger: wall", seconds(statistics.median(restart)), "", "< 2 s")


def latency_section(home, env):
    """A real run of short jobs (the quickstart sweep on the engine stand-in): file drop to first sbatch, job end
    (Slurm's own end time) to its state in the ledger, last job end to the final report."""
    log("detection latency (quickstart sweep on the local Slurm)")
    dropped = submit(home, ROOT / "examples" / "quickstart.yaml", env, "--profile", "local")
    run = wait_for("the quickstart run", lambda: run_id(home, "quickstart"), 120, every=0.5)
    wait_for("the quickstart run to finish", lambda: ledger_rows(
        home, "select finished_at from sweep_runs where run_id = '%s' and finished_at is not null"
        % run), 900, every=2)
    first = ledger_rows(home, "select min(submit_started_at) from jobs where run_id = '%s'" % run)
    row("file drop to first sbatch (quickstart sweep)", seconds(instant(first[0][0]) - dropped), "", "< 2 s")
    latencies, ends = [], []
    for job_id, recorded in ledger_rows(home, (
            "select j.slurm_job_id, min(e.occurred_at) from jobs j join events e on e.run_id = "
            "j.run_id and e.job_key = j.job_key where j.run_id = '%s' and j.slurm_job_id is not null and "
            "e.kind = 'STATE' and e.to_state in ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'DEADLINE', "
            "'LOST', 'NODE_FAIL', 'PREEMPTED', 'OUT_OF_MEMORY', 'INVALID') group by j.slurm_job_id") % run):
        end = local_instant(sh("sacct", "-X", "-n", "-P", "-o", "End", "-j", job_id, env=env).split()[0])
        ends.append(end)
        # sacct's End is truncated to the second: half a second is added so the median is not biased low.
        latencies.append(instant(recorded) - (end + 0.5))
    finished = ledger_rows(home, "select finished_at from sweep_runs where run_id = '%s'" % run)[0][0]
    interval = int(env.get("SWEEPD_POLL_INTERVAL_MS", "30000")) / 1000
    row("job end (sacct End) to its state in the ledger: median of %d jobs" % len(latencies),
        seconds(statistics.median(latencies)), "max %s" % seconds(max(latencies)),
        "< one poll interval (%g s)" % interval)
    row("last job end to the run finished (final report written)",
        seconds(instant(finished) - max(ends)), "", "informative")


def local_instant(slurm_time):
    """sacct prints local time without a zone, to the second."""
    return datetime.datetime.fromisoformat(slurm_time).timestamp()


def submit_section(work, home, env):
    log("submit 200 jobs")
    sweep = work / "bench-submit.yaml"
    held_jobs_sweep(sweep, "bench-submit", 200)
    submit(home, sweep, env)
    run = wait_submitted(home, "bench-submit", 200, 600)
    first, last = ledger_rows(home, "select min(submit_started_at), max(submitted_at) from jobs "
                                    "where run_id = '%s'" % run)[0]
    sweepd_seconds = instant(last) - instant(first)
    scripts = [row_[0] for row_ in ledger_rows(home, "select job_dir from jobs where run_id = '%s' "
                                                     "order by plan_index" % run)]
    loop = work / "sbatch-loop.sh"
    loop.write_text("set -e\nn=0\nwhile read -r dir; do n=$((n+1)); sbatch --parsable --job-name=bench-loop-$n "
                    "$dir/job.sbatch; done < $1 > $2\n")
    listing = work / "job-dirs.txt"
    listing.write_text("\n".join(scripts) + "\n")
    ids = work / "loop-ids.txt"
    wall, _, _ = timed(["bash", str(loop), str(listing), str(ids)], env=env)
    subprocess.run(["scancel"] + ids.read_text().split(), env=env, check=True)
    row("submit 200 single-node jobs: first sbatch to last recorded", seconds(sweepd_seconds),
        "%s of a bash sbatch loop (%s)" % (ratio(sweepd_seconds, wall), seconds(wall)), "<= 1.2x the loop")


def tracking_section(work, home, daemon, port, env):
    log("tracking held jobs: 1 more, then 1,000 more")
    figures = []
    for name, jobs in (("bench-track-1", 1), ("bench-track-1000", 1000)):
        sweep = work / (name + ".yaml")
        held_jobs_sweep(sweep, name, jobs)
        submit(home, sweep, env)
        wait_submitted(home, name, jobs, 900)
        figures.append((live_jobs(home), squeue_per_cycle(daemon, port)))
    rss = [daemon.rss_mb()]
    for _ in range(10):
        time.sleep(1)  # sampling the daemon's RSS over a few poll cycles, not waiting for a condition
        rss.append(daemon.rss_mb())
    for count, (squeue, cycles) in figures:
        row("squeue calls per poll cycle, %d jobs tracked" % count, "%.2f" % (squeue / cycles),
            "%d calls in %d cycles" % (squeue, cycles), "1")
    tracked = live_jobs(home)
    row("daemon RSS while tracking %d jobs (max of 10 samples)" % tracked, "%d MB" % max(rss),
        "heap limit: see README", "< 256 MB")
    log("cancel")
    wall = 0.0
    sweeps = [name for name in ("bench-submit", "bench-track-1", "bench-track-1000") if run_id(home, name)]
    for sweep in sweeps:
        wall += timed(SWEEPD + ["cancel", sweep, "--home", str(home)], env=env)[0]
    row("sweepd cancel of %d queued jobs (%d runs): wall" % (tracked, len(sweeps)), seconds(wall), "",
        "informative")


def live_jobs(home):
    return int(ledger_rows(home, "select count(*) from jobs where state in ('PENDING', 'RUNNING', 'SUBMITTING')")
               [0][0])


def cancel_leftovers(home, env):
    """Cancels the held jobs a failed section left queued: the bench's runs' Slurm jobs and its sbatch loop's."""
    ids = [found[0] for found in ledger_rows(home, "select slurm_job_id from jobs where slurm_job_id is not null "
                                                   "and run_id in (select run_id from sweep_runs where sweep_name "
                                                   "like 'bench-%')")]
    ids += [line.split()[0] for line in sh("squeue", "-h", "-o", "%i %j", env=env).splitlines()
            if line.split()[1].startswith("bench-loop-")]
    if ids:
        subprocess.run(["scancel"] + ids, env=env, check=False, stderr=subprocess.DEVNULL)
        # The sections after this time one-shot commands: they start once Slurm has let go of the cancelled jobs
        # (ending 1,200 jobs keeps slurmctld and the accounting database busy on this machine's two cores).
        cancelled = set(ids)
        wait_for("the cancelled jobs to leave the queue", lambda: not cancelled & set(
            sh("squeue", "-h", "-t", "all", "-o", "%i", env=env).split()), 300, every=1)


def squeue_per_cycle(daemon, port, window=20):
    """squeue calls and poll cycles during a window of the daemon's own cycles (from its metrics)."""
    squeue0 = daemon.metric(port, "sweepd_slurm_command_seconds_count", 'command="squeue"')
    cycles0 = daemon.metric(port, "camel_route_policy_seconds_count", 'routeId="job-poll"')
    time.sleep(window)  # a window of the daemon's own poll cycles, counted, not a wait for a condition
    squeue = daemon.metric(port, "sweepd_slurm_command_seconds_count", 'command="squeue"') - squeue0
    cycles = daemon.metric(port, "camel_route_policy_seconds_count", 'routeId="job-poll"') - cycles0
    return squeue, max(cycles, 1)


def report_section(work, env):
    log("report of 10,000 points")
    home = work / "report-home"
    classpath = "%s:%s" % (JAR, ROOT / "target" / "test-classes")
    run = sh("java", "-cp", classpath, "io.sweepd.bench.SyntheticRun", str(home), "10000").split()[-1]
    wall, cpu, rss = median_of(SWEEPD + ["report", run, "--home", str(home)], runs=3, env=env)
    row("sweepd report, 10,000 points: wall (CPU)", seconds(wall), "%.2f s CPU" % cpu, "< 5 s")
    row("  same, max RSS", "%d MB" % rss, "", "< 256 MB")
    wall, cpu, rss = median_of(SWEEPD + ["status", run, "--home", str(home)], runs=3, env=env)
    row("status of that 10,000-point run: wall (CPU, max RSS)", seconds(wall), "%.2f s CPU, %d MB" % (cpu, rss),
        "informative")


def write(machine_note):
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split('"')[1]
    cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True,
                         text=True).stdout.strip()
    out = ["# Benchmarks", "",
           "Measured by `scripts/bench.sh` on %s: %s, %d cores, Java %s, %s. Medians of %d runs unless the measure "
           "says otherwise; CPU = user + system." % (datetime.date.today().isoformat(), cpu or platform.machine(),
                                                    os.cpu_count(), java, machine_note, RUNS),
           "", "| measure | figure | against the anchor | goal |", "|---|---|---|---|"]
    out += ["| %s | %s | %s | %s |" % r for r in rows]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(out) + "\n")


def main():
    every = "plan,start,latency,submit,tracking,read-only,report"
    sections = set(os.environ.get("SWEEPD_BENCH_SECTIONS", every).split(","))
    work = Path(tempfile.mkdtemp(prefix="sweepd-bench-"))
    env = dict(os.environ)
    env.setdefault("SWEEPD_POLL_INTERVAL_MS", "2000")  # the local cluster's interval, as in the quickstart
    load = os.getloadavg()[0]
    try:
        if "plan" in sections:
            plan_section(work, os.environ.get("INFERENCEMAX_DIR"))
        if "start" in sections:
            start_section(work, env)
        home = work / "home"
        bench_profiles(home)
        if sections & {"latency", "submit", "tracking"}:
            port = free_port()
            env["SWEEPD_HTTP_PORT"] = str(port)
            daemon = Daemon(home, env)
            try:
                daemon.wait_running()
                if "latency" in sections:
                    latency_section(home, env)
                if "submit" in sections:
                    submit_section(work, home, env)
                if "tracking" in sections:
                    tracking_section(work, home, daemon, port, env)
            finally:
                daemon.stop()
                cancel_leftovers(home, env)
        if "read-only" in sections:
            read_only_section(home)
        if "report" in sections:
            report_section(work, env)
    finally:
        if os.environ.get("SWEEPD_BENCH_KEEP"):
            log("kept " + str(work))
        else:
            shutil.rmtree(work, ignore_errors=True)
    if sections == set(every.split(",")):
        write("load average %.1f at the start" % load)
        log("wrote BENCHMARKS.md")
    else:
        log("only some sections ran (SWEEPD_BENCH_SECTIONS): BENCHMARKS.md left as it was")


if __name__ == "__main__":
    main()
