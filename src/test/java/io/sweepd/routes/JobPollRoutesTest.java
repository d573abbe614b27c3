package io.sweepd.routes;

import io.sweepd.core.JobState;
import io.sweepd.jobs.PollCycle;
import io.sweepd.ledger.JobRecord;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.model.SetBodyDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The poll, settle and submit routes without Slurm: the tracker's, the ledger's and the submitter's answers are
 * canned, collect and failure handling are mocks. (PollWhileSettlingRoutesTest runs the real tracker.)
 */
class JobPollRoutesTest extends RouteTestSupport {

    @TempDir
    Path home;

    /** What the tracker's next polls return; an empty cycle after that. */
    private final Queue<List<JobRecord>> polls = new ConcurrentLinkedQueue<>();
    private final AtomicInteger trackerPolls = new AtomicInteger();

    JobPollRoutesTest() {
        testConfiguration().withUseAdviceWith(true);
    }

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.poll.interval-ms", "200", "sweepd.poll.idle-interval-ms", "400",
                "sweepd.poll.tick-ms", "50");
    }

    private static JobRecord ended(String key, JobState state) {
        return new JobRecord("nightly-20261130-080000", key, "local", "/nowhere/" + key, null, null, null, state,
                null, key.equals("never-submitted") ? null : "42", "sweepd-" + key, 1, null, null, null, null, null, null,
                null, null, null, 0, null, null);
    }

    @Test
    void theTimerPollsWhenThePacerSaysACycleIsDueAndEveryCycleHasTheUnsettledEndsSettledElsewhere() throws Exception {
        polls.add(List.of(ended("a", JobState.COMPLETED), ended("b", JobState.FAILED)));
        AdviceWith.adviceWith(context, "job-poll", route -> route.weaveByToString(".*tracker.*").replace()
                .process(exchange -> {
                    trackerPolls.incrementAndGet();
                    exchange.getMessage().setBody(new PollCycle(List.of(), 0, 3, null));
                }));
        AdviceWith.adviceWith(context, "job-settle-due", route -> {
            // What the ledger says is left to settle on each settling; the finished runs are the mock's business.
            route.weaveByType(SetBodyDefinition.class).selectFirst().replace().process(exchange -> {
                List<JobRecord> next = polls.poll();
                exchange.getMessage().setBody(next != null ? next : List.of());
            });
            route.weaveByType(SetBodyDefinition.class).selectLast().replace()
                    .process(exchange -> exchange.getMessage().setBody(List.of()));
            route.weaveByToUri("direct:job-settle").replace().to("mock:settle");
        });
        MockEndpoint settle = getMockEndpoint("mock:settle");
        settle.expectedMessageCount(2);

        context.start();

        assertThat(((TimerEndpoint) context.getRoute("job-poll-timer").getEndpoint()).getPeriod())
                .as("the tick").isEqualTo(50);
        await("the timer keeps polling").atMost(Duration.ofSeconds(60)).until(() -> trackerPolls.get() >= 3);
        MockEndpoint.assertIsSatisfied(context, 60, TimeUnit.SECONDS);
        assertThat(beans.pollPacer().interval()).as("a live job, nothing changing: the pacer's choice")
                .isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(settle.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(JobRecord.class).jobKey())
                .containsExactly("a", "b");
    }

    @Test
    void aTickRunsACycleOnlyWhenThePacerSaysOneIsDue() throws Exception {
        AdviceWith.adviceWith(context, "job-poll", route -> route.weaveByToString(".*tracker.*").replace()
                .process(exchange -> {
                    trackerPolls.incrementAndGet();
                    exchange.getMessage().setBody(new PollCycle(List.of(), 0, 3, null));
                }));
        NotifyBuilder ticks = new NotifyBuilder(context).fromRoute("job-poll-timer").whenDone(20).create();
        context.start();

        assertThat(ticks.matches(60, TimeUnit.SECONDS)).isTrue();
        // Ticks every 50 ms, a cycle due at most every 200 ms: most ticks ask and go on.
        assertThat(trackerPolls.get()).isPositive().isLessThan(20);
    }

    @Test
    void settlingSendsACompletedJobToCollectAFailedOneToFailureAndANeverSubmittedCancelToNeither() throws Exception {
        AdviceWith.adviceWith(context, "job-settle", route -> {
            route.weaveByToUri("direct:job-collect").replace().to("mock:collect");
            route.weaveByToUri("direct:job-failure").replace().to("mock:failure");
            route.weaveByToString(".*settled.*").replace().to("mock:settled");
            route.weaveByToString(".*reports.*").remove(); // the report of a run the test has not recorded
        });
        context.start();

        for (JobRecord job : List.of(ended("a", JobState.COMPLETED), ended("b", JobState.FAILED),
                ended("c", JobState.DEADLINE), ended("never-submitted", JobState.CANCELLED),
                ended("d", JobState.CANCELLED))) {
            template.sendBody("direct:job-settle", job);
        }

        assertThat(getMockEndpoint("mock:collect").getReceivedExchanges())
                .extracting(e -> e.getMessage().getBody(JobRecord.class).jobKey()).containsExactly("a");
        assertThat(getMockEndpoint("mock:failure").getReceivedExchanges())
                .extracting(e -> e.getMessage().getBody(JobRecord.class).jobKey()).containsExactly("b", "c", "d");
        assertThat(getMockEndpoint("mock:settled").getReceivedCounter()).isEqualTo(5);
    }

    @Test
    void aSubmitThatSentJobsPollsAtOnceAndOneThatSentNoneDoesNot() throws Exception {
        AdviceWith.adviceWith(context, "job-submit", route -> {
            // The submitter's answer: the jobs the test says were sent to sbatch (none on the timer's own ticks).
            route.weaveByType(SetBodyDefinition.class).replace().process(exchange ->
                    exchange.getMessage().setBody(exchange.getMessage().getHeader("sent", List.of(), List.class)));
            route.weaveByToUri("direct:job-poll").replace().to("mock:poll");
        });
        context.start();
        MockEndpoint poll = getMockEndpoint("mock:poll");

        template.sendBodyAndHeader("direct:job-submit", null, "sent", List.of(ended("a", JobState.PENDING)));
        template.sendBodyAndHeader("direct:job-submit", null, "sent", List.of());

        assertThat(poll.getReceivedCounter()).isEqualTo(1);
    }
}
