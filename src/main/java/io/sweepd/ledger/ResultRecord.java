package io.sweepd.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * The collected result of one concurrency of one point.
 *
 * @param jobKey      the job that produced it
 * @param reason      why the row is {@link ResultState#INVALID}, else null
 * @param metricsJson the derived metrics as a JSON object (InferenceMAX process_result.py field names), or null
 * @param evalJson    lm-eval scores and verdicts as a JSON object, or null when no eval belongs to this row
 * @param resultFile  the benchmark JSON the row was read from, relative to the job's results directory, or null
 * @param recordedAt  set by the ledger when the row is first written or changed; ignored when recording
 */
public record ResultRecord(String runId, String pointId, int conc, String jobKey, ResultState state, String reason,
                           String metricsJson, String evalJson, String resultFile, Instant recordedAt) {

    public ResultRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(pointId, "pointId");
        Objects.requireNonNull(jobKey, "jobKey");
        Objects.requireNonNull(state, "state");
    }

    /** A row about to be recorded: the ledger stamps the time. */
    public static ResultRecord of(String runId, String pointId, int conc, String jobKey, ResultState state,
                                  String reason, String metricsJson, String evalJson, String resultFile) {
        return new ResultRecord(runId, pointId, conc, jobKey, state, reason, metricsJson, evalJson, resultFile, null);
    }

    /** Same content, whenever it was recorded: what makes recording the same results twice a no-op. */
    boolean sameContent(ResultRecord other) {
        return runId.equals(other.runId) && pointId.equals(other.pointId) && conc == other.conc
                && jobKey.equals(other.jobKey) && state == other.state && Objects.equals(reason, other.reason)
                && Objects.equals(metricsJson, other.metricsJson) && Objects.equals(evalJson, other.evalJson)
                && Objects.equals(resultFile, other.resultFile);
    }

    static ResultRecord read(ResultSet rs) throws SQLException {
        OffsetDateTime recorded = rs.getObject("recorded_at", OffsetDateTime.class);
        return new ResultRecord(rs.getString("run_id"), rs.getString("point_id"), rs.getInt("conc"),
                rs.getString("job_key"), ResultState.valueOf(rs.getString("state")), rs.getString("reason"),
                rs.getString("metrics_json"), rs.getString("eval_json"), rs.getString("result_file"),
                recorded == null ? null : recorded.toInstant());
    }
}
