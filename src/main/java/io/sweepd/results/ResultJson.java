package io.sweepd.results;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sweepd.json.Json;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Metrics and eval maps to and from the JSON text the ledger stores. Key order is kept as built, so the same
 * results serialize to the same text and recording them again is recognised as no change.
 */
final class ResultJson {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private ResultJson() {
    }

    static String write(Map<String, Object> map) {
        if (map == null) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result map is not serializable: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Collections.unmodifiableMap(Json.MAPPER.readValue(json, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored result JSON is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Only the named top-level keys of a stored map, read as a stream: the others are skipped, never built. For a
     * report's baseline, which compares a handful of metrics of thousands of rows.
     */
    static Map<String, Object> read(String json, Set<String> keys) {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("stored result JSON is not a JSON object");
            }
            Map<String, Object> kept = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (keys.contains(name)) {
                    kept.put(name, Json.MAPPER.readValue(parser, Object.class));
                } else {
                    parser.skipChildren();
                }
            }
            return Collections.unmodifiableMap(kept);
        } catch (IOException e) {
            throw new IllegalStateException("stored result JSON is not a JSON object: " + e.getMessage(), e);
        }
    }
}
