package io.sweepd.triage;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code triage.json} in a job directory: the result in the same kebab-case fields {@code sweepd triage
 * --format json} prints. The job-failure route writes it ({@link #fields} marshalled by camel-jackson with the
 * shared mapper, to a temporary file then renamed, so a reader never sees half of it); this reads it back.
 */
public final class TriageFile {

    public static final String FILE = "triage.json";

    private TriageFile() {
    }

    /** The result's fields in output order: category, retryable, diagnosis, suggested-workaround, evidence, ... */
    public static Map<String, Object> fields(TriageResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("category", result.category().id());
        out.put("retryable", result.retryable());
        out.put("diagnosis", result.diagnosis());
        out.put("suggested-workaround", result.suggestedWorkaround());
        out.put("evidence", result.evidence());
        out.put("file", result.file());
        out.put("line", result.line());
        out.put("signature", result.signature());
        return out;
    }

    /** The job directory's {@code triage.json}, when there is one. */
    public static Optional<TriageResult> read(JobDirectory dir) {
        Path file = dir.root().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            Category category = Category.fromId(node.path("category").asText())
                    .orElseThrow(() -> new IOException("unknown category " + node.path("category")));
            return Optional.of(new TriageResult(category, node.path("retryable").asBoolean(),
                    node.path("diagnosis").asText(), textOrNull(node, "suggested-workaround"),
                    node.path("evidence").asText(""), textOrNull(node, "file"), node.path("line").asLong(0),
                    node.path("signature").asText(TriageResult.UNKNOWN_SIGNATURE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}
