package io.sweepd.slurm;

import java.util.List;
import java.util.Locale;

import io.sweepd.exec.CommandResult;

/** Classifies failed Slurm commands by the text Slurm prints. Pure. */
public final class SlurmErrors {

    /**
     * Errors that go away by themselves: the controller, database or munge is unreachable or busy, or a submit-count limit
     * is reached and frees up as jobs finish. "job submit limit" is how sbatch words a MaxSubmitJobs refusal
     * (ESLURM_ACCOUNTING_POLICY); the same message also covers size/time limits, but those only refuse at submit
     * with DenyOnLimit, otherwise the job pends with a QOS/Assoc reason, so a retry cap on the caller's side is
     * enough.
     */
    private static final List<String> TRANSIENT_MARKERS = List.of(
            "unable to contact slurm controller",
            "socket timed out",
            "slurm temporarily unable to accept job",
            "zero bytes were transmitted or received",
            // The client could not fetch its configuration (controller unreachable in configless mode, or
            // SLURM_CONF pointing at a cluster that is restarting): nothing about the job is wrong.
            "failed to fetch config",
            // munged restarting or briefly unreachable (seen while the local cluster restarted): infrastructure.
            "protocol authentication error",
            "munge",
            "problem talking to the database",
            "qosmaxsubmitjobperuserlimit",
            "assocmaxsubmitjoblimit",
            "maxsubmitjobs",
            "job submit limit");

    /**
     * Errors after which the job may exist although sbatch did not print its id: the request reached the
     * controller and the answer was lost.
     */
    private static final List<String> MAY_HAVE_SUBMITTED_MARKERS = List.of(
            "socket timed out",
            "zero bytes were transmitted or received");

    private SlurmErrors() {
    }

    /** TRANSIENT for a timed-out command or a known transient message, PERMANENT for anything else. */
    public static FailureKind classify(CommandResult result) {
        if (result.timedOut()) {
            return FailureKind.TRANSIENT;
        }
        return classify(result.stderr() + "\n" + result.stdout());
    }

    public static FailureKind classify(String slurmOutput) {
        return containsAny(slurmOutput, TRANSIENT_MARKERS) ? FailureKind.TRANSIENT : FailureKind.PERMANENT;
    }

    static boolean mayHaveSubmitted(CommandResult result) {
        return result.timedOut() || containsAny(result.stderr(), MAY_HAVE_SUBMITTED_MARKERS);
    }

    static boolean isInvalidJobId(CommandResult result) {
        return containsAny(result.stderr(), List.of("invalid job id specified"));
    }

    /**
     * The line that says what went wrong: sbatch's "Batch job submission failed: ..." when present (it follows a
     * less specific line such as "invalid partition specified: nope"), else the last "error:" line, else the first
     * line of output; for a timeout, a sentence saying so.
     */
    public static String message(CommandResult result) {
        if (result.timedOut()) {
            return result.spec().executableName() + " timed out after " + result.spec().timeout().toSeconds() + " s"
                    + (result.stderr().isBlank() ? "" : ": " + result.firstErrorLine());
        }
        List<String> lines = result.stderr().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (String line : lines) {
            if (line.contains("Batch job submission failed")) {
                return line;
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains("error:")) {
                return lines.get(i);
            }
        }
        String first = result.firstErrorLine();
        return first.isEmpty() ? result.spec().executableName() + " exited with status " + result.exitCode() : first;
    }

    static SlurmFailure failure(CommandResult result) {
        return new SlurmFailure(classify(result), message(result));
    }

    private static boolean containsAny(String text, List<String> markers) {
        String lower = text.toLowerCase(Locale.ROOT);
        return markers.stream().anyMatch(lower::contains);
    }
}
