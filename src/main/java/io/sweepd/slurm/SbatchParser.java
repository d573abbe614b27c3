package io.sweepd.slurm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sweepd.exec.CommandResult;

/** Turns the result of {@code sbatch --parsable} into a {@link SubmitOutcome}. Pure. */
public final class SbatchParser {

    /** "12345" or "12345;cluster" alone on a line (warnings go to stderr). */
    private static final Pattern PARSABLE = Pattern.compile("(?m)^\\s*(\\d+)(?:;(\\S+))?\\s*$");

    private SbatchParser() {
    }

    public static SubmitOutcome parse(CommandResult result) {
        if (result.timedOut()) {
            // sbatch may have reached the controller before we killed it.
            return new SubmitOutcome.Transient(SlurmErrors.message(result), true);
        }
        if (result.exitCode() == 0) {
            Matcher m = PARSABLE.matcher(result.stdout());
            if (m.find()) {
                return new SubmitOutcome.Submitted(m.group(1), m.group(2));
            }
            // Success without an id: the job may exist, and retrying blindly could submit it twice.
            return new SubmitOutcome.Transient("sbatch exited 0 but printed no job id: '" + result.stdout().strip()
                    + "' " + result.stderr().strip(), true);
        }
        if (diedBySignal(result)) {
            // Killed (a stop, an operator, the OOM killer) before it answered: the controller may already have
            // created the job, so this is "unknown", resolved by the job's name, never a refusal.
            return new SubmitOutcome.Transient("sbatch was killed (exit " + result.exitCode() + ") before it answered",
                    true);
        }
        String message = SlurmErrors.message(result);
        if (SlurmErrors.classify(result) == FailureKind.TRANSIENT) {
            return new SubmitOutcome.Transient(message, SlurmErrors.mayHaveSubmitted(result));
        }
        return new SubmitOutcome.Permanent(message);
    }

    /** A shell's 128 + signal (143: SIGTERM, 137: SIGKILL), with no error of sbatch's own on stderr. */
    private static boolean diedBySignal(CommandResult result) {
        return result.exitCode() > 128 && !result.stderr().contains("error:");
    }
}
