package io.sweepd.plan;

import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.matrix.MatrixExpander;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepLimits;
import io.sweepd.sweep.SweepParser;
import io.sweepd.yaml.YamlFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * From file to jobs with 100,000 points: refused by the default limits with a message naming file, line and field,
 * or, with the limits raised, planned by steps that are linear in the points (grouping points into jobs used to
 * compare every job with every point: 10^10 comparisons for 100,000 one-point jobs, minutes of intake).
 */
class BoundedSweepTest {

    private static final int HUNDRED_THOUSAND = 100_000;
    private static final SweepLimits RAISED = new SweepLimits(16L << 20, 1 << 20, HUNDRED_THOUSAND,
            HUNDRED_THOUSAND, 32);

    @TempDir
    Path dir;

    /** A single-node entry whose one search-space item lists {@code values} concurrencies on line 13. */
    private static String sweep(int values, int items) {
        String concs = IntStream.rangeClosed(1, values).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        StringBuilder text = new StringBuilder("""
                big-fp8-h100-vllm:
                  image: vllm/vllm-openai:v0.18.0
                  model: org/big
                  model-prefix: big
                  runner: h100
                  precision: fp8
                  framework: vllm
                  multinode: false
                  seq-len-configs:
                  - isl: 1024
                    osl: 1024
                    search-space:
                """);
        for (int tp = 1; tp <= items; tp++) {
            text.append("    - {tp: ").append(tp).append(", conc-list: [").append(concs).append("]}\n");
        }
        return text.toString();
    }

    @Test
    void aHundredThousandValueConcListIsRefusedByTheListLimitWithFileLineAndField() {
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class,
                () -> new SweepParser().parse(sweep(HUNDRED_THOUSAND, 1), "big.yaml", dir));
        assertThat(e.file()).isEqualTo("big.yaml");
        assertThat(e.line()).isEqualTo(13);
        assertThat(e.field()).isEqualTo("big-fp8-h100-vllm.seq-len-configs[0].search-space[0].conc-list");
        assertThat(e.problem()).contains("100000 items").contains("at most 1000");
    }

    @Test
    void aSweepExpandingToMoreThanThePointLimitIsRefusedNamingTheEntryAndTheSetting() {
        // 21 items of 1,000 values each: every list is allowed, the product is not.
        SweepFile sweep = new SweepParser().parse(sweep(1000, 21), "wide.yaml", dir);
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class,
                () -> new MatrixExpander(SweepLimits.DEFAULT.maxPoints()).expand(sweep));
        assertThat(e.field()).isEqualTo("big-fp8-h100-vllm");
        assertThat(e.problem()).contains("more than 20000 points").contains("sweepd.intake.max-points");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedWithoutBeingRead() throws IOException {
        // 3 GB (sparse): reading it into a String is impossible, so only a check of its size can answer.
        Path huge = dir.resolve("huge.yaml");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L << 30);
        }
        YamlFieldException e = catchThrowableOfType(YamlFieldException.class, () -> new SweepParser().parse(huge));
        assertThat(e.problem()).contains("3221225472 bytes").contains("at most 1048576")
                .contains("sweepd.intake.max-file-bytes").contains("nothing of it was read");
    }

    @Test
    void withTheLimitsRaisedAHundredThousandPointsExpandAndGroupIntoOneJob() {
        SweepFile sweep = new SweepParser(RAISED).parse(sweep(HUNDRED_THOUSAND, 1), "big.yaml", dir);
        List<MatrixPoint> points = new MatrixExpander(RAISED.maxPoints()).expand(sweep);
        assertThat(points).hasSize(HUNDRED_THOUSAND);

        // The points differ only in concurrency: one server, one job of 100,000 points, in matrix order.
        Plan plan = JobGrouping.plan(sweep, points.stream().map(BoundedSweepTest::enriched).toList());
        assertThat(plan.jobs()).singleElement();
        List<PlannedPoint> ofJob = plan.pointsByJob().get(plan.jobs().get(0).jobKey());
        assertThat(ofJob).hasSize(HUNDRED_THOUSAND);
        assertThat(ofJob.get(0).enriched().point().singleConc()).isEqualTo(1);
        assertThat(ofJob.get(HUNDRED_THOUSAND - 1).enriched().point().singleConc()).isEqualTo(HUNDRED_THOUSAND);
    }

    @Test
    void aHundredThousandOnePointJobsGetTheirPointsFromOnePass() {
        // The shape a workaround that sets max-num-seqs per concurrency gives: every point its own job.
        SweepFile sweep = new SweepParser(RAISED).parse(sweep(HUNDRED_THOUSAND, 1), "big.yaml", dir);
        List<MatrixPoint> matrix = new MatrixExpander(RAISED.maxPoints()).expand(sweep);
        List<PlannedPoint> points = new ArrayList<>();
        List<PlannedJob> jobs = new ArrayList<>();
        for (MatrixPoint p : matrix) {
            String jobKey = "big_1k1k-c" + p.singleConc();
            points.add(new PlannedPoint(jobKey + "-p", jobKey, enriched(p)));
            jobs.add(new PlannedJob(jobKey, null, null, List.of(jobKey + "-p"), p.conc()));
        }
        Plan plan = new Plan(sweep, points, jobs);

        Map<String, List<PlannedPoint>> byJob = plan.pointsByJob();
        assertThat(byJob).hasSize(HUNDRED_THOUSAND);
        assertThat(byJob.keySet()).containsExactlyElementsOf(jobs.stream().map(PlannedJob::jobKey).toList());
        byJob.forEach((jobKey, ofJob) -> {
            assertThat(ofJob).hasSize(1);
            assertThat(ofJob.get(0).jobKey()).isEqualTo(jobKey);
        });
        assertThat(plan.pointsOf(jobs.get(41))).isEqualTo(byJob.get(jobs.get(41).jobKey()));
    }

    private static EnrichedPoint enriched(MatrixPoint point) {
        return new EnrichedPoint(point, null, null, null, null, List.of(), null, null);
    }

    @Test
    void theDefaultsAreTheDocumentedSettings() throws IOException {
        String properties;
        try (var in = getClass().getResourceAsStream("/application.properties")) {
            properties = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(properties).contains("sweepd.intake.max-file-bytes=" + SweepLimits.DEFAULT.maxFileBytes())
                .contains("sweepd.intake.max-value-chars=" + SweepLimits.DEFAULT.maxValueChars())
                .contains("sweepd.intake.max-list-items=" + SweepLimits.DEFAULT.maxListItems())
                .contains("sweepd.intake.max-points=" + SweepLimits.DEFAULT.maxPoints())
                .contains("sweepd.intake.max-nesting-depth=" + SweepLimits.DEFAULT.maxNestingDepth());
    }
}
