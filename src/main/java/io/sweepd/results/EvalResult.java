package io.sweepd.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One lm-eval results file, read: per task, its numeric metrics under lm-eval's own keys
 * ({@code "exact_match,strict-match"}, {@code "exact_match_stderr,flexible-extract"}, ...).
 */
public record EvalResult(String file, Map<String, Map<String, Double>> tasks) {

    public static final String STRICT_MATCH = "exact_match,strict-match";
    public static final String STRICT_MATCH_STDERR = "exact_match_stderr,strict-match";
    public static final String FLEXIBLE_EXTRACT = "exact_match,flexible-extract";
    public static final String FLEXIBLE_EXTRACT_STDERR = "exact_match_stderr,flexible-extract";

    public EvalResult {
        Objects.requireNonNull(file, "file");
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        tasks.forEach((task, metrics) -> copy.put(task, Collections.unmodifiableMap(new LinkedHashMap<>(metrics))));
        tasks = Collections.unmodifiableMap(copy);
    }

    /** A task's metric, or null when the file has no such task or metric. */
    public Double metric(String task, String metric) {
        Map<String, Double> metrics = tasks.get(task);
        return metrics == null ? null : metrics.get(metric);
    }
}
