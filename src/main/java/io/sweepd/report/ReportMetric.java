package io.sweepd.report;

import io.sweepd.results.PointResult;

/**
 * The metrics the report's tables, charts and baseline comparison show, by their InferenceMAX
 * {@code process_result.py} names. Latencies there are in seconds ({@code *_ms / 1000}); interactivity is
 * {@code 1000 / tpot_ms}, tokens per second seen by one user.
 */
public enum ReportMetric {
    TPUT_PER_GPU("tput_per_gpu", "Throughput per GPU", "tok/s/GPU", true),
    OUTPUT_TPUT_PER_GPU("output_tput_per_gpu", "Output throughput per GPU", "tok/s/GPU", true),
    INPUT_TPUT_PER_GPU("input_tput_per_gpu", "Input throughput per GPU", "tok/s/GPU", true),
    MEDIAN_INTVTY("median_intvty", "Interactivity median", "tok/s/user", true),
    P99_INTVTY("p99_intvty", "Interactivity at p99 TPOT", "tok/s/user", true),
    MEDIAN_TTFT("median_ttft", "TTFT median", "s", false),
    P99_TTFT("p99_ttft", "TTFT p99", "s", false),
    MEDIAN_E2EL("median_e2el", "E2E latency median", "s", false);

    private final String key;
    private final String label;
    private final String unit;
    private final boolean higherIsBetter;

    ReportMetric(String key, String label, String unit, boolean higherIsBetter) {
        this.key = key;
        this.label = label;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public String key() { return key; }

    public String label() { return label; }

    public String unit() { return unit; }

    public boolean higherIsBetter() { return higherIsBetter; }

    /** The point's value, or null when it has none (no results, key absent, not a finite number). */
    public Double of(PointResult point) {
        return point.metrics() == null ? null : number(point.metrics().get(key));
    }

    /**
     * A metric value as a finite double, or null. The collector may hand over numbers or, from JSON read
     * leniently, numeric strings; NaN and infinities (1000 / 0 TPOT) mean "no usable value".
     */
    static Double number(Object value) {
        double d;
        if (value instanceof Number n) {
            d = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                d = Double.parseDouble(s.strip());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        } else {
            return null;
        }
        return Double.isFinite(d) ? d : null;
    }
}
