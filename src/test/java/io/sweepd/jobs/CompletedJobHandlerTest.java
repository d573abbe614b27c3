package io.sweepd.jobs;

import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.core.JobState;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;
import io.sweepd.ledger.RunRecord;
import io.sweepd.results.JobResultsCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A completed job's results go to the ledger; nothing valid makes the job INVALID. */
class CompletedJobHandlerTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:00:00Z");
    private static final String JOB = "gptoss_1k1k-tp8";
    private static final String OTHER_JOB = "gptoss_1k1k-tp4";

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(T0);
    private Ledger ledger;
    private CompletedJobHandler collector;
    private String runId;
    private Path dir;

    @BeforeEach
    void setUp() {
        ledger = InMemoryLedger.open(clock);
        collector = new CompletedJobHandler(ledger, new JobResultsCollector());
        runId = RunRecord.runId("nightly", T0);
        dir = Runs.jobDir(home.resolve("outputs"), runId, JOB);
        Path other = Runs.jobDir(home.resolve("outputs"), runId, OTHER_JOB);
        ledger.runs().recordRun(RunRecord.planned(runId, "nightly", "nightly.yaml", home.toString(), null, "{}"),
                List.of(JobRecord.planned(runId, JOB, "local", dir.toString(), 60, 120, 600),
                        JobRecord.planned(runId, OTHER_JOB, "local", other.toString(), 60, 120, 600)),
                List.of(point("c64", JOB, 64, null), point("c128", JOB, 128, null),
                        point("c256", JOB, 256, "refused: does not fit"), point("o64", OTHER_JOB, 64, null)));
        Runs.completed(ledger, runId, JOB, "100", T0, T0.plusSeconds(300));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    /** A single-node gpt-oss point on 8 GPUs, as PlanJson writes it into the ledger. */
    private PointRecord point(String pointId, String jobKey, int conc, String refused) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("image", "vllm/vllm-openai:v0.18.0");
        p.put("model", "openai/gpt-oss-120b");
        p.put("model-prefix", "gptoss");
        p.put("precision", "fp4");
        p.put("framework", "vllm");
        p.put("runner", "h100");
        p.put("isl", 1024);
        p.put("osl", 1024);
        p.put("tp", 8);
        p.put("conc", conc);
        p.put("max-model-len", 2304);
        p.put("ep", 1);
        p.put("dp-attn", false);
        p.put("spec-decoding", "none");
        p.put("exp-name", "gptoss_1k1k");
        p.put("disagg", false);
        p.put("run-eval", false);
        p.put("point-id", pointId);
        p.put("config-key", "gptoss-fp4-h100-vllm");
        p.put("job-key", jobKey);
        p.put("profile", "local");
        p.put("topology", Map.of("nodes", 1, "gpus", 8));
        p.put("workarounds", List.of());
        try {
            return PointRecord.of(runId, pointId, jobKey, new ObjectMapper().writeValueAsString(p), refused);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void place(String resource, String name) throws IOException {
        Files.createDirectories(dir.resolve("results"));
        try (InputStream in = getClass().getResourceAsStream("/results/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, dir.resolve("results").resolve(name));
        }
    }

    @Test
    void aJobWithoutAnyResultIsInvalidWithTheMissingConcurrenciesInItsReason() {
        JobRecord after = collector.collect(Runs.job(ledger, runId, JOB));

        assertThat(after.state()).isEqualTo(JobState.INVALID);
        assertThat(after.reason()).startsWith("no valid benchmark result: ")
                .contains("no result file for concurrency 64").contains("no result file for concurrency 128");
        assertThat(ledger.results().results(runId, JOB)).extracting(ResultRecord::pointId, ResultRecord::state)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("c64", ResultState.INVALID),
                        org.assertj.core.groups.Tuple.tuple("c128", ResultState.INVALID));
    }

    @Test
    void oneValidResultKeepsTheJobCompletedAndEveryPlannedConcurrencyGetsARow() throws IOException {
        place("single-node-tp8/results_concurrency_64_gpus_8.json", "results_concurrency_64_gpus_8.json");

        JobRecord after = collector.collect(Runs.job(ledger, runId, JOB));

        assertThat(after.state()).isEqualTo(JobState.COMPLETED);
        assertThat(ledger.results().results(runId, JOB)).extracting(ResultRecord::pointId, ResultRecord::state)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("c64", ResultState.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple("c128", ResultState.INVALID));
        assertThat(ledger.results().results(runId, OTHER_JOB)).as("another job's points are not this job's").isEmpty();
    }

    @Test
    void resultsThatAllFailTheValidityGateMakeTheJobInvalidWithTheGatesReason() throws IOException {
        place("zero-completed/results_concurrency_64_gpus_8.json", "results_concurrency_64_gpus_8.json");

        JobRecord after = collector.collect(Runs.job(ledger, runId, JOB));

        assertThat(after.state()).isEqualTo(JobState.INVALID);
        assertThat(after.reason()).contains("0 completed requests");
    }
}
