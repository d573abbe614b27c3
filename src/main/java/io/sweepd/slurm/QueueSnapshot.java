package io.sweepd.slurm;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code squeue} answer for all of this daemon's jobs, or why there is none.
 *
 * <p>squeue -t all lists finished jobs too until slurmctld purges them (MinJobAge), so a job in the snapshot may
 * already be terminal; a job not in it has left the queue and is resolved with sacct.
 *
 * @param jobs    by job id, in squeue's order; empty when the snapshot failed
 * @param failure why squeue gave no answer; null when it did
 */
public record QueueSnapshot(Instant takenAt, Map<String, SlurmJobInfo> jobs, SlurmFailure failure) {

    public QueueSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        jobs = jobs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
    }

    public static QueueSnapshot of(Instant takenAt, List<SlurmJobInfo> rows) {
        Map<String, SlurmJobInfo> byId = new LinkedHashMap<>();
        rows.forEach(row -> byId.put(row.jobId(), row));
        return new QueueSnapshot(takenAt, byId, null);
    }

    public static QueueSnapshot failed(Instant takenAt, SlurmFailure failure) {
        return new QueueSnapshot(takenAt, Map.of(), Objects.requireNonNull(failure, "failure"));
    }

    public boolean ok() {
        return failure == null;
    }

    public Optional<SlurmFailure> failureIfAny() {
        return Optional.ofNullable(failure);
    }

    public Optional<SlurmJobInfo> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /**
     * The ids among {@code liveJobIds} that squeue no longer lists: they left the queue. Refused on a failed
     * snapshot, where absence means nothing.
     */
    public Set<String> absent(Collection<String> liveJobIds) {
        if (!ok()) {
            throw new IllegalStateException("squeue failed, absence proves nothing: " + failure.message());
        }
        Set<String> absent = new LinkedHashSet<>();
        for (String id : liveJobIds) {
            if (!jobs.containsKey(id)) {
                absent.add(id);
            }
        }
        return absent;
    }
}
