package io.sweepd.triage;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One failure signature from {@code workarounds/signatures/*.yaml}: what to look for, and what to say when it is
 * there. The format is documented in that folder's README.
 *
 * @param diagnosis           a template: {@code {name}} is a named regex group or one of {@link #BUILT_INS}
 * @param diagnosisFor        the template to use instead for a job of one framework ({@code sglang}, {@code trtllm},
 *                            {@code vllm}): the fix names that framework's settings
 * @param suggestedWorkaround a workaround rule id, or null when no rule fixes it
 * @param file                the file it was read from, for messages
 * @param line                the line its {@code - id:} is on
 */
public record Signature(String id, Category category, Match match, boolean retryable, String diagnosis,
        Map<String, String> diagnosisFor, String suggestedWorkaround, String why, String ref, String file, int line) {

    /** Placeholders every diagnosis may use, besides the named groups of its regexes. */
    public static final List<String> BUILT_INS = List.of("slurm-state", "slurm-reason", "exit-code", "run-time",
            "std-out", "node-list", "verdict", "rank", "ratio-percent", "remainder");

    public Signature {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(diagnosis, "diagnosis");
        diagnosisFor = diagnosisFor == null ? Map.of() : Map.copyOf(diagnosisFor);
    }

    /** The diagnosis template for a job of {@code framework} (null when not known): its own, else the general one. */
    public String diagnosisFor(String framework) {
        return framework == null ? diagnosis : diagnosisFor.getOrDefault(framework, diagnosis);
    }

    /** {@code file:line}, as messages print it. */
    public String source() {
        return line > 0 ? file + ":" + line : String.valueOf(file);
    }

    /**
     * The conditions, all of which must hold. Null (or empty, or false) means "not asked".
     *
     * @param log                a regex found in a log line
     * @param literal            text found in a log line as is
     * @param unless             a log line matching it never counts as the log/literal match
     * @param context            another log line that must exist (see the README for where it is looked for)
     * @param contextWithinLines the context line must be among this many lines before the matched one
     * @param slurm              a regex found in a line of the Slurm record
     * @param slurmStates        Slurm base states (FAILED, TIMEOUT...), any of them
     * @param exitCode           Slurm's "exit:signal", exactly
     * @param noLog              no log line of the workload exists
     * @param reason             a regex found in the verdict sweepd recorded
     */
    public record Match(Pattern log, String literal, Pattern unless, Pattern context, Integer contextWithinLines,
            Ratio ratio, Pattern slurm, Set<String> slurmStates, String exitCode, boolean noLog, Pattern reason) {

        public Match {
            slurmStates = slurmStates == null ? Set.of() : Set.copyOf(slurmStates);
        }

        /** Whether the evidence is a log line. */
        public boolean anchoredInLog() {
            return log != null || literal != null;
        }
    }

    /**
     * Two named groups read as numbers, compared as {@code of / to}.
     *
     * @param atLeast the quotient must be at least this, when given
     * @param below   the quotient must be below this, when given
     */
    public record Ratio(String of, String to, Double atLeast, Double below) {

        /** Whether a quotient {@code of / to} is within the bounds given. */
        public boolean holds(double quotient) {
            return (atLeast == null || quotient >= atLeast) && (below == null || quotient < below);
        }
    }
}
