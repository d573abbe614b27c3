package io.sweepd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sweepd.Fixtures;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderFixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Job directories for simulator tests, rendered by the real renderer from real plans, and the seed PR's recipe
 * as first submitted with each of the PR's fixes as a function.
 */
final class SimJobs {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private SimJobs() {
    }

    /** The seed's 8k1k job (DSV4-Pro, Dynamo + vLLM, 1P+1D DP16/EP16, 32 GPUs) rendered on {@code profile}. */
    static Path seedJob(Plan seedOnH200, String profile, Path dir) {
        PlannedJob job = seedOnH200.jobs().stream().filter(j -> j.jobKey().startsWith("dsv4_8k1k")).findFirst()
                .orElseThrow();
        new JobRenderer().render(RenderFixtures.request(seedOnH200, job, RenderFixtures.profile(profile), dir));
        return dir;
    }

    /** Replaces the job's recipe.yaml with the seed's recipe as first submitted, edited. */
    static Path withSeedRecipe(Path dir, UnaryOperator<ObjectNode> edit) {
        try {
            ObjectNode recipe = (ObjectNode) YAML.readTree(Fixtures.fixture(
                    "seed-pr/recipes/vllm/deepseek-v4-pro/8k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml").toFile());
            YAML.writeValue(dir.resolve("recipe.yaml").toFile(), edit.apply(recipe));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void editRecipe(Path dir, UnaryOperator<ObjectNode> edit) {
        try {
            ObjectNode recipe = (ObjectNode) YAML.readTree(dir.resolve("recipe.yaml").toFile());
            YAML.writeValue(dir.resolve("recipe.yaml").toFile(), edit.apply(recipe));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The PR's fixes, one per case.

    static ObjectNode pinDynamo(ObjectNode r) {
        ((ObjectNode) r.get("dynamo")).remove("version");
        ((ObjectNode) r.get("dynamo")).put("hash", "6a159fedd8e4a1563aa647c31f622aedbf254b5b");
        return r;
    }

    static ObjectNode dropFrontendFlags(ObjectNode r) {
        roles(r).forEach(args -> args.remove(List.of("tokenizer-mode", "tool-call-parser", "reasoning-parser",
                "enable-auto-tool-choice")));
        return r;
    }

    static ObjectNode raiseHealthCheck(ObjectNode r) {
        ObjectNode health = r.putObject("health_check");
        health.put("max_attempts", 1440);
        health.put("interval_seconds", 10);
        return r;
    }

    static ObjectNode dropDeepep(ObjectNode r) {
        roles(r).forEach(args -> args.remove("all2all-backend"));
        return r;
    }

    static ObjectNode memoryUtilization(ObjectNode r, double value) {
        roles(r).forEach(args -> args.put("gpu-memory-utilization", value));
        return r;
    }

    /** DP32/EP32: per-rank weights small enough for an 80 GB card, so later phases can be reached. */
    static ObjectNode dataParallel32(ObjectNode r) {
        roles(r).forEach(args -> args.put("data-parallel-size", 32));
        return r;
    }

    static ObjectNode chatTemplate(ObjectNode r, boolean on) {
        ((ObjectNode) r.get("benchmark")).put("use_chat_template", on);
        return r;
    }

    static List<ObjectNode> roles(ObjectNode r) {
        ObjectNode vllm = (ObjectNode) r.at("/backend/vllm_config");
        return List.of((ObjectNode) vllm.get("prefill"), (ObjectNode) vllm.get("decode"));
    }

    /** srtctl's sweep played by the stand-in in-process, never sleeping, with stdout captured. */
    record Outcome(int exit, String stdout, Path dir) {

        /** Every line the job wrote (server logs, benchmark log, stdout) with the {@code [role-N] } prefix removed. */
        List<String> lines() {
            List<String> out = new ArrayList<>(stdout.lines().toList());
            try (Stream<Path> logs = Files.list(dir.resolve("logs"))) {
                for (Path log : logs.filter(Files::isRegularFile).sorted().toList()) {
                    Files.readAllLines(log).forEach(l -> out.add(unprefixed(l)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }

        String log(String name) {
            try {
                return Files.readString(dir.resolve("logs").resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The names of the result files srtctl's layout holds: sa-bench's directory and lm-eval's. */
        List<String> results() {
            return resultFiles().map(p -> p.getFileName().toString()).sorted().toList();
        }

        JsonNode result(String name) {
            try {
                return JSON.readTree(resultFiles().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no result " + name)).toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Stream<Path> resultFiles() {
            try (Stream<Path> files = Files.walk(dir.resolve("logs"))) {
                List<Path> found = files.filter(Files::isRegularFile).filter(p -> {
                    String parent = p.getParent().getFileName().toString();
                    return parent.startsWith("sa-bench_isl_") || parent.equals("eval_results");
                }).toList();
                return found.stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Outcome simulate(Path dir, Map<String, String> env) {
        return simulate(dir, env, d -> { });
    }

    static Outcome simulate(Path dir, Map<String, String> env, EngineSimulator.Sleeper sleeper) {
        Map<String, String> all = new HashMap<>();
        all.put("SWEEPD_SIM_TIME_SCALE", "0");
        all.put("SRTCTL_OUTPUT_DIR", dir.toString());
        all.putAll(env);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = new EngineSimulator(all, sleeper, new PrintStream(stdout, true, StandardCharsets.UTF_8))
                .run(new String[] {"python3", "-m", "srtctl.cli.do_sweep", dir.resolve("recipe.yaml").toString()});
        return new Outcome(exit, stdout.toString(StandardCharsets.UTF_8), dir);
    }

    /** A fixture log's lines without the {@code [decode-3] } process prefix. */
    static List<String> fixtureLines(String name) {
        try {
            return Files.readAllLines(Fixtures.fixture("seed-pr/failure-logs/" + name)).stream()
                    .map(SimJobs::unprefixed).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unprefixed(String line) {
        return line.replaceFirst("^\\[[a-z]+-\\d+] ", "");
    }
}
