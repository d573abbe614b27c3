package io.sweepd.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sweepd.json.Json;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A finished run's rows as the reports of the sweep's later runs compare against them: every field of each row, of
 * its metrics only the compared ones, no eval. The ledger keeps them beside the run (V9__run_comparison_rows.sql),
 * so a later report reads one text instead of the run's points and results again. Read back, texts, lists and
 * metric maps are shared across rows as {@link PointResults} shares them.
 */
public final class ComparisonRows {

    /** Changed whenever the fields below change: rows of another version are worked out again, never misread. */
    private static final int VERSION = 1;

    private ComparisonRows() {
    }

    /** The rows as JSON, keeping of each row's metrics only {@code metricKeys}. */
    public static String toJson(List<PointResult> rows, Set<String> metricKeys) {
        // About 700 characters a row: sized once, not grown by copying (7 MB for a 10,000-point run).
        StringWriter out = new StringWriter(Math.max(64, rows.size() * 720));
        try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("version", VERSION);
            json.writeArrayFieldStart("rows");
            for (PointResult row : rows) {
                write(json, row, metricKeys);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write comparison rows", e);
        }
        return out.toString();
    }

    /** The rows {@link #toJson} wrote; empty when another version of sweepd wrote them. */
    public static Optional<List<PointResult>> fromJson(String text) {
        StoredMaps maps = new StoredMaps();
        try (JsonParser json = Json.MAPPER.createParser(text)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            List<PointResult> rows = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (name.equals("version") && json.getIntValue() != VERSION) {
                    return Optional.empty();
                } else if (name.equals("rows")) {
                    expect(value, JsonToken.START_ARRAY);
                    rows = new ArrayList<>();
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        rows.add(read(json, maps));
                    }
                }
            }
            return Optional.ofNullable(rows);
        } catch (IOException | RuntimeException e) {
            // Not what this version writes: the caller works the rows out from the ledger, as if none were kept.
            return Optional.empty();
        }
    }

    private static void write(JsonGenerator json, PointResult row, Set<String> metricKeys) throws IOException {
        json.writeStartObject();
        json.writeStringField("runId", row.runId());
        json.writeStringField("pointId", row.pointId());
        json.writeStringField("jobKey", row.jobKey());
        json.writeStringField("configKey", row.configKey());
        json.writeStringField("model", row.model());
        json.writeStringField("modelPrefix", row.modelPrefix());
        json.writeStringField("precision", row.precision());
        json.writeStringField("framework", row.framework());
        json.writeStringField("hardware", row.hardware());
        json.writeStringField("profile", row.profile());
        json.writeStringField("runner", row.runner());
        json.writeNumberField("isl", row.isl());
        json.writeNumberField("osl", row.osl());
        json.writeNumberField("conc", row.conc());
        json.writeBooleanField("disagg", row.disagg());
        json.writeStringField("specDecoding", row.specDecoding());
        json.writeStringField("shape", row.shape());
        json.writeStringField("state", row.state());
        json.writeStringField("reason", row.reason());
        json.writeStringField("diagnosis", row.diagnosis());
        json.writeNumberField("prefillGpus", row.prefillGpus());
        json.writeNumberField("decodeGpus", row.decodeGpus());
        json.writeNumberField("totalGpus", row.totalGpus());
        if (row.metrics() != null) {
            json.writeObjectFieldStart("metrics");
            for (Map.Entry<String, Object> metric : row.metrics().entrySet()) {
                if (metricKeys.contains(metric.getKey())) {
                    json.writeObjectField(metric.getKey(), metric.getValue());
                }
            }
            json.writeEndObject();
        }
        json.writeArrayFieldStart("workarounds");
        for (String workaround : row.workarounds()) {
            json.writeString(workaround);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static PointResult read(JsonParser json, StoredMaps maps) throws IOException {
        String runId = null, pointId = null, jobKey = null, configKey = null, model = null, modelPrefix = null;
        String precision = null, framework = null, hardware = null, profile = null, runner = null;
        String specDecoding = null, shape = null, state = null, reason = null, diagnosis = null;
        int isl = 0, osl = 0, conc = 0, prefillGpus = 0, decodeGpus = 0, totalGpus = 0;
        boolean disagg = false;
        Map<String, Object> metrics = null;
        List<String> workarounds = new ArrayList<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            switch (name) {
                case "runId" -> runId = maps.text(json.getValueAsString());
                case "pointId" -> pointId = json.getValueAsString();
                case "jobKey" -> jobKey = maps.text(json.getValueAsString());
                case "configKey" -> configKey = maps.text(json.getValueAsString());
                case "model" -> model = maps.text(json.getValueAsString());
                case "modelPrefix" -> modelPrefix = maps.text(json.getValueAsString());
                case "precision" -> precision = maps.text(json.getValueAsString());
                case "framework" -> framework = maps.text(json.getValueAsString());
                case "hardware" -> hardware = maps.text(json.getValueAsString());
                case "profile" -> profile = maps.text(json.getValueAsString());
                case "runner" -> runner = maps.text(json.getValueAsString());
                case "isl" -> isl = json.getIntValue();
                case "osl" -> osl = json.getIntValue();
                case "conc" -> conc = json.getIntValue();
                case "disagg" -> disagg = json.getBooleanValue();
                case "specDecoding" -> specDecoding = maps.text(json.getValueAsString());
                case "shape" -> shape = maps.text(json.getValueAsString());
                case "state" -> state = maps.text(json.getValueAsString());
                case "reason" -> reason = maps.text(json.getValueAsString());
                case "diagnosis" -> diagnosis = maps.text(json.getValueAsString());
                case "prefillGpus" -> prefillGpus = json.getIntValue();
                case "decodeGpus" -> decodeGpus = json.getIntValue();
                case "totalGpus" -> totalGpus = json.getIntValue();
                case "metrics" -> {
                    expect(value, JsonToken.START_OBJECT);
                    metrics = maps.readObject(json, null);
                }
                case "workarounds" -> {
                    expect(value, JsonToken.START_ARRAY);
                    while (json.nextToken() == JsonToken.VALUE_STRING) {
                        workarounds.add(json.getText());
                    }
                }
                default -> json.skipChildren();
            }
        }
        return new PointResult(runId, pointId, jobKey, configKey, model, modelPrefix, precision, framework, hardware,
                profile, runner, isl, osl, conc, disagg, specDecoding, shape, state, reason, diagnosis, prefillGpus,
                decodeGpus, totalGpus, metrics, null, maps.list(workarounds));
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("comparison rows: expected " + expected + ", found " + actual);
        }
    }
}
