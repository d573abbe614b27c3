package io.sweepd.workarounds;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The arithmetic InferenceMAX's scripts do in bash, on a point's numbers. */
class PointExpressionTest {

    private static final Map<String, Long> POINT = Map.of("conc", 64L, "isl", 8192L, "osl", 1024L, "tp", 8L,
            "ep", 8L, "dp_attn", 1L, "max_model_len", 9472L);

    private static long eval(String expression) {
        return PointExpression.parse(expression).evaluate(POINT);
    }

    @Test
    void arithmeticHasBashPrecedenceAndTruncatingDivision() {
        assertThat(eval("conc * 3 / 2")).isEqualTo(96);
        assertThat(eval("isl + osl + 20")).isEqualTo(9236);
        assertThat(eval("(conc + isl + 127) / 64 * 64")).as("ceil64(conc + isl + 64)").isEqualTo(8320);
        assertThat(eval("7 / 2")).isEqualTo(3);
        assertThat(eval("-7 / 2")).isEqualTo(-3);
        assertThat(eval("8320 % 256")).isEqualTo(128);
        assertThat(eval("2 + 3 * 4")).isEqualTo(14);
    }

    @Test
    void comparisonsAndLogicAreOneOrZeroAndTheTernaryPicksABranch() {
        assertThat(eval("conc >= 16")).isEqualTo(1);
        assertThat(eval("conc < 16")).isZero();
        assertThat(eval("isl == 8192 && osl == 1024")).isEqualTo(1);
        assertThat(eval("isl == 1024 || tp != 8")).isZero();
        assertThat(eval("!dp_attn")).isZero();
        assertThat(eval("dp_attn ? (conc < 4 ? conc : conc / 4) : conc")).isEqualTo(16);
        assertThat(eval("conc == 2048 ? 288 : conc == 4096 ? 544 : 1088")).as("right-associative").isEqualTo(1088);
    }

    @Test
    void minAndMaxTakeTwoArguments() {
        assertThat(eval("max(max_model_len, 8192)")).isEqualTo(9472);
        assertThat(eval("max(1, conc / 128)")).isEqualTo(1);
        assertThat(eval("min(conc, 16)")).isEqualTo(16);
    }

    @Test
    void aTypoIsAnErrorNamingWhatAndWhere() {
        assertThatThrownBy(() -> PointExpression.parse("concurrency * 2"))
                .hasMessageContaining("unknown variable 'concurrency'").hasMessageContaining("known: conc, dp_attn");
        assertThatThrownBy(() -> PointExpression.parse("conc *")).hasMessageContaining("ends too early");
        assertThatThrownBy(() -> PointExpression.parse("(conc + 1")).hasMessageContaining("expected ')'");
        assertThatThrownBy(() -> PointExpression.parse("conc = 4")).hasMessageContaining("unexpected '='");
        assertThatThrownBy(() -> PointExpression.parse("ceil(conc)")).hasMessageContaining("unknown function 'ceil'");
        assertThatThrownBy(() -> PointExpression.parse("max(conc)")).hasMessageContaining("max(a, b)");
        assertThatThrownBy(() -> eval("conc / (tp - 8)")).isInstanceOf(ArithmeticException.class);
    }
}
