package io.sweepd.triage;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code triage.json} in a job directory: the result in the same kebab-case fields {@code sweepd triage
 * --format json} prints. Written to a temporary file and moved, so a reader never sees half of it.
 */
public final class TriageWriter {

    public static final String FILE = "triage.json";

    private TriageWriter() {
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

    /** Writes {@code triage.json} into the job directory; returns its path. */
    public static Path write(JobDirectory dir, TriageResult result) {
        Path file = dir.root().resolve(FILE);
        Path tmp = dir.root().resolve(FILE + ".tmp");
        try {
            Files.createDirectories(dir.root());
            Files.writeString(tmp, Json.PRETTY.writeValueAsString(fields(result)) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
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
