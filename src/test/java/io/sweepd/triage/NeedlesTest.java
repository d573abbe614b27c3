package io.sweepd.triage;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The literal pre-check never rules out a line the regex would match. */
class NeedlesTest {

    @Test
    void eachTopLevelAlternativeContributesTheLiteralItStartsWith() {
        assertThat(Needles.of(Pattern.compile("OutOfMemoryError|CUDA out of memory\\.|^Successful requests:\\s+0")))
                .containsExactly("OutOfMemoryError", "CUDA out of memory.", "Successful requests:");
        assertThat(Needles.of(Pattern.compile("\\*\\*\\* (?:JOB|STEP) \\S+"))).containsExactly("*** ");
        assertThat(Needles.of(Pattern.compile("errors? for ParallelConfig"))).containsExactly("error");
    }

    @Test
    void noNeedlesWhenAnAlternativeStartsWithAnythingButALiteralOrFlagsAreSet() {
        assertThat(Needles.of(Pattern.compile("(?:A|B)rror"))).isNull();
        assertThat(Needles.of(Pattern.compile("abc|\\d+ failed"))).isNull();
        assertThat(Needles.of(Pattern.compile("(?i)out of memory"))).isNull();
        assertThat(Needles.of(Pattern.compile("ab"))).isNull();
    }

    @Test
    void aLineTheRegexMatchesAlwaysHasANeedle() {
        Pattern pattern = Pattern.compile("Got completion from peer \\S+ with (?:error |status=)12\\b|retry counter exceeded");
        String line = "NCCL WARN NET/IB : Got completion from peer 10.0.0.3<4> with status=12 opcode=0";

        assertThat(pattern.matcher(line).find()).isTrue();
        assertThat(Needles.mayMatch(Needles.of(pattern), line)).isTrue();
        assertThat(Needles.mayMatch(Needles.of(pattern), "NCCL INFO Channel 00/32")).isFalse();
    }
}
