package io.sweepd.slurm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What Slurm (squeue, sacct or scontrol) says about one job.
 *
 * @param state      the state as the Slurm client reads it
 * @param slurmState Slurm's own state text, e.g. "CANCELLED by 1000"
 * @param reason     Slurm's reason ("Resources", "NonZeroExitCode", "TimeLimit", "None"); "" when not reported
 * @param exitCode   "exit:signal" as Slurm prints it ("1:0", "0:15"); "" when the source does not report it (squeue)
 * @param nodeList   e.g. "gpu-node[1-2]"; "" when no node is allocated
 * @param start      when the job started; null when it has not (an expected start time is not a start)
 * @param end        when the job ended; null while it is live (an expected end time is not an end)
 */
public record SlurmJobInfo(String jobId, String jobName, SlurmState state, String slurmState, String reason,
        String exitCode, String nodeList, Duration elapsed, Instant start, Instant end) {

    public SlurmJobInfo {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        jobName = Objects.requireNonNullElse(jobName, "");
        slurmState = Objects.requireNonNullElse(slurmState, "");
        reason = Objects.requireNonNullElse(reason, "");
        exitCode = Objects.requireNonNullElse(exitCode, "");
        nodeList = Objects.requireNonNullElse(nodeList, "");
        elapsed = Objects.requireNonNullElse(elapsed, Duration.ZERO);
    }

    /** The script's exit status from "exit:signal", when Slurm reported one. */
    public OptionalInt exitStatus() {
        return exitPart(0);
    }

    /** The signal that ended the job from "exit:signal" (15 for a cancel or a time limit), when reported. */
    public OptionalInt signal() {
        return exitPart(1);
    }

    private OptionalInt exitPart(int index) {
        String[] parts = exitCode.split(":");
        if (parts.length != 2) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(parts[index].strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
