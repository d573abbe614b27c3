package io.sweepd.slurm;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads Slurm's job state names into {@link SlurmState}, and tells hopeless pending reasons from waiting ones. */
public final class SlurmStates {

    private static final Logger LOG = LoggerFactory.getLogger(SlurmStates.class);

    private static final Map<String, SlurmState> BY_SLURM_STATE = Map.ofEntries(
            Map.entry("PENDING", SlurmState.PENDING),
            // Nodes are allocated but still booting: the script has not started, so no log line can be expected yet.
            Map.entry("CONFIGURING", SlurmState.PENDING),
            // Held because its reservation was deleted: waiting, like any held job.
            Map.entry("RESV_DEL_HOLD", SlurmState.PENDING),
            Map.entry("REQUEUED", SlurmState.REQUEUED),
            Map.entry("REQUEUE_FED", SlurmState.REQUEUED),
            Map.entry("REQUEUE_HOLD", SlurmState.REQUEUED),
            Map.entry("RUNNING", SlurmState.RUNNING),
            // COMPLETING is not an outcome: after a time limit Slurm shows COMPLETING/TimeLimit, then TIMEOUT.
            Map.entry("COMPLETING", SlurmState.RUNNING),
            Map.entry("SUSPENDED", SlurmState.RUNNING),
            Map.entry("STOPPED", SlurmState.RUNNING),
            Map.entry("SIGNALING", SlurmState.RUNNING),
            Map.entry("STAGE_OUT", SlurmState.RUNNING),
            Map.entry("RESIZING", SlurmState.RUNNING),
            Map.entry("COMPLETED", SlurmState.COMPLETED),
            Map.entry("FAILED", SlurmState.FAILED),
            // The job asked for special handling by exiting with a configured code: still a failed run.
            Map.entry("SPECIAL_EXIT", SlurmState.FAILED),
            // Nodes failed to boot: infrastructure, like a node failure, worth retrying.
            Map.entry("BOOT_FAIL", SlurmState.NODE_FAIL),
            Map.entry("TIMEOUT", SlurmState.TIMEOUT),
            // Slurm's own --deadline: the job ran out of the time it was given, as with a time limit.
            Map.entry("DEADLINE", SlurmState.TIMEOUT),
            Map.entry("CANCELLED", SlurmState.CANCELLED),
            // A federated sibling started elsewhere; this copy will never run.
            Map.entry("REVOKED", SlurmState.CANCELLED),
            Map.entry("NODE_FAIL", SlurmState.NODE_FAIL),
            Map.entry("OUT_OF_MEMORY", SlurmState.OUT_OF_MEMORY),
            Map.entry("PREEMPTED", SlurmState.PREEMPTED));

    /**
     * Pending reasons that cannot clear without someone changing the job or the cluster's configuration: the job
     * itself exceeds a partition, QOS or association limit, or asks for something no node has.
     */
    private static final Set<String> HOPELESS_REASONS = Set.of(
            "PartitionNodeLimit", "PartitionConfig", "PartitionTimeLimit", "BadConstraints",
            "DependencyNeverSatisfied", "InvalidAccount", "InvalidQOS");

    /**
     * The state flags Slurm prints instead of the base state when they are set, in the order Slurm's own
     * {@code job_state_string()} tests them: a job past its time limit is TIMEOUT with COMPLETING set, and squeue
     * calls it COMPLETING until its processes are gone.
     */
    private static final List<String> PRINTED_FLAGS = List.of("COMPLETING", "STAGE_OUT", "CONFIGURING", "RESIZING",
            "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "SPECIAL_EXIT", "STOPPED", "REVOKED", "RESV_DEL_HOLD",
            "SIGNALING");

    /** Per-job QOS/association limits (QOSMaxGRESPerJob, AssocMaxWallDurationPerJobLimit...) and QOS minimums. */
    private static final Pattern HOPELESS_LIMIT = Pattern.compile("(QOS|Assoc)Max\\w*PerJob\\w*|QOSMin\\w+");

    private SlurmStates() {
    }

    /**
     * The state for a Slurm state name as squeue (%T), sacct (State, e.g. "CANCELLED by 1000") or scontrol
     * (JobState=) print it; {@link SlurmState#UNKNOWN} (logged) for a name this table does not know.
     */
    public static SlurmState fromSlurm(String slurmState) {
        SlurmState state = BY_SLURM_STATE.get(baseState(slurmState));
        if (state == null) {
            LOG.warn("Unknown Slurm job state '{}': not an outcome, asking again until Slurm reports one", slurmState);
            return SlurmState.UNKNOWN;
        }
        return state;
    }

    /**
     * The one state name Slurm's text output would print for a JSON {@code job_state}: up to 23.02 that is already
     * one name; from 23.11 on it is the base state and its flags as a list (["TIMEOUT", "COMPLETING"]), which
     * this reduces the way Slurm's {@code job_state_string()} does, a printed flag before the base state. The
     * result goes to {@link #fromSlurm}, so every source of a state meets the same table.
     */
    public static String slurmState(List<String> baseAndFlags) {
        for (String flag : PRINTED_FLAGS) {
            if (baseAndFlags.contains(flag)) {
                return flag;
            }
        }
        return baseAndFlags.stream().filter(SlurmStates::known).findFirst()
                .orElse(baseAndFlags.isEmpty() ? "" : baseAndFlags.get(0));
    }

    /** True when Slurm knows this state (so {@link #fromSlurm} does not fall back). */
    public static boolean known(String slurmState) {
        return BY_SLURM_STATE.containsKey(baseState(slurmState));
    }

    /**
     * True when a PENDING job with this reason will never start as submitted (more nodes, time or GPUs than the
     * partition or QOS allows). Waiting reasons (Resources, Priority, ReqNodeNotAvail, Dependency, BeginTime,
     * held jobs, per-user limits) are not hopeless: they clear when other jobs end or an admin acts.
     *
     * <p>Caveat from Slurm's documentation: PartitionNodeLimit also shows while required nodes are DOWN or
     * DRAINED, so a caller may want to see it on a few consecutive polls before cancelling.
     */
    public static boolean hopelessPendingReason(String reason) {
        if (reason == null) {
            return false;
        }
        // "ReqNodeNotAvail, UnavailableNodes:gpu-node1": the code is the first word.
        String code = reason.strip().split("[,\\s(]", 2)[0];
        return HOPELESS_REASONS.contains(code) || HOPELESS_LIMIT.matcher(code).matches();
    }

    /** "CANCELLED by 0" -> "CANCELLED", "completed" -> "COMPLETED". */
    static String baseState(String slurmState) {
        if (slurmState == null) {
            return "";
        }
        String trimmed = slurmState.strip();
        int cut = 0;
        while (cut < trimmed.length() && !Character.isWhitespace(trimmed.charAt(cut)) && trimmed.charAt(cut) != '+') {
            cut++;
        }
        return trimmed.substring(0, cut).toUpperCase(Locale.ROOT);
    }
}
