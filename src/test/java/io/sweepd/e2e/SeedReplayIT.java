package io.sweepd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "why sweepd" replay of InferenceMAX PR 1142 on the real local Slurm: each workaround rule of cases 2-8
 * left out in turn, the seed's sweep submitted where it can run, and the failure named the first time with
 * exactly the rule that was left out. With every rule on, 80 GB cards refuse it before submission with case 9's
 * numbers, and the H200 partition runs it to a report.
 */
class SeedReplayIT {

    /** Rule left out -> {profile, the triage category expected}. Case 5 only shows on 80 GB cards. */
    private static final Map<String, String[]> CASES = new LinkedHashMap<>();

    static {
        CASES.put("dsv4-dynamo-vllm-pin-dynamo-commit", new String[] {"local-h200", "dependency-mismatch"});
        CASES.put("dynamo-vllm-no-frontend-flags-on-workers", new String[] {"local-h200", "unsupported-argument"});
        CASES.put("dsv4-hopper-nccl-instead-of-nvshmem", new String[] {"local-h200", "communication-bootstrap"});
        CASES.put("dsv4-indexer-memory-headroom", new String[] {"local", "gpu-out-of-memory"});
        CASES.put("dsv4-no-chat-template", new String[] {"local-h200", "benchmark-client"});
        CASES.put("dynamo-vllm-cross-node-tp-needs-headless", new String[] {"local-h200", "parallel-config"});
        CASES.put("dsv4-multinode-slow-weight-load", new String[] {"local-h200", "startup-deadline"});
    }

    /** Kept when a test fails: the daemon logs in it say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    void eachLeftOutRuleFailsWithItsSignatureAndTriageSuggestsExactlyThatRule() throws Exception {
        Path sweeps = home.resolve("sweeps");
        copyTree(Fixtures.fixture("seed-pr/recipes"), sweeps.resolve("recipes"));
        String seed = Files.readString(Fixtures.fixture("seed-pr/sweep.yaml"));
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            for (Map.Entry<String, String[]> c : CASES.entrySet()) {
                String rule = c.getKey();
                String sweep = "replay-" + rule;
                boolean memoryOverride = c.getValue()[0].equals("local");
                String body = rule.equals("dynamo-vllm-cross-node-tp-needs-headless") ? tensorParallel16(seed, sweeps) : seed;
                Path file = sweeps.resolve(sweep + ".yaml");
                Files.writeString(file, "sweep:\n  name: " + sweep + "\n  disable-workarounds: [" + rule + "]\n"
                        + (memoryOverride ? "  override-preflight: [memory]\n" : "") + body);
                daemon.submit(file, c.getValue()[0]);
            }

            for (Map.Entry<String, String[]> c : CASES.entrySet()) {
                String rule = c.getKey();
                // Triage writes triage.json, then the diagnosis into the job's reason: a point is looked at once both
                // are there, not in the moment between its end and its diagnosis.
                JsonNode status = daemon.awaitDiagnosed("replay-" + rule, "FAILED", "DEADLINE", "INVALID");
                assertThat(status).as(rule).isNotEmpty();
                for (JsonNode point : status) {
                    JsonNode triage = triage(point);
                    assertThat(triage.path("category").asText()).as(rule + ": " + triage).isEqualTo(c.getValue()[1]);
                    assertThat(triage.path("suggested-workaround").asText()).as(rule + ": " + triage).isEqualTo(rule);
                    assertThat(point.get("reason").asText()).as(rule).contains("fix: workaround " + rule);
                }
            }

            // The fix-and-rerun loop: the suggested rule is added by triage and the point then completes.
            String rule = "dynamo-vllm-no-frontend-flags-on-workers";
            PackagedApp.Result retry = daemon.cli("retry", "replay-" + rule, "--failed", "--apply-suggested");
            assertThat(retry.exitCode()).as(retry.output()).isZero();
            assertThat(retry.output()).contains("added by triage");
            JsonNode rerun = daemon.awaitStates("replay-" + rule, "COMPLETED");
            for (JsonNode point : rerun) {
                Path jobDir = jobDir(point);
                assertThat(Files.readString(jobDir.resolve("workarounds-added.json"))).contains(rule).contains("triage");
                assertThat(jobDir.resolve("attempts/attempt-1/failure.tar.gz")).exists();
            }
        }
    }

    @Test
    void withEveryRuleOnEightyGigabyteCardsRefuseItWithCaseNinesNumbersAndH200RunsItToAReport() throws Exception {
        try (Daemon daemon = new Daemon(home, Map.of()).start()) {
            Path seed = Fixtures.fixture("seed-pr/sweep.yaml");

            PackagedApp.Result plan = daemon.cli("plan", seed.toString(), "--profile", "local");
            assertThat(plan.output()).contains("refused: 2 configurations (11 points)").contains("74.99 GiB")
                    .contains("79.19 GiB");

            daemon.submit(seed, "local-h200");
            JsonNode status = daemon.awaitStates("sweep", "COMPLETED");
            assertThat(status).hasSize(2);
            Path report = home.resolve("reports").resolve(status.get(0).get("sweep").asText()).resolve("report.md");
            String text = Files.readString(report);
            assertThat(text).contains("deepseek-ai/DeepSeek-V4-Pro").contains("Final report")
                    .contains("dsv4-no-chat-template");
        }
    }

    /** The PR's later shape: TP16 across two nodes a side (what case 7 was about). */
    private static String tensorParallel16(String seed, Path sweeps) throws IOException {
        for (String seqLen : List.of("1k1k", "8k1k")) {
            Path original = sweeps.resolve("recipes/vllm/deepseek-v4-pro/" + seqLen + "/disagg-h100-fp8-1p1d-dep16-dep16.yaml");
            Path tp16 = original.resolveSibling("disagg-h100-fp8-1p1d-tp16-tp16.yaml");
            Files.writeString(tp16, Files.readString(original)
                    .replace("tensor-parallel-size: 1", "tensor-parallel-size: 16")
                    .replace("data-parallel-size: 16", "data-parallel-size: 1")
                    .replace("enable-expert-parallel: true", "enable-expert-parallel: false"));
        }
        return seed.replace("dep16-dep16.yaml", "tp16-tp16.yaml")
                .replace("tp: 1\n        ep: 16\n        dp-attn: true", "tp: 16\n        ep: 1\n        dp-attn: false");
    }

    private JsonNode triage(JsonNode point) throws IOException {
        Path file = jobDir(point).resolve("triage.json");
        assertThat(file).as("triage.json of " + point).exists();
        return new ObjectMapper().readTree(file.toFile());
    }

    private Path jobDir(JsonNode point) {
        return home.resolve("outputs").resolve(point.get("sweep").asText()).resolve(point.get("job-key").asText());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            List<Path> all = new ArrayList<>(walk.toList());
            for (Path p : all) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
