package io.sweepd.routes;

import io.sweepd.Fixtures;
import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdBeans;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.RunRecord;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dropped sweep goes from the ledger to sbatch at once: recording a run asks the submit route for a cycle
 * (sweep-record's wire tap to job-submit-soon) instead of leaving it to the submit timer, which is switched off here.
 * sbatch and squeue answer canned; everything else is the daemon's own routes and wiring.
 */
class SubmitAfterRecordRouteTest extends RouteTestSupport {

    private static final long GENEROUS_SECONDS = 60;

    @TempDir
    Path home;

    private final AtomicInteger nextJobId = new AtomicInteger(7000);
    private final AtomicInteger sbatchCalls = new AtomicInteger();

    SubmitAfterRecordRouteTest() {
        testConfiguration().withUseAdviceWith(true);
    }

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.submit.after-record", "true");
    }

    @Override
    protected SweepdBeans wiring(SweepdSettings settings) {
        return new SweepdBeans(settings, LedgerFactory.open(settings), new CommandRunner(spec -> {
            if (spec.executableName().equals("sbatch")) {
                sbatchCalls.incrementAndGet();
                return new CommandResult(spec, 0, nextJobId.getAndIncrement() + "\n", "", false, Duration.ofMillis(4));
            }
            if (spec.executableName().equals("squeue")) {
                return new CommandResult(spec, 0, "{\"errors\": [], \"jobs\": []}", "", false, Duration.ofMillis(4));
            }
            if (spec.executableName().equals("sacct")
                    && spec.arguments().stream().anyMatch(arg -> arg.startsWith("--name="))) {
                // The submitter's check before sbatch: no job of these names ever ran.
                return new CommandResult(spec, 0, "", "", false, Duration.ofMillis(4));
            }
            return new CommandResult(spec, 1, "", "not canned: " + spec.argv(), false, Duration.ofMillis(1));
        }));
    }

    private void startWithoutTimers() throws Exception {
        AdviceWith.adviceWith(context, "job-submit-timer", r -> r.replaceFromWith("direct:no-submit-timer"));
        AdviceWith.adviceWith(context, "job-poll-timer", r -> r.replaceFromWith("direct:no-poll-timer"));
        context.start();
    }

    private List<JobRecord> jobsOfSweep(String sweep) {
        return beans.ledger().runs().runNamed(sweep).map(RunRecord::runId)
                .map(run -> beans.ledger().jobs().jobs(run)).orElse(List.of());
    }

    @Test
    void aRecordedRunIsSubmittedWithoutTheSubmitTimer() throws Exception {
        startWithoutTimers();

        Files.writeString(settings.inbox().resolve("drop.yaml"), Fixtures.oneJobSweep("name: drop"));

        await("the dropped sweep's job submitted").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> jobsOfSweep("drop").stream().anyMatch(j -> j.state() == JobState.PENDING));
        assertThat(jobsOfSweep("drop")).singleElement().satisfies(job -> {
            assertThat(job.slurmJobId()).isEqualTo("7000");
            assertThat(job.attempt()).isEqualTo(1);
        });
        assertThat(sbatchCalls.get()).isEqualTo(1);
        await("the file done").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> doneFiles().anyMatch(name -> name.startsWith("drop-")));
    }

    @Test
    void runsRecordedOneAfterTheOtherAreAllSubmitted() throws Exception {
        startWithoutTimers();

        for (String sweep : List.of("first", "second", "third")) {
            Files.writeString(settings.inbox().resolve(sweep + ".yaml"), Fixtures.oneJobSweep("name: " + sweep));
        }

        await("every run's job submitted").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> Stream.of("first", "second", "third").map(this::jobsOfSweep)
                        .allMatch(jobs -> !jobs.isEmpty() && jobs.stream().allMatch(j -> j.state() == JobState.PENDING)));
        assertThat(sbatchCalls.get()).as("each job once").isEqualTo(3);
    }

    private Stream<String> doneFiles() throws java.io.IOException {
        Path done = settings.inbox().resolve(".done");
        if (!Files.isDirectory(done)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(done)) {
            return files.map(p -> p.getFileName().toString()).toList().stream();
        }
    }
}
