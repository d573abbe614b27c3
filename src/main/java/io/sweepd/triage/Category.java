package io.sweepd.triage;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What kind of failure a job died of. A small closed set, because reports group by it and people learn what
 * each means; the signatures (data) pick one, and only triage itself answers {@link #UNKNOWN}.
 */
public enum Category {
    DEPENDENCY_MISMATCH,
    UNSUPPORTED_ARGUMENT,
    /** NVSHMEM, NCCL or InfiniBand failing to set up or keep communication between ranks. */
    COMMUNICATION_BOOTSTRAP,
    GPU_OUT_OF_MEMORY,
    /** The host's memory (the cgroup limit), not the GPU's. */
    HOST_OUT_OF_MEMORY,
    BENCHMARK_CLIENT,
    PARALLEL_CONFIG,
    /** The server was not healthy before a deadline (the orchestrator's or sweepd's). */
    STARTUP_DEADLINE,
    /** The job script never got to run its workload: no log, exit 0:53, JobLaunchFailure. */
    JOB_LAUNCH_FAILURE,
    TIME_LIMIT,
    NODE_FAILURE,
    PREEMPTED,
    /** Cancelled with nothing in the logs to explain it: a person (or a deadline without a verdict) did it. */
    CANCELLED,
    CONTROLLER_UNREACHABLE,
    /** The job completed but its results failed the validity gate. */
    BENCHMARK_INVALID,
    UNKNOWN;

    /** The kebab-case name data files and JSON use: {@code gpu-out-of-memory}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Category> fromId(String id) {
        return Arrays.stream(values()).filter(c -> c.id().equals(id)).findFirst();
    }

    /** The categories a signature may name ({@link #UNKNOWN} is triage's own answer). */
    public static List<String> signatureIds() {
        return Arrays.stream(values()).filter(c -> c != UNKNOWN).map(Category::id).toList();
    }

    @Override
    public String toString() {
        return id();
    }
}
