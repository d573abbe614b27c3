package io.sweepd.ledger;

import io.sweepd.core.JobState;

import java.time.Instant;

/**
 * One entry of the append-only audit trail.
 *
 * @param id          increases with every event, across runs
 * @param jobKey      null for run-level events
 * @param fromState   the job's state before a {@link EventKind#STATE} change (null when the job was created)
 * @param toState     the job's state after it
 * @param detailsJson what the caller knew when it reported the change (a JSON object), or null
 */
public record EventRecord(long id, String runId, String jobKey, Instant at, EventKind kind, JobState fromState,
                          JobState toState, String message, String detailsJson) {
}
