package io.sweepd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.InMemoryLedger;
import io.sweepd.core.JobState;
import io.sweepd.jobs.JobRetries;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sweepd runs}, {@code show}, {@code profiles}, {@code rules}, {@code completion} and {@code manpage}
 * in-process, on a real (in-memory) ledger holding a run whose job failed once, was retried with a workaround
 * triage suggested, and completed on its second attempt.
 */
class InspectCommandsTest {

    private static final String RUN = "quickstart-20261202-120000";
    private static final String JOB = "job-a";
    private static final String POINT = "job-a-c4";

    @TempDir
    Path home;

    private final String url = InMemoryLedger.url();
    private Ledger ledger;
    private Path config;
    private Path jobDir;

    @BeforeEach
    void recordARunWithARetriedJob() throws Exception {
        ledger = Ledger.open(url, "sa", "");
        config = Files.writeString(home.resolve("sweepd.properties"), "sweepd.ledger.jdbc-url=" + url
                + "\nsweepd.ledger.user=sa\n");
        jobDir = Files.createDirectories(home.resolve("outputs").resolve(RUN).resolve(JOB));
        List<JobRecord> jobs = List.of(JobRecord.planned(RUN, JOB, "local", jobDir.toString(), 60, 120, 600));
        List<PointRecord> points = List.of(
                PointRecord.of(RUN, POINT, JOB, "{\"conc\":4,\"framework\":\"vllm\",\"runner\":\"h100\"}", null),
                PointRecord.of(RUN, "job-b-c8", "job-b", "{\"conc\":[8,16]}", "needs 10 nodes; the pool has 8"));
        ledger.runs().recordRun(RunRecord.planned(RUN, "quickstart", "quickstart.yaml", home.toString(), null, "{}"),
                jobs, points);
        Files.writeString(jobDir.resolve("plan.json"), """
                {"job-key": "job-a", "profile": "local", "launcher": "single-node", "concurrencies": [4],
                 "points": [{"point-id": "job-a-c4", "recipe": null,
                             "workarounds": [{"id": "cap-memory", "changes": ["gpu-memory-utilization: 0.85"]}],
                             "server-config": {"engine": {"gpu-memory-utilization": 0.85, "max-model-len": 2304}}}]}
                """);
        Files.writeString(jobDir.resolve("recipe.yaml"), """
                engine:
                  gpu-memory-utilization: 0.8
                  max-model-len: 2304
                  enforce-eager: true
                """);

        // Attempt 1: submitted, ran on node1, failed; triage names the cause and the rule that fixes it.
        ledger.jobs().beginSubmit(RUN, JOB, "sweepd-job-a-a1");
        ledger.jobs().submitted(RUN, JOB, "100");
        Instant start = Instant.parse("2026-12-02T12:01:00Z");
        ledger.jobs().transition(RUN, JOB, JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, start));
        ledger.jobs().transition(RUN, JOB, JobState.RUNNING, JobState.FAILED, "exit code 1",
                Map.of(JobDetails.ENDED_AT, start.plusSeconds(90), JobDetails.EXIT_CODE, 1, "nodes", "node1",
                        "slurmState", "FAILED"));
        Map<String, Object> triage = new HashMap<>();
        triage.put("category", "gpu-out-of-memory");
        triage.put("retryable", false);
        triage.put("diagnosis", "CUDA out of memory while loading the weights");
        triage.put("suggestedWorkaround", "cap-memory");
        ledger.jobs().transition(RUN, JOB, JobState.FAILED, JobState.FAILED,
                "exit code 1; diagnosis: CUDA out of memory while loading the weights", triage);
        Files.createDirectories(jobDir.resolve("logs"));
        Files.writeString(jobDir.resolve("logs/slurm-100.out"), "torch.OutOfMemoryError: CUDA out of memory\n");
        Files.writeString(jobDir.resolve("failure.tar.gz"), "an archive");
        JobRecord failed = ledger.jobs().job(RUN, JOB).orElseThrow();
        assertThat(new JobRetries(ledger.jobs()).retry(failed,
                "retry with workaround cap-memory added by triage: gpu-memory-utilization: 0.85", false)).isTrue();

        // Attempt 2: completed, with a result.
        ledger.jobs().beginSubmit(RUN, JOB, "sweepd-job-a-a2");
        ledger.jobs().submitted(RUN, JOB, "101");
        ledger.jobs().transition(RUN, JOB, JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, start.plusSeconds(300)));
        ledger.jobs().transition(RUN, JOB, JobState.RUNNING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, start.plusSeconds(900), JobDetails.EXIT_CODE, 0, "nodes", "node2"));
        ledger.results().recordResults(RUN, JOB, List.of(ResultRecord.of(RUN, POINT, 4, JOB, ResultState.COMPLETED,
                null, "{\"tput_per_gpu\":1234.5}", null, "results_concurrency_4_gpus_1.json")));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private record Ran(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(out);
        }
    }

    private Ran sweepd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--home", home.toString(), "--config", config.toString()));
        all.addAll(List.of(args));
        return new Ran(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void runsListsTheRunWithItsCountsAsATableAndAsJson() throws Exception {
        Ran table = sweepd("runs");
        Ran json = sweepd("runs", "--format", "json");

        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("configurations", "jobs", "points", RUN, "quickstart", "active");
        assertThat(json.exit()).isZero();
        JsonNode run = json.json().get(0);
        assertThat(run.path("run").asText()).isEqualTo(RUN);
        assertThat(run.path("configurations").asInt()).isEqualTo(2);
        assertThat(run.path("refused").asInt()).isEqualTo(1);
        assertThat(run.path("jobs").asInt()).isEqualTo(1);
        assertThat(run.path("jobs-ended").asInt()).isEqualTo(1);
        assertThat(run.path("points").asInt()).as("conc 4, and the refused entry's 8 and 16").isEqualTo(3);
        assertThat(run.path("jobs-by-state").path("COMPLETED").asInt()).isEqualTo(1);
    }

    @Test
    void runsIsNewestFirstAndHonoursItsLimit() throws Exception {
        String later = "quickstart-20261203-120000";
        ledger.runs().recordRun(RunRecord.planned(later, "quickstart", "quickstart.yaml", home.toString(), null,
                "{}"), List.of(), List.of());

        JsonNode all = sweepd("runs", "--format", "json").json();
        JsonNode one = sweepd("runs", "--format", "json", "--limit", "1").json();

        assertThat(all).extracting(r -> r.path("run").asText()).containsExactly(later, RUN);
        assertThat(one).extracting(r -> r.path("run").asText()).containsExactly(later);
    }

    @Test
    void showOfARetriedJobHasBothAttemptsTheDiagnosisAndTheRuleTheRetryAdded() throws Exception {
        Ran shown = sweepd("show", JOB, "--format", "json");

        assertThat(shown.exit()).as(shown.err()).isZero();
        JsonNode json = shown.json();
        assertThat(json.path("kind").asText()).isEqualTo("job");
        JsonNode attempts = json.path("attempts");
        assertThat(attempts).hasSize(2);
        JsonNode first = attempts.get(0);
        assertThat(first.path("slurm-job-id").asText()).isEqualTo("100");
        assertThat(first.path("state").asText()).isEqualTo("FAILED");
        assertThat(first.path("nodes").asText()).isEqualTo("node1");
        assertThat(first.path("exit-code").asInt()).isEqualTo(1);
        assertThat(first.path("run-seconds").asLong()).isEqualTo(90);
        assertThat(first.path("category").asText()).isEqualTo("gpu-out-of-memory");
        assertThat(first.path("diagnosis").asText()).isEqualTo("CUDA out of memory while loading the weights");
        assertThat(first.path("rule-added").asText()).isEqualTo("cap-memory");
        assertThat(first.path("evidence").asText()).isEqualTo(jobDir.resolve("attempts/attempt-1").toString());
        JsonNode second = attempts.get(1);
        assertThat(second.path("slurm-job-id").asText()).isEqualTo("101");
        assertThat(second.path("state").asText()).isEqualTo("COMPLETED");
        assertThat(second.path("nodes").asText()).isEqualTo("node2");
        assertThat(second.path("rule-added").isNull()).isTrue();

        assertThat(json.path("recipe").path("changes")).extracting(c -> c.path("path").asText() + " "
                + c.path("change").asText()).containsExactly("engine.gpu-memory-utilization changed",
                "engine.enforce-eager added");
        assertThat(json.path("results").get(0).path("metrics").path("tput_per_gpu").asDouble()).isEqualTo(1234.5);
        assertThat(json.path("files").path("attempts").get(0).path("failure-archive").asText())
                .isEqualTo(jobDir.resolve("attempts/attempt-1/failure.tar.gz").toString());
        assertThat(json.path("files").path("attempts").get(0).path("logs").get(0).asText())
                .endsWith("slurm-100.out");
    }

    @Test
    void showAsATableHasEverySection() {
        Ran shown = sweepd("show", JOB);

        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("Points", "Job", "Plan", "Recipe", "Attempts", "Slurm record", "Triage",
                "Results", "Files", "#1  Slurm 100  FAILED  nodes node1  exit 1", "#2  Slurm 101  COMPLETED",
                "diagnosis: [gpu-out-of-memory] CUDA out of memory", "rule added: cap-memory",
                "~ engine.gpu-memory-utilization: 0.85 -> 0.8", "+ engine.enforce-eager: true");
    }

    @Test
    void showFindsAJobByAPointIdAndByTheSlurmIdOfAnEarlierAttempt() throws Exception {
        JsonNode byPoint = sweepd("show", POINT, "--format", "json").json();
        JsonNode byOldSlurmId = sweepd("show", "100", "--format", "json").json();

        assertThat(byPoint.path("kind").asText()).isEqualTo("point");
        assertThat(byPoint.path("job").path("key").asText()).isEqualTo(JOB);
        assertThat(byOldSlurmId.path("job").path("key").asText()).isEqualTo(JOB);
        assertThat(byOldSlurmId.path("attempts")).hasSize(2);
    }

    @Test
    void showOfARefusedPointSaysItHasNoJob() throws Exception {
        Ran shown = sweepd("show", "job-b-c8", "--format", "json");

        assertThat(shown.exit()).isZero();
        assertThat(shown.json().path("points").get(0).path("refused-reason").asText()).contains("needs 10 nodes");
        assertThat(shown.json().path("job").isNull()).isTrue();
    }

    @Test
    void showOfAnUnknownNameExitsNotFoundOnOneLine() {
        Ran shown = sweepd("show", "nosuch");

        assertThat(shown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(shown.out()).isEmpty();
        assertThat(shown.err()).startsWith("sweepd show: no job key, point id or Slurm job id nosuch").hasLineCount(1);
    }

    @Test
    void showOfAJobInSeveralRunsShowsTheNewestAndNamesTheOthers() throws Exception {
        String later = "quickstart-20261203-120000";
        Path laterDir = Files.createDirectories(home.resolve("outputs").resolve(later).resolve(JOB));
        ledger.runs().recordRun(RunRecord.planned(later, "quickstart", "quickstart.yaml", home.toString(), null,
                        "{}"), List.of(JobRecord.planned(later, JOB, "local", laterDir.toString(), 60, 120, 600)),
                List.of(PointRecord.of(later, POINT, JOB, "{\"conc\":4}", null)));

        Ran newest = sweepd("show", JOB, "--format", "json");
        Ran chosen = sweepd("show", JOB, "--format", "json", "--run", RUN);

        assertThat(newest.json().path("run").path("id").asText()).isEqualTo(later);
        assertThat(newest.err()).contains("also in " + RUN);
        assertThat(chosen.json().path("run").path("id").asText()).isEqualTo(RUN);
        assertThat(chosen.json().path("attempts")).hasSize(2);
    }

    @Test
    void profilesListsTheShippedProfilesWithTheirSource() throws Exception {
        Ran table = sweepd("profiles");
        JsonNode json = sweepd("profiles", "--format", "json").json();

        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("h100-dgxc-slurm", "gpus-per-node", "partition", "launch");
        JsonNode local = null;
        for (JsonNode p : json) {
            if (p.path("name").asText().equals("local")) {
                local = p;
            }
        }
        assertThat(local).isNotNull();
        assertThat(local.path("source").asText()).endsWith("local.yaml");
        assertThat(local.path("gpus-per-node").asInt()).isEqualTo(8);
        assertThat(local.path("partition").asText()).isNotBlank();
    }

    @Test
    void aProfileInTheHomeOverridesTheShippedOneAndNamesItsFile() throws Exception {
        Path dir = Files.createDirectories(home.resolve("cluster-profiles"));
        String shipped = new String(getClass().getResourceAsStream("/cluster-profiles/local.yaml").readAllBytes());
        Files.writeString(dir.resolve("local.yaml"), shipped);

        JsonNode json = sweepd("profiles", "--format", "json").json();

        for (JsonNode p : json) {
            if (p.path("name").asText().equals("local")) {
                assertThat(p.path("source").asText()).isEqualTo(dir.resolve("local.yaml").toString());
            }
        }
    }

    @Test
    void rulesListsWorkaroundsAndSignaturesWithKindAndSource() throws Exception {
        Ran table = sweepd("rules");
        JsonNode json = sweepd("rules", "--format", "json").json();
        JsonNode refusals = sweepd("rules", "--format", "json", "--kind", "refuse").json();

        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("dsv4-dynamo-vllm-pin-dynamo-commit", "enrich", "signature",
                "model-prefix: [dsv4]");
        assertThat(json).extracting(r -> r.path("kind").asText())
                .contains("enrich", "refuse", "eval-exclusion", "signature");
        JsonNode pin = null;
        for (JsonNode r : json) {
            if (r.path("id").asText().equals("dsv4-dynamo-vllm-pin-dynamo-commit")) {
                pin = r;
            }
        }
        assertThat(pin).isNotNull();
        assertThat(pin.path("source").asText()).matches("classpath:workarounds/deepseek-v4.yaml:\\d+");
        assertThat(pin.path("when").asText()).contains("framework: [dynamo-vllm]", "recipe-has: [dynamo.version]");
        assertThat(refusals).isNotEmpty().allMatch(r -> r.path("kind").asText().equals("refuse"));
    }

    @Test
    void completionIsABashScriptThatKnowsEveryCommand() {
        Ran completion = sweepd("completion");

        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).startsWith("#!/usr/bin/env bash").contains("complete -F");
        for (String command : List.of("plan", "submit", "daemon", "status", "runs", "show", "profiles", "rules",
                "retry", "completion", "manpage")) {
            assertThat(completion.out()).contains(command);
        }
        assertThat(completion.out()).contains("--format", "--home");
    }

    @Test
    void manpageWritesOnePagePerCommand(@TempDir Path pages) throws Exception {
        Ran written = sweepd("manpage", pages.toString());

        assertThat(written.exit()).as(written.err()).isZero();
        assertThat(pages.resolve("sweepd.adoc")).exists();
        assertThat(pages.resolve("sweepd-show.adoc")).exists();
        assertThat(pages.resolve("sweepd-runs.adoc")).exists();
        assertThat(Files.readString(pages.resolve("sweepd-show.adoc"))).contains(":doctype: manpage", "--format");
    }
}
