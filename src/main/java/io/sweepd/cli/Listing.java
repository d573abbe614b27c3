package io.sweepd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.sweepd.json.Json;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The lists {@code profiles}, {@code rules} and {@code runs} print: one row per item, each row a map of named
 * values, so the table and {@code --format json} are the same data (the JSON keys are the column names).
 */
final class Listing {

    enum Format { table, json }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A column: its key in the JSON, whether the table shows it, and how wide it may grow. */
    record Field(String key, boolean inTable, int maxWidth) {
    }

    private Listing() {
    }

    static Field column(String key) {
        return new Field(key, true, 0);
    }

    static Field column(String key, int maxWidth) {
        return new Field(key, true, maxWidth);
    }

    /** In the JSON only: too long or too many for a table row. */
    static Field jsonOnly(String key) {
        return new Field(key, false, 0);
    }

    static <T> String render(Format format, List<T> items, List<Field> fields, Function<T, Map<String, Object>> row,
                             String whenEmpty) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (T item : items) {
            Map<String, Object> values = new LinkedHashMap<>(row.apply(item));
            rows.add(values);
        }
        if (format == Format.json) {
            try {
                return Json.PRETTY.writeValueAsString(rows);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (rows.isEmpty()) {
            return whenEmpty;
        }
        List<Column> columns = new ArrayList<>();
        for (Field field : fields) {
            if (!field.inTable()) {
                continue;
            }
            Column column = new Column().header(field.key()).dataAlign(HorizontalAlign.LEFT);
            if (field.maxWidth() > 0) {
                column.maxWidth(field.maxWidth());
            }
            columns.add(column);
        }
        String[][] data = rows.stream().map(r -> fields.stream().filter(Field::inTable)
                .map(f -> cell(r.get(f.key()))).toArray(String[]::new)).toArray(String[][]::new);
        return AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, columns.toArray(Column[]::new), data);
    }

    private static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "-" : String.join(", ", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? "-" : String.join(", ", map.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        return String.valueOf(value);
    }

    /** Local time for a person; the JSON keeps the instant (UTC, ISO-8601). */
    static String localTime(Instant at) {
        return at == null ? null : TIME.format(at.atZone(ZoneId.systemDefault()));
    }
}
