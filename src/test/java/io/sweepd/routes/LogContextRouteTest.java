package io.sweepd.routes;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.sweepd.Fixtures;
import io.sweepd.LogLines;
import io.sweepd.app.LogContext;
import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ids on log lines (MDC), with the daemon's own Camel settings ({@code camel.main.use-mdc-logging} and the
 * {@code sweepd.*} keys pattern in application.properties): a sweep file's lines name its sweep and run, and the
 * next exchange on the same thread starts without them.
 */
class LogContextRouteTest extends RouteTestSupport {

    @TempDir
    Path home;

    @Override
    protected Path home() {
        return home;
    }

    /** One intake worker: the second file's exchange then runs on the very thread the first one's did. */
    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.intake.workers", "1");
    }

    private void dropAndWait(String name) throws Exception {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("sweep-intake").filter(RouteTestSupport::wholeFile)
                .whenCompleted(1).create();
        Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), home.resolve("inbox").resolve(name));
        assertThat(done.matches(60, TimeUnit.SECONDS)).as(name + " was taken from the inbox").isTrue();
        // The intake exchange completing is not yet the run in the ledger on a loaded machine: wait for the run.
        String sweep = name.substring(0, name.indexOf('.'));
        await().atMost(Duration.ofSeconds(60)).until(() -> beans.ledger().runs().latestRun(sweep).isPresent());
    }

    @Test
    void aSweepFilesLinesNameItsSweepAndRunAndTheNextFileStartsWithoutThem() throws Exception {
        try (LogLines lines = LogLines.all()) {
            dropAndWait("first.yaml");
            dropAndWait("second.yaml");
            List<ILoggingEvent> events = lines.events();

            String firstRun = beans.ledger().runs().latestRun("first").orElseThrow().runId();
            String secondRun = beans.ledger().runs().latestRun("second").orElseThrow().runId();
            ILoggingEvent firstPoints = line(events, "sweep first: ");
            assertThat(firstPoints.getMDCPropertyMap()).containsEntry(LogContext.SWEEP, "first")
                    .doesNotContainKey(LogContext.RUN);
            ILoggingEvent firstRecorded = line(events, "run " + firstRun + " recorded");
            assertThat(firstRecorded.getMDCPropertyMap()).containsEntry(LogContext.SWEEP, "first")
                    .containsEntry(LogContext.RUN, firstRun);

            // With one intake worker the second file's exchange runs where the first one's did:
            // only the clearing when the first exchange is done keeps its ids off the second file's first line.
            ILoggingEvent secondArrived = line(events, "sweep file second.yaml arrived");
            assertThat(secondArrived.getThreadName()).isEqualTo(firstRecorded.getThreadName());
            assertThat(sweepdKeys(secondArrived)).isEmpty();
            assertThat(line(events, "run " + secondRun + " recorded").getMDCPropertyMap())
                    .containsEntry(LogContext.SWEEP, "second").containsEntry(LogContext.RUN, secondRun);
        }
    }

    /**
     * What job-poll's split does for each ended job (one exchange per job on the timer's thread): each part's lines
     * name its own job, not the one before it, and the next poll's lines name none.
     */
    @Test
    void eachPartOfASplitNamesItsOwnJobAndTheNextExchangeNone() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:jobs").routeId("test-jobs")
                        .log("polled ${body.size} jobs")
                        .split(body())
                            .bean(LogContext.class, "job(${body})")
                            .log("job part ${body.jobKey}")
                        .end();
            }
        });
        try (LogLines lines = LogLines.all()) {
            template.sendBody("direct:jobs", List.of(job("key-a", "4711"), job("key-b", null)));
            template.sendBody("direct:jobs", List.of());
            List<ILoggingEvent> events = lines.events();

            assertThat(line(events, "job part key-a").getMDCPropertyMap()).containsEntry(LogContext.RUN, "run-1")
                    .containsEntry(LogContext.JOB, "key-a").containsEntry(LogContext.SLURM_JOB, "4711");
            assertThat(line(events, "job part key-b").getMDCPropertyMap()).containsEntry(LogContext.JOB, "key-b")
                    .as("job b was never submitted: job a's Slurm id must not stay (empty is printed as absent)")
                    .containsEntry(LogContext.SLURM_JOB, "");
            ILoggingEvent nextPoll = line(events, "polled 0 jobs");
            assertThat(nextPoll.getThreadName()).isEqualTo(line(events, "job part key-b").getThreadName());
            assertThat(sweepdKeys(nextPoll)).isEmpty();
        }
    }

    private static JobRecord job(String key, String slurmJobId) {
        JobRecord planned = JobRecord.planned("run-1", key, "local", "/tmp/unused", null, null, null);
        return new JobRecord(planned.runId(), planned.jobKey(), planned.profile(), planned.jobDir(), null, null, null,
                JobState.RUNNING, null, slurmJobId, null, 1, null, null, null, null, null, null, null, null, null, 0,
                null, null);
    }

    private static ILoggingEvent line(List<ILoggingEvent> events, String start) {
        return events.stream().filter(e -> e.getFormattedMessage().startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in "
                        + events.stream().map(ILoggingEvent::getFormattedMessage).toList()));
    }

    private static Map<String, String> sweepdKeys(ILoggingEvent event) {
        return Map.copyOf(event.getMDCPropertyMap().entrySet().stream()
                .filter(e -> e.getKey().startsWith(LogContext.PREFIX))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
