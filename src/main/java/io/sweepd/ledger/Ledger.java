package io.sweepd.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The crash-safe record of every sweep run, job and point: an embedded H2 file by default, PostgreSQL when a
 * JDBC URL says so. A job's row is written before sbatch runs and updated after, so a daemon killed at any
 * instant restarts, finds every job it had started to submit, and reconciles it with Slurm.
 *
 * <p>Every operation is one transaction. State changes are compare-and-set on the job's current state, so two
 * pollers, or a poller and a cancel, cannot both move the same job; each change appends an event to the audit
 * trail in the same transaction. Thread-safe.
 */
public final class Ledger implements AutoCloseable {

    private static final List<String> LIVE_STATES =
            Arrays.stream(JobState.values()).filter(JobState::live).map(Enum::name).toList();

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Clock clock;

    private Ledger(HikariDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = Objects.requireNonNull(clock, "clock");
        Migrations.apply(dataSource);
        this.jdbi = Jdbi.create(dataSource);
    }

    /** A ledger in any database with a JDBC driver on the classpath (PostgreSQL, H2). */
    public static Ledger open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, Clock.systemUTC());
    }

    /** How long opening the ledger keeps trying before it fails. */
    static final java.time.Duration OPEN_TIMEOUT = java.time.Duration.ofSeconds(60);

    public static Ledger open(String jdbcUrl, String user, String password, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("sweepd-ledger");
        // One daemon's writes are short and few; a small pool keeps a shared PostgreSQL's connection count low.
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        // Keep trying for a while before giving up: a PostgreSQL still starting, or an H2 file that a CLI
        // command held for a moment (or a killed daemon left locked) is usable seconds later.
        config.setInitializationFailTimeout(OPEN_TIMEOUT.toMillis());
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            return new Ledger(dataSource, clock);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** The default ledger: the H2 file {@code <stateDir>/ledger.mv.db}. */
    public static Ledger embedded(Path stateDir) {
        return embedded(stateDir, Clock.systemUTC());
    }

    public static Ledger embedded(Path stateDir, Clock clock) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ledger's state directory " + stateDir, e);
        }
        return open(embeddedUrl(stateDir), "sa", "", clock);
    }

    /**
     * WRITE_DELAY=0: H2 otherwise writes committed transactions to the file up to half a second later, and a
     * kill -9 in that window loses them; with 0 each commit is written before it returns. LOCK_TIMEOUT: a compare-and-set waiting on a row another thread holds
     * waits for its short transaction rather than failing after H2's default second. AUTO_SERVER=TRUE: the
     * daemon holds the file open; {@code sweepd status} and {@code cancel} in another process connect through
     * the small TCP server H2 then starts on loopback instead of failing on the file lock. AUTO_RECONNECT=TRUE:
     * whichever process opened the file first serves it; when that is a short-lived CLI command and it exits,
     * the daemon's connections reconnect (and the daemon takes the file over) instead of failing for good. (H2 refuses
     * AUTO_SERVER with DB_CLOSE_ON_EXIT=FALSE, so its shutdown hook may close the database under a write in
     * the last moment of a shutdown; that write is then lost like any write of a killed daemon, and restart
     * reconciliation covers it.)
     */
    static String embeddedUrl(Path stateDir) {
        String file = stateDir.toAbsolutePath().normalize().resolve("ledger").toString();
        if (file.contains(";")) {
            throw new IllegalArgumentException("the state directory must not contain ';' (H2 URL separator): "
                    + stateDir);
        }
        return "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }

    // ---------------------------------------------------------------- runs

    /**
     * Records a planned run with its jobs and points in one transaction. Each job is recorded PLANNED, unless an
     * earlier run of the same sweep completed its job key: then it is recorded COMPLETED with
     * {@link JobRecord#reusedFromRun()} and the earlier job's directory, and is never submitted (only PLANNED jobs
     * can be). Recording the same run again with the same plan does nothing; with a different plan it fails.
     * Lifecycle fields of the given records (state, times, Slurm id) are the ledger's and are ignored.
     *
     * @throws IllegalStateException    when the run id is already recorded with a different plan
     * @throws IllegalArgumentException when a job or point names another run
     */
    public void recordRun(RunRecord run, List<JobRecord> jobs, List<PointRecord> points) {
        jobs.forEach(job -> requireRun(run, job.runId(), "job " + job.jobKey()));
        points.forEach(point -> requireRun(run, point.runId(), "point " + point.pointId()));
        jdbi.useTransaction(h -> {
            Optional<RunRecord> existing = findRun(h, run.runId());
            if (existing.isPresent()) {
                if (existing.get().sweepName().equals(run.sweepName())
                        && existing.get().planJson().equals(run.planJson())) {
                    return;
                }
                throw new IllegalStateException("run " + run.runId() + " is already recorded with a different plan");
            }
            Instant now = now();
            h.createUpdate("INSERT INTO sweep_runs (run_id, sweep_name, source_file, source_dir, profile_override, "
                            + "plan_json, state, created_at) VALUES (:run, :sweep, :file, :dir, :profile, :plan, "
                            + ":state, :now)")
                    .bind("run", run.runId()).bind("sweep", run.sweepName()).bind("file", run.sourceFile())
                    .bind("dir", run.sourceDir()).bind("profile", run.profileOverride())
                    .bind("plan", run.planJson()).bind("state", RunState.ACTIVE.name())
                    .bind("now", Rows.instant(now))
                    .execute();
            int reused = 0;
            for (int i = 0; i < jobs.size(); i++) {
                if (insertJob(h, run, jobs.get(i), i, now)) {
                    reused++;
                }
            }
            insertPoints(h, points);
            long refused = points.stream().filter(PointRecord::refused).count();
            event(h, run.runId(), null, now, EventKind.RUN_RECORDED, null, null,
                    jobs.size() + " jobs (" + reused + " completed in earlier runs), " + points.size() + " points ("
                            + refused + " refused)", null);
        });
    }

    /** @return true when the job was reused from an earlier run rather than planned */
    private boolean insertJob(Handle h, RunRecord run, JobRecord job, int index, Instant now) {
        Optional<JobRecord> earlier = completedEarlier(h, run.sweepName(), job.jobKey());
        JobState state = earlier.isPresent() ? JobState.COMPLETED : JobState.PLANNED;
        String reason = earlier.map(e -> "completed in run " + e.runId()
                + (e.slurmJobId() == null ? "" : " (Slurm job " + e.slurmJobId() + ")")
                + "; not submitted again").orElse(null);
        h.createUpdate("INSERT INTO jobs (run_id, job_key, plan_index, profile, state, reason, attempt, job_dir, "
                        + "reused_from_run, created_at, deadline_first_log_s, deadline_healthy_s, deadline_total_s, "
                        + "updated_at) VALUES (:run, :job, :index, :profile, :state, :reason, 0, :dir, :reused, :now, "
                        + ":firstLog, :healthy, :total, :now)")
                .bind("run", run.runId()).bind("job", job.jobKey()).bind("index", index)
                .bind("profile", job.profile()).bind("state", state.name()).bind("reason", reason)
                .bind("dir", earlier.map(JobRecord::jobDir).orElse(job.jobDir()))
                .bind("reused", earlier.map(JobRecord::runId).orElse(null))
                .bind("now", Rows.instant(now))
                .bind("firstLog", job.deadlineFirstLogS()).bind("healthy", job.deadlineHealthyS())
                .bind("total", job.deadlineTotalS())
                .execute();
        event(h, run.runId(), job.jobKey(), now, EventKind.STATE, null, state, reason == null ? "planned" : reason,
                null);
        return earlier.isPresent();
    }

    private static void insertPoints(Handle h, List<PointRecord> points) {
        if (points.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO points (run_id, point_id, plan_index, job_key, "
                + "matrix_json, refused_reason, state) VALUES (:run, :point, :index, :job, :matrix, :refused, :state)");
        for (int i = 0; i < points.size(); i++) {
            PointRecord point = points.get(i);
            batch.bind("run", point.runId()).bind("point", point.pointId()).bind("index", i)
                    .bind("job", point.jobKey()).bind("matrix", point.matrixJson())
                    .bind("refused", Rows.clamp(point.refusedReason())).bind("state", point.state().name())
                    .add();
        }
        batch.execute();
    }

    /** Every run, oldest first. */
    public List<RunRecord> runs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sweep_runs ORDER BY created_at, run_id")
                .map((rs, ctx) -> Rows.run(rs)).list());
    }

    public Optional<RunRecord> run(String runId) {
        return jdbi.withHandle(h -> findRun(h, runId));
    }

    /** The most recently recorded run of a sweep. */
    public Optional<RunRecord> latestRun(String sweepName) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sweep_runs WHERE sweep_name = :sweep "
                        + "ORDER BY created_at DESC, run_id DESC LIMIT 1")
                .bind("sweep", sweepName)
                .map((rs, ctx) -> Rows.run(rs)).findOne());
    }

    /** The run a person names: a run id as it is, else a sweep name as that sweep's latest run. */
    public Optional<RunRecord> runNamed(String sweepOrRun) {
        return run(sweepOrRun).or(() -> latestRun(sweepOrRun));
    }

    /** Marks a run finished at the given time; a run already finished keeps its first finish time. */
    public void finishRun(String runId, Instant at) {
        Instant finishedAt = Rows.micros(Objects.requireNonNull(at, "at"));
        jdbi.useTransaction(h -> {
            int changed = h.createUpdate("UPDATE sweep_runs SET finished_at = :at, state = :finished "
                            + "WHERE run_id = :run AND finished_at IS NULL")
                    .bind("at", Rows.instant(finishedAt)).bind("finished", RunState.FINISHED.name())
                    .bind("run", runId)
                    .execute();
            if (changed == 0) {
                findRun(h, runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
                return;
            }
            event(h, runId, null, now(), EventKind.RUN_FINISHED, null, null, "finished at " + finishedAt, null);
        });
    }

    /** The run's points in plan order, refused ones included. */
    public List<PointRecord> points(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM points WHERE run_id = :run ORDER BY plan_index")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.point(rs)).list());
    }

    // ---------------------------------------------------------------- jobs: submission

    /**
     * A job with this key that completed in a run of the same sweep, the most recent one if several did.
     * Reused records do not count: the answer always names the run that actually ran the job.
     */
    public Optional<JobRecord> completedEarlier(String sweepName, String jobKey) {
        return jdbi.withHandle(h -> completedEarlier(h, sweepName, jobKey));
    }

    private static Optional<JobRecord> completedEarlier(Handle h, String sweepName, String jobKey) {
        return h.createQuery("SELECT j.* FROM jobs j JOIN sweep_runs r ON r.run_id = j.run_id "
                        + "WHERE r.sweep_name = :sweep AND j.job_key = :job AND j.state = :completed "
                        + "AND j.reused_from_run IS NULL ORDER BY j.updated_at DESC, j.run_id DESC LIMIT 1")
                .bind("sweep", sweepName).bind("job", jobKey).bind("completed", JobState.COMPLETED.name())
                .map((rs, ctx) -> Rows.job(rs)).findOne();
    }

    /**
     * Claims a PLANNED job for submission: PLANNED -> SUBMITTING, attempt + 1, the Slurm job name recorded. Call
     * it before running sbatch and run sbatch only when it returns true. The previous attempt's Slurm id and
     * times are cleared (they stay in the audit trail). To retry a job that ended, move it back to PLANNED first
     * with {@link #transition}, so the retry and its reason are on record.
     *
     * @return false when the job is not PLANNED, because another thread claimed it or it has moved on
     * @throws IllegalArgumentException when the run has no such job
     */
    public boolean beginSubmit(String runId, String jobKey, String jobName) {
        Objects.requireNonNull(jobName, "jobName");
        return jdbi.inTransaction(h -> {
            Instant now = now();
            int changed = h.createUpdate("UPDATE jobs SET state = :submitting, job_name = :name, "
                            + "attempt = attempt + 1, submit_started_at = :now, submitted_at = NULL, "
                            + "slurm_job_id = NULL, started_at = NULL, ended_at = NULL, exit_code = NULL, "
                            + "reason = NULL, updated_at = :now "
                            + "WHERE run_id = :run AND job_key = :job AND state = :planned")
                    .bind("submitting", JobState.SUBMITTING.name()).bind("name", jobName)
                    .bind("now", Rows.instant(now)).bind("run", runId).bind("job", jobKey)
                    .bind("planned", JobState.PLANNED.name())
                    .execute();
            JobRecord job = requireJob(h, runId, jobKey);
            if (changed == 0) {
                return false;
            }
            event(h, runId, jobKey, now, EventKind.STATE, JobState.PLANNED, JobState.SUBMITTING,
                    "attempt " + job.attempt() + " as " + jobName, null);
            return true;
        });
    }

    /**
     * sbatch accepted the job: SUBMITTING -> PENDING with its Slurm id. Replaying the same report is harmless.
     * When the job had already moved on (reconciliation or a cancel won), its state is kept, but the id is never
     * dropped: it is stored if the job had none, and always written to the audit trail.
     *
     * @return true when the job is now tracked under this Slurm id
     */
    public boolean submitted(String runId, String jobKey, String slurmJobId) {
        Objects.requireNonNull(slurmJobId, "slurmJobId");
        return jdbi.inTransaction(h -> {
            Instant now = now();
            Map<String, Object> details = Map.of(JobDetails.SLURM_JOB_ID, slurmJobId);
            int changed = h.createUpdate("UPDATE jobs SET state = :pending, slurm_job_id = :slurm, "
                            + "submitted_at = :now, reason = NULL, updated_at = :now "
                            + "WHERE run_id = :run AND job_key = :job AND state = :submitting")
                    .bind("pending", JobState.PENDING.name()).bind("slurm", slurmJobId)
                    .bind("now", Rows.instant(now)).bind("run", runId).bind("job", jobKey)
                    .bind("submitting", JobState.SUBMITTING.name())
                    .execute();
            if (changed == 1) {
                event(h, runId, jobKey, now, EventKind.STATE, JobState.SUBMITTING, JobState.PENDING,
                        "submitted as Slurm job " + slurmJobId, details);
                return true;
            }
            JobRecord job = requireJob(h, runId, jobKey);
            if (slurmJobId.equals(job.slurmJobId())) {
                return true;
            }
            if (job.slurmJobId() == null) {
                h.createUpdate("UPDATE jobs SET slurm_job_id = :slurm, submitted_at = :now, updated_at = :now "
                                + "WHERE run_id = :run AND job_key = :job")
                        .bind("slurm", slurmJobId).bind("now", Rows.instant(now)).bind("run", runId)
                        .bind("job", jobKey)
                        .execute();
                event(h, runId, jobKey, now, EventKind.LATE_REPORT, job.state(), job.state(),
                        "Slurm accepted the job as " + slurmJobId + " after it had moved to " + job.state()
                                + "; the id is kept so the job can be found and cancelled", details);
            } else {
                event(h, runId, jobKey, now, EventKind.DUPLICATE_SUBMISSION, job.state(), job.state(),
                        "Slurm job " + slurmJobId + " was reported for a job already submitted as "
                                + job.slurmJobId(), details);
            }
            return false;
        });
    }

    /**
     * sbatch refused the job for good: SUBMITTING -> SUBMIT_FAILED with Slurm's message as the reason.
     *
     * @return false when the job had already moved on (the report is kept in the audit trail)
     */
    public boolean submitFailed(String runId, String jobKey, String message) {
        return endSubmit(runId, jobKey, JobState.SUBMIT_FAILED, message);
    }

    /**
     * sbatch refused the job for now (a transient error, a submit limit): SUBMITTING -> PLANNED, to be claimed
     * again by {@link #beginSubmit} later. The attempt count stays, so retries are visible.
     *
     * @return false when the job had already moved on (the report is kept in the audit trail)
     */
    public boolean backToPlanned(String runId, String jobKey, String reason) {
        return endSubmit(runId, jobKey, JobState.PLANNED, reason);
    }

    private boolean endSubmit(String runId, String jobKey, JobState to, String reason) {
        String text = Rows.clamp(reason);
        return jdbi.inTransaction(h -> {
            Instant now = now();
            int changed = h.createUpdate("UPDATE jobs SET state = :to, reason = :reason, updated_at = :now "
                            + "WHERE run_id = :run AND job_key = :job AND state = :submitting")
                    .bind("to", to.name()).bind("reason", text).bind("now", Rows.instant(now))
                    .bind("run", runId).bind("job", jobKey).bind("submitting", JobState.SUBMITTING.name())
                    .execute();
            if (changed == 1) {
                event(h, runId, jobKey, now, EventKind.STATE, JobState.SUBMITTING, to, text, null);
                return true;
            }
            JobRecord job = requireJob(h, runId, jobKey);
            if (job.state() == to) {
                return true;
            }
            event(h, runId, jobKey, now, EventKind.LATE_REPORT, job.state(), job.state(),
                    "submit outcome " + to + " arrived after the job had moved to " + job.state() + ": " + text,
                    null);
            return false;
        });
    }

    // ---------------------------------------------------------------- jobs: tracking

    /**
     * Compare-and-set state change: moves the job from {@code from} to {@code to} only if it is in {@code from},
     * sets the reason, applies the {@link JobDetails} keys present in {@code details} to the job's columns, and
     * appends an event carrying all of {@code details}.
     *
     * @return false when the job was not in {@code from}; nothing is changed then
     * @throws IllegalArgumentException when the run has no such job, when {@code to} is SUBMITTING (only
     *                                  {@link #beginSubmit} claims a job), or when a job Slurm may still run
     *                                  would go back to PLANNED (it would be submitted twice)
     */
    public boolean transition(String runId, String jobKey, JobState from, JobState to, String reason,
                              Map<String, Object> details) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to == JobState.SUBMITTING && from != JobState.SUBMITTING) {
            throw new IllegalArgumentException("only beginSubmit moves a job to SUBMITTING");
        }
        if (to == JobState.PLANNED && from.live() && from != JobState.SUBMITTING) {
            throw new IllegalArgumentException("a " + from + " job is still Slurm's; moving it back to PLANNED "
                    + "would submit it twice (cancel it and wait for the end first)");
        }
        Map<String, Object> given = details == null ? Map.of() : details;
        String slurmJobId = JobDetails.text(given, JobDetails.SLURM_JOB_ID);
        Instant submittedAt = Rows.micros(JobDetails.instant(given, JobDetails.SUBMITTED_AT));
        Instant startedAt = Rows.micros(JobDetails.instant(given, JobDetails.STARTED_AT));
        Instant endedAt = Rows.micros(JobDetails.instant(given, JobDetails.ENDED_AT));
        Integer exitCode = JobDetails.integer(given, JobDetails.EXIT_CODE);
        String text = Rows.clamp(reason);
        return jdbi.inTransaction(h -> {
            Instant now = now();
            StringBuilder sql = new StringBuilder("UPDATE jobs SET state = :to, reason = :reason, updated_at = :now");
            if (slurmJobId != null) {
                sql.append(", slurm_job_id = :slurm");
                sql.append(submittedAt != null ? ", submitted_at = :submitted"
                        : ", submitted_at = COALESCE(submitted_at, :now)");
            } else if (submittedAt != null) {
                sql.append(", submitted_at = :submitted");
            }
            if (startedAt != null) {
                sql.append(", started_at = :started");
            }
            if (endedAt != null) {
                sql.append(", ended_at = :ended");
            }
            if (exitCode != null) {
                sql.append(", exit_code = :exit");
            }
            sql.append(" WHERE run_id = :run AND job_key = :job AND state = :from");
            Update update = h.createUpdate(sql.toString())
                    .bind("to", to.name()).bind("reason", text).bind("now", Rows.instant(now))
                    .bind("run", runId).bind("job", jobKey).bind("from", from.name());
            if (slurmJobId != null) {
                update.bind("slurm", slurmJobId);
            }
            if (submittedAt != null) {
                update.bind("submitted", Rows.instant(submittedAt));
            }
            if (startedAt != null) {
                update.bind("started", Rows.instant(startedAt));
            }
            if (endedAt != null) {
                update.bind("ended", Rows.instant(endedAt));
            }
            if (exitCode != null) {
                update.bind("exit", exitCode);
            }
            if (update.execute() == 0) {
                requireJob(h, runId, jobKey);
                return false;
            }
            event(h, runId, jobKey, now, EventKind.STATE, from, to, text, given);
            return true;
        });
    }

    /** Every job Slurm may still change (SUBMITTING, PENDING, RUNNING, REQUEUED), across all runs. */
    public List<JobRecord> liveJobs() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE state IN (<states>) "
                        + "ORDER BY created_at, run_id, plan_index")
                .bindList("states", LIVE_STATES)
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    public List<JobRecord> jobsInState(JobState state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE state = :state "
                        + "ORDER BY created_at, run_id, plan_index")
                .bind("state", state.name())
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    /** The run's jobs in plan order. */
    public List<JobRecord> jobs(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE run_id = :run ORDER BY plan_index")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    public Optional<JobRecord> job(String runId, String jobKey) {
        return jdbi.withHandle(h -> findJob(h, runId, jobKey));
    }

    /**
     * The job Slurm knows under this id. Ids are not unique across clusters sharing one database or across a
     * rebuilt controller, so a live job wins, then the most recently submitted.
     */
    public Optional<JobRecord> bySlurmJobId(String slurmJobId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE slurm_job_id = :slurm "
                        + "ORDER BY CASE WHEN state IN (<live>) THEN 0 ELSE 1 END, submitted_at DESC, updated_at DESC "
                        + "LIMIT 1")
                .bind("slurm", slurmJobId).bindList("live", LIVE_STATES)
                .map((rs, ctx) -> Rows.job(rs)).findOne());
    }

    // ---------------------------------------------------------------- results

    /**
     * Records the collected results of one job: one row per (point, concurrency). The list is the job's complete
     * results and replaces what an earlier collection recorded for it: a row with the same content is left as it
     * was (its recorded time too), a changed row is rewritten and re-stamped, and a row the list no longer has is
     * removed. Recording the same list again therefore changes nothing. One transaction.
     *
     * @return how many rows were inserted, changed or removed (0 when nothing changed)
     * @throws IllegalArgumentException when the run has no such job, a row names another run or job, a row's point
     *                                  is not one of the job's points, or two rows share a point and concurrency
     */
    public int recordResults(String runId, String jobKey, List<ResultRecord> results) {
        Map<ResultKey, ResultRecord> given = new LinkedHashMap<>();
        for (ResultRecord result : results) {
            if (!result.runId().equals(runId) || !result.jobKey().equals(jobKey)) {
                throw new IllegalArgumentException("result " + result.pointId() + " c" + result.conc()
                        + " belongs to " + result.runId() + "/" + result.jobKey() + ", not " + runId + "/" + jobKey);
            }
            ResultRecord clamped = new ResultRecord(result.runId(), result.pointId(), result.conc(), result.jobKey(),
                    result.state(), Rows.clamp(result.reason()), result.metricsJson(), result.evalJson(),
                    result.resultFile(), null);
            if (given.put(new ResultKey(result.pointId(), result.conc()), clamped) != null) {
                throw new IllegalArgumentException("two results for point " + result.pointId() + " at concurrency "
                        + result.conc());
            }
        }
        return jdbi.inTransaction(h -> {
            requireJob(h, runId, jobKey);
            List<String> jobPoints = h.createQuery("SELECT point_id FROM points WHERE run_id = :run AND job_key = :job")
                    .bind("run", runId).bind("job", jobKey)
                    .mapTo(String.class).list();
            for (ResultRecord result : given.values()) {
                if (!jobPoints.contains(result.pointId())) {
                    throw new IllegalArgumentException("point " + result.pointId() + " is not a point of job " + jobKey
                            + " in run " + runId);
                }
            }
            Map<ResultKey, ResultRecord> existing = new LinkedHashMap<>();
            h.createQuery("SELECT * FROM results WHERE run_id = :run AND job_key = :job")
                    .bind("run", runId).bind("job", jobKey)
                    .map((rs, ctx) -> ResultRecord.read(rs))
                    .forEach(r -> existing.put(new ResultKey(r.pointId(), r.conc()), r));
            Instant now = now();
            int changed = 0;
            for (Map.Entry<ResultKey, ResultRecord> entry : given.entrySet()) {
                ResultRecord result = entry.getValue();
                ResultRecord before = existing.remove(entry.getKey());
                if (before != null && before.sameContent(result)) {
                    continue;
                }
                String sql = before == null
                        ? "INSERT INTO results (run_id, point_id, conc, job_key, state, reason, metrics_json, "
                        + "eval_json, result_file, recorded_at) VALUES (:run, :point, :conc, :job, :state, :reason, "
                        + ":metrics, :eval, :file, :now)"
                        : "UPDATE results SET job_key = :job, state = :state, reason = :reason, "
                        + "metrics_json = :metrics, eval_json = :eval, result_file = :file, recorded_at = :now "
                        + "WHERE run_id = :run AND point_id = :point AND conc = :conc";
                h.createUpdate(sql)
                        .bind("run", runId).bind("point", result.pointId()).bind("conc", result.conc())
                        .bind("job", jobKey).bind("state", result.state().name()).bind("reason", result.reason())
                        .bind("metrics", result.metricsJson()).bind("eval", result.evalJson())
                        .bind("file", result.resultFile()).bind("now", Rows.instant(now))
                        .execute();
                changed++;
            }
            for (ResultRecord stale : existing.values()) {
                changed += h.createUpdate("DELETE FROM results "
                                + "WHERE run_id = :run AND point_id = :point AND conc = :conc")
                        .bind("run", runId).bind("point", stale.pointId()).bind("conc", stale.conc())
                        .execute();
            }
            return changed;
        });
    }

    /** The run's results, in plan order of their points, then by concurrency. */
    public List<ResultRecord> results(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT r.* FROM results r JOIN points p "
                        + "ON p.run_id = r.run_id AND p.point_id = r.point_id "
                        + "WHERE r.run_id = :run ORDER BY p.plan_index, r.conc")
                .bind("run", runId)
                .map((rs, ctx) -> ResultRecord.read(rs)).list());
    }

    /** One job's results, in plan order of its points, then by concurrency. */
    public List<ResultRecord> results(String runId, String jobKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT r.* FROM results r JOIN points p "
                        + "ON p.run_id = r.run_id AND p.point_id = r.point_id "
                        + "WHERE r.run_id = :run AND r.job_key = :job ORDER BY p.plan_index, r.conc")
                .bind("run", runId).bind("job", jobKey)
                .map((rs, ctx) -> ResultRecord.read(rs)).list());
    }

    private record ResultKey(String pointId, int conc) {
    }

    // ---------------------------------------------------------------- audit trail

    /** The run's audit trail, oldest first. */
    public List<EventRecord> events(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM events WHERE run_id = :run ORDER BY id")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.event(rs)).list());
    }

    /** One job's history, oldest first. */
    public List<EventRecord> events(String runId, String jobKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM events WHERE run_id = :run AND job_key = :job "
                        + "ORDER BY id")
                .bind("run", runId).bind("job", jobKey)
                .map((rs, ctx) -> Rows.event(rs)).list());
    }

    private static void event(Handle h, String runId, String jobKey, Instant at, EventKind kind, JobState from,
                              JobState to, String message, Map<String, Object> details) {
        h.createUpdate("INSERT INTO events (run_id, job_key, occurred_at, kind, from_state, to_state, message, "
                        + "details_json) VALUES (:run, :job, :at, :kind, :from, :to, :message, :details)")
                .bind("run", runId).bind("job", jobKey).bind("at", Rows.instant(at)).bind("kind", kind.name())
                .bind("from", from == null ? null : from.name()).bind("to", to == null ? null : to.name())
                .bind("message", Rows.clamp(message)).bind("details", json(details))
                .execute();
    }

    private static String json(Map<String, Object> details) {
        if (details == null || details.isEmpty()) {
            return null;
        }
        try {
            return Json.SORTED.writeValueAsString(new LinkedHashMap<>(details));
        } catch (JsonProcessingException e) {
            // The audit trail must not block a state change: keep what can be said about the details.
            return Json.MAPPER.createObjectNode().put("unserializable", details.toString()).toString();
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static Optional<RunRecord> findRun(Handle h, String runId) {
        return h.createQuery("SELECT * FROM sweep_runs WHERE run_id = :run")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.run(rs)).findOne();
    }

    private static Optional<JobRecord> findJob(Handle h, String runId, String jobKey) {
        return h.createQuery("SELECT * FROM jobs WHERE run_id = :run AND job_key = :job")
                .bind("run", runId).bind("job", jobKey)
                .map((rs, ctx) -> Rows.job(rs)).findOne();
    }

    private static JobRecord requireJob(Handle h, String runId, String jobKey) {
        return findJob(h, runId, jobKey)
                .orElseThrow(() -> new IllegalArgumentException("no job " + jobKey + " in run " + runId));
    }

    private static void requireRun(RunRecord run, String runId, String what) {
        if (!run.runId().equals(runId)) {
            throw new IllegalArgumentException(what + " belongs to run " + runId + ", not " + run.runId());
        }
    }

    private Instant now() {
        return Rows.micros(clock.instant());
    }

    /** Closes the connection pool; with the embedded ledger that also closes the H2 file cleanly. */
    @Override
    public void close() {
        dataSource.close();
    }
}
