package io.sweepd.sweep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CronShapeTest {

    @Test
    void acceptsQuartzExpressionsWithSixOrSevenFields() {
        assertThat(CronShape.problem("0 0 2 * * ?")).isNull();
        assertThat(CronShape.problem("0 0 2 ? * MON-FRI")).isNull();
        assertThat(CronShape.problem("0 15 10 ? * 6L 2026-2030")).isNull();
        assertThat(CronShape.problem("0 0/30 8-18 L * ?")).isNull();
        assertThat(CronShape.problem("0 0 12 15W * ?")).isNull();
        assertThat(CronShape.problem("0 0 12 ? JAN,jul 2#1")).isNull();
        assertThat(CronShape.problem("  0   0 2 * * ?  ")).isNull();
    }

    @Test
    void rejectsTheWrongNumberOfFields() {
        assertThat(CronShape.problem("0 2 * * *")).contains("got 5 fields").contains("leading seconds field");
        assertThat(CronShape.problem("@daily")).contains("got 1 field in '@daily'");
        assertThat(CronShape.problem("0 0 0 1 1 ? 2030 x")).contains("got 8 fields");
    }

    @Test
    void rejectsCharactersAFieldDoesNotAllow() {
        assertThat(CronShape.problem("0 0 2 * * ? @")).contains("year field '@' has '@'");
        assertThat(CronShape.problem("0 0 2 ? * MON#x")).contains("day-of-week field 'MON#x' has 'X'");
        assertThat(CronShape.problem("0 0 L * * ?")).contains("hours field 'L' has 'L'");
    }

    @Test
    void rejectsUnknownNames() {
        assertThat(CronShape.problem("0 0 2 ? FOO MON")).contains("month field 'FOO' has 'FOO'");
        assertThat(CronShape.problem("0 0 2 ? * MONDAY")).contains("has 'MONDAY'");
    }

    @Test
    void rejectsNumbersOutsideTheFieldsRange() {
        assertThat(CronShape.problem("0 60 2 * * ?")).contains("minutes value 60 is outside 0-59");
        assertThat(CronShape.problem("0 0 24 * * ?")).contains("hours value 24 is outside 0-23");
        assertThat(CronShape.problem("0 0 2 0 * ?")).contains("day-of-month value 0 is outside 1-31");
        assertThat(CronShape.problem("0 0 2 ? 13 *")).contains("month value 13 is outside 1-12");
    }

    @Test
    void incrementsAreNotCheckedAgainstTheFieldsRange() {
        assertThat(CronShape.problem("0 0/90 * * * ?")).isNull();
    }

    @Test
    void requiresExactlyOneQuestionMarkAmongTheDayFields() {
        assertThat(CronShape.problem("0 0 2 * * *")).contains("exactly one of day-of-month and day-of-week must be '?'");
        assertThat(CronShape.problem("0 0 2 ? * ?")).contains("exactly one of day-of-month and day-of-week must be '?'");
    }
}
