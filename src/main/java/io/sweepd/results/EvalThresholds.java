package io.sweepd.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Minimum lm-eval scores, per task, on {@code exact_match,strict-match}: a server configuration that is fast but
 * answers wrongly (a broken kernel, a bad quantization, a missing chat template) must not look like a win.
 * Default: gsm8k 0.85. A task without a threshold is reported with no verdict.
 */
public final class EvalThresholds {

    public static final double DEFAULT_GSM8K = 0.85;

    private final Map<String, Double> minimums;

    private EvalThresholds(Map<String, Double> minimums) {
        this.minimums = Collections.unmodifiableMap(new LinkedHashMap<>(minimums));
    }

    public static EvalThresholds defaults() {
        return new EvalThresholds(Map.of("gsm8k", DEFAULT_GSM8K));
    }

    /** Exactly these thresholds, task -> minimum strict-match score (0..1). */
    public static EvalThresholds of(Map<String, Double> minimums) {
        minimums.forEach((task, min) -> {
            if (min == null || !(min >= 0 && min <= 1)) {
                throw new IllegalArgumentException("eval threshold for " + task + " must be between 0 and 1, got "
                        + min);
            }
        });
        return new EvalThresholds(minimums);
    }

    /**
     * Thresholds written as a setting: {@code gsm8k=0.85,mmlu=0.7} (empty: the defaults).
     *
     * @throws IllegalArgumentException naming the entry that is not {@code task=number}
     */
    public static EvalThresholds parse(String text) {
        if (text == null || text.isBlank()) {
            return defaults();
        }
        Map<String, Double> minimums = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String[] parts = entry.split("=", 2);
            try {
                if (parts.length != 2 || parts[0].isBlank()) {
                    throw new NumberFormatException();
                }
                minimums.put(parts[0].strip(), Double.parseDouble(parts[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("eval threshold '" + entry.strip()
                        + "' is not task=minimum (e.g. gsm8k=0.85)");
            }
        }
        return of(minimums);
    }

    public Map<String, Double> minimums() {
        return minimums;
    }

    /** One verdict per task in the file, in file order. */
    public List<EvalVerdict> verdicts(EvalResult result) {
        List<EvalVerdict> out = new ArrayList<>();
        result.tasks().forEach((task, metrics) -> out.add(verdict(result.file(), task, metrics)));
        return out;
    }

    private EvalVerdict verdict(String file, String task, Map<String, Double> metrics) {
        Double strict = metrics.get(EvalResult.STRICT_MATCH);
        Double min = minimums.get(task);
        Boolean passed;
        String reason;
        if (min == null) {
            passed = null;
            reason = "no threshold for " + task;
        } else if (strict == null) {
            // A configured threshold with no score to hold against it cannot count as a pass.
            passed = false;
            reason = task + " has no " + EvalResult.STRICT_MATCH + " score (threshold " + format(min) + ")";
        } else {
            passed = strict >= min;
            reason = task + " strict-match " + format(strict) + (passed ? " >= " : " < ") + format(min);
        }
        return new EvalVerdict(file, task, metrics, min, passed, reason);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
}
