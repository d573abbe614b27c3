package io.sweepd.sim;

import io.sweepd.preflight.ModelFacts;

import java.util.Locale;

/**
 * A deliberately simple, deterministic serving model that gives simulated benchmarks the shape real ones
 * have: as concurrency rises, time per output token grows (the batch gets larger), so interactivity
 * (1000 / TPOT) falls while throughput per GPU rises and saturates; time to first token grows with the
 * prompt length and with prefill queueing. The numbers are plausible orders of magnitude, not predictions.
 *
 * <pre>
 * active GB   = replicated + 3.5% of routed experts (the experts one token visits)
 * TPOT(c)     = (4 ms + 12 ms x active / (TB/s x gpus^0.75)) x (1 + c_per_worker / c_sat)
 * c_sat       = 12 x gpus x (TB/s / 3.35) x sqrt(2048 / (isl + osl/2))
 * TTFT(c)     = (25 ms + isl / prefill rate) x (1 + rho / (1 - rho)),  rho = prefill demand / capacity &lt;= 0.9
 * E2EL        = TTFT + TPOT x (osl - 1);  duration = prompts x E2EL / c;  prompts = 10 x c
 * </pre>
 */
final class LoadModel {

    /** Share of routed-expert weights one token reads (8 of 256 experts in DeepSeek V3/V4, 4 of 128 in gpt-oss). */
    static final double ACTIVE_EXPERT_SHARE = 0.035;

    /** Prompts per run, as InferenceMAX's benchmark uses: ten per concurrent request. */
    static final int PROMPTS_PER_CONCURRENCY = 10;

    private LoadModel() {
    }

    /** One concurrency's simulated benchmark: the mean values; distributions are derived in {@link #stats}. */
    record Run(int concurrency, int numPrompts, double durationS, long inputTokens, long outputTokens,
               double ttftMs, double tpotMs, double itlMs, double e2elMs) {

        double requestThroughput() { return numPrompts / durationS; }

        double outputThroughput() { return outputTokens / durationS; }

        double totalTokenThroughput() { return (inputTokens + outputTokens) / durationS; }
    }

    /** mean, median, std, p90, p99 of one latency metric. */
    record Stats(double mean, double median, double std, double p90, double p99) {
    }

    static Run run(SimJob job, int concurrency) {
        SimGpu gpu = job.gpu();
        double activeGb = activeGb(job);
        double activeParamsB = activeGb / bytesPerParam(job.precision());

        SimRole decode = job.roles().get(job.roles().size() - 1);
        SimRole prefill = job.roles().get(0);
        double decodeGpusPerWorker = decode.gpusPerWorker();
        double perWorker = (double) concurrency / decode.workers();

        double tpot0 = 4.0 + 12.0 * activeGb / (gpu.bandwidthTBps() * Math.pow(decodeGpusPerWorker, 0.75));
        double cSat = 12.0 * decodeGpusPerWorker * (gpu.bandwidthTBps() / 3.35)
                * Math.sqrt(2048.0 / (job.isl() + job.osl() / 2.0));
        double tpot = tpot0 * (1 + perWorker / cSat);

        // Prefill tokens per second one GPU sustains: 35% of dense FP8 peak at 2 FLOPs per active parameter.
        double prefillPerGpu = gpu.fp8Tflops() * 1e12 * 0.35 / (2 * activeParamsB * 1e9);
        int prefillGpus = job.disaggregated() ? job.prefillGpus() : job.totalGpus();
        double ttft0 = 25.0 + job.isl() / (prefillPerGpu * prefill.gpusPerWorker()) * 1000.0;
        double e2elGuessS = (ttft0 + tpot * job.osl()) / 1000.0;
        double demand = concurrency * job.isl() / e2elGuessS;
        double rho = Math.min(0.9, demand / (prefillPerGpu * prefillGpus));
        double ttft = ttft0 * (1 + rho / (1 - rho));
        if (job.disaggregated()) {
            ttft += 5.0 + job.isl() * 0.002; // KV transfer from prefill to decode
        } else {
            tpot *= 1 + 0.25 * rho;          // prefill chunks interleave with decode steps
        }
        double e2el = ttft + tpot * (job.osl() - 1);

        int prompts = PROMPTS_PER_CONCURRENCY * concurrency;
        double duration = prompts * e2el / concurrency / 1000.0;
        return new Run(concurrency, prompts, round(duration, 4), (long) prompts * job.isl(),
                (long) prompts * job.osl(), ttft, tpot, tpot, e2el);
    }

    /** Fixed distribution shapes per metric, so percentiles keep their order and the output is reproducible. */
    static Stats stats(String metric, double mean) {
        return switch (metric) {
            case "ttft" -> new Stats(mean, mean * 0.90, mean * 0.45, mean * 1.60, mean * 2.60);
            case "itl" -> new Stats(mean, mean * 0.95, mean * 0.35, mean * 1.25, mean * 2.20);
            case "tpot" -> new Stats(mean, mean * 0.97, mean * 0.12, mean * 1.18, mean * 1.45);
            case "e2el" -> new Stats(mean, mean * 0.99, mean * 0.06, mean * 1.08, mean * 1.15);
            default -> throw new IllegalArgumentException(metric);
        };
    }

    static double activeGb(SimJob job) {
        return job.facts().map(LoadModel::activeGb).orElse(20.0);
    }

    private static double activeGb(ModelFacts facts) {
        return facts.replicatedGb() + facts.expertsGb() * ACTIVE_EXPERT_SHARE;
    }

    private static double bytesPerParam(String precision) {
        return switch (precision == null ? "" : precision.toLowerCase(Locale.ROOT)) {
            case "fp4", "nvfp4", "mxfp4" -> 0.5625;
            case "bf16", "fp16" -> 2.0;
            default -> 1.0;
        };
    }

    /** gsm8k exact match the simulated eval reports: a fixed, plausible score; FP4 a point lower. */
    static double gsm8k(SimJob job, boolean flexible) {
        double base = job.precision().toLowerCase(Locale.ROOT).contains("fp4") ? 0.92 : 0.93;
        return flexible ? base + 0.01 : base;
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
