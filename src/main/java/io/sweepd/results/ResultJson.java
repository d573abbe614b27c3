package io.sweepd.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sweepd.json.Json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

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
}
