package io.sweepd.results;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sweepd.json.Json;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Reads the metrics and eval maps of many result rows for one report, compactly. A run's rows all carry the same
 * few dozen metric keys, nearly all of them fractional numbers, and the same few text values (hardware, image,
 * framework...): as LinkedHashMaps with their own entries, boxed Doubles and strings, 10,000 points' metrics took
 * over 100 MB. Here rows with the same keys in the same order, holding a double at the same positions, share one
 * {@link Layout}; each row keeps its doubles in a primitive array and its few other values (whole numbers, texts,
 * flags) in a small one; equal texts, whole numbers and lists are one object each across the build. A value is
 * boxed when it is read, as a Double equal to the one stored. One instance per report build (it is not
 * thread-safe), dropped with it.
 */
final class StoredMaps {

    private static final Object[] NO_OTHERS = new Object[0];

    private final Map<Shape, Layout> layouts = new HashMap<>();
    private final Map<Object, Object> atoms = new HashMap<>();
    private final Map<List<String>, List<String>> lists = new HashMap<>();

    // One row's values while it is read: reused from row to row, so reading boxes nothing.
    private final List<String> names = new ArrayList<>();
    private final BitSet doubles = new BitSet();
    private double[] numbers = new double[64];
    private final List<Object> others = new ArrayList<>();

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
            return readObject(parser, only);
        } catch (IOException e) {
            throw new IllegalStateException("stored result JSON is not a JSON object: " + e.getMessage(), e);
        }
    }

    /** As {@link #read(String, Set)}, from a parser at the object's start; leaves it at the object's end. */
    Map<String, Object> readObject(JsonParser parser, Set<String> only) throws IOException {
        names.clear();
        doubles.clear();
        others.clear();
        int numberCount = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (only != null && !only.contains(name)) {
                parser.skipChildren();
                continue;
            }
            if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                doubles.set(names.size());
                if (numberCount == numbers.length) {
                    numbers = Arrays.copyOf(numbers, numberCount * 2);
                }
                numbers[numberCount++] = parser.getDoubleValue();
            } else {
                others.add(switch (token) {
                    case VALUE_NUMBER_INT -> atom(parser.getNumberValue());
                    case VALUE_STRING -> text(parser.getText());
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case VALUE_NULL -> null;
                    default -> Json.MAPPER.readValue(parser, Object.class);
                });
            }
            names.add(name);
        }
        Layout layout = layouts.get(new Shape(names, doubles));
        if (layout == null) {
            Shape shape = new Shape(List.copyOf(names), (BitSet) doubles.clone());
            layout = new Layout(shape);
            layouts.put(shape, layout);
        }
        return new CompactMap(layout, Arrays.copyOf(numbers, numberCount),
                others.isEmpty() ? NO_OTHERS : others.toArray());
    }

    /** One String for equal texts across every row of the build. */
    String text(String text) {
        return text == null ? null : (String) atoms.computeIfAbsent(text, t -> t);
    }

    /** One list for equal lists of texts (a point's workaround ids) across every row of the build, read-only. */
    List<String> list(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        // List.copyOf: a list PointResult's own List.copyOf keeps as it is, rather than copying per row.
        return lists.computeIfAbsent(texts, t -> List.copyOf(t.stream().map(this::text).toList()));
    }

    /** Whole numbers repeat across rows (concurrency, sequence lengths, GPU counts): one object each. */
    private Object atom(Number number) {
        return atoms.computeIfAbsent(number, n -> n);
    }

    /** Which keys a row has, in order, and at which of their positions it holds a double. */
    private record Shape(List<String> names, BitSet doubles) {
    }

    /**
     * The keys of a row, in order, with their positions, and where each value is kept: shared by every row of the
     * same {@link Shape}.
     */
    private static final class Layout {
        private final String[] names;
        private final Map<String, Integer> index = new HashMap<>();
        // Per position: the index in the row's numbers when >= 0, else ~index in its others.
        private final int[] slots;

        Layout(Shape shape) {
            this.names = shape.names().toArray(String[]::new);
            this.slots = new int[names.length];
            int number = 0;
            int other = 0;
            for (int i = 0; i < names.length; i++) {
                index.put(names[i], i);
                slots[i] = shape.doubles().get(i) ? number++ : ~other++;
            }
        }
    }

    /** A read-only map over a shared layout and the row's own values, in the stored order. */
    private static final class CompactMap extends AbstractMap<String, Object> {
        private final Layout layout;
        private final double[] numbers;
        private final Object[] others;

        CompactMap(Layout layout, double[] numbers, Object[] others) {
            this.layout = layout;
            this.numbers = numbers;
            this.others = others;
        }

        private Object value(int position) {
            int slot = layout.slots[position];
            return slot >= 0 ? Double.valueOf(numbers[slot]) : others[~slot];
        }

        @Override
        public Object get(Object key) {
            Integer i = layout.index.get(key);
            return i == null ? null : value(i);
        }

        @Override
        public boolean containsKey(Object key) {
            return layout.index.containsKey(key);
        }

        @Override
        public int size() {
            return layout.names.length;
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
                            return next < layout.names.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (next >= layout.names.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(layout.names[i], value(i));
                        }
                    };
                }

                @Override
                public int size() {
                    return layout.names.length;
                }
            };
        }
    }
}
