package io.sweepd.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads lm-eval results: {@code {"results": {"gsm8k": {"exact_match,strict-match": 0.93, ...}}, ...}}. lm-eval
 * writes {@code results_<timestamp>.json}; sweepd's launchers and the engine stand-in write {@code eval_<task>.json}.
 * Only numeric metrics are kept: lm-eval puts strings beside them ({@code "alias"}, and {@code "N/A"} for a
 * stderr it could not compute).
 */
public final class EvalResultParser {

    /**
     * {@code eval_*.json}, or {@code results*.json} that is not a benchmark result file: anything starting
     * {@code results_concurrency_} is the benchmark's, even when its name is malformed.
     */
    public static boolean isEvalFileName(String name) {
        return name.endsWith(".json")
                && (name.startsWith("eval_") || name.startsWith("results") && !name.startsWith("results_concurrency_"));
    }

    public ParseOutcome<EvalResult> parse(Path file) {
        String name = file.getFileName().toString();
        try {
            return parse(name, Files.readString(file));
        } catch (IOException e) {
            return new ParseOutcome.Invalid<>(name + ": cannot be read: " + e);
        }
    }

    public ParseOutcome<EvalResult> parse(String fileName, String text) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return new ParseOutcome.Invalid<>(fileName + ": is not JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode results = root == null ? null : root.get("results");
        if (results == null || !results.isObject()) {
            return new ParseOutcome.Invalid<>(fileName + ": required key 'results' is missing or not an object "
                    + "(not an lm-eval results file)");
        }
        Map<String, Map<String, Double>> tasks = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> task : results.properties()) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> metric : task.getValue().properties()) {
                if (metric.getValue().isNumber() && Double.isFinite(metric.getValue().doubleValue())) {
                    metrics.put(metric.getKey(), metric.getValue().doubleValue());
                }
            }
            tasks.put(task.getKey(), metrics);
        }
        if (tasks.isEmpty()) {
            return new ParseOutcome.Invalid<>(fileName + ": key 'results' has no tasks");
        }
        return new ParseOutcome.Parsed<>(new EvalResult(fileName, tasks));
    }
}
