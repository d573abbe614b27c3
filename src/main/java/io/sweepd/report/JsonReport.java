package io.sweepd.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.json.Json;
import io.sweepd.ledger.AttemptRecord;
import io.sweepd.results.PointResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * report.json: for machines. Each point carries its InferenceMAX agg fields unchanged under {@code metrics}
 * (so tooling written for agg_*.json reads them by the same names) beside sweepd's own fields; then the
 * Pareto frontier per chart and the baseline comparison, with full precision throughout.
 */
final class JsonReport {

    private JsonReport() {
    }

    /**
     * Writes a value into the report's generator without flushing it: by default Jackson flushes after each value,
     * which pushed every point through to the file on its own.
     */
    private static final ObjectWriter VALUES = Json.PRETTY.without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    static String render(ReportModel model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(model, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * The report, streamed: a point (and a matched baseline point) at a time is a tree, the whole report never is,
     * so a 10,000-point run's report costs the memory of one point, not of every point twice over. Written as UTF-8
     * bytes by Jackson itself, not as characters a Writer then encodes.
     */
    static void write(ReportModel m, OutputStream out) {
        try (JsonGenerator json = Json.MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
            json.setPrettyPrinter(new ElementPerLine());
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            ReportInput in = m.input();
            json.writeStartObject();
            json.writeStringField("sweep", in.sweepName());
            json.writeStringField("run_id", in.runId());
            json.writeStringField("generated_at", in.generatedAt().toString());
            json.writeBooleanField("final", in.finalReport());
            json.writeStringField("gpu_counting", "topology");
            json.writeStringField("gpu_counting_note", PointTable.GPU_NOTE);

            ObjectNode summary = Json.MAPPER.createObjectNode();
            summary.put("completed", m.count(Outcome.COMPLETED));
            summary.put("invalid", m.count(Outcome.INVALID));
            summary.put("failed", m.count(Outcome.FAILED));
            summary.put("refused", m.count(Outcome.REFUSED));
            summary.put("pending", m.count(Outcome.PENDING));
            summary.put("total", in.points().size());
            summary.put("failed_attempts", m.failedAttempts());
            summary.put("retried_failed_attempts", m.retriedFailures());
            summary.put("configurations", m.sweepCounts().configurations());
            summary.put("refused_configurations", m.sweepCounts().refusedConfigurations());
            summary.put("counts", m.sweepCounts().describe());
            summary.put("jobs", m.jobs());
            if (in.jobTimings().isEmpty()) {
                summary.putNull("gpu_hours");
            } else {
                summary.put("gpu_hours", JobTiming.totalGpuHours(in.jobTimings()));
            }
            summary.put("gpus_min", m.minGpus());
            summary.put("gpus_max", m.maxGpus());
            ArrayNode hw = summary.putArray("hardware");
            m.hardware().forEach(hw::add);
            json.writeFieldName("summary");
            VALUES.writeValue(json, summary);

            json.writeArrayFieldStart("points");
            SortedKeys sortedKeys = new SortedKeys();
            for (PointResult p : in.points().stream().sorted(ReportModel.REPORT_ORDER).toList()) {
                point(json, p, sortedKeys, in.attemptsOf(p));
            }
            json.writeEndArray();

            ArrayNode retryRules = Json.MAPPER.createArrayNode();
            for (ReportModel.RetryRule rule : m.retryRules()) {
                ObjectNode r = retryRules.addObject();
                r.put("rule", rule.rule());
                r.put("configuration", rule.configuration());
                r.put("job_key", rule.jobKey());
                r.put("after_attempt", rule.after().attempt());
                r.put("after_slurm_job_id", rule.after().slurmJobId());
                r.put("after_state", rule.after().state().name());
                r.put("text", rule.describe());
            }
            json.writeFieldName("workarounds_added_by_retries");
            VALUES.writeValue(json, retryRules);

            ArrayNode pareto = Json.MAPPER.createArrayNode();
            for (ReportModel.ChartGroup chart : m.charts()) {
                ObjectNode g = pareto.addObject();
                g.put("model", chart.model());
                g.put("isl", chart.isl());
                g.put("osl", chart.osl());
                ArrayNode frontier = g.putArray("frontier");
                for (PointResult p : chart.frontier()) {
                    ObjectNode f = frontier.addObject();
                    f.put("point_id", p.pointId());
                    f.put("config_key", p.configKey());
                    f.put("series", p.seriesKey());
                    f.put("conc", p.conc());
                    putNumber(f, ReportMetric.TPUT_PER_GPU.key(), ReportMetric.TPUT_PER_GPU.of(p));
                    putNumber(f, ReportMetric.MEDIAN_INTVTY.key(), ReportMetric.MEDIAN_INTVTY.of(p));
                }
            }
            json.writeFieldName("pareto");
            VALUES.writeValue(json, pareto);

            json.writeArrayFieldStart("jobs");
            for (JobTiming j : in.jobTimings()) {
                job(json, j);
            }
            json.writeEndArray();

            json.writeArrayFieldStart("history");
            for (RunHistory.Entry e : in.history().runs()) {
                ObjectNode h = Json.MAPPER.createObjectNode();
                h.put("run_id", e.runId());
                h.put("created_at", e.createdAt() == null ? null : e.createdAt().toString());
                h.put("current", e.current());
                h.put("completed", e.completed());
                h.put("unsuccessful", e.unsuccessful());
                putNumber(h, "gpu_hours", e.gpuHours());
                ObjectNode peaks = h.putObject("peak_tput_per_gpu");
                e.peakTputPerGpu().forEach((g, v) -> putNumber(peaks, g, v));
                VALUES.writeValue(json, h);
            }
            json.writeEndArray();

            json.writeFieldName("baseline");
            if (m.comparison() == null) {
                json.writeNull();
            } else {
                baseline(json, m.comparison(), in.baselineRunId());
            }
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A point, straight to the generator: its own fields, then its metrics (keys sorted, non-finite numbers as null,
     * as {@link #finite} would give them) without building a tree or a sorted copy of every metric of every point.
     */
    private static void point(JsonGenerator json, PointResult p, SortedKeys sortedKeys, List<AttemptRecord> attempts)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("point_id", p.pointId());
        json.writeStringField("run_id", p.runId());
        json.writeStringField("job_key", p.jobKey());
        json.writeStringField("config_key", p.configKey());
        json.writeStringField("series", p.seriesKey());
        json.writeStringField("model", p.model());
        json.writeStringField("model_prefix", p.modelPrefix());
        json.writeStringField("precision", p.precision());
        json.writeStringField("framework", p.framework());
        json.writeStringField("hardware", p.hardware());
        json.writeStringField("profile", p.profile());
        json.writeStringField("runner", p.runner());
        json.writeNumberField("isl", p.isl());
        json.writeNumberField("osl", p.osl());
        json.writeNumberField("conc", p.conc());
        json.writeBooleanField("disagg", p.disagg());
        json.writeStringField("spec_decoding", p.specDecoding());
        json.writeStringField("shape", p.shape());
        json.writeStringField("state", p.state());
        json.writeStringField("outcome", Outcome.of(p.state()).name());
        json.writeStringField("reason", p.reason());
        json.writeStringField("diagnosis", p.diagnosis());
        json.writeArrayFieldStart("workarounds");
        for (String id : p.workarounds()) {
            json.writeString(id);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("attempts");
        for (AttemptRecord a : attempts) {
            attempt(json, a);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("gpus");
        json.writeNumberField("prefill", p.prefillGpus());
        json.writeNumberField("decode", p.decodeGpus());
        json.writeNumberField("total", p.totalGpus());
        json.writeEndObject();
        json.writeFieldName("metrics");
        if (p.metrics() == null) {
            json.writeNull();
        } else {
            json.writeStartObject();
            Map<String, Object> metrics = p.metrics();
            for (String key : sortedKeys.of(metrics)) {
                json.writeFieldName(key);
                Object value = metrics.get(key);
                if (value == null) {
                    json.writeNull();
                } else if (value instanceof Double || value instanceof Float) {
                    double d = ((Number) value).doubleValue();
                    if (Double.isFinite(d)) {
                        json.writeNumber(d);
                    } else {
                        json.writeNull();
                    }
                } else if (value instanceof Integer i) {
                    json.writeNumber(i);
                } else if (value instanceof Long l) {
                    json.writeNumber(l);
                } else if (value instanceof String text) {
                    json.writeString(text);
                } else if (value instanceof Boolean b) {
                    json.writeBoolean(b);
                } else {
                    VALUES.writeValue(json, replaceNonFinite(Json.SORTED.valueToTree(value)));
                }
            }
            json.writeEndObject();
        }
        json.writeFieldName("eval");
        VALUES.writeValue(json, p.eval() == null ? Json.MAPPER.nullNode() : finite(p.eval()));
        json.writeEndObject();
    }

    /** One Slurm job: its current attempt's id, nodes, times and cost, its files, and the attempts before it. */
    private static void job(JsonGenerator json, JobTiming j) throws IOException {
        json.writeStartObject();
        json.writeStringField("job_key", j.jobKey());
        json.writeStringField("configuration", j.label());
        json.writeStringField("slurm_job_id", j.slurmJobId());
        json.writeNumberField("attempt", j.attempt());
        json.writeStringField("state", j.state());
        json.writeStringField("nodes", j.nodes());
        json.writeNumberField("gpus", j.gpus());
        json.writeNumberField("points", j.points());
        time(json, "submitted_at", j.submittedAt());
        time(json, "started_at", j.startedAt());
        time(json, "ended_at", j.endedAt());
        seconds(json, "queue_wait_s", j.queueWait());
        seconds(json, "run_time_s", j.runTime());
        seconds(json, "model_load_s", j.modelLoad());
        seconds(json, "benchmark_s", j.benchmark());
        number(json, "gpu_hours", j.gpuHours());
        number(json, "gpu_hours_per_point", j.gpuHoursPerPoint());
        json.writeStringField("reused_from_run", j.reusedFromRun());
        json.writeStringField("slurm_log", j.slurmLogHref());
        json.writeStringField("logs", j.logsHref());
        json.writeStringField("failure_archive", j.archiveHref());
        json.writeStringField("unknown_because", j.missing());
        json.writeArrayFieldStart("earlier_attempts");
        for (JobTiming.EarlierAttempt e : j.earlier()) {
            json.writeStartObject();
            json.writeNumberField("attempt", e.attempt().attempt());
            json.writeStringField("slurm_job_id", e.attempt().slurmJobId());
            json.writeStringField("state", e.attempt().state().name());
            json.writeStringField("nodes", e.attempt().nodes());
            seconds(json, "queue_wait_s", e.attempt().queueWait());
            seconds(json, "run_time_s", e.attempt().runTime());
            number(json, "gpu_hours", e.gpuHours());
            json.writeStringField("diagnosis", e.attempt().diagnosis());
            json.writeStringField("added_workaround", e.attempt().addedWorkaround());
            json.writeStringField("slurm_log", e.slurmLogHref());
            json.writeStringField("logs", e.logsHref());
            json.writeStringField("failure_archive", e.archiveHref());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void time(JsonGenerator json, String field, java.time.Instant at) throws IOException {
        json.writeStringField(field, at == null ? null : at.toString());
    }

    private static void seconds(JsonGenerator json, String field, java.time.Duration d) throws IOException {
        if (d == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, d.toMillis() / 1000.0);
        }
    }

    private static void number(JsonGenerator json, String field, Double value) throws IOException {
        if (value == null || !Double.isFinite(value)) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }

    /** One sbatch of the point's job: the failed first attempt of a retried point stays here with its diagnosis. */
    private static void attempt(JsonGenerator json, AttemptRecord a) throws IOException {
        json.writeStartObject();
        json.writeNumberField("attempt", a.attempt());
        json.writeStringField("slurm_job_id", a.slurmJobId());
        json.writeStringField("state", a.state().name());
        json.writeBooleanField("failed", a.failed());
        json.writeStringField("nodes", a.nodes());
        json.writeStringField("reason", a.reason());
        if (a.exitCode() == null) {
            json.writeNullField("exit_code");
        } else {
            json.writeNumberField("exit_code", a.exitCode());
        }
        json.writeStringField("diagnosis", a.diagnosis());
        json.writeStringField("category", a.category());
        json.writeStringField("retried_because", a.retriedBecause());
        json.writeStringField("added_workaround", a.addedWorkaround());
        json.writeStringField("suggested_workaround", a.suggestedWorkaround());
        json.writeStringField("excluded_nodes", a.excludedNodes());
        json.writeStringField("job_name", a.jobName());
        time(json, "submitted_at", a.submittedAt());
        time(json, "started_at", a.startedAt());
        json.writeStringField("ended_at", a.endedAt() == null ? null : a.endedAt().toString());
        seconds(json, "queue_wait_s", a.queueWait());
        seconds(json, "run_time_s", a.runTime());
        json.writeEndObject();
    }

    /**
     * A map's keys in sorted order, sorted once for a run of maps with the same keys in the same order: a run's
     * points nearly all have the same metric keys.
     */
    private static final class SortedKeys {
        private String[] stored = new String[0];
        private String[] sorted = new String[0];

        String[] of(Map<String, Object> map) {
            if (!sameKeys(map)) {
                stored = map.keySet().toArray(String[]::new);
                sorted = stored.clone();
                Arrays.sort(sorted);
            }
            return sorted;
        }

        private boolean sameKeys(Map<String, Object> map) {
            if (map.size() != stored.length) {
                return false;
            }
            int i = 0;
            for (String key : map.keySet()) {
                if (!key.equals(stored[i++])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The comparison, streamed: the matched points (as many as the run has) one at a time. */
    private static void baseline(JsonGenerator json, BaselineComparison c, String baselineRunId) throws IOException {
        json.writeStartObject();
        ObjectNode b = Json.MAPPER.createObjectNode();
        b.put("run_id", baselineRunId);
        b.put("tolerance", c.tolerance());
        ArrayNode flagged = b.putArray("flagged_metrics");
        BaselineComparison.COMPARED.stream().filter(BaselineComparison.FLAGGED::contains)
                .forEach(metric -> flagged.add(metric.key()));
        ObjectNode counts = b.putObject("counts");
        counts.put("matched", c.matched().size());
        counts.put("regressions", c.regressions().size());
        counts.put("newly_failed", c.newlyFailed().size());
        counts.put("disappeared", c.disappeared().size());
        counts.put("added", c.added().size());

        writeFields(json, b);
        b = Json.MAPPER.createObjectNode();
        json.writeArrayFieldStart("matched");
        for (PointDelta d : c.matched()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.set("key", key(d.key()));
            o.put("point_id", d.current().pointId());
            o.put("baseline_point_id", d.baseline().pointId());
            o.put("regression", d.isRegression());
            ArrayNode regressed = o.putArray("regressed");
            d.regressed().forEach(metric -> regressed.add(metric.key()));
            ObjectNode deltas = o.putObject("deltas");
            for (MetricDelta md : d.deltas()) {
                ObjectNode x = deltas.putObject(md.metric().key());
                putNumber(x, "baseline", md.baseline());
                putNumber(x, "current", md.current());
                putNumber(x, "absolute", md.absolute());
                putNumber(x, "relative", md.relative());
            }
            VALUES.writeValue(json, o);
        }
        json.writeEndArray();
        ArrayNode regressions = b.putArray("regressions");
        c.regressions().forEach(d -> regressions.add(key(d.key())));
        ArrayNode newlyFailed = b.putArray("newly_failed");
        for (StateChange s : c.newlyFailed()) {
            ObjectNode o = newlyFailed.addObject();
            o.set("key", key(s.key()));
            o.put("point_id", s.current().pointId());
            o.put("baseline_state", s.baseline().state());
            o.put("state", s.current().state());
            o.put("reason", s.current().reason());
            o.put("diagnosis", s.current().diagnosis());
        }
        ArrayNode disappeared = b.putArray("disappeared");
        c.disappeared().forEach(p -> {
            ObjectNode o = disappeared.addObject();
            o.set("key", key(PointKey.of(p)));
            o.put("baseline_point_id", p.pointId());
            o.put("baseline_state", p.state());
        });
        ArrayNode added = b.putArray("added");
        c.added().forEach(p -> {
            ObjectNode o = added.addObject();
            o.set("key", key(PointKey.of(p)));
            o.put("point_id", p.pointId());
            o.put("state", p.state());
        });
        writeFields(json, b);
        json.writeEndObject();
    }

    private static void writeFields(JsonGenerator json, ObjectNode fields) throws IOException {
        for (Map.Entry<String, JsonNode> field : fieldEntries(fields)) {
            json.writeFieldName(field.getKey());
            VALUES.writeValue(json, field.getValue());
        }
    }

    private static List<Map.Entry<String, JsonNode>> fieldEntries(ObjectNode o) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        o.fields().forEachRemaining(entries::add);
        return entries;
    }

    private static ObjectNode key(PointKey k) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("config_key", k.configKey());
        o.put("shape", k.shape());
        o.put("spec_decoding", k.specDecoding());
        o.put("isl", k.isl());
        o.put("osl", k.osl());
        o.put("conc", k.conc());
        return o;
    }

    static void putNumber(ObjectNode o, String field, Double value) {
        if (value == null || !Double.isFinite(value)) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    /** The map in key order (Json.SORTED), except NaN and infinities (not JSON) become null. */
    private static JsonNode finite(Map<String, Object> map) {
        JsonNode node = Json.SORTED.valueToTree(map);
        return replaceNonFinite(node);
    }

    private static JsonNode replaceNonFinite(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = fieldNames(o);
            for (String name : names) {
                JsonNode child = o.get(name);
                if (child.isNumber() && !Double.isFinite(child.doubleValue())) {
                    o.putNull(name);
                } else if (child.isContainerNode()) {
                    replaceNonFinite(child);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode child = a.get(i);
                if (child.isNumber() && !Double.isFinite(child.doubleValue())) {
                    a.set(i, Json.MAPPER.nullNode());
                } else if (child.isContainerNode()) {
                    replaceNonFinite(child);
                }
            }
        }
        return node;
    }

    private static List<String> fieldNames(ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
