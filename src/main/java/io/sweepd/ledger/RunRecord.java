package io.sweepd.ledger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One planned sweep: a sweep file dropped in the inbox, or one firing of its schedule.
 *
 * @param runId           {@code <sweep-name>-<yyyyMMdd-HHmmss>}, see {@link #runId(String, Instant)}
 * @param sourceFile      the sweep file as it was read
 * @param sourceDir       where its CONFIG_FILE recipes resolve first
 * @param profileOverride the cluster profile that placed every point, or null
 * @param planJson        the whole plan as JSON
 * @param createdAt       stamped by the ledger's clock when the run is recorded
 * @param finishedAt      null until {@link RunStore#finishRun(String, Instant)}
 */
public record RunRecord(String runId, String sweepName, String sourceFile, String sourceDir,
                        String profileOverride, String planJson, Instant createdAt, Instant finishedAt,
                        RunState state) {

    private static final DateTimeFormatter RUN_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sweepName, "sweepName");
        Objects.requireNonNull(planJson, "planJson");
    }

    /** A run about to be recorded: the ledger stamps its creation time and makes it {@link RunState#ACTIVE}. */
    public static RunRecord planned(String runId, String sweepName, String sourceFile, String sourceDir,
                                    String profileOverride, String planJson) {
        return new RunRecord(runId, sweepName, sourceFile, sourceDir, profileOverride, planJson, null, null,
                RunState.ACTIVE);
    }

    /** The conventional run id. UTC, so ids sort by time and never repeat across a daylight-saving change. */
    public static String runId(String sweepName, Instant at) {
        return sweepName + "-" + RUN_STAMP.format(at);
    }

    public boolean finished() {
        return state == RunState.FINISHED;
    }
}
