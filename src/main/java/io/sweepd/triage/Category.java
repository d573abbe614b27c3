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
    /** Two installed packages, or the model and the framework, expect different versions of each other. */
    DEPENDENCY_MISMATCH,
    /** A module or library the workload imports is not in the image at all. */
    MISSING_DEPENDENCY,
    /** The engine rejects an argument or its value. */
    UNSUPPORTED_ARGUMENT,
    /** NVSHMEM, NCCL, a torch store or rendezvous failing to set up communication between ranks. */
    COMMUNICATION_BOOTSTRAP,
    /** A collective (NCCL all-reduce, a gloo barrier) that set up fine but did not finish in time. */
    COLLECTIVE_TIMEOUT,
    /** InfiniBand, RoCE or UCX failing under an established connection: the fabric, not the configuration. */
    NETWORK_FABRIC,
    /** The KV-cache transfer between prefill and decode (NIXL, Mooncake) failed in disaggregated serving. */
    KV_TRANSFER,
    GPU_OUT_OF_MEMORY,
    /** The engine started but its KV cache cannot hold one sequence of max-model-len. */
    KV_CACHE_TOO_SMALL,
    /** The host's memory (the cgroup limit), not the GPU's. */
    HOST_OUT_OF_MEMORY,
    /** A disk, or the shared memory (/dev/shm) the workers exchange tensors through, is full. */
    DISK_FULL,
    /** A GPU kernel faulted: illegal memory access, a device-side assert, a crash in a CUDA library. */
    GPU_KERNEL_CRASH,
    /** The workload died of an exception or abort no specific signature names (its message is the evidence). */
    ENGINE_CRASH,
    BENCHMARK_CLIENT,
    PARALLEL_CONFIG,
    /** The server was not healthy before a deadline (the orchestrator's, a launcher's or sweepd's). */
    STARTUP_DEADLINE,
    /** The job script never got to run its workload, or Slurm could not start a step of it. */
    JOB_LAUNCH_FAILURE,
    /** The container image could not be imported or the container not started (pyxis/enroot, apptainer). */
    CONTAINER_IMAGE,
    /** The model could not be downloaded: a gated repository, a missing token, the hub not answering. */
    MODEL_DOWNLOAD,
    TIME_LIMIT,
    NODE_FAILURE,
    /** A GPU failed in hardware (Xid, uncorrectable ECC, fell off the bus): run elsewhere. */
    GPU_HARDWARE,
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
