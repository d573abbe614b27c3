package io.sweepd.slurm;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each kind of Slurm command may run. Slurm's clients give up on an unreachable controller after about
 * 9 s by themselves; these bound everything else (a hung slurmdbd, a stuck file system).
 *
 * @param submit sbatch; generous because sbatch itself waits and retries while the controller is busy
 * @param query  squeue, sacct, scontrol
 * @param cancel scancel
 */
public record SlurmTimeouts(Duration submit, Duration query, Duration cancel) {

    public SlurmTimeouts {
        Objects.requireNonNull(submit, "submit");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(cancel, "cancel");
    }

    public static SlurmTimeouts defaults() {
        return new SlurmTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
}
