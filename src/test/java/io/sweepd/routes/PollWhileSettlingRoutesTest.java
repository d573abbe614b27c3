package io.sweepd.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.app.LedgerFactory;
import io.sweepd.app.SweepdBeans;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.jobs.JobNames;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Polling never waits for settling: the real poll and settle routes, the real tracker and ledger, Slurm's squeue
 * canned. While the handling of one job's end is stuck (its collect blocks on a latch), poll cycles go on asking
 * squeue and record the next job's end; once the stuck handling returns, the next end is settled too, by the one
 * settling consumer, never two at once.
 */
class PollWhileSettlingRoutesTest extends RouteTestSupport {

    private static final Duration GENEROUS = Duration.ofSeconds(60);
    private static final String RUN = "poll-20261201-100000";
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path home;

    /** squeue's rows by Slurm job id, as the test sets them. */
    private final Map<String, ObjectNode> queue = new ConcurrentHashMap<>();
    private final AtomicInteger squeueCalls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> collected = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger settlingNow = new AtomicInteger();
    private final AtomicInteger mostSettlingAtOnce = new AtomicInteger();

    PollWhileSettlingRoutesTest() {
        testConfiguration().withUseAdviceWith(true);
    }

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("sweepd.poll.interval-ms", "200", "sweepd.poll.idle-interval-ms", "200",
                "sweepd.poll.tick-ms", "50");
    }

    @Override
    protected SweepdBeans wiring(SweepdSettings settings) {
        return new SweepdBeans(settings, LedgerFactory.open(settings), new CommandRunner(spec -> switch (
                spec.executableName()) {
            case "squeue" -> {
                squeueCalls.incrementAndGet();
                ObjectNode answer = Json.MAPPER.createObjectNode();
                answer.putArray("errors");
                ArrayNode jobs = answer.putArray("jobs");
                queue.values().forEach(jobs::add);
                yield new CommandResult(spec, 0, answer.toString(), "", false, Duration.ofMillis(2));
            }
            // Accounting knows nothing yet; scontrol's record is evidence only.
            case "sacct" -> new CommandResult(spec, 0, "", "", false, Duration.ofMillis(2));
            case "scontrol" -> new CommandResult(spec, 0, "JobId=" + spec.argv().get(spec.argv().size() - 1) + "\n",
                    "", false, Duration.ofMillis(2));
            default -> new CommandResult(spec, 1, "", "not canned: " + spec.argv(), false, Duration.ofMillis(1));
        }));
    }

    @AfterEach
    void unblock() {
        release.countDown();
    }

    private static String key(int index) {
        return "gptoss_1k1k-" + index;
    }

    private static String slurmId(int index) {
        return String.valueOf(500 + index);
    }

    /** A run of three jobs, all submitted (Slurm ids 500, 501, 502), each RUNNING in squeue. */
    private void threeRunningJobs() throws Exception {
        Ledger ledger = beans.ledger();
        List<JobRecord> jobs = new ArrayList<>();
        List<PointRecord> points = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path dir = home.resolve("outputs").resolve(RUN).resolve(key(i));
            Files.createDirectories(dir.resolve("logs"));
            jobs.add(JobRecord.planned(RUN, key(i), "local", dir.toString(), null, null, null));
            points.add(PointRecord.of(RUN, key(i) + "-c4", key(i), "{\"conc\":4}", null));
        }
        ledger.runs().recordRun(RunRecord.planned(RUN, "poll", "poll.yaml", home.resolve("outputs").toString(),
                "local", "{\"sweep\":\"poll\"}"), jobs, points);
        for (int i = 0; i < 3; i++) {
            String name = JobNames.attempt(RUN, key(i), 1);
            assertThat(ledger.jobs().beginSubmit(RUN, key(i), name)).isTrue();
            assertThat(ledger.jobs().submitted(RUN, key(i), slurmId(i))).isTrue();
            queue.put(slurmId(i), row(i, "RUNNING"));
        }
    }

    private static ObjectNode row(int index, String state) {
        long start = Instant.now().minusSeconds(30).getEpochSecond();
        return Json.MAPPER.createObjectNode().put("job_id", Long.parseLong(slurmId(index)))
                .put("name", JobNames.attempt(RUN, key(index), 1)).put("user_name", USER).put("job_state", state)
                .put("state_reason", "None").put("nodes", "gpu-node1").put("exit_code", 0).put("start_time", start)
                .put("end_time", state.equals("RUNNING") ? start + 900 : start + 20);
    }

    private JobRecord job(int index) {
        return beans.ledger().jobs().job(RUN, key(index)).orElseThrow();
    }

    @Test
    void pollCyclesGoOnAndRecordTheNextEndWhileAnEndsHandlingIsStuck() throws Exception {
        AdviceWith.adviceWith(context, "job-settle", route -> {
            route.weaveByToUri("direct:job-collect").replace().process(exchange -> {
                int now = settlingNow.incrementAndGet();
                mostSettlingAtOnce.accumulateAndGet(now, Math::max);
                collected.add(exchange.getMessage().getBody(JobRecord.class).jobKey());
                try {
                    assertThat(release.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
                } finally {
                    settlingNow.decrementAndGet();
                }
            });
            route.weaveByToString(".*reports.*").remove(); // the report is the report tests' business
        });
        context.start();
        threeRunningJobs();
        await().atMost(GENEROUS).until(() -> job(0).state() == JobState.RUNNING);

        queue.put(slurmId(0), row(0, "COMPLETED"));
        await("the first end's handling, stuck").atMost(GENEROUS).until(() -> collected.contains(key(0)));

        int squeueWhenStuck = squeueCalls.get();
        await("poll cycles while the handling is stuck").atMost(GENEROUS)
                .until(() -> squeueCalls.get() >= squeueWhenStuck + 3);
        queue.put(slurmId(1), row(1, "COMPLETED"));
        await("the second end, recorded while the first is still being handled").atMost(GENEROUS)
                .until(() -> job(1).state() == JobState.COMPLETED);
        assertThat(job(0).settled()).as("still stuck in its handling").isFalse();
        assertThat(collected).containsExactly(key(0));

        release.countDown();

        await("both ends settled").atMost(GENEROUS).until(() -> job(0).settled() && job(1).settled());
        assertThat(collected).containsExactly(key(0), key(1));
        assertThat(mostSettlingAtOnce.get()).as("one settling at a time").isEqualTo(1);
        assertThat(job(2).state()).isEqualTo(JobState.RUNNING);
    }
}
