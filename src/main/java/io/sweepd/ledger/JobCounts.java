package io.sweepd.ledger;

import io.sweepd.core.JobState;
import org.jdbi.v3.core.Jdbi;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts over every job in the ledger, for the daemon's metrics: one query each, however many jobs there are, so
 * a Prometheus scrape costs the database two small aggregates. Thread-safe.
 */
public final class JobCounts {

    private final Jdbi jdbi;
    private final Owner owner;

    JobCounts(Jdbi jdbi, Owner owner) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** Jobs per state, every state present (0 where no job is in it), in {@link JobState} order. */
    public Map<JobState, Long> byState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        jdbi.useHandle(h -> owner.bind(h.createQuery("SELECT state, COUNT(*) AS n FROM jobs WHERE 1 = 1"
                        + owner.ownsRun("run_id") + " GROUP BY state"))
                .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getLong("n")))
                .forEach(row -> counts.merge(JobState.valueOf(row.getKey()), row.getValue(), Long::sum)));
        return counts;
    }

    /**
     * How many times a job was handed to sbatch (every attempt, retries included): the PLANNED -> SUBMITTING
     * changes in the audit trail, which the ledger writes before sbatch runs and never deletes.
     */
    public long submissions() {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT COUNT(*) FROM events WHERE kind = :kind "
                        + "AND from_state = :planned AND to_state = :submitting" + owner.ownsRun("run_id")))
                .bind("kind", EventKind.STATE.name()).bind("planned", JobState.PLANNED.name())
                .bind("submitting", JobState.SUBMITTING.name())
                .mapTo(Long.class).one());
    }
}
