package io.sweepd.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.ResultFileName;
import io.sweepd.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the summary of an agentic-coding run, aiperf's {@code profile_export_aiperf.json} (schema 1.x:
 * utils/aiperf/docs/reference/json-export-schema.md and {@code JsonExportData} in
 * utils/aiperf/src/aiperf/common/models/export_models.py at InferenceMAX 4d69c38b), into the same
 * {@link BenchmarkResult} a {@code vllm bench serve} file gives, so the validity gate and the derived metrics treat
 * both alike.
 *
 * <p>aiperf writes one block per metric, {@code {"unit": "ms", "avg": .., "p50": .., "p90": .., "p99": .., "std":
 * ..}} (derived and aggregate metrics carry only {@code unit} and {@code avg}), plus {@code input_config} (the run's
 * settings), {@code was_cancelled} and, under a scenario, {@code metadata: {scenario, submission_valid,
 * submission_invalid_reasons}}. Mapping:
 * <ul>
 *   <li>completed = {@code request_count}, failed = {@code error_request_count} (absent when nothing failed), prompts
 *       = their sum; tokens = {@code total_isl} / {@code total_osl} (what InferenceMAX's process_agentic_result.py
 *       sums from the per-request records);</li>
 *   <li>throughputs = {@code request_throughput}, {@code output_token_throughput}, {@code total_token_throughput}
 *       (each over {@code benchmark_duration}, first request to last response, as process_agentic_result.py divides);
 *       a throughput the file lacks is computed the same way from the totals;</li>
 *   <li>ttft = {@code time_to_first_token}, e2el = {@code request_latency}, itl = {@code inter_token_latency}, and
 *       tpot = itl too: process_agentic_result.py reports tpot as itl (agentic points have no speculative decoding to
 *       tell them apart). Statistics: avg as mean, p50 as median, std, p90, p99 (aiperf has no p99.9), converted to
 *       ms from the block's unit;</li>
 *   <li>concurrency = {@code input_config.loadgen.concurrency}, which must agree with the directory's name, or the
 *       name's when the file has none; model = {@code input_config.endpoint.model_names[0]}.</li>
 * </ul>
 * Every other key is kept in {@link BenchmarkResult#other()} as the file has it (the scenario stamp included).
 * A run where nothing completed has no token totals; it is read as zeros and the validity gate names it.
 */
public final class AiperfResultParser {

    private static final Set<String> TYPED_KEYS = Set.of("request_count", "error_request_count", "total_isl",
            "total_osl", "request_throughput", "output_token_throughput", "total_token_throughput",
            "benchmark_duration", "time_to_first_token", "inter_token_latency", "request_latency");

    /**
     * @param file the summary file
     * @param name the artifact directory's name parts ({@link ResultFileName#parseAgentic}); its name is used in
     *             messages, with the file's
     */
    public ParseOutcome<BenchmarkResult> parse(Path file, ResultFileName name) {
        String label = name.name() + "/" + ResultFileName.AIPERF_SUMMARY;
        try {
            return parse(label, name, Files.readString(file));
        } catch (IOException e) {
            return new ParseOutcome.Invalid<>(label + ": cannot be read: " + e);
        }
    }

    public ParseOutcome<BenchmarkResult> parse(String label, ResultFileName name, String text) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new ParseOutcome.Invalid<>(label + ": is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            return new ParseOutcome.Invalid<>(label + ": is not a JSON object");
        }
        try {
            return new ParseOutcome.Parsed<>(read(label, name, root));
        } catch (ResultValues.Invalid e) {
            return new ParseOutcome.Invalid<>(label + ": " + e.getMessage());
        }
    }

    private static BenchmarkResult read(String label, ResultFileName name, JsonNode root) {
        JsonNode declared = root.path("input_config").path("loadgen").path("concurrency");
        int conc = name.conc();
        boolean fromName = true;
        if (declared.isIntegralNumber()) {
            if (declared.intValue() != name.conc()) {
                throw new ResultValues.Invalid("input_config.loadgen.concurrency is " + declared.intValue()
                        + " but the directory name says concurrency " + name.conc());
            }
            fromName = false;
        }
        long completed = whole(root, "request_count", 0);
        long failed = whole(root, "error_request_count", 0);
        long inputTokens = whole(root, "total_isl", completed > 0 ? -1 : 0);
        long outputTokens = whole(root, "total_osl", completed > 0 ? -1 : 0);
        Double durationSeconds = seconds(root, "benchmark_duration");
        double requests = throughput(root, "request_throughput", completed, durationSeconds);
        double output = throughput(root, "output_token_throughput", outputTokens, durationSeconds);
        double total = throughput(root, "total_token_throughput", inputTokens + outputTokens, durationSeconds);
        JsonNode models = root.path("input_config").path("endpoint").path("model_names");
        String model = models.isArray() && models.size() > 0 && models.get(0).isTextual()
                ? models.get(0).textValue() : null;
        Latency itl = latency(root, "inter_token_latency");
        Map<String, Object> other = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!TYPED_KEYS.contains(field.getKey())) {
                other.put(field.getKey(), Json.MAPPER.convertValue(field.getValue(), Object.class));
            }
        }
        return new BenchmarkResult(label, conc, fromName,
                ResultValues.toInt(completed + failed, "metric 'request_count'"),
                ResultValues.toInt(completed, "metric 'request_count'"),
                ResultValues.toInt(failed, "metric 'error_request_count'"), inputTokens, outputTokens,
                requests, output, total, null, model, durationSeconds, latency(root, "time_to_first_token"), itl, itl,
                latency(root, "request_latency"), other);
    }

    /** A metric's {@code avg} as a whole number; {@code absent} when the block is missing, or invalid if -1. */
    private static long whole(JsonNode root, String metric, long absent) {
        Double avg = avg(root, metric);
        if (avg == null) {
            if (absent < 0) {
                throw new ResultValues.Invalid("required metric '" + metric + "' is missing");
            }
            return absent;
        }
        if (avg != Math.rint(avg) || avg < 0) {
            throw new ResultValues.Invalid("metric '" + metric + "' is not a whole non-negative number: " + avg);
        }
        return avg.longValue();
    }

    private static double throughput(JsonNode root, String metric, long count, Double durationSeconds) {
        Double avg = avg(root, metric);
        if (avg != null) {
            return avg;
        }
        return durationSeconds == null || durationSeconds <= 0 ? 0 : count / durationSeconds;
    }

    private static Double seconds(JsonNode root, String metric) {
        Double avg = avg(root, metric);
        return avg == null ? null : avg * toMs(root, metric) / 1000.0;
    }

    private static Latency latency(JsonNode root, String metric) {
        JsonNode block = root.get(metric);
        if (block == null || !block.isObject()) {
            return Latency.NONE;
        }
        double scale = toMs(root, metric);
        return new Latency(scaled(block, "avg", scale), scaled(block, "p50", scale), scaled(block, "std", scale),
                scaled(block, "p90", scale), scaled(block, "p99", scale), null);
    }

    private static Double scaled(JsonNode block, String statistic, double scale) {
        Double value = ResultValues.finiteOrNull(block.get(statistic), "'" + statistic + "'");
        return value == null ? null : value * scale;
    }

    /** The factor from a time metric's unit to milliseconds (aiperf writes display units: ms, sec). */
    private static double toMs(JsonNode root, String metric) {
        String unit = root.path(metric).path("unit").asText("");
        return switch (unit) {
            case "ns" -> 1e-6;
            case "us" -> 1e-3;
            case "ms" -> 1;
            case "sec", "s" -> 1000;
            default -> throw new ResultValues.Invalid("metric '" + metric + "' has unit '" + unit + "', not a time unit");
        };
    }

    private static Double avg(JsonNode root, String metric) {
        JsonNode block = root.get(metric);
        if (block == null || block.isNull()) {
            return null;
        }
        if (!block.isObject()) {
            throw new ResultValues.Invalid("metric '" + metric + "' is not a metric block: " + block);
        }
        return ResultValues.finiteOrNull(block.get("avg"), "'" + metric + ".avg'");
    }

}
