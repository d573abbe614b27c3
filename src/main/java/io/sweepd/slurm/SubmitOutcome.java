package io.sweepd.slurm;

import java.util.Objects;

/** What became of one {@code sbatch}: a job id, or a failure worth retrying, or one that is not. */
public sealed interface SubmitOutcome {

    enum Kind { SUBMITTED, TRANSIENT, PERMANENT }

    Kind kind();

    /**
     * @param cluster the cluster name from "12345;cluster" (federations, multi-cluster); null when sbatch printed
     *                the id alone
     */
    record Submitted(String jobId, String cluster) implements SubmitOutcome {
        public Submitted {
            Objects.requireNonNull(jobId, "jobId");
        }

        @Override
        public Kind kind() {
            return Kind.SUBMITTED;
        }
    }

    /**
     * Retry later with backoff.
     *
     * @param message         Slurm's error line, or a sentence about the timeout
     * @param mayHaveSubmitted the controller may have created the job although no id came back (sbatch timed out,
     *                        "Socket timed out on send/recv"): look it up by name before submitting again
     */
    record Transient(String message, boolean mayHaveSubmitted) implements SubmitOutcome {
        public Transient {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Kind kind() {
            return Kind.TRANSIENT;
        }
    }

    /** The job can never be submitted as written; message is Slurm's own line, e.g. "... Invalid partition name specified". */
    record Permanent(String message) implements SubmitOutcome {
        public Permanent {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Kind kind() {
            return Kind.PERMANENT;
        }
    }
}
