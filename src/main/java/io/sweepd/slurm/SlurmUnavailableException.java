package io.sweepd.slurm;

/**
 * Slurm could not be asked (controller or database unreachable, a timeout), so "Slurm does not know this job" cannot
 * be concluded. Thrown by the look-ups whose empty answer means exactly that ({@code accounting}, {@code showJob},
 * {@code findByName}); {@code submit} and {@code queue} return their failures as values instead.
 */
public class SlurmUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SlurmFailure failure;

    public SlurmUnavailableException(SlurmFailure failure) {
        super(failure.message());
        this.failure = failure;
    }

    public SlurmFailure failure() {
        return failure;
    }
}
