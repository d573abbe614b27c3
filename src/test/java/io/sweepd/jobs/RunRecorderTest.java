package io.sweepd.jobs;

import ch.qos.logback.classic.Level;
import io.sweepd.LogLines;
import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.plan.Plan;
import io.sweepd.sweep.SweepOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Recording a plan as a run: one run per sweep file, whatever a restart re-reads. */
class RunRecorderTest {

    private static final Instant WRITTEN = Instant.parse("2026-11-27T22:00:00Z");

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(WRITTEN.plusSeconds(5));
    private Ledger ledger;
    private SeedPlans seed;
    private RunRecorder recorder;
    private Path outputs;

    @BeforeEach
    void setUp() {
        ledger = InMemoryLedger.open(clock);
        seed = new SeedPlans(home);
        outputs = home.resolve("outputs");
        recorder = new RunRecorder(ledger, seed.profiles(), outputs);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private static SweepOrigin origin(String file) {
        return new SweepOrigin(file, "/sweeps", null);
    }

    @Test
    void aPlanBecomesARunWhoseJobsAreRenderedAndRecordedAsPlanned() {
        Plan plan = seed.plan("");

        String runId = recorder.record(plan, origin("/sweeps/nightly.yaml"), WRITTEN);

        assertThat(runId).isEqualTo(RunRecord.runId("nightly", WRITTEN));
        assertThat(ledger.jobs().jobs(runId)).hasSize(plan.jobs().size()).hasSize(2).allSatisfy(job -> {
            assertThat(job.state()).isEqualTo(JobState.PLANNED);
            assertThat(job.profile()).isEqualTo(SeedPlans.PROFILE);
            assertThat(Path.of(job.jobDir())).isEqualTo(outputs.resolve(runId).resolve(job.jobKey()));
            assertThat(Path.of(job.jobDir()).resolve("job.sbatch")).isRegularFile();
            assertThat(Path.of(job.jobDir()).resolve("recipe.yaml")).isRegularFile();
            assertThat(job.deadlineTotalS()).isPositive();
        });
        assertThat(ledger.runs().points(runId)).hasSize(plan.points().size());
        assertThat(ledger.runs().run(runId).orElseThrow().sourceFile()).isEqualTo("/sweeps/nightly.yaml");
    }

    @Test
    void theSamePlanFromTheSameFileTimeIsTheSameRunAndIsNeitherRecordedNorRenderedTwice() throws IOException {
        String first = recorder.record(seed.plan(""), origin("/sweeps/nightly.yaml"), WRITTEN);
        JobRecord job = ledger.jobs().jobs(first).get(0);
        Path script = Path.of(job.jobDir()).resolve("job.sbatch");
        Files.writeString(script, "# touched after the first record\n");

        String again = recorder.record(seed.plan(""), origin("/sweeps/nightly.yaml"), WRITTEN);

        assertThat(again).isEqualTo(first);
        assertThat(ledger.runs().runs()).hasSize(1);
        assertThat(ledger.jobs().jobs(first)).hasSize(2);
        assertThat(ledger.runs().points(first)).hasSize(seed.plan("").points().size());
        assertThat(script).as("not rendered again").hasContent("# touched after the first record\n");
    }

    @Test
    void theSameFileDroppedAgainAfterItsRunFinishedIsANewRunAndWhileActiveSaysWhyNot() {
        String first = recorder.record(seed.plan(""), origin("/sweeps/nightly.yaml"), WRITTEN);
        try (LogLines logs = LogLines.of(RunRecorder.class)) {
            assertThat(recorder.record(seed.plan(""), origin("/sweeps/nightly.yaml"), WRITTEN)).isEqualTo(first);
            assertThat(logs.at(Level.WARN)).singleElement().asString()
                    .contains("same name, time stamp and plan as run " + first + ", which is still active");
        }
        ledger.runs().finishRun(first, clock.instant());

        String again = recorder.record(seed.plan(""), origin("/sweeps/nightly.yaml"), WRITTEN);

        assertThat(again).isEqualTo(first + "-2");
        assertThat(ledger.runs().runs()).extracting(RunRecord::runId).containsExactlyInAnyOrder(first, again);
    }

    @Test
    void aDifferentPlanWrittenAtTheSameTimeGetsASuffixedRunAndBothAreIdempotent() {
        Plan full = seed.plan("");
        Plan oneSeqLen = seed.plan("other", "nightly", "", "  - isl: 8192\n", "  - isl: 4096\n");

        String first = recorder.record(full, origin("/a/nightly.yaml"), WRITTEN);
        String second = recorder.record(oneSeqLen, origin("/b/nightly.yaml"), WRITTEN);
        String secondAgain = recorder.record(oneSeqLen, origin("/b/nightly.yaml"), WRITTEN);
        String firstAgain = recorder.record(full, origin("/a/nightly.yaml"), WRITTEN);

        assertThat(second).isEqualTo(first + "-2");
        assertThat(secondAgain).isEqualTo(second);
        assertThat(firstAgain).isEqualTo(first);
        assertThat(ledger.runs().runs()).extracting(RunRecord::runId).containsExactlyInAnyOrder(first, second);
        assertThat(outputs.resolve(second)).isDirectory();
    }

    @Test
    void aThirdDifferentPlanAtTheSameTimeGetsTheNextFreeSuffix() {
        String first = recorder.record(seed.plan(""), origin("/a/nightly.yaml"), WRITTEN);
        recorder.record(seed.plan("b", "nightly", "", "  - isl: 8192\n", "  - isl: 4096\n"),
                origin("/b/nightly.yaml"), WRITTEN);

        String third = recorder.record(seed.plan("c", "nightly", "", "  - isl: 8192\n", "  - isl: 2048\n"),
                origin("/c/nightly.yaml"), WRITTEN);

        assertThat(third).isEqualTo(first + "-3");
    }
}
