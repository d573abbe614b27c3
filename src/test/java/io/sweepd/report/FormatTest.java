package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void numbersShowThreeSignificantDigitsOrTheWholeIntegerPart() {
        assertThat(Format.number(12345.678)).isEqualTo("12,346");
        assertThat(Format.number(845.4)).isEqualTo("845");
        assertThat(Format.number(42.66)).isEqualTo("42.7");
        assertThat(Format.number(3.14159)).isEqualTo("3.14");
        assertThat(Format.number(0.41234)).isEqualTo("0.412");
        assertThat(Format.number(0.0)).isEqualTo("0");
        assertThat(Format.number(null)).isEqualTo("—");
    }

    @Test
    void deltasAreSignedPercentagesWithARealMinus() {
        assertThat(Format.percent(0.0321)).isEqualTo("+3.2%");
        assertThat(Format.percent(-0.075)).isEqualTo("−7.5%");
        assertThat(Format.percent(0.00001)).isEqualTo("0.0%");
        assertThat(Format.percent(null)).isEqualTo("—");
    }

    @Test
    void machineNumbersKeepPrecisionWithoutExponent() {
        assertThat(Format.plain(1.0E-4)).isEqualTo("0.0001");
        assertThat(Format.plain(12.0)).isEqualTo("12");
        assertThat(Format.plain(1234.5678)).isEqualTo("1234.5678");
        assertThat(Format.plain(Double.NaN)).isEmpty();
        assertThat(Format.plain(7)).isEqualTo("7");
        assertThat(Format.plain(null)).isEmpty();
    }

    @Test
    void sequenceLengthsUseInferenceMaxsShortNames() {
        assertThat(Format.seqLen(1024, 1024)).isEqualTo("1k/1k");
        assertThat(Format.seqLen(8192, 1024)).isEqualTo("8k/1k");
        assertThat(Format.seqLen(1000, 200)).isEqualTo("1000/200");
    }

    @Test
    void fixedPointFormattingWritesWhatTheFormatterWrites() {
        java.util.Random random = new java.util.Random(12);
        java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(0.0, -0.0, 0.05, 0.15, 0.25,
                2.675, 1.005, 99.95, 999.5, 1234567.5, -0.0004, -2.5, 0.0005, 9.995, 1e15 + 0.5));
        for (int i = 0; i < 20_000; i++) {
            double magnitude = Math.pow(10, random.nextInt(12) - 4);
            double v = random.nextDouble() * magnitude * (random.nextBoolean() ? 1 : -1);
            values.add(v);
            values.add(Math.round(v * 1000) / 1000.0 + 0.0005);  // ties at the last shown digit
        }
        for (double v : values) {
            for (int decimals = 0; decimals <= 3; decimals++) {
                assertThat(Format.fixed(v, decimals, false)).as("%s at %d", v, decimals)
                        .isEqualTo(String.format(java.util.Locale.ROOT, "%." + decimals + "f", v));
            }
            assertThat(Format.fixed(v, 0, true)).as("%s grouped", v)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%,.0f", v));
        }
    }

    @Test
    void roundingOnTheDecimalDigitsGivesWhatBigDecimalGives() {
        java.util.Random random = new java.util.Random(3);
        java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(0.0, 9.96, 9.995, 99.95, 0.995,
                999.5, 9999999.5, 0.0015, 1.0E7, 5.0E-4, 123.0, 0.5, 0.05));
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(14) - 5));
        }
        for (double v : values) {
            for (int decimals = 0; decimals <= 3; decimals++) {
                assertThat(Format.roundedHalfUp(v, decimals)).as("%s at %d", v, decimals).isEqualTo(
                        java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP)
                                .toPlainString());
            }
        }
    }

    @Test
    void plainNumbersAreWhatBigDecimalWritesWithoutTrailingZeros() {
        java.util.Random random = new java.util.Random(7);
        java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(0.0, -0.0, 12.0, 100.0, 1e-4,
                1e7, 1.0e21, 123456789012.0, -5.5e-9));
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(30) - 12) * (random.nextBoolean() ? 1 : -1));
            values.add((double) random.nextInt(100_000));
        }
        for (double v : values) {
            String expected = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
            assertThat(Format.plain(v)).as("%s", v).isEqualTo(expected.equals("-0") ? "0" : expected);
        }
    }
}
