package io.sweepd.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task's lm-eval scores held against its threshold.
 *
 * @param metrics   the task's numeric metrics under lm-eval's keys
 * @param threshold the minimum strict-match score, or null when the task has none
 * @param passed    null when there is no threshold
 * @param reason    the comparison in words, e.g. "gsm8k strict-match 0.62 < 0.85"
 */
public record EvalVerdict(String file, String task, Map<String, Double> metrics, Double threshold, Boolean passed,
                          String reason) {

    public EvalVerdict {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public Double strictMatch() {
        return metrics.get(EvalResult.STRICT_MATCH);
    }

    public Double strictMatchStderr() {
        return metrics.get(EvalResult.STRICT_MATCH_STDERR);
    }

    public Double flexibleExtract() {
        return metrics.get(EvalResult.FLEXIBLE_EXTRACT);
    }

    public Double flexibleExtractStderr() {
        return metrics.get(EvalResult.FLEXIBLE_EXTRACT_STDERR);
    }

    /**
     * The shape stored in the ledger and shown in reports: the task's metrics, then {@code threshold},
     * {@code passed}, {@code verdict} and {@code file}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>(metrics);
        out.put("threshold", threshold);
        out.put("passed", passed);
        out.put("verdict", reason);
        out.put("file", file);
        return Collections.unmodifiableMap(out);
    }
}
