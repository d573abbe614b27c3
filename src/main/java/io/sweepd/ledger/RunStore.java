package io.sweepd.ledger;

import io.sweepd.core.JobState;
import io.sweepd.core.PointState;
import io.sweepd.core.SweepCounts;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ObjIntConsumer;

/**
 * Runs and their points: recording a planned run (run, jobs and points in one transaction, so a restart never
 * finds half a plan), looking runs up, and marking them finished. The jobs a run records are then
 * {@link JobStore}'s to move. Thread-safe; every method is one transaction.
 */
public final class RunStore {

    /** A run's row with its plan, which lives in a table of its own (V6__run_plans.sql says why). */
    private static final String WITH_PLAN =
            "SELECT r.*, p.plan_json FROM sweep_runs r JOIN run_plans p ON p.run_id = r.run_id ";
    /** A run's row with {@code {}} for its plan: for the many callers that want a run but not its plan. */
    private static final String WITHOUT_PLAN = "SELECT run_id, sweep_name, source_file, source_dir, profile_override, "
            + "'{}' AS plan_json, state, created_at, finished_at FROM sweep_runs ";

    private final Jdbi jdbi;
    private final Clock clock;
    private final Owner owner;

    RunStore(Jdbi jdbi, Clock clock, Owner owner) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

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
        recordRun(run, jobs, points, JobReuse.REUSE_COMPLETED);
    }

    /**
     * As {@link #recordRun(RunRecord, List, List)}; with {@link JobReuse#FRESH} every job is recorded PLANNED,
     * whatever an earlier run completed (a scheduled re-run measures again).
     */
    public void recordRun(RunRecord run, List<JobRecord> jobs, List<PointRecord> points, JobReuse reuse) {
        Objects.requireNonNull(reuse, "reuse");
        jobs.forEach(job -> requireRun(run, job.runId(), "job " + job.jobKey()));
        points.forEach(point -> requireRun(run, point.runId(), "point " + point.pointId()));
        jdbi.useTransaction(h -> {
            Optional<RunRecord> existing = find(h, run.runId());
            if (existing.isPresent()) {
                if (existing.get().sweepName().equals(run.sweepName())
                        && existing.get().planJson().equals(run.planJson())) {
                    return;
                }
                throw new IllegalStateException("run " + run.runId() + " is already recorded with a different plan");
            }
            Instant now = now();
            h.createUpdate("INSERT INTO sweep_runs (run_id, sweep_name, source_file, source_dir, profile_override, "
                            + "state, created_at, owner) VALUES (:run, :sweep, :file, :dir, :profile, :state, :now, "
                            + ":owner)")
                    .bind("owner", owner.name())
                    .bind("run", run.runId()).bind("sweep", run.sweepName()).bind("file", run.sourceFile())
                    .bind("dir", run.sourceDir()).bind("profile", run.profileOverride())
                    .bind("state", RunState.ACTIVE.name())
                    .bind("now", Rows.instant(now))
                    .execute();
            h.createUpdate("INSERT INTO run_plans (run_id, plan_json) VALUES (:run, :plan)")
                    .bind("run", run.runId()).bind("plan", run.planJson())
                    .execute();
            int reused = 0;
            for (int i = 0; i < jobs.size(); i++) {
                if (insertJob(h, run, jobs.get(i), i, now, reuse)) {
                    reused++;
                }
            }
            insertPoints(h, points);
            insertCounts(h, run.runId(), countsOf(points));
            long refused = points.stream().filter(PointRecord::refused).count();
            Events.write(h, run.runId(), null, now, EventKind.RUN_RECORDED, null, null,
                    jobs.size() + " jobs (" + reused + " completed in earlier runs), " + points.size() + " points ("
                            + refused + " refused)", null);
        });
    }

    /** @return true when the job was reused from an earlier run rather than planned */
    private boolean insertJob(Handle h, RunRecord run, JobRecord job, int index, Instant now, JobReuse reuse) {
        Optional<JobRecord> earlier = reuse == JobReuse.FRESH ? Optional.empty()
                : completedEarlier(h, run.sweepName(), job.jobKey());
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
        Events.write(h, run.runId(), job.jobKey(), now, EventKind.STATE, null, state,
                reason == null ? "planned" : reason, null);
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

    private static SweepCounts countsOf(List<PointRecord> points) {
        SweepCounts.Tally tally = SweepCounts.tally();
        points.forEach(point -> add(tally, point));
        return tally.counts();
    }

    private static void add(SweepCounts.Tally tally, PointRecord point) {
        tally.add(point.jobKey(), point.concurrencies(), point.refused());
    }

    private static void insertCounts(Handle h, String runId, SweepCounts counts) {
        h.createUpdate("INSERT INTO run_counts (run_id, configurations, jobs, points, refused_configurations, "
                        + "refused_points) VALUES (:run, :configurations, :jobs, :points, :refusedConfigurations, "
                        + ":refusedPoints)")
                .bind("run", runId).bind("configurations", counts.configurations()).bind("jobs", counts.jobs())
                .bind("points", counts.points()).bind("refusedConfigurations", counts.refusedConfigurations())
                .bind("refusedPoints", counts.refusedPoints())
                .execute();
    }

    /**
     * The run's configurations, jobs and points, refused ones included, as recorded with the run
     * (V10__run_counts.sql). A run recorded before counts were kept has them worked out from its points, and kept
     * from then on.
     */
    public SweepCounts counts(String runId) {
        Optional<SweepCounts> kept = jdbi.withHandle(h -> h.createQuery("SELECT * FROM run_counts WHERE run_id = :run")
                .bind("run", runId)
                .map((rs, ctx) -> new SweepCounts(rs.getInt("configurations"), rs.getInt("jobs"), rs.getInt("points"),
                        rs.getInt("refused_configurations"), rs.getInt("refused_points")))
                .findOne());
        if (kept.isPresent()) {
            return kept.get();
        }
        SweepCounts.Tally tally = SweepCounts.tally();
        forEachPoint(runId, (point, planIndex) -> add(tally, point));
        SweepCounts counts = tally.counts();
        try {
            jdbi.useTransaction(h -> {
                boolean runWithoutCounts = h.createQuery("SELECT COUNT(*) FROM sweep_runs WHERE run_id = :run "
                                + "AND NOT EXISTS (SELECT 1 FROM run_counts WHERE run_id = :run)")
                        .bind("run", runId).mapTo(Integer.class).one() == 1;
                if (runWithoutCounts) {
                    insertCounts(h, runId, counts);
                }
            });
        } catch (RuntimeException notKept) {
            // Another command kept them first (the same counts), or the ledger cannot be written just now: the
            // counts worked out are right all the same, and the next caller tries again.
        }
        return counts;
    }

    /** Every run (of this ledger handle's owner), oldest first. */
    public List<RunRecord> runs() {
        return jdbi.withHandle(h -> owner.bind(h.createQuery(WITH_PLAN + "WHERE 1 = 1"
                        + owner.owns("r.owner") + " ORDER BY r.created_at, r.run_id"))
                .map((rs, ctx) -> Rows.run(rs)).list());
    }

    /** Runs not finished yet, oldest first. */
    public List<RunRecord> activeRuns() {
        return jdbi.withHandle(h -> owner.bind(h.createQuery(WITH_PLAN + "WHERE r.state = :active"
                        + owner.owns("r.owner") + " ORDER BY r.created_at, r.run_id"))
                .bind("active", RunState.ACTIVE.name())
                .map((rs, ctx) -> Rows.run(rs)).list());
    }

    /** The ids of the runs not finished yet, oldest first: {@link #activeRuns()} without reading every plan. */
    public List<String> activeRunIds() {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT run_id FROM sweep_runs WHERE state = :active"
                        + owner.owns("owner") + " ORDER BY created_at, run_id"))
                .bind("active", RunState.ACTIVE.name())
                .mapTo(String.class).list());
    }

    /** Whether the ledger has this run, without reading its plan. */
    public boolean exists(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sweep_runs WHERE run_id = :run")
                .bind("run", runId)
                .mapTo(Integer.class).one()) > 0;
    }

    /**
     * The id of the latest finished run of a sweep recorded before {@code before}, the default baseline of a
     * report: one indexed row, where filtering {@link #runs()} would read every run's plan.
     */
    public Optional<String> previousFinishedRunId(String sweepName, Instant before) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT run_id FROM sweep_runs WHERE sweep_name = :sweep "
                        + "AND state = :finished AND created_at < :before" + owner.owns("owner")
                        + " ORDER BY created_at DESC, run_id DESC LIMIT 1"))
                .bind("sweep", sweepName).bind("finished", RunState.FINISHED.name())
                .bind("before", Rows.instant(Rows.micros(before)))
                .mapTo(String.class).findOne());
    }

    /**
     * The latest finished runs of a sweep recorded before {@code before}, newest first, at most {@code limit}, without
     * their plans (planJson is {@code {}}): the report's history across runs needs their ids and times only.
     */
    public List<RunRecord> previousFinishedRuns(String sweepName, Instant before, int limit) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery(WITHOUT_PLAN
                        + "WHERE sweep_name = :sweep AND state = :finished AND created_at < :before"
                        + owner.owns("owner") + " ORDER BY created_at DESC, run_id DESC LIMIT :limit"))
                .bind("sweep", sweepName).bind("finished", RunState.FINISHED.name())
                .bind("before", Rows.instant(Rows.micros(before))).bind("limit", Math.max(0, limit))
                .map((rs, ctx) -> Rows.run(rs)).list());
    }

    public Optional<RunRecord> run(String runId) {
        return jdbi.withHandle(h -> find(h, runId));
    }

    /** The most recently recorded run of a sweep. */
    public Optional<RunRecord> latestRun(String sweepName) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery(WITH_PLAN + "WHERE r.sweep_name = :sweep"
                        + owner.owns("r.owner") + " ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1"))
                .bind("sweep", sweepName)
                .map((rs, ctx) -> Rows.run(rs)).findOne());
    }

    /** The runs of a sweep not marked finished yet, oldest first. */
    public List<RunRecord> unfinishedRuns(String sweepName) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery(WITH_PLAN + "WHERE r.sweep_name = :sweep "
                        + "AND r.finished_at IS NULL" + owner.owns("r.owner") + " ORDER BY r.created_at, r.run_id"))
                .bind("sweep", sweepName)
                .map((rs, ctx) -> Rows.run(rs)).list());
    }

    /** The run a person names: a run id as it is, else a sweep name as that sweep's latest run. */
    public Optional<RunRecord> runNamed(String sweepOrRun) {
        return run(sweepOrRun).or(() -> latestRun(sweepOrRun));
    }

    /**
     * {@link #runNamed} without its plan: the record's planJson is {@code {}}. For a caller that needs a run's
     * identity, state and times but not its plan, which for a 10,000-point sweep is tens of megabytes.
     */
    public Optional<RunRecord> runNamedWithoutPlan(String sweepOrRun) {
        return runWithoutPlan(sweepOrRun).or(() -> jdbi.withHandle(h -> owner.bind(h.createQuery(WITHOUT_PLAN
                        + "WHERE sweep_name = :sweep" + owner.owns("owner") + " ORDER BY created_at DESC, run_id DESC"
                        + " LIMIT 1"))
                .bind("sweep", sweepOrRun)
                .map((rs, ctx) -> Rows.run(rs)).findOne()));
    }

    /** {@link #run} without its plan: the record's planJson is {@code {}}. */
    public Optional<RunRecord> runWithoutPlan(String runId) {
        return jdbi.withHandle(h -> h.createQuery(WITHOUT_PLAN + "WHERE run_id = :run")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.run(rs)).findOne());
    }

    /**
     * This owner's runs newest first, without their plans (each may be tens of megabytes): what a listing of runs
     * needs. {@code limit} 0 or less: every run.
     */
    public List<RunRecord> runsNewestFirstWithoutPlan(int limit) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery(WITHOUT_PLAN + "WHERE 1 = 1" + owner.owns("owner")
                        + " ORDER BY created_at DESC, run_id DESC" + (limit > 0 ? " LIMIT " + limit : "")))
                .map((rs, ctx) -> Rows.run(rs)).list());
    }

    /** How many points a run has, and how many of them preflight refused. */
    public record PointCounts(int points, int refused) {
    }

    /** {@link PointCounts} of a run, counted by the database (no point JSON read). */
    public PointCounts pointCounts(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) AS points, "
                        + "COALESCE(SUM(CASE WHEN state = :refused THEN 1 ELSE 0 END), 0) AS refused "
                        + "FROM points WHERE run_id = :run")
                .bind("run", runId).bind("refused", PointState.REFUSED.name())
                .map((rs, ctx) -> new PointCounts(rs.getInt("points"), rs.getInt("refused"))).one());
    }

    /** Every point of this owner's runs with this id (the same point recurs in each run of a sweep), oldest first. */
    public List<PointRecord> pointsWithId(String pointId) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT p.* FROM points p JOIN sweep_runs r "
                        + "ON r.run_id = p.run_id WHERE p.point_id = :point" + owner.owns("r.owner")
                        + " ORDER BY r.created_at, r.run_id"))
                .bind("point", pointId)
                .map((rs, ctx) -> Rows.point(rs)).list());
    }

    /**
     * A finished run's headline as {@link #recordHeadline} left it, or empty when it has none (it was finished before
     * headlines were kept, or is not finished).
     */
    public Optional<String> headline(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT headline_json FROM run_headlines WHERE run_id = :run")
                .bind("run", runId).mapTo(String.class).findOne());
    }

    /**
     * Keeps a finished run's headline for the reports of later runs (V7__run_headlines.sql says why), replacing any
     * earlier one: it is worked out from the run's rows, which do not change once it finished.
     */
    public void recordHeadline(String runId, String headlineJson) {
        Objects.requireNonNull(headlineJson, "headlineJson");
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM run_headlines WHERE run_id = :run").bind("run", runId).execute();
            h.createUpdate("INSERT INTO run_headlines (run_id, headline_json) VALUES (:run, :headline)")
                    .bind("run", runId).bind("headline", headlineJson).execute();
        });
    }

    /**
     * What the run's jobs are now, as {@link #recordComparisonRows} keeps it beside the rows: their count, latest
     * update and latest job event (every change of a job's state is one; event ids only grow, whatever the clock
     * does). The run's own events (finished) are not its jobs': the rows are kept just before the run finishes.
     * Taken before the rows are read, so rows recorded with it are never newer than it says.
     */
    public String jobsSeen(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM jobs WHERE run_id = :run) AS n, "
                        + "(SELECT MAX(updated_at) FROM jobs WHERE run_id = :run) AS latest, "
                        + "(SELECT MAX(id) FROM events WHERE run_id = :run AND job_key IS NOT NULL) AS event")
                .bind("run", runId)
                .map((rs, ctx) -> rs.getLong("n") + " jobs, latest update " + Rows.instant(rs, "latest")
                        + ", event " + rs.getLong("event"))
                .one());
    }

    /**
     * A run's comparison rows as {@link #recordComparisonRows} kept them, while they still match the ledger (see
     * V9__run_comparison_rows.sql): its jobs are as {@code jobsSeen} says, and no result of it was recorded since.
     */
    public Optional<String> comparisonRows(String runId, String jobsSeen) {
        return jdbi.withHandle(h -> h.createQuery("SELECT rows_json FROM run_comparison_rows "
                        + "WHERE run_id = :run AND jobs_seen = :seen")
                .bind("run", runId).bind("seen", jobsSeen).mapTo(String.class).findOne());
    }

    /** Whether the run has comparison rows taken when its jobs were as {@code jobsSeen} says. */
    public boolean hasComparisonRows(String runId, String jobsSeen) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM run_comparison_rows "
                        + "WHERE run_id = :run AND jobs_seen = :seen")
                .bind("run", runId).bind("seen", jobsSeen).mapTo(Long.class).one() > 0);
    }

    /** Keeps a finished run's comparison rows, worked out when its jobs were as {@code jobsSeen} says. */
    public void recordComparisonRows(String runId, String jobsSeen, String rowsJson) {
        Objects.requireNonNull(jobsSeen, "jobsSeen");
        Objects.requireNonNull(rowsJson, "rowsJson");
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM run_comparison_rows WHERE run_id = :run").bind("run", runId).execute();
            h.createUpdate("INSERT INTO run_comparison_rows (run_id, jobs_seen, rows_json) "
                            + "VALUES (:run, :seen, :rows)")
                    .bind("run", runId).bind("seen", jobsSeen).bind("rows", rowsJson).execute();
        });
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
                find(h, runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
                return;
            }
            Events.write(h, runId, null, now(), EventKind.RUN_FINISHED, null, null, "finished at " + finishedAt, null);
        });
    }

    /** The run's points in plan order, refused ones included. */
    public List<PointRecord> points(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM points WHERE run_id = :run ORDER BY plan_index")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.point(rs)).list());
    }

    /**
     * The run's points with their plan index, handed over one at a time as they are read, in no particular order: a
     * large run's point JSON is tens of megabytes, which {@link #points(String)} holds at once, and a sort would
     * too (on H2 in a temporary file). The reader puts them in plan order by the index when it needs that order.
     */
    public void forEachPoint(String runId, ObjIntConsumer<PointRecord> action) {
        jdbi.useHandle(h -> StreamedReads.lazily(h, () -> h.createQuery(
                        "SELECT * FROM points WHERE run_id = :run")
                .bind("run", runId)
                .map((rs, ctx) -> Map.entry(rs.getInt("plan_index"), Rows.point(rs)))
                .forEach(indexed -> action.accept(indexed.getValue(), indexed.getKey()))));
    }

    /** One job's points in plan order (what a report re-reads when that job ends). */
    public List<PointRecord> points(String runId, String jobKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM points WHERE run_id = :run AND job_key = :job "
                        + "ORDER BY plan_index")
                .bind("run", runId).bind("job", jobKey)
                .map((rs, ctx) -> Rows.point(rs)).list());
    }

    /**
     * A job with this key that completed in a run of the same sweep, the most recent one if several did.
     * Reused records do not count: the answer always names the run that actually ran the job. Here rather than
     * in {@link JobStore} because it is how {@link #recordRun} decides what a re-dropped sweep needs to run.
     */
    public Optional<JobRecord> completedEarlier(String sweepName, String jobKey) {
        return jdbi.withHandle(h -> completedEarlier(h, sweepName, jobKey));
    }

    private Optional<JobRecord> completedEarlier(Handle h, String sweepName, String jobKey) {
        return owner.bind(h.createQuery("SELECT j.* FROM jobs j JOIN sweep_runs r ON r.run_id = j.run_id "
                        + "WHERE r.sweep_name = :sweep AND j.job_key = :job AND j.state = :completed "
                        + "AND j.reused_from_run IS NULL" + owner.owns("r.owner")
                        + " ORDER BY j.updated_at DESC, j.run_id DESC LIMIT 1"))
                .bind("sweep", sweepName).bind("job", jobKey).bind("completed", JobState.COMPLETED.name())
                .map((rs, ctx) -> Rows.job(rs)).findOne();
    }
    static Optional<RunRecord> find(Handle h, String runId) {
        return h.createQuery(WITH_PLAN + "WHERE r.run_id = :run")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.run(rs)).findOne();
    }

    private static void requireRun(RunRecord run, String runId, String what) {
        if (!run.runId().equals(runId)) {
            throw new IllegalArgumentException(what + " belongs to run " + runId + ", not " + run.runId());
        }
    }

    private Instant now() {
        return Rows.micros(clock.instant());
    }
}
