package io.sweepd.routes;

import io.sweepd.Fixtures;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Bounded intake: several inbox files at once, each recorded as its own run, and a file too large refused unread. */
class ParallelIntakeRouteTest extends RouteTestSupport {

    private static final long GENEROUS_SECONDS = 120;

    @TempDir
    Path home;

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.intake.workers", "3");
    }

    private Path inbox() {
        return home.resolve("inbox");
    }

    private NotifyBuilder handled(int files) {
        return new NotifyBuilder(context).fromRoute("sweep-intake").filter(RouteTestSupport::wholeFile)
                .whenDone(files).create();
    }

    private static void await(NotifyBuilder notify) {
        assertThat(notify.matches(GENEROUS_SECONDS, TimeUnit.SECONDS)).as("the inbox files were handled").isTrue();
    }

    /** Written aside and moved in with one modification time, so all of them arrive in one poll. */
    private void dropTogether(Map<String, String> files, FileTime written) throws IOException {
        Path staging = Files.createDirectories(home.resolve("staging"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path aside = staging.resolve(file.getKey());
            Files.writeString(aside, file.getValue());
            Files.setLastModifiedTime(aside, written);
        }
        for (String name : files.keySet()) {
            Files.move(staging.resolve(name), inbox().resolve(name));
        }
    }

    /** A big-but-allowed sweep: 4,000 points of one entry (4 items of 1,000 concurrencies). */
    private static String bigSweep() {
        String concs = IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).collect(Collectors.joining(", "));
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
        for (int tp = 1; tp <= 4; tp++) {
            text.append("    - {tp: ").append(tp).append(", conc-list: [").append(concs).append("]}\n");
        }
        return text.toString();
    }

    @Test
    void aBigFileAndSmallOnesDroppedTogetherAreEachRecordedAsTheirOwnRun() throws IOException {
        String excerpt = Files.readString(Fixtures.fixture("inferencemax/master-excerpt.yaml"));
        NotifyBuilder done = handled(3);
        dropTogether(Map.of("big.yaml", bigSweep(), "small.yaml", excerpt,
                "seed.yaml", Files.readString(Fixtures.fixture("seed-pr/sweep.yaml"))),
                FileTime.from(Instant.parse("2026-11-30T08:00:00Z")));
        await(done);

        Ledger ledger = beans.ledger();
        assertThat(ledger.runs().runs()).extracting(RunRecord::sweepName)
                .containsExactlyInAnyOrder("big", "small", "seed");
        assertThat(ledger.runs().points(ledger.runs().latestRun("big").orElseThrow().runId())).hasSize(4000);
        assertThat(ledger.runs().points(ledger.runs().latestRun("small").orElseThrow().runId())).hasSize(85);
        assertThat(files(".done")).hasSize(3);
        assertThat(files(".error")).isEmpty();
    }

    @Test
    void filesOfOneSweepNameWrittenInTheSameSecondBecomeDistinctRunsWhenTakenAtOnce() throws IOException {
        String excerpt = Files.readString(Fixtures.fixture("inferencemax/master-excerpt.yaml"));
        // Same sweep name, same second, different plans: the run ids must differ and no run may take another's
        // directory, however the workers interleave.
        NotifyBuilder done = handled(3);
        dropTogether(Map.of(
                "a.yaml", excerpt + "sweep:\n  name: twin\n",
                "b.yaml", excerpt + "sweep:\n  name: twin\n  filters:\n    precision: [fp8]\n",
                "c.yaml", excerpt + "sweep:\n  name: twin\n  filters:\n    precision: [fp4]\n"),
                FileTime.from(Instant.parse("2026-11-30T08:00:00Z")));
        await(done);

        Ledger ledger = beans.ledger();
        List<RunRecord> runs = ledger.runs().runs();
        assertThat(runs).extracting(RunRecord::runId)
                .containsExactlyInAnyOrder("twin-20261130-080000", "twin-20261130-080000-2", "twin-20261130-080000-3");
        // Each run's jobs live in that run's own directory.
        for (RunRecord run : runs) {
            assertThat(ledger.jobs().jobs(run.runId())).isNotEmpty().extracting(JobRecord::jobDir)
                    .allSatisfy(dir -> assertThat(Path.of(dir).getParent().getFileName().toString())
                            .isEqualTo(run.runId()));
        }
        assertThat(runs).extracting(RunRecord::planJson).doesNotHaveDuplicates();
        assertThat(files(".done")).hasSize(3);
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedWithItsSizeAndTheOthersGoOn() throws IOException {
        // Valid YAML (a comment) just over 1 MiB: refused by its size alone.
        String huge = "# " + "x".repeat(1024 * 1024) + "\n";
        NotifyBuilder done = handled(2);
        dropTogether(Map.of("huge.yaml", huge,
                "seed.yaml", Files.readString(Fixtures.fixture("seed-pr/sweep.yaml"))),
                FileTime.from(Instant.parse("2026-11-30T08:00:00Z")));
        await(done);

        Path report = files(".error").stream().filter(p -> p.toString().endsWith(".error.txt")).findFirst()
                .orElseThrow();
        assertThat(Files.readString(report)).contains("huge.yaml").contains("1048579 bytes")
                .contains("sweepd.intake.max-file-bytes");
        assertThat(beans.ledger().runs().latestRun("seed")).isPresent();
    }

    private List<Path> files(String dir) throws IOException {
        Path path = inbox().resolve(dir);
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(path)) {
            return list.toList();
        }
    }
}
