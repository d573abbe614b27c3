package io.sweepd.yaml;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reader's bounds: each refusal names the line and the field, and nothing past a bound is built. */
class YamlLimitsTest {

    private static final YamlLimits SMALL = new YamlLimits(10_000, 20, 3, 4);

    private static YamlFieldException refused(String text) {
        try {
            Yaml.read("s.yaml", text, SMALL);
        } catch (YamlFieldException e) {
            return e;
        }
        throw new AssertionError("expected the document to be refused");
    }

    @Test
    void aValueLongerThanTheLimitIsRefusedWithLineAndField() {
        YamlFieldException e = refused("a:\n  b: ok\n  c: " + "x".repeat(21) + "\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.field()).isEqualTo("a.c");
        assertThat(e.problem()).contains("21 characters").contains("at most 20");
    }

    @Test
    void aKeyLongerThanTheLimitIsRefusedToo() {
        assertThat(refused("a:\n  " + "k".repeat(30) + ": 1\n").problem()).contains("30 characters");
    }

    @Test
    void aListLongerThanTheLimitIsRefusedWithLineAndField() {
        YamlFieldException e = refused("a:\n  conc-list: [1, 2, 3, 4]\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("a.conc-list");
        assertThat(e.problem()).contains("4 items").contains("at most 3");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedWhileParsing() {
        YamlFieldException e = refused("a:\n  b:\n    c:\n      d:\n        e: [1]\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.problem()).contains("more than 4 levels");
        // 9,000 levels end in the same message, not in a StackOverflowError of the recursive composer.
        assertThat(refused("[".repeat(9_000)).problem()).contains("more than 4 levels");
    }

    @Test
    void aDocumentLongerThanTheLimitIsRefusedBeforeParsing() {
        // Not even valid YAML: the length is checked before the parser sees it.
        YamlFieldException e = refused("{".repeat(10_001));
        assertThat(e.problem()).contains("10001 characters").contains("at most 10000");
    }

    @Test
    void anAliasBombIsRefusedAtItsFirstAliasWithoutExpanding() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            bomb.append(c).append(": &").append(c).append(" [*").append((char) (c - 1)).append(", *")
                    .append((char) (c - 1)).append("]\n");
        }
        YamlFieldException e = assertThrowsField(bomb.toString());
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).contains("aliases (*a) are not supported");
    }

    @Test
    void withinTheLimitsADocumentIsRead() {
        YamlMap a = (YamlMap) ((YamlMap) Yaml.read("s.yaml", "a:\n  b: [1, 2, 3]\n  c: twenty-chars-exactly\n", SMALL))
                .get("a");
        assertThat(((YamlList) a.get("b")).items()).hasSize(3);
        assertThat(a.get("c").string()).isEqualTo("twenty-chars-exactly");
    }

    @Test
    void aLongValueWithinTheLimitsIsRead() {
        // One 2 MB token: snakeyaml-engine's default reader copies its window per 1,024 characters of it.
        String value = "x".repeat(2_000_000);
        YamlNode root = Yaml.read("s.yaml", "a: " + value + "\n", new YamlLimits(3_000_000, 2_000_000, 10, 10));
        assertThat(((YamlMap) root).get("a").string()).hasSize(2_000_000);
    }

    private static YamlFieldException assertThrowsField(String text) {
        return (YamlFieldException) org.assertj.core.api.Assertions.catchThrowable(
                () -> Yaml.read("s.yaml", text, new YamlLimits(1_000_000, 1000, 1000, 100)));
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new YamlLimits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
