package io.sweepd.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.sweepd.json.Json;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The JSON API's bodies, written with sweepd's one mapper (instants as ISO-8601 text, fields in record order) and
 * kebab-case names, as {@code sweepd status --format json} writes them, so a tool reads both the same way.
 */
public final class StatusJson {

    private static final ObjectWriter WRITER =
            Json.MAPPER.copy().setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE).writer();

    private StatusJson() {
    }

    /** {@code GET /api/runs}: {@code {"runs": [...]}}, newest first. */
    public static String runs(List<StatusViews.RunView> runs) {
        return write(Map.of("runs", runs));
    }

    /** {@code GET /api/runs/{run}}: {@code {"run": {...}, "jobs": [...], "points": [...]}}. */
    public static String run(StatusViews.RunDetail detail) {
        return write(detail);
    }

    public static String error(String message) {
        return write(Map.of("error", message));
    }

    private static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the status as JSON", e);
        }
    }
}
