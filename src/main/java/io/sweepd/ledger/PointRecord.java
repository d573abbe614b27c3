package io.sweepd.ledger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sweepd.core.PointState;
import io.sweepd.json.Json;

import java.io.IOException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

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

    /**
     * The points this record stands for: its distinct concurrencies (a single-node entry has one, a multinode entry
     * its conc list), so status counts what the plan and the report count. An entry without concurrencies stands for
     * one.
     */
    public int concurrencies() {
        // Streamed to its "conc" only: a tree of every point's JSON made status on a 10,000-point run take seconds.
        try (JsonParser parser = Json.MAPPER.createParser(matrixJson)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return 1;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!name.equals("conc")) {
                    parser.skipChildren();
                } else if (value == JsonToken.START_ARRAY) {
                    Set<Integer> distinct = new HashSet<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        distinct.add(parser.getValueAsInt());
                    }
                    return Math.max(1, distinct.size());
                } else {
                    return 1;
                }
            }
            return 1;
        } catch (IOException e) {
            return 1; // an unreadable entry still stands for its point
        }
    }
}
