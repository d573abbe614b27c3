package io.sweepd.routes;

import io.sweepd.Fixtures;
import io.sweepd.app.Inbox;
import io.sweepd.core.JobState;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.plan.PlanJson;
import io.sweepd.sweep.SweepParser;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The intake and planning routes, from a file in the inbox to a run in the ledger. */
class SweepIntakeRouteTest extends RouteTestSupport {

    private static final long GENEROUS_SECONDS = 60;

    @TempDir
    Path home;

    @Override
    protected Path home() {
        return home;
    }

    private Path inbox() {
        return home.resolve("inbox");
    }

    /** Matches when that many inbox files have been planned and recorded (and moved to .done). */
    private NotifyBuilder completed(int files) {
        return new NotifyBuilder(context).fromRoute("sweep-intake").filter(RouteTestSupport::wholeFile)
                .whenCompleted(files).create();
    }

    /** Matches when that many inbox files have failed (and moved to .error). */
    private NotifyBuilder failed(int files) {
        return new NotifyBuilder(context).fromRoute("sweep-intake").filter(RouteTestSupport::wholeFile)
                .whenFailed(files).create();
    }

    private static void await(NotifyBuilder notify) {
        assertThat(notify.matches(GENEROUS_SECONDS, TimeUnit.SECONDS)).as("the inbox file was handled").isTrue();
    }

    @Test
    void aValidSweepIsPlannedAndMovedToDone() throws IOException {
        NotifyBuilder done = completed(1);
        Files.copy(Fixtures.fixture("inferencemax/master-excerpt.yaml"), inbox().resolve("excerpt.yaml"));
        await(done);

        assertThat(files(".done", 1)).singleElement().satisfies(file ->
                assertThat(file.getFileName().toString()).matches("excerpt-\\d{8}-\\d{6}-\\d{3}\\.yaml"));
        Path plan = runDir("excerpt").resolve("plan.json");
        assertThat(Files.readString(plan)).contains("\"point-id\"").contains("\"job-key\"");
        assertThat(files(".error")).isEmpty();
        // Recorded in the ledger: 85 points, the runnable ones as planned jobs with rendered directories.
        Ledger ledger = beans.ledger();
        RunRecord run = ledger.runs().latestRun("excerpt").orElseThrow();
        assertThat(ledger.runs().points(run.runId())).hasSize(85);
        assertThat(ledger.jobs().jobs(run.runId())).isNotEmpty().allSatisfy(job -> {
            assertThat(job.state()).isEqualTo(JobState.PLANNED);
            assertThat(Path.of(job.jobDir()).resolve("job.sbatch")).exists();
            assertThat(Path.of(job.jobDir()).resolve("logs")).isDirectory();
        });
    }

    @Test
    void splittingIntoPointsAndGatheringThemBackPlansExactlyWhatThePlannerPlansInOneCall() throws IOException {
        String text = Files.readString(Fixtures.fixture("inferencemax/master-excerpt.yaml"));
        // The plan the planner makes of the whole list at once, from the file as the intake route reads it.
        String expected = PlanJson.render(beans.planner().plan(new SweepParser().parse(text, "excerpt.yaml", inbox())));

        NotifyBuilder done = completed(1);
        Files.writeString(inbox().resolve("excerpt.yaml"), text);
        await(done);

        // Same points in matrix order, same refusals, same jobs and job keys: plan.json and plan.txt come from it.
        assertThat(beans.ledger().runs().latestRun("excerpt").orElseThrow().planJson()).isEqualTo(expected);
    }

    @Test
    void aFileReadAgainAfterARestartRecordsItsRunOnce() throws IOException {
        // A daemon that stops after recording but before the file leaves the inbox reads the same file again:
        // same content, same modification time.
        Path original = Fixtures.fixture("inferencemax/master-excerpt.yaml");
        FileTime written = FileTime.from(Instant.parse("2026-11-30T08:00:00Z"));
        NotifyBuilder first = completed(1);
        dropWithTime(original, written);
        await(first);
        Ledger ledger = beans.ledger();
        RunRecord run = ledger.runs().latestRun("excerpt").orElseThrow();
        int jobs = ledger.jobs().jobs(run.runId()).size();

        NotifyBuilder second = completed(1);
        dropWithTime(original, written);
        await(second);

        assertThat(files(".done", 2)).hasSize(2);
        assertThat(ledger.runs().runs()).extracting(RunRecord::runId).containsExactly(run.runId());
        assertThat(ledger.jobs().jobs(run.runId())).hasSize(jobs);
    }

    private void dropWithTime(Path source, FileTime written) throws IOException {
        Path staging = Files.createDirectories(home.resolve("staging")).resolve("excerpt.yaml");
        Files.copy(source, staging);
        Files.setLastModifiedTime(staging, written);
        Files.move(staging, inbox().resolve("excerpt.yaml"));
    }

    @Test
    void aBrokenSweepEndsInErrorWithFileLineAndFieldAndTheDaemonKeepsGoing() throws IOException {
        NotifyBuilder failure = failed(1);
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
        await(failure);

        assertThat(files(".error", 2)).hasSize(2);
        Path report = files(".error", 2).stream().filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
        assertThat(Files.readString(report)).contains("typo.yaml")
                .contains("line:    13")
                .contains("gptoss-fp4-h100-vllm.seq-len-configs[0].search-space[0]")
                .contains("conc-ennd");
        assertThat(report.getFileName().toString()).matches("typo-\\d{8}-\\d{6}-\\d{3}\\.yaml\\.error\\.txt");

        // The daemon is still running: the next good file is planned.
        NotifyBuilder next = completed(1);
        Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), inbox().resolve("seed.yaml"));
        await(next);
        assertThat(beans.ledger().runs().latestRun("seed")).isPresent();
    }

    @Test
    void anEmptyFileIsAnErrorNotAStuckLock() throws IOException {
        NotifyBuilder failure = failed(1);
        Files.createFile(inbox().resolve("empty.yaml"));
        await(failure);

        assertThat(files(".error", 2)).hasSize(2);
        String text = Files.readString(files(".error", 2).stream()
                .filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow());
        assertThat(text).contains("empty.yaml").contains("empty");
        assertThat(inbox().resolve("empty.yaml")).doesNotExist();
    }

    @Test
    void aSecondFileWithTheSameNameIsProcessedAgain() throws IOException {
        Path sweep = Fixtures.fixture("seed-pr/sweep.yaml");
        NotifyBuilder first = completed(1);
        Files.copy(sweep, inbox().resolve("again.yaml"));
        await(first);

        NotifyBuilder second = completed(1);
        Files.copy(sweep, inbox().resolve("again.yaml"));
        await(second);
        assertThat(files(".done", 2)).hasSize(2);
    }

    @Test
    void aFileStillBeingWrittenIsNotReadUntilItIsComplete() throws Exception {
        String content = Files.readString(Fixtures.fixture("seed-pr/sweep.yaml"));
        int half = content.length() / 2;
        Path target = inbox().resolve("slow.yaml");
        NotifyBuilder done = completed(1);
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
        await(done);

        assertThat(files(".done", 1)).hasSize(1);
        assertThat(files(".error")).isEmpty();
    }

    @Test
    void aSweepSubmittedWithAProfileKeepsResolvingRecipesFromWhereItCameFrom() {
        NotifyBuilder done = completed(1);
        new Inbox(inbox()).submit(Fixtures.fixture("seed-pr/sweep.yaml"), "h200-dgxc-slurm");
        await(done);

        Ledger ledger = beans.ledger();
        RunRecord run = ledger.runs().latestRun("sweep").orElseThrow();
        assertThat(run.profileOverride()).isEqualTo("h200-dgxc-slurm");
        assertThat(run.sourceDir()).isEqualTo(Fixtures.fixture("seed-pr").toString());
        // The recipes beside the original file were found: both points run on H200, none refused.
        assertThat(ledger.runs().points(run.runId())).hasSize(2).noneMatch(p -> p.refused());
        assertThat(ledger.jobs().jobs(run.runId())).hasSize(2);
    }

    private Path runDir(String sweep) throws IOException {
        try (Stream<Path> runs = Files.list(home.resolve("outputs"))) {
            return runs.filter(p -> p.getFileName().toString().startsWith(sweep + "-")).findFirst().orElseThrow();
        }
    }

    /**
     * The files in inbox/{@code sub} once there are {@code count} of them: the file consumer moves a file after its
     * exchange completed, so the move can trail NotifyBuilder's match.
     */
    private List<Path> files(String sub, int count) throws IOException {
        org.awaitility.Awaitility.await("inbox/" + sub + " to hold " + count + " files")
                .atMost(GENEROUS_SECONDS, TimeUnit.SECONDS).until(() -> files(sub).size() >= count);
        return files(sub);
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
