package io.sweepd.slurm;

import java.util.Objects;

/**
 * A Slurm command that did not answer the question.
 *
 * @param message Slurm's own error line, e.g. "squeue: error: Unable to contact slurm controller (connect failure)"
 */
public record SlurmFailure(FailureKind kind, String message) {

    public SlurmFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public boolean isTransient() {
        return kind == FailureKind.TRANSIENT;
    }
}
