package io.sweepd.triage;

import java.util.Objects;

/**
 * Why a job died and what fixes it.
 *
 * @param category            what kind of failure
 * @param retryable           whether running the same configuration again can succeed
 * @param diagnosis           one line for a person, with the numbers from the logs filled in
 * @param suggestedWorkaround the id of the workaround rule that fixes it, or null when no rule does
 * @param evidence            the line that decided it, trimmed; "" when there was nothing to quote
 * @param file                where that line is, relative to the job directory or archive (logs/decode-0.log),
 *                            or the file as given; null when the evidence is sweepd's recorded verdict
 * @param line                1-based line in that file; 0 when unknown (a verdict, a line in slurm.json's text)
 * @param signature           the id of the signature that matched, or "unknown"
 */
public record TriageResult(Category category, boolean retryable, String diagnosis, String suggestedWorkaround,
        String evidence, String file, long line, String signature) {

    public static final String UNKNOWN_SIGNATURE = "unknown";

    public TriageResult {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(diagnosis, "diagnosis");
        evidence = evidence == null ? "" : evidence;
        Objects.requireNonNull(signature, "signature");
    }
}
