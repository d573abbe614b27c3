package io.sweepd.routes;

import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.SetBodyDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poll, settle and submit routes without Slurm: the tracker's, the ledger's and the submitter's answers are
 * canned, collect and failure handling are mocks.
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
        return Map.of("sweepd.poll.interval-ms", "200");
    }

    private static JobRecord ended(String key, JobState state) {
        return new JobRecord("nightly-20261130-080000", key, "local", "/nowhere/" + key, null, null, null, state,
                null, key.equals("never-submitted") ? null : "42", "sweepd-" + key, 1, null, null, null, null, null, null,
                null, null, null, 0, null, null);
    }

    @Test
    void theTimerPollsAtTheSettingAndEveryUnsettledEndGoesToSettleThenSettledRunsFinish() throws Exception {
        polls.add(List.of(ended("a", JobState.COMPLETED), ended("b", JobState.FAILED)));
        AdviceWith.adviceWith(context, "job-poll", route -> {
            route.weaveByType(BeanDefinition.class).replace().process(exchange -> trackerPolls.incrementAndGet());
            // What the ledger says is left to settle on each cycle; the finished runs are the mock's business.
            route.weaveByType(SetBodyDefinition.class).selectFirst().replace().process(exchange -> {
                List<JobRecord> next = polls.poll();
                exchange.getMessage().setBody(next != null ? next : List.of());
            });
            route.weaveByType(SetBodyDefinition.class).selectLast().replace()
                    .process(exchange -> exchange.getMessage().setBody(List.of()));
            route.weaveByToUri("direct:job-settle").replace().to("mock:settle");
        });
        // Ticks, not the split's per-job exchanges (which also count as coming from the timer's route).
        NotifyBuilder ticks = new NotifyBuilder(context).fromRoute("job-poll-timer")
                .filter(RouteTestSupport::wholeFile).whenDone(3).create();
        MockEndpoint settle = getMockEndpoint("mock:settle");
        settle.expectedMessageCount(2);

        context.start();

        assertThat(((TimerEndpoint) context.getRoute("job-poll-timer").getEndpoint()).getPeriod()).isEqualTo(200);
        assertThat(ticks.matches(60, TimeUnit.SECONDS)).as("the timer keeps polling").isTrue();
        MockEndpoint.assertIsSatisfied(context, 60, TimeUnit.SECONDS);
        assertThat(trackerPolls.get()).as("the tracker polls on every tick").isGreaterThanOrEqualTo(3);
        assertThat(settle.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(JobRecord.class).jobKey())
                .containsExactly("a", "b");
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
