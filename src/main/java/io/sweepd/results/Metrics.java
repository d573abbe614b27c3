package io.sweepd.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The derived metrics of one result, under the field names InferenceMAX's {@code utils/process_result.py} writes
 * to its {@code agg_*.json} (SemiAnalysisAI/InferenceX), so tools that read those files read these too:
 * <ul>
 *   <li>{@code hw, conc, image, model, infmax_model_prefix, framework, precision, spec_decoding, disagg, isl,
 *       osl, is_multinode};</li>
 *   <li>single-node: {@code tp, ep, dp_attention}; multinode: {@code prefill_tp, prefill_ep,
 *       prefill_dp_attention, prefill_num_workers, decode_tp, decode_ep, decode_dp_attention, decode_num_workers,
 *       num_prefill_gpu, num_decode_gpu}. The dp_attention fields are the strings "true"/"false", as
 *       process_result copies them from the environment;</li>
 *   <li>{@code tput_per_gpu} = total_token_throughput / all GPUs. Aggregated (single-node, or multinode without
 *       disagg): {@code output_tput_per_gpu} = output_throughput / all GPUs, {@code input_tput_per_gpu} =
 *       (total_token_throughput - output_throughput) / all GPUs. Disaggregated: output_throughput / decode GPUs and
 *       (total_token_throughput - output_throughput) / prefill GPUs;</li>
 *   <li>every {@code *_ms} key of the file also in seconds under its name without {@code _ms}
 *       ({@code mean_ttft_ms} -> {@code mean_ttft}), and every tpot statistic also as interactivity,
 *       {@code *_intvty} = 1000 / tpot_ms ({@code median_tpot_ms} -> {@code median_intvty});</li>
 *   <li>agentic-coding results (aiperf): {@code scenario_type} and aiperf's {@code submission_valid}, as
 *       process_agentic_result.py's agentic files carry the scenario type.</li>
 * </ul>
 *
 * <p><b>Deviations from process_result.py, on purpose.</b>
 * <ol>
 *   <li>GPUs are counted from the point's planned topology ({@link GpuCount}), never from tp. process_result
 *       divides single-node results by TP, which is right only when TP is the GPU count; for data-parallel
 *       layouts (DP attention, vLLM DP) whose TP is smaller than the GPUs they occupy it overstates throughput
 *       per GPU by the DP factor. Two fields say how: {@code num_gpu} (the divisor) and
 *       {@code gpus_counted_from} ({@value GpuCount#TOPOLOGY}, or {@value GpuCount#FILE_NAME} when a point has no
 *       topology).</li>
 *   <li>Multinode without disagg (or with {@code num-worker: 0} on one side, which the topology places as aggregated
 *       workers): process_result assumes multinode means disaggregated and would divide by the
 *       prefill GPUs; aggregated workers do both phases, so the aggregated formulas apply and both
 *       {@code num_prefill_gpu} and {@code num_decode_gpu} are 0.</li>
 *   <li>A tpot of 0 (or a GPU count of 0) gives no value rather than a division by zero (process_result adds
 *       1e-8 or fails): the key is left out.</li>
 *   <li>{@code model} is the file's {@code model_id} as in process_result, or the point's model when the file
 *       has none. {@code conc} is {@code max_concurrency}, or the file name's when the file has none.</li>
 * </ol>
 */
public final class Metrics {

    public static final String NUM_GPU = "num_gpu";
    public static final String GPUS_COUNTED_FROM = "gpus_counted_from";
    /** aiperf's scenario for InferenceMAX's agentic-coding points (the single-node harness's AgenticClient). */
    static final String AGENTIC_SCENARIO = "inferencex-agentx-mvp";

    private Metrics() {
    }

    public static Map<String, Object> derive(BenchmarkResult result, PointSpec point, GpuCount gpus) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("hw", point.runner());
        data.put("conc", result.maxConcurrency());
        data.put("image", point.image());
        data.put("model", result.modelId() != null ? result.modelId() : point.model());
        data.put("infmax_model_prefix", point.modelPrefix());
        data.put("framework", point.framework());
        data.put("precision", point.precision());
        data.put("spec_decoding", point.specDecoding());
        data.put("disagg", point.disagg());
        data.put("isl", point.isl());
        data.put("osl", point.osl());
        agenticStamp(result, data);

        double total = result.totalTokenThroughput();
        double output = result.outputThroughput();
        if (point.multinode()) {
            PointSpec.Worker prefill = point.prefill();
            PointSpec.Worker decode = point.decode();
            data.put("is_multinode", true);
            data.put("prefill_tp", prefill == null ? null : prefill.tp());
            data.put("prefill_ep", prefill == null ? null : prefill.ep());
            data.put("prefill_dp_attention", prefill == null ? null : String.valueOf(prefill.dpAttn()));
            data.put("prefill_num_workers", prefill == null ? null : prefill.numWorker());
            data.put("decode_tp", decode == null ? null : decode.tp());
            data.put("decode_ep", decode == null ? null : decode.ep());
            data.put("decode_dp_attention", decode == null ? null : String.valueOf(decode.dpAttn()));
            data.put("decode_num_workers", decode == null ? null : decode.numWorker());
            data.put("num_prefill_gpu", gpus.prefill());
            data.put("num_decode_gpu", gpus.decode());
        } else {
            data.put("is_multinode", false);
            data.put("tp", point.tp() == null ? 1 : point.tp());
            data.put("ep", point.ep() == null ? 1 : point.ep());
            data.put("dp_attention", String.valueOf(Boolean.TRUE.equals(point.dpAttn())));
        }
        putRatio(data, "tput_per_gpu", total, gpus.total());
        if (gpus.disaggregated()) {
            putRatio(data, "output_tput_per_gpu", output, gpus.decode());
            putRatio(data, "input_tput_per_gpu", total - output, gpus.prefill());
        } else {
            putRatio(data, "output_tput_per_gpu", output, gpus.total());
            putRatio(data, "input_tput_per_gpu", total - output, gpus.total());
        }

        result.millisecondValues().forEach((key, ms) -> {
            String name = key.substring(0, key.length() - "_ms".length());
            data.put(name, ms / 1000.0);
            if (name.contains("tpot")) {
                putRatio(data, name.replace("tpot", "intvty"), 1000.0, ms);
            }
        });

        data.put(NUM_GPU, gpus.total());
        data.put(GPUS_COUNTED_FROM, gpus.countedFrom());
        return Collections.unmodifiableMap(data);
    }

    /**
     * An aiperf result run under InferenceMAX's agentic scenario says so in its {@code metadata}: the row gets
     * process_agentic_result.py's {@code scenario_type} and aiperf's verdict on the run's rules
     * ({@code submission_valid}: false for a run shorter than the scenario's 900 s, or with more than 1 % of
     * prompts over the server's context), reported as it is rather than gated: InferenceMAX keeps such runs too.
     */
    private static void agenticStamp(BenchmarkResult result, Map<String, Object> data) {
        if (result.other().get("metadata") instanceof Map<?, ?> stamp
                && AGENTIC_SCENARIO.equals(stamp.get("scenario"))) {
            data.put("scenario_type", "agentic-coding");
            data.put("submission_valid", stamp.get("submission_valid"));
            if (stamp.get("submission_invalid_reasons") != null) {
                data.put("submission_invalid_reasons", stamp.get("submission_invalid_reasons"));
            }
        }
    }

    private static void putRatio(Map<String, Object> data, String key, double numerator, double denominator) {
        if (denominator != 0) {
            data.put(key, numerator / denominator);
        }
    }
}
