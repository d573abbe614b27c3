package io.sweepd.triage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Map;

import static io.sweepd.triage.RealisticVariantsTest.assertSameVerdict;
import static io.sweepd.triage.RealisticVariantsTest.bare;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's failures at the end of a 50 MB log, as {@link RealisticVariantsTest}'s other variants: the verdict of
 * the bare fixture, read from the tail. An integration test (failsafe, {@code mvn verify}) because it writes 400 MB
 * of logs, which alone took a third of the unit layer's time.
 */
class LargeLogTriageIT {

    private static Triage triage;

    @TempDir
    Path dir;

    @BeforeAll
    static void shippedSignatures() {
        RealisticVariantsTest.shippedSignatures();   // its verdict helpers classify with the shipped signatures
        triage = new Triage(SignatureCatalog.shipped());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sweepd.triage.RealisticVariantsTest#logCases")
    void atTheEndOfA50MegabyteLog(String fixture) {
        Path log = dir.resolve("huge.log");
        long failureLine = new LogVariants(fixture.hashCode()).writeHuge(log, 50L << 20,
                LogVariants.fixtureLines(fixture), 2000);

        long started = System.nanoTime();
        TriageResult result = triage.classify(log);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertSameVerdict(fixture, log);
        // The line number is counted through the 42 MB not read, so a person can jump to it.
        int offset = LogVariants.fixtureLines(fixture).indexOf(bare(fixture).evidence());
        assertThat(result.line()).isEqualTo(failureLine + offset);
        assertThat(millis).as("reads the tail, not 50 MB").isLessThan(10_000);
    }
}
