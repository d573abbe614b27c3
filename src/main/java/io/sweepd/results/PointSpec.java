package io.sweepd.results;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of a planned point that collecting and reporting need, read back from the point JSON the ledger
 * keeps ({@code points.matrix_json}, written by io.sweepd.plan.PlanJson): InferenceMAX's matrix fields plus
 * sweepd's point id, config key, job key, profile, topology, workarounds and refusal. Reads leniently: a
 * missing field gets a neutral default, so an old or hand-written point still shows up in a report.
 *
 * @param tp       single-node tp (null for multinode)
 * @param ep       single-node ep (null for multinode)
 * @param dpAttn   single-node dp-attn (null for multinode)
 * @param prefill  multinode prefill worker spec, or null
 * @param decode   multinode decode worker spec, or null
 * @param conc     the planned concurrencies: one for single-node, the search-space item's list for multinode
 * @param evalConc the concurrency an eval belongs to: multinode's eval-conc, else the last (highest) planned one;
 *                 null unless run-eval
 * @param topology what the plan placed the point on, or null when no profile served it
 */
public record PointSpec(
        String pointId,
        String jobKey,
        String configKey,
        String profile,
        String image,
        String model,
        String modelPrefix,
        String precision,
        String framework,
        String runner,
        int isl,
        int osl,
        String specDecoding,
        boolean multinode,
        boolean disagg,
        Integer tp,
        Integer ep,
        Boolean dpAttn,
        Worker prefill,
        Worker decode,
        List<Integer> conc,
        boolean runEval,
        Integer evalConc,
        PlanTopology topology,
        List<String> workarounds,
        String refused) {

    /** A multinode worker spec: {@code num-worker, tp, ep, dp-attn}. */
    public record Worker(int numWorker, int tp, int ep, boolean dpAttn) {

        /** "tp8 ep8 dpa": tp always, ep when above 1, dpa when DP attention is on. */
        public String shape() {
            return PointSpec.shape(tp, ep, dpAttn);
        }
    }

    /**
     * The plan's topology: {@code gpus} is every GPU the point occupies; prefill and decode counts are present
     * only for disaggregated points (0 here otherwise).
     */
    public record PlanTopology(int nodes, int gpus, int prefillWorkers, int prefillGpus, int decodeWorkers,
                               int decodeGpus) {

        public boolean disaggregated() {
            return prefillWorkers + decodeWorkers > 0;
        }
    }

    public PointSpec {
        Objects.requireNonNull(pointId, "pointId");
        conc = List.copyOf(conc);
        workarounds = List.copyOf(workarounds);
    }

    /** The fields read below: a point's JSON also holds its server config, workaround changes..., skipped unread. */
    private static final Set<String> READ = Set.of("point-id", "job-key", "config-key", "profile", "image", "model",
            "model-prefix", "precision", "framework", "runner", "isl", "osl", "spec-decoding", "disagg", "tp", "ep",
            "dp-attn", "prefill", "decode", "conc", "run-eval", "eval-conc", "topology", "workarounds", "refused");

    public static PointSpec fromJson(String matrixJson) {
        JsonNode p = readFields(matrixJson);
        JsonNode concNode = p.path("conc");
        List<Integer> conc = new ArrayList<>();
        if (concNode.isArray()) {
            concNode.forEach(c -> conc.add(c.asInt()));
        } else if (concNode.isNumber()) {
            conc.add(concNode.asInt());
        }
        Worker prefill = worker(p.path("prefill"));
        Worker decode = worker(p.path("decode"));
        boolean multinode = concNode.isArray() || prefill != null || decode != null;
        boolean runEval = p.path("run-eval").asBoolean(false);
        Integer evalConc = null;
        if (runEval) {
            evalConc = p.path("eval-conc").isNumber() ? Integer.valueOf(p.path("eval-conc").asInt())
                    : conc.isEmpty() ? null : conc.get(conc.size() - 1);
        }
        List<String> workarounds = new ArrayList<>();
        p.path("workarounds").forEach(w -> {
            if (w.path("id").isTextual()) {
                workarounds.add(w.path("id").textValue());
            }
        });
        return new PointSpec(
                text(p, "point-id", ""),
                text(p, "job-key", null),
                text(p, "config-key", null),
                text(p, "profile", null),
                text(p, "image", null),
                text(p, "model", null),
                text(p, "model-prefix", null),
                text(p, "precision", null),
                text(p, "framework", null),
                text(p, "runner", null),
                p.path("isl").asInt(0),
                p.path("osl").asInt(0),
                text(p, "spec-decoding", "none"),
                multinode,
                p.path("disagg").asBoolean(false),
                multinode || !p.path("tp").isNumber() ? null : p.path("tp").asInt(),
                multinode || !p.path("ep").isNumber() ? null : p.path("ep").asInt(),
                multinode || !p.path("dp-attn").isBoolean() ? null : p.path("dp-attn").asBoolean(),
                prefill,
                decode,
                conc,
                runEval,
                evalConc,
                topology(p.path("topology")),
                workarounds,
                text(p, "refused", null));
    }

    /**
     * The point's top-level fields this reads, as readTree would give them (a repeated field: its last value), the
     * others skipped: a report reads 10,000 points, a collector every point of a job.
     */
    /**
     * A scalar field as the node {@code readTree} would give, built from the token: {@code readTree} makes a
     * deserialization context per call, and a 10,000-point report reads 200,000 fields.
     */
    private static JsonNode scalar(JsonParser parser) throws IOException {
        JsonNodeFactory nodes = Json.MAPPER.getNodeFactory();
        return switch (parser.currentToken()) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.INT
                    ? nodes.numberNode(parser.getIntValue()) : Json.MAPPER.readTree(parser);
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> Json.MAPPER.readTree(parser);
        };
    }

    private static ObjectNode readFields(String matrixJson) {
        try (JsonParser parser = Json.MAPPER.createParser(matrixJson)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                // Read whole, so that what is not JSON at all says so.
                Json.MAPPER.readTree(matrixJson);
                throw new IllegalArgumentException("point JSON is not an object");
            }
            ObjectNode fields = Json.MAPPER.createObjectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (READ.contains(name)) {
                    fields.set(name, parser.currentToken().isScalarValue() ? scalar(parser)
                            : Json.MAPPER.readTree(parser));
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("point JSON is not JSON: unexpected " + parser.currentToken());
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("point JSON is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Human-readable parallelism: "tp8 ep8 dpa" for single-node, "1P(tp1 ep16 dpa) + 1D(tp1 ep16 dpa)" for
     * disaggregated, "2x(tp8 ep8)" for multinode aggregated workers.
     */
    public String shape() {
        if (!multinode) {
            return shape(tp == null ? 1 : tp, ep == null ? 1 : ep, Boolean.TRUE.equals(dpAttn));
        }
        if (disagg && prefill != null && decode != null) {
            return prefill.numWorker() + "P(" + prefill.shape() + ") + " + decode.numWorker() + "D(" + decode.shape()
                    + ")";
        }
        Worker agg = decode != null ? decode : prefill;
        return agg == null ? "multinode" : agg.numWorker() + "x(" + agg.shape() + ")";
    }

    static String shape(int tp, int ep, boolean dpAttn) {
        return "tp" + tp + (ep > 1 ? " ep" + ep : "") + (dpAttn ? " dpa" : "");
    }

    public boolean isRefused() {
        return refused != null;
    }

    private static Worker worker(JsonNode w) {
        if (!w.isObject()) {
            return null;
        }
        return new Worker(w.path("num-worker").asInt(1), w.path("tp").asInt(1), w.path("ep").asInt(1),
                w.path("dp-attn").asBoolean(false));
    }

    private static PlanTopology topology(JsonNode t) {
        if (!t.isObject()) {
            return null;
        }
        return new PlanTopology(t.path("nodes").asInt(0), t.path("gpus").asInt(0), t.path("prefill-workers").asInt(0),
                t.path("prefill-gpus").asInt(0), t.path("decode-workers").asInt(0), t.path("decode-gpus").asInt(0));
    }

    private static String text(JsonNode p, String field, String fallback) {
        JsonNode v = p.path(field);
        return v.isTextual() ? v.textValue() : fallback;
    }
}
