package io.sweepd.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a benchmark result is a result. A benchmark client exits 0 and writes a well-formed file even
 * when the server answered nothing (0 completed), answered with empty completions (0 output tokens), or dropped
 * requests under load; its throughput numbers then describe a broken server, and charting them as a success
 * would mislead. Such a result is INVALID, with a reason that states the numbers.
 *
 * <p>Failed share = failed / (completed + failed), with failed = the file's {@code failed}, or
 * {@code num_prompts - completed} when the file has none (old shapes). More than 5 % is invalid; exactly 5 % is
 * not (compared in whole numbers, so 32 of 640 is exactly 5 % and passes).
 */
public final class ValidityGate {

    /** Requests that may fail before a result stops counting, in percent of the requests sent. */
    public static final int MAX_FAILED_PERCENT = 5;

    /** @param reason null when valid; otherwise every failed check, joined with "; " */
    public record Verdict(boolean valid, String reason) {

        static final Verdict VALID = new Verdict(true, null);
    }

    public Verdict check(BenchmarkResult result) {
        List<String> problems = new ArrayList<>();
        int failed = result.failedRequests();
        long sent = (long) result.completed() + failed;
        if (result.completed() == 0) {
            problems.add("0 completed requests (" + failed + " failed, " + result.numPrompts() + " prompts)");
        }
        if (result.totalOutputTokens() == 0) {
            problems.add("0 output tokens (" + result.completed() + " completed requests)");
        }
        if (sent > 0 && failed * 100L > MAX_FAILED_PERCENT * sent) {
            problems.add(String.format(Locale.ROOT, "%d of %d requests failed (%.2f%% > %d%%)%s", failed, sent,
                    100.0 * failed / sent, MAX_FAILED_PERCENT,
                    result.failed() == null ? ", counted as num_prompts " + result.numPrompts() + " - completed "
                            + result.completed() : ""));
        }
        return problems.isEmpty() ? Verdict.VALID : new Verdict(false, String.join("; ", problems));
    }
}
