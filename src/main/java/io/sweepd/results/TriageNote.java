package io.sweepd.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The hook through which triage's verdict reaches the report. Triage (io.sweepd.triage: a failed job's logs
 * matched against the failure signatures) writes {@code triage.json} into the job directory:
 * {@code {"category": ..., "diagnosis": ..., ...}}. This reads only those two fields, as plain JSON, so results do
 * not depend on triage's classes. Until triage has written the file, or when it could not, a point's diagnosis is
 * simply absent: reading never fails a report.
 */
public final class TriageNote {

    /** The file triage writes into the job directory. */
    public static final String FILE = "triage.json";

    private TriageNote() {
    }

    /** Triage's one-line {@code diagnosis}; its {@code category} when the diagnosis is missing or blank. */
    public static Optional<String> diagnosis(Path jobDir) {
        if (jobDir == null) {
            return Optional.empty();
        }
        Path file = jobDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            String category = text(root, "category");
            String diagnosis = text(root, "diagnosis");
            return Optional.ofNullable(diagnosis != null ? diagnosis : category);
        } catch (IOException | RuntimeException e) {
            // Half-written or foreign: the report shows the failure without a diagnosis rather than not at all.
            return Optional.empty();
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root == null ? null : root.get(field);
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue().strip() : null;
    }
}
