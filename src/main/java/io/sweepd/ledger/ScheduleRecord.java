package io.sweepd.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A sweep that re-runs on a cron schedule. The fields from {@code registeredAt} on belong to the ledger: it
 * stamps and updates them, and ignores them in a record handed to {@link ScheduleStore#register}.
 *
 * @param name            the sweep's name; one schedule per sweep
 * @param cron            a Quartz cron expression (seconds first), read in the daemon's time zone
 * @param source          where it was registered from
 * @param sourceFile      the file it was registered from; its base name is the sweep's default name
 * @param sourceDir       where CONFIG_FILE recipes resolve first
 * @param profileOverride the profile that places every point (submit --profile), or null
 * @param sweepText       the sweep file's text, so a firing after a restart needs no file
 * @param lastFiredAt     the last firing, whether it made a run or was skipped
 * @param lastRunId       the run the last firing that made one recorded
 * @param lastSkippedAt   the last firing that made no run
 * @param lastSkipReason  why it made none
 * @param fileProblem     what is wrong with the schedules/ file now (the schedule keeps its last good text)
 */
public record ScheduleRecord(String name, String cron, ScheduleSource source, String sourceFile, String sourceDir,
                             String profileOverride, String sweepText, Instant registeredAt, Instant lastFiredAt,
                             String lastRunId, Instant lastSkippedAt, String lastSkipReason, String fileProblem) {

    public ScheduleRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceFile, "sourceFile");
        Objects.requireNonNull(sweepText, "sweepText");
    }

    /** A schedule about to be registered. */
    public static ScheduleRecord of(String name, String cron, ScheduleSource source, String sourceFile,
                                    String sourceDir, String profileOverride, String sweepText) {
        return new ScheduleRecord(name, cron, source, sourceFile, sourceDir, profileOverride, sweepText, null, null,
                null, null, null, null);
    }

    /** Whether registering {@code other} would change what this schedule fires. */
    public boolean sameDefinition(ScheduleRecord other) {
        return name.equals(other.name) && cron.equals(other.cron) && source == other.source
                && sourceFile.equals(other.sourceFile) && Objects.equals(sourceDir, other.sourceDir)
                && Objects.equals(profileOverride, other.profileOverride) && sweepText.equals(other.sweepText);
    }
}
