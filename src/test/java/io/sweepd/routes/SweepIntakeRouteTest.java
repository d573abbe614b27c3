package io.sweepd.routes;

import io.sweepd.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SweepIntakeRouteTest extends RouteTestSupport {

    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @TempDir
    Path home;

    @Override
    protected Path home() {
        return home;
    }

    private Path inbox() {
        return home.resolve("inbox");
    }

    @Test
    void aValidSweepIsPlannedAndMovedToDone() throws IOException {
        Files.copy(Fixtures.fixture("inferencemax/master-excerpt.yaml"), inbox().resolve("excerpt.yaml"));

        await().atMost(GENEROUS).until(() -> files(".done").size() == 1);

        assertThat(files(".done").get(0).getFileName().toString()).matches("excerpt-\\d{8}-\\d{6}-\\d{3}\\.yaml");
        Path plan = runDir("excerpt").resolve("plan.json");
        assertThat(Files.readString(plan)).contains("\"point-id\"").contains("\"job-key\"");
        assertThat(files(".error")).isEmpty();
        // Recorded in the ledger: 85 points, the runnable ones as planned jobs with rendered directories.
        var ledger = beans.ledger();
        var run = ledger.runs().latestRun("excerpt").orElseThrow();
        assertThat(ledger.runs().points(run.runId())).hasSize(85);
        assertThat(ledger.jobs().jobs(run.runId())).isNotEmpty().allSatisfy(job -> {
            assertThat(job.state()).isEqualTo(io.sweepd.core.JobState.PLANNED);
            assertThat(Path.of(job.jobDir()).resolve("job.sbatch")).exists();
            assertThat(Path.of(job.jobDir()).resolve("logs")).isDirectory();
        });
    }

    @Test
    void aBrokenSweepEndsInErrorWithFileLineAndFieldAndTheDaemonKeepsGoing() throws IOException {
        Files.writeString(inbox().resolve("typo.yaml"), """
                gptoss-fp4-h100-vllm:
                  image: vllm/vllm-openai:v0.18.0
                  model: openai/gpt-oss-120b
                  model-prefix: gptoss
                  runner: h100
                  precision: fp4
                  framework: vllm
                  multinode: false
                  seq-len-configs:
                  - isl: 1024
                    osl: 1024
                    search-space:
                    - {tp: 2, conc-start: 4, conc-ennd: 64}
                """);

        await().atMost(GENEROUS).until(() -> files(".error").size() == 2);
        Path report = files(".error").stream().filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
        String text = Files.readString(report);
        assertThat(text).contains("typo.yaml")
                .contains("line:    13")
                .contains("gptoss-fp4-h100-vllm.seq-len-configs[0].search-space[0]")
                .contains("conc-ennd");
        assertThat(report.getFileName().toString()).matches("typo-\\d{8}-\\d{6}-\\d{3}\\.yaml\\.error\\.txt");

        // The daemon is still running: the next good file is planned.
        Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), inbox().resolve("seed.yaml"));
        await().atMost(GENEROUS).until(() -> beans.ledger().runs().latestRun("seed").isPresent());
    }

    @Test
    void anEmptyFileIsAnErrorNotAStuckLock() throws IOException {
        Files.createFile(inbox().resolve("empty.yaml"));

        await().atMost(GENEROUS).until(() -> files(".error").size() == 2);
        String text = Files.readString(files(".error").stream()
                .filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow());
        assertThat(text).contains("empty.yaml").contains("empty");
        assertThat(Files.exists(inbox().resolve("empty.yaml"))).isFalse();
    }

    @Test
    void aSecondFileWithTheSameNameIsProcessedAgain() throws IOException {
        Path sweep = Fixtures.fixture("seed-pr/sweep.yaml");
        Files.copy(sweep, inbox().resolve("again.yaml"));
        await().atMost(GENEROUS).until(() -> files(".done").size() == 1);

        Files.copy(sweep, inbox().resolve("again.yaml"));
        await().atMost(GENEROUS).until(() -> files(".done").size() == 2);
    }

    @Test
    void aFileStillBeingWrittenIsNotReadUntilItIsComplete() throws Exception {
        String content = Files.readString(Fixtures.fixture("seed-pr/sweep.yaml"));
        int half = content.length() / 2;
        Path target = inbox().resolve("slow.yaml");
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            // A slow writer: the first half now, the rest in small pieces well inside the read-lock interval.
            out.write(content.substring(0, half).getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (int i = half; i < content.length(); i += 40) {
                Thread.sleep(20);
                out.write(content.substring(i, Math.min(content.length(), i + 40)).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }

        await().atMost(GENEROUS).until(() -> files(".done").size() == 1);
        assertThat(files(".error")).isEmpty();
    }

    private Path runDir(String sweep) throws IOException {
        try (Stream<Path> runs = Files.list(home.resolve("outputs"))) {
            return runs.filter(p -> p.getFileName().toString().startsWith(sweep + "-")).findFirst().orElseThrow();
        }
    }

    @Test
    void aSweepSubmittedWithAProfileKeepsResolvingRecipesFromWhereItCameFrom() throws IOException {
        new io.sweepd.app.Inbox(inbox()).submit(Fixtures.fixture("seed-pr/sweep.yaml"), "h200-dgxc-slurm");

        await().atMost(GENEROUS).until(() -> beans.ledger().runs().latestRun("sweep").isPresent());
        var ledger = beans.ledger();
        var run = ledger.runs().latestRun("sweep").orElseThrow();
        assertThat(run.profileOverride()).isEqualTo("h200-dgxc-slurm");
        assertThat(run.sourceDir()).isEqualTo(Fixtures.fixture("seed-pr").toString());
        // The recipes beside the original file were found: both points run on H200, none refused.
        assertThat(ledger.runs().points(run.runId())).hasSize(2).noneMatch(p -> p.refused());
        assertThat(ledger.jobs().jobs(run.runId())).hasSize(2);
    }

    private List<Path> files(String sub) throws IOException {
        Path dir = inbox().resolve(sub);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }
}
