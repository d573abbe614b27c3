package io.sweepd.results;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sweepd.json.Json;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Reads the metrics and eval maps of many result rows for one report, compactly. A run's rows all carry the same
 * few dozen metric keys and the same few text values (hardware, image, framework...): as LinkedHashMaps with their
 * own entries and strings, 10,000 points' metrics took over 100 MB. Here rows with the same keys in the same order
 * share one key index, each row keeps an array of its values, and equal texts are one String. One instance per
 * report build (it is not thread-safe), dropped with it.
 */
final class StoredMaps {

    private final Map<List<String>, Keys> keySets = new HashMap<>();
    private final Map<String, String> texts = new HashMap<>();

    /**
     * A stored map (written by {@link ResultJson#write} from a map: no repeated keys), read-only.
     *
     * @param only the keys to keep, or null for all of them
     */
    Map<String, Object> read(String json, Set<String> only) {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("stored result JSON is not a JSON object");
            }
            List<String> names = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (only != null && !only.contains(name)) {
                    parser.skipChildren();
                    continue;
                }
                names.add(name);
                values.add(switch (token) {
                    case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                    case VALUE_NUMBER_INT -> parser.getNumberValue();
                    case VALUE_STRING -> text(parser.getText());
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> null;
                    default -> Json.MAPPER.readValue(parser, Object.class);
                });
            }
            Keys keys = keySets.computeIfAbsent(names, Keys::new);
            return new CompactMap(keys, values.toArray());
        } catch (IOException e) {
            throw new IllegalStateException("stored result JSON is not a JSON object: " + e.getMessage(), e);
        }
    }

    /** One String for equal texts across every row of the build. */
    String text(String text) {
        return text == null ? null : texts.computeIfAbsent(text, t -> t);
    }

    /** The keys of a row, in order, with their positions: shared by every row with the same keys. */
    private static final class Keys {
        private final String[] names;
        private final Map<String, Integer> index = new HashMap<>();

        Keys(List<String> names) {
            this.names = names.toArray(String[]::new);
            for (int i = 0; i < this.names.length; i++) {
                index.put(this.names[i], i);
            }
        }
    }

    /** A read-only map over a shared key index and the row's own values, in the stored order. */
    private static final class CompactMap extends AbstractMap<String, Object> {
        private final Keys keys;
        private final Object[] values;

        CompactMap(Keys keys, Object[] values) {
            this.keys = keys;
            this.values = values;
        }

        @Override
        public Object get(Object key) {
            Integer i = keys.index.get(key);
            return i == null ? null : values[i];
        }

        @Override
        public boolean containsKey(Object key) {
            return keys.index.containsKey(key);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < values.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= values.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(keys.names[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return values.length;
                }
            };
        }
    }
}
