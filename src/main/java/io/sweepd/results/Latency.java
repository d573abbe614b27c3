package io.sweepd.results;

/**
 * One latency metric's statistics in milliseconds, as {@code vllm bench serve} and sa-bench write them
 * ({@code mean_<m>_ms}, {@code median_<m>_ms}, {@code std_<m>_ms}, {@code p90_<m>_ms}, {@code p99_<m>_ms},
 * {@code p99.9_<m>_ms}). Each is null when the file does not have it (the percentiles depend on the tool's
 * {@code --metric-percentiles}; old files have no p90).
 */
public record Latency(Double meanMs, Double medianMs, Double stdMs, Double p90Ms, Double p99Ms, Double p999Ms) {

    /** The statistic prefixes, in the order the tools write them. */
    static final String[] STATISTICS = {"mean", "median", "std", "p90", "p99", "p99.9"};

    static final Latency NONE = new Latency(null, null, null, null, null, null);

    Double byStatistic(String statistic) {
        return switch (statistic) {
            case "mean" -> meanMs;
            case "median" -> medianMs;
            case "std" -> stdMs;
            case "p90" -> p90Ms;
            case "p99" -> p99Ms;
            case "p99.9" -> p999Ms;
            default -> throw new IllegalArgumentException("unknown statistic " + statistic);
        };
    }
}
