package io.sweepd.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sa-bench / {@code vllm bench serve} result file, read. The keys the gate and the metrics need are typed
 * fields; every other key the file has is kept in {@link #other} as the file had it, so nothing a newer tool
 * writes is lost.
 *
 * @param file             the file's name
 * @param maxConcurrency   {@code max_concurrency}, or the file name's concurrency when the file has none
 * @param concFromFileName true when {@code maxConcurrency} came from the file name (old files, request-rate runs)
 * @param failed           {@code failed}; null in old shapes, which only imply it (see {@link #failedRequests()})
 * @param requestGoodput   {@code request_goodput}, or old vllm's {@code request_goodput:} (with the colon); null
 *                         when absent or when no SLO was given (the tools then write null)
 * @param modelId          {@code model_id}, or null
 * @param duration         {@code duration} in seconds, or null
 * @param other            every other key, in file order; values are Map / List / String / Number / Boolean / null
 */
public record BenchmarkResult(
        String file,
        int maxConcurrency,
        boolean concFromFileName,
        int numPrompts,
        int completed,
        Integer failed,
        long totalInputTokens,
        long totalOutputTokens,
        double requestThroughput,
        double outputThroughput,
        double totalTokenThroughput,
        Double requestGoodput,
        String modelId,
        Double duration,
        Latency ttft,
        Latency tpot,
        Latency itl,
        Latency e2el,
        Map<String, Object> other) {

    /** The latency metrics, in the order the tools write them. */
    static final String[] LATENCY_METRICS = {"ttft", "tpot", "itl", "e2el"};

    public BenchmarkResult {
        Objects.requireNonNull(file, "file");
        ttft = ttft == null ? Latency.NONE : ttft;
        tpot = tpot == null ? Latency.NONE : tpot;
        itl = itl == null ? Latency.NONE : itl;
        e2el = e2el == null ? Latency.NONE : e2el;
        // Not Map.copyOf: JSON nulls are values worth keeping (a null goodput says no SLO was set).
        other = other == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    /**
     * Requests that did not complete: {@code failed} when the file says, else {@code num_prompts - completed}
     * (old shapes have no {@code failed}; every prompt sent either completed or failed).
     */
    public int failedRequests() {
        return failed != null ? failed : Math.max(0, numPrompts - completed);
    }

    public Latency latency(String metric) {
        return switch (metric) {
            case "ttft" -> ttft;
            case "tpot" -> tpot;
            case "itl" -> itl;
            case "e2el" -> e2el;
            default -> throw new IllegalArgumentException("unknown latency metric " + metric);
        };
    }

    /**
     * Every {@code *_ms} value the file has, under its own key: the typed latencies first, then any other
     * numeric {@code *_ms} key (e.g. a {@code p95_ttft_ms} from custom percentiles).
     */
    public Map<String, Double> millisecondValues() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String metric : LATENCY_METRICS) {
            for (String statistic : Latency.STATISTICS) {
                Double value = latency(metric).byStatistic(statistic);
                if (value != null) {
                    out.put(statistic + "_" + metric + "_ms", value);
                }
            }
        }
        other.forEach((key, value) -> {
            if (key.endsWith("_ms") && value instanceof Number number && Double.isFinite(number.doubleValue())) {
                out.put(key, number.doubleValue());
            }
        });
        return out;
    }
}
