package io.sweepd.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.sweep.WorkerSpec;

import java.util.ArrayList;
import java.util.List;

/** Reads a point back from the InferenceMAX-shaped JSON that {@link MatrixPoint#toInferenceMax()} writes. */
public final class MatrixPoints {

    private MatrixPoints() {
    }

    /**
     * @param json a plan point (InferenceMAX matrix fields, plus sweepd's {@code config-key} when present)
     */
    public static MatrixPoint fromInferenceMax(JsonNode json) {
        boolean multinode = json.has("prefill");
        List<Integer> conc = new ArrayList<>();
        if (json.path("conc").isArray()) {
            json.path("conc").forEach(c -> conc.add(c.asInt()));
        } else {
            conc.add(json.path("conc").asInt());
        }
        MatrixPoint.Agentic agentic = MatrixPoint.AGENTIC_CODING.equals(json.path("scenario-type").asText(null))
                ? new MatrixPoint.Agentic(json.path("duration").asInt(), json.path("offloading").asText(null))
                : null;
        return new MatrixPoint(
                json.path("config-key").asText(null),
                json.path("image").asText(), json.path("model").asText(), json.path("model-prefix").asText(),
                json.path("precision").asText(), json.path("framework").asText(), json.path("runner").asText(),
                json.path("isl").asInt(), json.path("osl").asInt(),
                multinode ? null : json.path("tp").asInt(),
                multinode ? null : json.path("ep").asInt(),
                multinode ? null : json.path("dp-attn").asBoolean(),
                json.path("spec-decoding").asText("none"),
                multinode ? worker(json.path("prefill")) : null,
                multinode ? worker(json.path("decode")) : null,
                conc, json.path("max-model-len").asInt(), json.path("exp-name").asText(),
                json.path("disagg").asBoolean(), multinode, json.path("run-eval").asBoolean(),
                json.hasNonNull("eval-conc") ? json.path("eval-conc").asInt() : null,
                json.path("eval-only").asBoolean(), agentic);
    }

    private static WorkerSpec worker(JsonNode json) {
        List<String> settings = null;
        if (json.has("additional-settings")) {
            settings = new ArrayList<>();
            for (JsonNode s : json.path("additional-settings")) {
                settings.add(s.asText());
            }
        }
        return new WorkerSpec(json.path("num-worker").asInt(), json.path("tp").asInt(), json.path("ep").asInt(),
                json.path("dp-attn").asBoolean(), settings);
    }
}
