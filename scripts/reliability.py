#!/usr/bin/env python3
"""The reliability suite's scenarios. scripts/reliability.sh starts the local Slurm, builds sweepd, installs the engine
stand-in and makes the launcher's class-data archive, then runs this; its trap puts the cluster back whatever
happens. Each scenario drives the packaged daemon (`./sweepd daemon`) in a home of its own, as scripts/bench.py does,
does something hostile to it or to Slurm, waits for the outcome and counts it against Slurm's own accounting; it
prints PASS or FAIL with its figures. Exit status 1 when any scenario failed. RELIABILITY.md is written after a run
of every scenario (RELIABILITY_SCENARIOS picks some, e.g. 1,4; RELIABILITY.md is then left as it was).

  1  kill -9 of the daemon at 10 random moments during a 40-job sweep
  2  slurmctld stopped for 60 s while a sweep runs (and a second sweep dropped during the outage)
  3  slurmdbd down while jobs end, the jobs purged from slurmctld (MinJobAge) before it is back
  4  a node set DOWN under a running job
  5  50 sweeps dropped at once: 5,000 held jobs tracked, the daemon's memory sampled

Nothing here is a unit test: the figures are for people (RELIABILITY.md) and each verdict says what it rests on.
"""
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the bench's helpers: ledger queries, held-job sweeps and profiles, free ports)

ROOT = bench.ROOT
SWEEPD = bench.SWEEPD
SLURM_DIR = Path(os.environ.get("SWEEPD_SLURM_DIR", "/var/tmp/sweepd-slurm"))
POLL_MS = "2000"  # the local cluster's poll interval, as in the quickstart and the bench
RSS_BOUND_MB = 256  # issue 12's goal for the daemon's resident memory (its heap is 128 MB: README Performance)


def log(message):
    print("== " + message, file=sys.stderr, flush=True)


class ScenarioFailed(Exception):
    """A scenario could not reach the state it counts (a timeout, a command that failed): its verdict is FAIL."""


def wait_for(what, condition, timeout, every=1.0):
    """The bench's wait: polls until the condition holds; a timeout fails the scenario."""
    return bench.wait_for(what, condition, timeout, every, failure=ScenarioFailed)


def run(*cmd, env=None, check=True, timeout=600):
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=timeout)
    if check and done.returncode != 0:
        raise ScenarioFailed("%s exited %d: %s" % (" ".join(map(str, cmd[:3])), done.returncode,
                                                    (done.stderr or done.stdout)[-1500:]))
    return done


def slurm_time(epoch):
    """A time as Slurm's commands take it (local time, to the second)."""
    return datetime.datetime.fromtimestamp(epoch).strftime("%Y-%m-%dT%H:%M:%S")


# ---------------------------------------------------------------------------------------------------- Slurm

def gone(pid):
    """The process has exited (a zombie waiting for its parent counts: it runs nothing any more)."""
    try:
        return Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


class Slurm:
    """The local cluster's daemons, stopped and started by the pids local-slurm.sh recorded."""

    def __init__(self, env):
        self.env = env

    def pid(self, daemon):
        path = SLURM_DIR / "run" / ("%s.pid" % daemon)
        try:
            pid = int(path.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        comm = Path("/proc/%d/comm" % pid)
        try:
            return pid if comm.read_text().strip() == daemon else None
        except OSError:
            return None

    def stop(self, daemon):
        """SIGTERM to slurmctld or slurmdbd (they save their state), then waits until it is gone."""
        pid = self.pid(daemon)
        if pid is None:
            raise ScenarioFailed("%s is not running (no live pid in %s/run)" % (daemon, SLURM_DIR))
        os.kill(pid, signal.SIGTERM)
        wait_for("%s %d to exit" % (daemon, pid), lambda: gone(pid), 60, every=0.2)
        return time.time()

    def start(self):
        """local-slurm.sh start: starts whatever is missing, resumes nodes left down, waits for sacct."""
        run("bash", ROOT / "scripts" / "local-slurm.sh", "start", env=self.env, timeout=300)
        return time.time()

    def jobs(self, since, names=None):
        """sacct's allocations since a time: {job id: (name, state)}; with names, only jobs of those names."""
        argv = ["sacct", "-a", "-X", "-n", "-P", "-S", slurm_time(since - 120), "-o", "JobID,JobName,State"]
        found = {}
        chunks = [None] if names is None else [sorted(names)[i:i + 200] for i in range(0, len(names), 200)]
        for chunk in chunks:
            done = run(*(argv + (["--name=" + ",".join(chunk)] if chunk else [])), env=self.env)
            for line in done.stdout.splitlines():
                job_id, name, state = line.split("|", 2)
                found[job_id] = (name, state.split()[0] if state else "")
        return found

    def runs_of(self, job_id, since):
        """Every run of one job id (sacct -D: a requeued job has one row per time it ran)."""
        done = run("sacct", "-D", "-X", "-n", "-P", "-S", slurm_time(since - 120), "-j", job_id,
                   "-o", "JobID,State,NodeList", env=self.env)
        return [line.split("|") for line in done.stdout.splitlines() if line.strip()]

    def queue(self):
        """squeue's jobs of every state it still holds: {job id: (name, state, nodes, command)}."""
        done = run("squeue", "-h", "-t", "all", "-o", "%i|%j|%T|%N|%o", env=self.env)
        rows = {}
        for line in done.stdout.splitlines():
            job_id, name, state, nodes, command = line.split("|", 4)
            rows[job_id] = (name, state, nodes, command)
        return rows

    def cancel_under(self, directory):
        """Cancels the live jobs whose script lies under a directory (a scenario's home): its leftovers only."""
        ids = [job_id for job_id, (_, state, _, command) in self.queue().items()
               if command.startswith(str(directory) + "/") and state in ("PENDING", "RUNNING", "CONFIGURING",
                                                                          "REQUEUED", "SUSPENDED")]
        for i in range(0, len(ids), 500):
            run("scancel", *ids[i:i + 500], env=self.env, check=False)
        return len(ids)

    def requeue_setting(self):
        done = run("scontrol", "show", "config", env=self.env)
        found = re.search(r"^JobRequeue\s*=\s*(\S+)", done.stdout, re.M)
        return found.group(1) if found else "1 (Slurm's default)"

    def version(self):
        return run("sinfo", "--version", env=self.env).stdout.strip()


# ---------------------------------------------------------------------------------------------------- sweepd

class Daemon:
    """`sweepd daemon` on one home, started by the launcher (which execs java: the pid is the JVM's); restartable."""

    def __init__(self, home, env):
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.env = dict(env)
        self.env.setdefault("SWEEPD_HTTP_PORT", str(bench.free_port()))
        self.log = self.home / "daemon.log"
        self.process = None
        self.starts = 0

    def start(self, timeout=180):
        self.starts += 1
        with self.log.open("a") as out:
            self.process = subprocess.Popen(SWEEPD + ["daemon", "--home", str(self.home)], env=self.env,
                                            stdout=out, stderr=subprocess.STDOUT)
        started = time.time()
        wanted = self.starts

        def running():
            if self.process.poll() is not None:
                raise ScenarioFailed("the daemon exited %s:\n%s" % (self.process.returncode, self.tail()))
            return self.log.read_text(errors="replace").count("sweepd daemon running") >= wanted
        wait_for("the daemon to run", running, timeout, every=0.05)
        return time.time() - started

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill9(self):
        """kill -9; returns whether an sbatch of the daemon's was running at that instant."""
        in_sbatch = any(comm == "sbatch" for comm in self.children())
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        return in_sbatch

    def wait_for_child(self, comm, timeout):
        """Waits (polling every 10 ms) until the daemon runs a child of that name; False when none came."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if comm in self.children():
                return True
            time.sleep(0.01)
        return False

    def children(self):
        names = []
        for task in Path("/proc").glob("[0-9]*"):
            try:
                stat = (task / "stat").read_text()
            except OSError:
                continue
            comm, rest = stat.split("(", 1)[1].rsplit(")", 1)
            if int(rest.split()[1]) == self.process.pid:
                names.append(comm)
        return names

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rss_mb(self):
        status = Path("/proc/%d/status" % self.process.pid).read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def log_count(self, text):
        return self.log.read_text(errors="replace").count(text)

    # -------------------------------------------------------------------- the CLI, as a user asks

    def cli_json(self, *args):
        """A read-only command's JSON (status, show), or None when it exits non-zero (e.g. no such sweep yet)."""
        done = run(*(SWEEPD + list(args) + ["--home", str(self.home), "--format", "json"]), env=self.env,
                   check=False)
        if done.returncode != 0:
            return None
        return json.loads(done.stdout)

    def submit(self, sweep_file, *options):
        run(*(SWEEPD + ["submit", str(sweep_file), "--home", str(self.home)] + list(options)), env=self.env)
        return time.time()

    def summary(self, sweep):
        found = self.cli_json("status", sweep)
        return found[0] if found else None

    def finished(self, sweep):
        summary = self.summary(sweep)
        return summary if summary and summary["state"] == "finished" else None

    def points(self, sweep):
        return self.cli_json("status", sweep, "--points") or []


def jobs_of(points):
    """A run's jobs from `status --points --format json`: {job key: (state, attempts)} (points of a job share it)."""
    jobs = {}
    for point in points:
        if point["state"] != "REFUSED":
            jobs.setdefault(point["job-key"], (point["state"], point["attempts"]))
    return jobs


def audit(slurm, points, since):
    """Counts one finished run against Slurm's accounting.

    lost: a planned job that is not COMPLETED in the ledger, or whose last attempt has no COMPLETED Slurm job of its
    name. duplicated: a Slurm job of the run that the ledger does not record: a second Slurm job of one attempt's
    name, or a job of the run's names that no recorded attempt has (sbatch'd behind the ledger's back)."""
    jobs = jobs_of(points)
    names = {}
    for key, (_, attempts) in jobs.items():
        for attempt in attempts:
            if attempt.get("job-name"):
                names[attempt["job-name"]] = key
    suffixes = {re.sub(r"-a\d+$", "", name)[len("sweepd-"):] for name in names}
    run_hashes = {suffix.rsplit("-", 1)[1] for suffix in suffixes}
    # Every Slurm job of the run's names, recorded or not: the run's names end in -<hash of the run id>-a<attempt>.
    accounted = {job_id: row for job_id, row in slurm.jobs(since).items()
                 if re.search(r"-([0-9a-f]{6})-a\d+$", row[0]) and row[0].rsplit("-", 2)[1] in run_hashes}
    by_name = {}
    for job_id, (name, state) in accounted.items():
        by_name.setdefault(name, []).append((job_id, state))
    lost, duplicated, notes = [], [], []
    for key, (state, attempts) in jobs.items():
        last = attempts[-1] if attempts else None
        slurm_rows = by_name.get(last["job-name"], []) if last else []
        if state != "COMPLETED" or not any(s == "COMPLETED" for _, s in slurm_rows):
            lost.append("%s: ledger %s, Slurm %s" % (key, state, slurm_rows or "no job of its name"))
    for name, rows in by_name.items():
        if name not in names:
            duplicated.append("%s: Slurm job(s) %s that no recorded attempt names" % (name, rows))
        elif len(rows) > 1:
            duplicated.append("%s: %d Slurm jobs of one attempt's name: %s" % (name, len(rows), rows))
    retried = sum(1 for _, attempts in jobs.values() if len(attempts) > 1)
    if retried:
        notes.append("%d job(s) with more than one attempt (each attempt has its own name)" % retried)
    return {"jobs": len(jobs), "slurm_jobs": len(accounted), "names": len(names), "lost": lost,
            "duplicated": duplicated, "notes": notes}


def audited_when_accounted(slurm, daemon, sweep, since, timeout=120):
    """The audit once slurmdbd has every end (it may trail the controller by seconds): retried until nothing is
    lost or the bound passes, then the last answer stands."""
    deadline = time.monotonic() + timeout
    while True:
        result = audit(slurm, daemon.points(sweep), since)
        if not result["lost"] or time.monotonic() > deadline:
            return result
        time.sleep(3)


def single_node_sweep(path, name, jobs, tp, profile, offset=0):
    """A sweep of `jobs` single-node jobs on the engine stand-in, one concurrency each (like the quickstart's
    single-node job, shorter): one configuration per sequence-length pair."""
    lines = ["sweep:", "  name: %s" % name, "  profile: %s" % profile, "",
             "rely-gptoss-fp4-h100-vllm:", "  image: vllm/vllm-openai:v0.18.0", "  model: openai/gpt-oss-120b",
             "  model-prefix: gptoss", "  runner: h100", "  precision: fp4", "  framework: vllm",
             "  multinode: false", "  seq-len-configs:"]
    for i in range(jobs):
        lines += ["  - isl: %d" % (1000 + offset + i), "    osl: %d" % (100 + offset + i), "    search-space:",
                  "    - {tp: %d, conc-list: [4]}" % tp]
    Path(path).write_text("\n".join(lines) + "\n")


def write_profile(home, name, environment=None, extra_slurm=None):
    """The shipped local profile under another name, with the engine stand-in's test knobs in its environment."""
    text = (ROOT / "cluster-profiles" / "local.yaml").read_text()
    launcher = "launcher:\n  type: srt-slurm\n  single-node-type: single-node\n"
    if environment:
        if launcher not in text:
            raise ScenarioFailed("cluster-profiles/local.yaml has no %r" % launcher)
        text = text.replace(launcher, launcher + "  environment:\n" + "".join(
            "    %s: \"%s\"\n" % item for item in environment.items()))
    if extra_slurm:
        text = text.replace("slurm:\n", "slurm:\n" + extra_slurm, 1)
    profiles = Path(home) / "cluster-profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / ("%s.yaml" % name)).write_text(text)


def daemon_env(base):
    env = dict(base)
    env["SWEEPD_POLL_INTERVAL_MS"] = POLL_MS
    return env


def verdict_of(result, extra_failures=()):
    failures = ["%d lost" % len(result["lost"])] if result["lost"] else []
    failures += ["%d duplicated" % len(result["duplicated"])] if result["duplicated"] else []
    return list(failures) + list(extra_failures)


# ---------------------------------------------------------------------------------------------------- scenarios

class Outcome:
    """What one scenario did, counted and concluded, for the console and RELIABILITY.md."""

    def __init__(self, number, title):
        self.number, self.title = number, title
        self.done, self.counted, self.headline = "", "", ""
        self.figures, self.failures, self.details = [], [], []
        self.seconds = 0.0

    @property
    def passed(self):
        return not self.failures

    def figure(self, what, value):
        self.figures.append((what, value))
        log("   %s: %s" % (what, value))


def scenario_kills(work, env, slurm, out):
    """kill -9 at 10 random moments during a 40-job sweep."""
    seed = int(os.environ.get("RELIABILITY_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    home = work / "s1-kills"
    sweep_file = work / "rely-kills.yaml"
    single_node_sweep(sweep_file, "rely-kills", 40, 4, "local")
    daemon = Daemon(home, daemon_env(env))
    out.done = ("A sweep of 40 single-node jobs (gpt-oss on the engine stand-in, one concurrency each, TP4: 8 run at "
                "once on the 4 local nodes) submitted to a daemon on profile `local`; the daemon killed with kill -9 "
                "10 times at random moments (random seed %d: the first four a random 0-150 ms after the daemon "
                "started an sbatch, inside the submission of the jobs still planned, when there were any; the "
                "others a random 0.2-12 s after the restarted daemon said it was running) and restarted each "
                "time; then left to finish the run." % seed)
    out.counted = ("Every planned job against `sacct --name=<its attempts' Slurm names> -X` and against every Slurm "
                   "job of the run's names since the start: lost = not COMPLETED in the ledger or no COMPLETED "
                   "Slurm job of its last attempt's name; duplicated = a second Slurm job of one attempt's name, or "
                   "a Slurm job of the run's names that no recorded attempt has.")
    since = time.time()
    try:
        daemon.start()
        daemon.submit(sweep_file)
        kills, in_sbatch, restarts = [], 0, []
        for i in range(10):
            # The first kills land inside the submission (40 sbatch calls take well under a second): a random
            # 0-150 ms after the daemon's first sbatch of this start, while planned jobs are left to submit. The
            # others land anywhere in the run, a random 0.2-12 s after the restarted daemon said it was running.
            if i < 4 and daemon.wait_for_child("sbatch", 8):
                delay = rng.uniform(0.0, 0.15)
                moment = "%.2f s after an sbatch began" % delay
            else:
                delay = rng.uniform(0.2, 12.0)
                moment = "%.1f s" % delay
            time.sleep(delay)  # the random moment itself, not a wait for a condition
            if daemon.kill9():
                in_sbatch += 1
            kills.append(moment)
            restarts.append(daemon.start())
        out.figure("kills", "%d (%s)" % (len(kills), ", ".join(kills)))
        out.figure("kills that landed while an sbatch of the daemon ran", in_sbatch)
        out.figure("restart to 'running' (median)", "%.1f s" % sorted(restarts)[len(restarts) // 2])
        finished = wait_for("the run to finish", lambda: daemon.finished("rely-kills"), 900, every=3)
        result = audited_when_accounted(slurm, daemon, "rely-kills", since)
        out.figure("jobs planned / Slurm jobs of the run", "%d / %d" % (result["jobs"], result["slurm_jobs"]))
        out.figure("lost", len(result["lost"]))
        out.figure("duplicated", len(result["duplicated"]))
        out.figure("adopted by name after an interrupted submission",
                   daemon.log_count("after an interrupted submission"))
        out.figure("planned again (sbatch had not created the job)", daemon.log_count("submission was interrupted"))
        out.figure("run state", "%s, jobs %s" % (finished["state"], finished["jobs-by-state"]))
        out.details = result["lost"] + result["duplicated"] + result["notes"]
        out.failures = verdict_of(result, [] if result["jobs"] == 40 else ["%d jobs planned, not 40" % result["jobs"]])
        out.headline = "%d jobs, %d kills (%d during an sbatch): %d lost, %d duplicated" % (
            result["jobs"], len(kills), in_sbatch, len(result["lost"]), len(result["duplicated"]))
    finally:
        daemon.stop()
        slurm.cancel_under(home)


def scenario_controller_outage(work, env, slurm, out):
    """slurmctld stopped for 60 s while a sweep runs."""
    home = work / "s2-slurmctld"
    write_profile(home, "local-slow", {"SWEEPD_SIM_BEHAVIOUR": "slow 20"})
    first, late = work / "rely-ctld.yaml", work / "rely-ctld-late.yaml"
    single_node_sweep(first, "rely-ctld", 14, 4, "local-slow")
    single_node_sweep(late, "rely-ctld-late", 2, 4, "local-slow", offset=500)
    daemon = Daemon(home, daemon_env(env))
    out.done = ("A sweep of 14 single-node jobs (each holds its node 20 s more than usual: the stand-in's `slow 20`) "
                "on a daemon; once 4 ran, slurmctld was stopped (SIGTERM) for 60 s; 10 s into the outage a second "
                "sweep of 2 jobs was submitted (its submission meets the stopped controller); then slurmctld was "
                "started again and both runs left to finish.")
    out.counted = ("As in scenario 1, per run: lost and duplicated jobs against sacct; and whether the daemon stayed "
                   "up through the outage.")
    since = time.time()
    try:
        daemon.start()
        daemon.submit(first)
        wait_for("4 jobs running", lambda: (daemon.summary("rely-ctld") or {}).get("jobs-by-state", {})
                 .get("RUNNING", 0) >= 4, 300, every=1)
        running_at_stop = sum(1 for _, s, _, c in slurm.queue().values() if s == "RUNNING" and str(home) in c)
        stopped = slurm.stop("slurmctld")
        time.sleep(10)  # into the outage: the second sweep's sbatch must meet the stopped controller
        daemon.submit(late)
        time.sleep(max(0.0, stopped + 60 - time.time()))  # the outage lasts 60 s: the scenario, not a wait
        alive_through = daemon.alive()
        back = slurm.start()
        out.figure("jobs running when slurmctld stopped", running_at_stop)
        out.figure("outage", "%.0f s" % (back - stopped))
        out.figure("daemon up through the outage", "yes" if alive_through else "no")
        wait_for("both runs to finish", lambda: daemon.finished("rely-ctld") and daemon.finished("rely-ctld-late"),
                 900, every=3)
        out.figure("slurmctld back to both runs finished", "%.0f s" % (time.time() - back))
        failures = [] if alive_through else ["the daemon died during the outage"]
        details, lost, duplicated = [], 0, 0
        for sweep, planned in (("rely-ctld", 14), ("rely-ctld-late", 2)):
            result = audited_when_accounted(slurm, daemon, sweep, since)
            out.figure("%s: jobs planned / Slurm jobs / lost / duplicated" % sweep, "%d / %d / %d / %d" % (
                result["jobs"], result["slurm_jobs"], len(result["lost"]), len(result["duplicated"])))
            failures += ["%s: %s" % (sweep, f) for f in verdict_of(result)]
            if result["jobs"] != planned:
                failures.append("%s: %d jobs planned, not %d" % (sweep, result["jobs"], planned))
            details += result["lost"] + result["duplicated"] + result["notes"]
            lost, duplicated = lost + len(result["lost"]), duplicated + len(result["duplicated"])
        out.figure("poll cycles that found Slurm unreachable / submit cycles that submitted nothing because Slurm "
                   "could not say whether the jobs existed", "%d / %d" % (daemon.log_count("Slurm unreachable"),
                                                                          daemon.log_count("Slurm cannot say")))
        out.failures, out.details = failures, details
        out.headline = "16 jobs in 2 runs, slurmctld down %.0f s: %d lost, %d duplicated" % (
            back - stopped, lost, duplicated)
    finally:
        daemon.stop()
        if slurm.pid("slurmctld") is None:
            slurm.start()
        slurm.cancel_under(home)


def scenario_accounting_outage(work, env, slurm, out):
    """slurmdbd down while jobs end; the jobs purged from slurmctld's memory before it is back."""
    home = work / "s3-slurmdbd"
    write_profile(home, "local-slow", {"SWEEPD_SIM_BEHAVIOUR": "slow 10"})
    sweep_file = work / "rely-dbd.yaml"
    single_node_sweep(sweep_file, "rely-dbd", 3, 4, "local-slow")
    daemon = Daemon(home, daemon_env(env))
    out.done = ("A sweep of 3 single-node jobs on a daemon; once all ran, the daemon was stopped (SIGTERM) and "
                "slurmdbd stopped; the jobs ended and slurmctld purged them (MinJobAge 30 s: `scontrol show job` no "
                "longer knows them), so no squeue can say how they ended; the daemon was started again with "
                "slurmdbd still down, then slurmdbd was started and the run left to finish.")
    out.counted = ("Each job's state in the ledger against sacct's once slurmdbd is back (must be the same, never "
                   "LOST), when and from what it was resolved (with slurmdbd down, from the jobcomp file, which "
                   "slurmctld writes itself, or the job's exit marker; or after slurmdbd returned), and duplicates as "
                   "in scenario 1.")
    since = time.time()
    try:
        daemon.start()
        daemon.submit(sweep_file)
        wait_for("3 jobs running", lambda: (daemon.summary("rely-dbd") or {}).get("jobs-by-state", {})
                 .get("RUNNING", 0) >= 3, 300, every=1)
        ids = [p["slurm-job-id"] for p in daemon.points("rely-dbd")]
        daemon.stop()
        dbd_stopped = slurm.stop("slurmdbd")

        def purged():
            return all(run("scontrol", "show", "job", job_id, env=slurm.env, check=False).returncode != 0
                       for job_id in ids)
        wait_for("slurmctld to purge the ended jobs", purged, 400, every=5)
        out.figure("slurmdbd down to every job purged from slurmctld", "%.0f s" % (time.time() - dbd_stopped))
        daemon.start()
        restarted = time.time()
        resolved_down = wait_for_resolution(daemon, "rely-dbd", 3, 60)
        sources = sorted({"the job's exit marker" if "exit marker" in (p.get("reason") or "")
                          else "the jobcomp file (sacct -c)" for p in resolved_down})
        out.figure("jobs resolved while slurmdbd was still down (within 60 s of the restart)",
                   "%d of 3%s" % (len(resolved_down), " (%.0f s after the restart, from %s)" % (
                       time.time() - restarted, " and ".join(sources)) if resolved_down else ""))
        finished_before = daemon.finished("rely-dbd")
        back = slurm.start()
        finished = wait_for("the run to finish", lambda: daemon.finished("rely-dbd"), 600, every=2)
        out.figure("run finished", "before slurmdbd returned" if finished_before
                   else "%.0f s after slurmdbd returned" % (time.time() - back))
        result = audited_when_accounted(slurm, daemon, "rely-dbd", since)
        accounted = slurm.jobs(since, names=[a["job-name"] for _, (_, attempts) in
                                             jobs_of(daemon.points("rely-dbd")).items() for a in attempts])
        states = {job_id: state for job_id, (_, state) in accounted.items()}
        mismatched = [p for p in daemon.points("rely-dbd") if states.get(p["slurm-job-id"]) != p["state"]]
        out.figure("ledger vs sacct after slurmdbd returned", "%d of %d agree (%s)" % (
            3 - len(mismatched), 3, ", ".join("%s %s" % (p["slurm-job-id"], p["state"])
                                              for p in daemon.points("rely-dbd"))))
        out.figure("lost / duplicated", "%d / %d" % (len(result["lost"]), len(result["duplicated"])))
        out.figure("run state", "%s, jobs %s" % (finished["state"], finished["jobs-by-state"]))
        failures = verdict_of(result)
        failures += ["ledger and sacct disagree on %s" % ", ".join(
            "%s (ledger %s, sacct %s)" % (p["slurm-job-id"], p["state"], states.get(p["slurm-job-id"]))
            for p in mismatched)] if mismatched else []
        out.failures = failures
        out.headline = "3 jobs purged while slurmdbd was down: %d of 3 as sacct says, %d LOST, %d duplicated" % (
            3 - len(mismatched), sum(1 for p in daemon.points("rely-dbd") if p["state"] == "LOST"),
            len(result["duplicated"]))
        out.details = result["lost"] + result["duplicated"] + [
            "%s: %s" % (p["slurm-job-id"], p["reason"]) for p in daemon.points("rely-dbd") if p.get("reason")]
    finally:
        daemon.stop()
        if slurm.pid("slurmdbd") is None:
            slurm.start()
        slurm.cancel_under(home)


def wait_for_resolution(daemon, sweep, jobs, timeout):
    """The jobs of a run whose end the ledger has, once all have it or the time is up (an empty list then)."""
    deadline = time.monotonic() + timeout
    ended = []
    while time.monotonic() < deadline:
        ended = [p for p in daemon.points(sweep) if p["state"] not in ("PENDING", "RUNNING", "SUBMITTING",
                                                                        "REQUEUED", "PLANNED")]
        if len(ended) >= jobs:
            break
        time.sleep(2)
    return ended


def scenario_node_down(work, env, slurm, out):
    """A node set DOWN under a running job."""
    home = work / "s4-node-down"
    write_profile(home, "local-slow", {"SWEEPD_SIM_BEHAVIOUR": "slow 30"})
    sweep_file = work / "rely-node.yaml"
    single_node_sweep(sweep_file, "rely-node", 1, 8, "local-slow")
    daemon = Daemon(home, daemon_env(env))
    requeue = slurm.requeue_setting()
    out.done = ("A sweep of one single-node job (TP8: a whole node; the stand-in holds it 30 s more than usual) on a "
                "daemon; 5 s after it started, its node was set DOWN (`scontrol update nodename=X state=down "
                "reason=...`), which ends the job's run NODE_FAIL; the local slurm.conf leaves JobRequeue at %s, so "
                "Slurm requeues such a batch job under the same id (and ReturnToService=2 may give the node back at "
                "once). The node was resumed at the end." % requeue)
    out.counted = ("The job's Slurm runs (`sacct -D -j ID`), the Slurm jobs of its names, the attempts sweepd "
                   "recorded, the requeues the ledger records, and every squeue sample while it ran. The honest "
                   "outcome with JobRequeue=1: sweepd records the requeue (REQUEUED, saying why) and tracks Slurm's "
                   "rerun to its end, with no retry of its own (that would be a second Slurm job for the same work); "
                   "never two Slurm jobs of it live at once; COMPLETED in the ledger and in Slurm; never lost or "
                   "doubled.")
    since = time.time()
    node = None
    try:
        daemon.start()
        daemon.submit(sweep_file)

        def started():
            for job_id, (name, state, nodes, command) in slurm.queue().items():
                if state == "RUNNING" and command.startswith(str(home) + "/"):
                    return job_id, nodes
            return None
        job_id, node = wait_for("the job to run", started, 300, every=0.5)
        time.sleep(5)  # well into the run: the node fails under a job that works
        run("scontrol", "update", "nodename=" + node, "state=down", "reason=sweepd reliability scenario 4",
            env=slurm.env)
        downed = time.time()
        most_live, samples = 0, 0

        def ended():
            nonlocal most_live, samples
            live = [j for j, (_, state, _, command) in slurm.queue().items()
                    if command.startswith(str(home) + "/") and state in ("PENDING", "RUNNING", "CONFIGURING",
                                                                         "COMPLETING", "REQUEUED")]
            most_live, samples = max(most_live, len(live)), samples + 1
            return daemon.finished("rely-node")
        finished = wait_for("the run to finish", ended, 600, every=1)
        run("scontrol", "update", "nodename=" + node, "state=resume", env=slurm.env, check=False)
        points = daemon.points("rely-node")
        attempts = points[0]["attempts"]
        result = audited_when_accounted(slurm, daemon, "rely-node", since)
        runs = [r for a in attempts if a.get("slurm-job-id") for r in slurm.runs_of(a["slurm-job-id"], since)]
        out.figure("node set DOWN", "%s, %.0f s into the job" % (node, downed - since))
        out.figure("Slurm runs of the job (sacct -D)", "; ".join("%s %s on %s" % tuple(r) for r in runs))
        out.figure("sweepd's attempts", "; ".join("a%d Slurm %s %s" % (a["attempt"], a["slurm-job-id"], a["state"])
                                                  for a in attempts))
        out.figure("most Slurm jobs of it live at once (%d squeue samples)" % samples, most_live)
        requeues = int(bench.ledger_rows(home, "select count(*) from events where to_state = 'REQUEUED'")[0][0])
        out.figure("requeues recorded in the ledger (REQUEUED)", requeues)
        out.figure("lost / duplicated", "%d / %d" % (len(result["lost"]), len(result["duplicated"])))
        out.figure("run state", "%s, jobs %s" % (finished["state"], finished["jobs-by-state"]))
        failures = verdict_of(result)
        if most_live > 1:
            failures.append("%d Slurm jobs of one job were live at once" % most_live)
        if not any(r[1].startswith("NODE_FAIL") for r in runs):
            failures.append("no Slurm run of the job ended NODE_FAIL: the node failure did not reach it")
        if len(runs) > 1 and not requeues:
            failures.append("Slurm ran the job %d times, the ledger records no requeue" % len(runs))
        out.failures = failures
        out.headline = ("Slurm runs %s; %d requeue(s) recorded; sweepd attempts %d; at most %d live at once; "
                        "%d lost, %d duplicated" % ("+".join(r[1].split()[0] for r in runs), requeues, len(attempts),
                                                    most_live, len(result["lost"]), len(result["duplicated"])))
        out.details = result["lost"] + result["duplicated"] + result["notes"]
    finally:
        if node:
            run("scontrol", "update", "nodename=" + node, "state=resume", env=slurm.env, check=False)
        daemon.stop()
        slurm.cancel_under(home)


def scenario_many_sweeps(work, env, slurm, out):
    """50 sweeps dropped at once; 5,000 held jobs tracked with bounded memory."""
    sweeps, per_sweep = 50, 100
    home = work / "s5-many"
    bench.bench_profiles(home)  # bench-held: the local profile with #SBATCH --hold
    daemon = Daemon(home, daemon_env(env))
    out.done = ("50 sweep files of 100 single-node jobs each (one point per job: 5,000 points), every job held by "
                "Slurm (`#SBATCH --hold`, the bench's profile), written beside the inbox and renamed into it at "
                "once; the daemon's RSS sampled every 0.5 s from the drop until 60 s after the last job was "
                "submitted (its poll cycles then read a queue of 5,000 jobs); then the daemon stopped and the jobs "
                "cancelled.")
    out.counted = ("Runs planned and jobs with a Slurm id (`status --all --format json`); Slurm's jobs of the runs' "
                   "names (squeue): each name once, 5,000 in all; the largest RSS sample against %d MB." % RSS_BOUND_MB)
    staging = home / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    names = ["rely-many-%02d" % i for i in range(sweeps)]
    for i, name in enumerate(names):
        bench.held_jobs_sweep(staging / (name + ".yaml"), name, per_sweep, profile="bench-held")
        # Distinct configurations across sweeps (another sweep's identical configuration has the same job key).
        text = (staging / (name + ".yaml")).read_text()
        text = re.sub(r"isl: (\d+)", lambda m: "isl: %d" % (int(m.group(1)) + 100 * i), text)
        (staging / (name + ".yaml")).write_text(text)
    rss = []
    try:
        daemon.start()
        rss.append(daemon.rss_mb())
        inbox = home / "inbox"
        dropped = time.time()
        for name in names:
            os.rename(staging / (name + ".yaml"), inbox / (name + ".yaml"))

        def all_submitted():
            rss.append(daemon.rss_mb())
            if not daemon.alive():
                raise ScenarioFailed("the daemon exited:\n" + daemon.tail())
            return submitted_count(daemon.home) >= sweeps * per_sweep
        submitted_last = None
        try:
            wait_for("5,000 jobs submitted", all_submitted, 1500, every=0.5)
            submitted_last = time.time()
        finally:
            out.figure("drop to every job submitted", "%.0f s" % (time.time() - dropped) if submitted_last
                       else "not reached (%d submitted)" % submitted_count(daemon.home))
        end = time.time() + 60
        while time.time() < end:
            rss.append(daemon.rss_mb())
            time.sleep(0.5)  # sampling over the daemon's own poll cycles, not waiting for a condition
        summaries = daemon.cli_json("status", "--all") or []
        ours = [s for s in summaries if s["sweep"] in names]
        planned_jobs = sum(s["jobs"] for s in ours)
        pending = sum(s["jobs-by-state"].get("PENDING", 0) for s in ours)
        hashes = {hashlib.sha256(s["run"].encode()).hexdigest()[:6] for s in ours}
        counts = {}
        for job_id, (name, state, _, _) in slurm.queue().items():
            if re.search(r"-[0-9a-f]{6}-a\d+$", name) and name.rsplit("-", 2)[1] in hashes:
                counts[name] = counts.get(name, 0) + 1
        twice = {n: c for n, c in counts.items() if c > 1}
        out.figure("runs planned", "%d of %d" % (len(ours), sweeps))
        out.figure("jobs planned / PENDING (held) in the ledger", "{:,} / {:,}".format(planned_jobs, pending))
        out.figure("Slurm jobs of the runs' names / names with more than one", "{:,} / {:,}".format(
            sum(counts.values()), len(twice)))
        out.figure("daemon RSS: at start / largest of %d samples" % len(rss), "%d MB / %d MB" % (rss[0], max(rss)))
        out.figure("squeue --json of that queue", "%.1f MB" % (len(run("squeue", "--json", env=slurm.env).stdout) / 1e6))
        failures = []
        if len(ours) != sweeps:
            failures.append("%d of %d sweeps planned" % (len(ours), sweeps))
        if planned_jobs != sweeps * per_sweep or pending != sweeps * per_sweep:
            failures.append("%d jobs planned, %d pending, not %d" % (planned_jobs, pending, sweeps * per_sweep))
        if sum(counts.values()) != sweeps * per_sweep or twice:
            failures.append("Slurm has %d jobs of the runs' names (%d names twice), not %d once each" % (
                sum(counts.values()), len(twice), sweeps * per_sweep))
        if max(rss) >= RSS_BOUND_MB:
            failures.append("RSS reached %d MB (bound %d MB)" % (max(rss), RSS_BOUND_MB))
        out.failures = failures
        out.headline = "%d runs, %s Slurm jobs (%d names twice); RSS at most %d MB (bound %d MB)" % (
            len(ours), "{:,}".format(sum(counts.values())), len(twice), max(rss), RSS_BOUND_MB)
        out.details = ["%s x%d" % item for item in list(twice.items())[:10]]
    finally:
        if rss and daemon.alive():
            out.figure("daemon alive at the end", "yes")
        daemon.stop()
        cancelled = slurm.cancel_under(home)
        log("   cancelled %d held jobs" % cancelled)


def submitted_count(home):
    return int(bench.ledger_rows(home, "select count(*) from jobs where slurm_job_id is not null")[0][0])


SCENARIOS = [
    (1, "kill -9 at 10 random moments during a 40-job sweep", scenario_kills),
    (2, "slurmctld stopped for 60 s while a sweep runs", scenario_controller_outage),
    (3, "slurmdbd down while jobs end, the jobs purged from slurmctld before it is back", scenario_accounting_outage),
    (4, "a node set DOWN under a running job", scenario_node_down),
    (5, "50 sweeps dropped at once: 5,000 held jobs tracked with bounded memory", scenario_many_sweeps),
]


# ---------------------------------------------------------------------------------------------------- the report

def in_ci():
    """The reliability tests CI runs (mvn verify), with their figures read from the sources, so they stay true."""
    hostile = sorted(p.name for p in (ROOT / "src/test/resources/hostile").glob("*.yaml"))

    def tries(test):
        text = (ROOT / "src/test/java/io/sweepd" / test).read_text()
        found = [int(n) for n in re.findall(r"@Property\(tries = (\d+)\)", text)]
        return len(found), sum(found)
    parser_props, parser_tries = tries("sweep/SweepParserFuzzTest.java")
    plan_props, plan_tries = tries("sweep/SweepPlanFuzzTest.java")
    return [
        ("`HostileCorpusIT`", "%d hostile sweep files (`src/test/resources/hostile`) plus a file over the size limit "
         "(4 MB), a symlink to a secret and a FIFO, dropped at once into a daemon on the local Slurm" % len(hostile),
         "each refused with a message naming it (never quoting the secret) or planned and run; no smuggled command "
         "runs (no `canary-*` file anywhere)"),
        ("`SubmitAfterKillIT`", "kill -9 of the daemon inside sbatch (after Slurm created the job, before the answer "
         "reached the ledger), then a ledger that lost the submission", "1 Slurm job of the name at the end, found "
         "by name twice instead of submitted again"),
        ("`SettleAfterKillIT`", "kill -9 inside the handling of a job's end (between end recorded and settled)",
         "after a restart: 1 SETTLED event, the results once, the final report, 1 Slurm job"),
        ("`SqueueOfABusyClusterIT`", "squeue's answer of a busy Slurm 22.05 cluster (20,000 jobs of every user, "
         "80 MB of JSON) read by a JVM with the daemon's 128 MB heap", "the snapshot reads, with this user's 5,000 "
         "jobs (read whole, it ran out of heap and every poll cycle failed)"),
        ("`LedgerKillIT`", "a JVM writing the embedded ledger killed with SIGKILL", "every committed change there "
         "after a reopen"),
        ("`FullDiskIT`", "outputs on a full 2 MB tmpfs", "the sweep that cannot be written ends in `.error/` with "
         "\"No space left on device\" and the path; the ledger stays whole and reopens; the next sweep plans once "
         "space is freed"),
        ("`SweepParserFuzzTest` (jqwik)", "%d properties, %s tries per run: any text, YAML-shaped text, random trees "
         "of sweep keys, raw bytes, a valid sweep with bytes flipped" % (parser_props, "{:,}".format(parser_tries)),
         "each parses or is refused with a `YamlFieldException` naming file and line"),
        ("`SweepPlanFuzzTest` (jqwik)", "%d properties, %s tries per run: mutated sweeps, values with shell "
         "metacharacters, quoting through bash" % (plan_props, "{:,}".format(plan_tries)), "each plans or is refused naming the "
         "field; metacharacters refused or single-quoted in job.sbatch; quoted values arrive verbatim"),
    ]


def write_report(outcomes, started, seed_note, slurm):
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split('"')[1]
    cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True,
                         text=True).stdout.strip()
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // (1024 * 1024)
    passed = sum(1 for o in outcomes if o.passed)
    lines = ["# Reliability", "",
             "What sweepd promises (nothing submitted is lost or submitted twice, whatever stops) tested the long "
             "way, on the local Slurm, by `scripts/reliability.sh` (`scripts/reliability.py` has the scenarios; "
             "README \"Reliability\" says how to run it). This page is written by a run of all five scenarios; the "
             "tests CI runs on every change are listed after them.", "",
             "- **Date:** %s, %d min in all" % (datetime.datetime.fromtimestamp(started).strftime("%Y-%m-%d %H:%M"),
                                                 round((time.time() - started) / 60)),
             "- **Machine:** %s, %d cores, %d GB, load average %.1f at the start; Java %s; %s (the single-host "
             "cluster of `scripts/local-slurm.sh`: 8 nodes x 8 fake GPUs, MinJobAge 30 s)" % (
                 cpu or platform.machine(), os.cpu_count(), memory, os.getloadavg()[0], java, slurm.version()),
             "- **Command:** `scripts/reliability.sh` (%s)" % seed_note,
             "- **Result:** %d of %d scenarios passed" % (passed, len(outcomes)), "",
             "| # | scenario | figure | verdict |", "|---|---|---|---|"]
    for o in outcomes:
        lines.append("| %d | %s | %s | %s |" % (o.number, o.title, o.headline, "PASS" if o.passed else "FAIL"))
    for o in outcomes:
        lines += ["", "## %d. %s: %s" % (o.number, o.title, "PASS" if o.passed else "FAIL"), "",
                  "**Done:** " + o.done, "", "**Counted:** " + o.counted, "",
                  "| figure | value |", "|---|---|"]
        lines += ["| %s | %s |" % (what, str(value).replace("|", "/")) for what, value in o.figures]
        lines += ["", "**Verdict:** %s (%.0f s)" % ("PASS" if o.passed else "FAIL: " + "; ".join(o.failures),
                                                    o.seconds)]
        if o.details:
            lines += [""] + ["- %s" % d for d in o.details[:20]]
    lines += ["", "## In CI (`mvn verify`, every change)", "",
              "| test | what it does | what must hold |", "|---|---|---|"]
    lines += ["| %s | %s | %s |" % row for row in in_ci()]
    (ROOT / "RELIABILITY.md").write_text("\n".join(lines) + "\n")


def main():
    chosen = os.environ.get("RELIABILITY_SCENARIOS", "")
    numbers = {int(n) for n in chosen.split(",") if n.strip()} if chosen else {n for n, _, _ in SCENARIOS}
    unknown = numbers - {n for n, _, _ in SCENARIOS}
    if unknown:
        raise SystemExit("reliability: no scenario %s (there are 1-5)" % ", ".join(map(str, sorted(unknown))))
    if "RELIABILITY_SEED" not in os.environ:
        os.environ["RELIABILITY_SEED"] = str(int(time.time()))
    seed_note = "RELIABILITY_SEED=%s" % os.environ["RELIABILITY_SEED"]
    work = Path(os.environ.get("RELIABILITY_WORK") or tempfile.mkdtemp(prefix="sweepd-reliability-"))
    env = dict(os.environ)
    slurm = Slurm(env)
    started = time.time()
    outcomes = []
    for number, title, scenario in SCENARIOS:
        if number not in numbers:
            continue
        log("scenario %d: %s" % (number, title))
        out = Outcome(number, title)
        began = time.time()
        try:
            scenario(work, env, slurm, out)
        except (ScenarioFailed, SystemExit, subprocess.TimeoutExpired, OSError, ValueError, KeyError) as e:
            out.failures.append("%s: %s" % (type(e).__name__, e))
            traceback.print_exc()
        out.seconds = time.time() - began
        outcomes.append(out)
        print("%s  scenario %d: %s (%.0f s)%s" % ("PASS" if out.passed else "FAIL", number, title, out.seconds,
                                                  "" if out.passed else " - " + "; ".join(out.failures)), flush=True)
        for detail in out.details[:10]:
            print("      " + detail, flush=True)
    if numbers == {n for n, _, _ in SCENARIOS}:
        write_report(outcomes, started, seed_note, slurm)
        log("wrote RELIABILITY.md")
    else:
        log("only some scenarios ran (RELIABILITY_SCENARIOS): RELIABILITY.md left as it was")
    if not os.environ.get("RELIABILITY_WORK") and not os.environ.get("RELIABILITY_KEEP"):
        shutil.rmtree(work, ignore_errors=True)  # reliability.sh's own work directory is removed by its trap
    failed = [o for o in outcomes if not o.passed]
    print("%d of %d scenarios passed" % (len(outcomes) - len(failed), len(outcomes)), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
