package io.sweepd.results;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report's compact metric maps read back exactly what was stored: values, their types and their order. */
class StoredMapsTest {

    private final StoredMaps maps = new StoredMaps();

    private static Map<String, Object> stored() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tput_per_gpu", 1234.5678901234);
        m.put("conc", 64);
        m.put("median_ttft", 0.000123);
        m.put("hw", "h200");
        m.put("negative_zero", -0.0);
        m.put("whole_double", 12.0);
        m.put("huge", 1.7976931348623157E308);
        m.put("tiny", 4.9E-324);
        m.put("big_count", 12_345_678_901L);
        m.put("bigger", new BigInteger("123456789012345678901234567890"));
        m.put("is_multinode", false);
        m.put("dp_attention", true);
        m.put("missing", null);
        m.put("nested", Map.of("gsm8k", Map.of("exact_match,strict-match", 0.93)));
        m.put("list", List.of(1, 2.5, "three"));
        m.put("median_intvty", 42.75);
        return m;
    }

    @Test
    void aRowReadsBackEqualToTheMapThatWasStoredValueByValueTypeByTypeInOrder() {
        Map<String, Object> original = stored();

        Map<String, Object> read = maps.read(ResultJson.write(original), null);

        assertThat(read).isEqualTo(ResultJson.read(ResultJson.write(original)));
        assertThat(new ArrayList<>(read.keySet())).containsExactlyElementsOf(original.keySet());
        original.forEach((key, value) -> {
            Object back = read.get(key);
            assertThat(back).as(key).isEqualTo(value);
            if (value != null && !(value instanceof Map || value instanceof List)) {
                assertThat(back).as(key + "'s type").isExactlyInstanceOf(value.getClass());
            }
        });
        assertThat(Double.doubleToRawLongBits((Double) read.get("negative_zero")))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(read).containsKey("missing").doesNotContainKey("absent");
        assertThat(read.get("absent")).isNull();
        assertThat(read).hasSize(original.size());
        assertThat(read.entrySet()).extracting(Map.Entry::getValue).containsExactlyElementsOf(
                ResultJson.read(ResultJson.write(original)).values());
    }

    @Test
    void rowsWithTheSameKeysButOtherKindsOfValueEachKeepTheirOwn() {
        List<Map<String, Object>> rows = List.of(
                row(1.5, 8, "a"), row(null, 16, "b"), row(3.25, 32, null), row(7, 2.5, "d"), row(1.5, 8, "a"));
        List<Map<String, Object>> read = rows.stream().map(r -> maps.read(ResultJson.write(r), null)).toList();

        for (int i = 0; i < rows.size(); i++) {
            assertThat(read.get(i)).as("row " + i).isEqualTo(ResultJson.read(ResultJson.write(rows.get(i))));
            assertThat(new ArrayList<>(read.get(i).values())).as("row " + i)
                    .containsExactlyElementsOf(rows.get(i).values());
        }
        assertThat(read.get(3).get("x")).isInstanceOf(Integer.class).isEqualTo(7);
        assertThat(read.get(3).get("conc")).isInstanceOf(Double.class).isEqualTo(2.5);
    }

    @Test
    void equalTextsAndWholeNumbersAreOneObjectAcrossRows() {
        Map<String, Object> first = maps.read("{\"hw\":\"h200\",\"isl\":8192}", null);
        Map<String, Object> second = maps.read("{\"hw\":\"h200\",\"isl\":8192}", null);

        assertThat(second.get("hw")).isSameAs(first.get("hw"));
        assertThat(second.get("isl")).isSameAs(first.get("isl"));
        assertThat(maps.text(new String("h200"))).isSameAs(first.get("hw"));
        assertThat(maps.list(List.of("w1", "w2"))).isSameAs(maps.list(new ArrayList<>(List.of("w1", "w2"))))
                .containsExactly("w1", "w2");
        assertThat(maps.list(List.of())).isEmpty();
    }

    @Test
    void onlyTheNamedKeysAreKeptWhenAsked() {
        Map<String, Object> read = maps.read(ResultJson.write(stored()), Set.of("tput_per_gpu", "median_intvty", "hw"));

        assertThat(read).containsExactly(Map.entry("tput_per_gpu", 1234.5678901234), Map.entry("hw", "h200"),
                Map.entry("median_intvty", 42.75));
    }

    @Test
    void aRowIsReadOnlyAndAbsentJsonIsNoMap() {
        Map<String, Object> read = maps.read("{\"a\":1.5}", null);

        assertThatThrownBy(() -> read.put("a", 2.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(maps.read(null, null)).isNull();
        assertThat(maps.read("{}", null)).isEmpty();
        assertThatThrownBy(() -> maps.read("[1, 2]", null)).isInstanceOf(IllegalStateException.class);
    }

    private static Map<String, Object> row(Object x, Object conc, Object hw) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", x);
        m.put("conc", conc);
        m.put("hw", hw);
        return m;
    }
}
