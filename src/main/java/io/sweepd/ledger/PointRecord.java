package io.sweepd.ledger;

import io.sweepd.core.PointState;

import java.util.Objects;

/**
 * One matrix point of a run.
 *
 * @param jobKey        the job that runs it; a refused point keeps the key it would have had, and has no job row
 * @param matrixJson    the point as the plan shows it (InferenceMAX's matrix fields plus sweepd's own)
 * @param refusedReason null unless {@code state} is {@link PointState#REFUSED}
 */
public record PointRecord(String runId, String pointId, String jobKey, String matrixJson, String refusedReason,
                          PointState state) {

    public PointRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(pointId, "pointId");
        Objects.requireNonNull(jobKey, "jobKey");
        Objects.requireNonNull(matrixJson, "matrixJson");
        Objects.requireNonNull(state, "state");
        if ((state == PointState.REFUSED) != (refusedReason != null)) {
            throw new IllegalArgumentException("point " + pointId + ": a refused point needs a reason, "
                    + "and only a refused point has one");
        }
    }

    /** The state follows from the reason: a point with a refusal reason is refused. */
    public static PointRecord of(String runId, String pointId, String jobKey, String matrixJson,
                                 String refusedReason) {
        return new PointRecord(runId, pointId, jobKey, matrixJson, refusedReason,
                refusedReason == null ? PointState.PLANNED : PointState.REFUSED);
    }

    public boolean refused() {
        return state == PointState.REFUSED;
    }
}
