package io.sweepd.ledger;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The collected results of jobs: one row per (run, point, concurrency), written by the collector and read by
 * reports. A job's results are replaced as a whole in one transaction, so a report never sees half a collection.
 * Thread-safe.
 */
public final class ResultStore {

    private final Jdbi jdbi;
    private final Clock clock;

    ResultStore(Jdbi jdbi, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

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
            JobStore.require(h, runId, jobKey);
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
            if (changed > 0) {
                // The rows a later report compares against no longer say what this run measured.
                h.createUpdate("DELETE FROM run_comparison_rows WHERE run_id = :run").bind("run", runId).execute();
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

    /**
     * The run's results, handed over one at a time as they are read, in no particular order. Not sorted: a sort
     * needs the whole result first (on H2 a large one goes to a temporary file: for a 10,000-point run, 20 MB of JSON
     * written and read back, most of the report's time), and the reader groups them by point anyway.
     */
    public void forEachResult(String runId, Consumer<ResultRecord> action) {
        jdbi.useHandle(h -> StreamedReads.lazily(h, () -> h.createQuery(
                        "SELECT * FROM results WHERE run_id = :run")
                .bind("run", runId)
                .map((rs, ctx) -> ResultRecord.read(rs)).forEach(action)));
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

    private Instant now() {
        return Rows.micros(clock.instant());
    }
}
