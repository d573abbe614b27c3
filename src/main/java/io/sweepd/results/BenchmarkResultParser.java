package io.sweepd.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.ResultFileName;
import io.sweepd.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads sa-bench and {@code vllm bench serve} result JSON in the shapes those tools have written over time:
 * <ul>
 *   <li>old vllm {@code benchmark_serving.py} (and sa-bench, which forked it): {@code request_goodput:} with a
 *       trailing colon (a typo the tools kept), no {@code failed}, per-request arrays when run with
 *       {@code --save-detailed}, and before {@code --max-concurrency} existed no {@code max_concurrency};</li>
 *   <li>new {@code vllm bench serve}: {@code request_goodput}, {@code failed}, {@code max_concurrency}, more
 *       percentiles ({@code p90_}, {@code p99.9_}) and keys sweepd does not know (kept as they are).</li>
 * </ul>
 * Required: {@code num_prompts, completed, total_input_tokens, total_output_tokens, request_throughput,
 * output_throughput, total_token_throughput} and {@code max_concurrency}.
 *
 * <p><b>Concurrency when {@code max_concurrency} is absent or null.</b> Old files lack it, and request-rate runs
 * write null. The file name ({@code results_concurrency_<c>_...}) is written by the same launcher that passed
 * {@code --max-concurrency <c>}, so it is taken as the concurrency and {@link BenchmarkResult#concFromFileName()}
 * says so. Without a result file name to fall back on the file is invalid. When both are present they must agree:
 * a file whose contents say another concurrency than its name was misnamed or overwritten, and its numbers would
 * be charted at the wrong point.
 *
 * <p>Python's json module writes NaN for statistics of an empty sample (a run where nothing completed), so NaN and
 * Infinity are accepted and read as "no value": such a file reaches the validity gate, which names the real
 * problem, instead of failing as "not JSON".
 */
public final class BenchmarkResultParser {

    private static final String GOODPUT = "request_goodput";
    /** Old vllm and sa-bench spell it with the colon. */
    private static final String GOODPUT_OLD = "request_goodput:";

    private static final Set<String> TYPED_KEYS = typedKeys();

    /** Reads a file; its name is used for messages and as the concurrency when the file has none. */
    public ParseOutcome<BenchmarkResult> parse(Path file) {
        String name = file.getFileName().toString();
        try {
            return parse(name, Files.readString(file));
        } catch (IOException e) {
            // Includes MalformedInputException: a file cut off mid-character is as unusable as a missing one.
            return invalid(name, "cannot be read: " + e);
        }
    }

    public ParseOutcome<BenchmarkResult> parse(String fileName, String text) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return invalid(fileName, "is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            return invalid(fileName, "is not a JSON object");
        }
        try {
            return new ParseOutcome.Parsed<>(read(fileName, root));
        } catch (ResultValues.Invalid e) {
            return invalid(fileName, e.getMessage());
        }
    }

    private static BenchmarkResult read(String fileName, JsonNode root) {
        Optional<ResultFileName> name = ResultFileName.parse(fileName);
        Long declared = optionalWhole(root, "max_concurrency");
        int conc;
        boolean fromName = false;
        if (declared != null) {
            conc = ResultValues.toInt(declared, "key 'max_concurrency'");
            if (name.isPresent() && name.get().conc() != conc) {
                throw new ResultValues.Invalid("key 'max_concurrency' is " + conc + " but the file name says concurrency "
                        + name.get().conc());
            }
        } else if (name.isPresent()) {
            conc = name.get().conc();
            fromName = true;
        } else {
            throw new ResultValues.Invalid("required key 'max_concurrency' is missing, and the file name gives no concurrency");
        }
        Long failed = optionalWhole(root, "failed");
        Double goodput = root.has(GOODPUT) ? optionalNumber(root, GOODPUT) : optionalNumber(root, GOODPUT_OLD);
        Map<String, Object> other = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!TYPED_KEYS.contains(field.getKey())) {
                other.put(field.getKey(), Json.MAPPER.convertValue(field.getValue(), Object.class));
            }
        }
        return new BenchmarkResult(
                fileName,
                conc,
                fromName,
                ResultValues.toInt(requiredWhole(root, "num_prompts"), "key 'num_prompts'"),
                ResultValues.toInt(requiredWhole(root, "completed"), "key 'completed'"),
                failed == null ? null : ResultValues.toInt(failed, "key 'failed'"),
                requiredWhole(root, "total_input_tokens"),
                requiredWhole(root, "total_output_tokens"),
                requiredNumber(root, "request_throughput"),
                requiredNumber(root, "output_throughput"),
                requiredNumber(root, "total_token_throughput"),
                goodput,
                root.path("model_id").isTextual() ? root.path("model_id").textValue() : null,
                optionalNumber(root, "duration"),
                latency(root, "ttft"),
                latency(root, "tpot"),
                latency(root, "itl"),
                latency(root, "e2el"),
                other);
    }

    private static Latency latency(JsonNode root, String metric) {
        Double[] values = new Double[Latency.STATISTICS.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = optionalNumber(root, Latency.STATISTICS[i] + "_" + metric + "_ms");
        }
        return new Latency(values[0], values[1], values[2], values[3], values[4], values[5]);
    }

    private static long requiredWhole(JsonNode root, String key) {
        Long value = optionalWhole(root, key);
        if (value == null) {
            throw new ResultValues.Invalid("required key '" + key + "' is " + (root.has(key) ? "null" : "missing"));
        }
        return value;
    }

    private static double requiredNumber(JsonNode root, String key) {
        Double value = optionalNumber(root, key);
        if (value == null) {
            throw new ResultValues.Invalid("required key '" + key + "' is " + (root.has(key) ? "not a finite number" : "missing"));
        }
        return value;
    }

    /** Null when absent or null; a whole number (640 or 640.0) otherwise, or the file is invalid. */
    private static Long optionalWhole(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                && Math.abs(node.doubleValue()) < 1e15) {
            return (long) node.doubleValue();
        }
        throw new ResultValues.Invalid("key '" + key + "' is not a whole number: " + node);
    }

    /** Null when absent, null, NaN or infinite; a number otherwise, or the file is invalid. */
    private static Double optionalNumber(JsonNode root, String key) {
        return ResultValues.finiteOrNull(root.get(key), "key '" + key + "'");
    }

    private static ParseOutcome<BenchmarkResult> invalid(String fileName, String reason) {
        return new ParseOutcome.Invalid<>(fileName + ": " + reason);
    }

    private static Set<String> typedKeys() {
        Set<String> keys = new HashSet<>(Set.of("max_concurrency", "num_prompts", "completed", "failed",
                "total_input_tokens", "total_output_tokens", "request_throughput", "output_throughput",
                "total_token_throughput", GOODPUT, GOODPUT_OLD, "model_id", "duration"));
        for (String metric : BenchmarkResult.LATENCY_METRICS) {
            for (String statistic : Latency.STATISTICS) {
                keys.add(statistic + "_" + metric + "_ms");
            }
        }
        return Set.copyOf(keys);
    }

    /** A key with a missing or unusable value; its message becomes the Invalid reason. */
}
