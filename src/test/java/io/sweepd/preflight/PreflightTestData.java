package io.sweepd.preflight;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.json.Json;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.sweep.WorkerSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Points, profiles and recipes for the preflight tests (tests run with the project as working directory). */
final class PreflightTestData {

    static final String DSV4 = "deepseek-ai/DeepSeek-V4-Pro";
    static final String SEED_RECIPE_8K1K = "recipes/vllm/deepseek-v4-pro/8k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml";

    private static final ProfileCatalog PROFILES = ProfileCatalog.load(List.of(Path.of("cluster-profiles")));
    private static final ModelCatalog MODELS = ModelCatalog.load(List.of(Path.of("models")));

    private PreflightTestData() {
    }

    static ClusterProfile profile(String name) {
        return PROFILES.byName(name).orElseThrow();
    }

    static ModelCatalog models() {
        return MODELS;
    }

    /** The same profile with a different pool size, which the test states: no longer an assumption of the profile. */
    static ClusterProfile withNodes(ClusterProfile p, int nodes) {
        ClusterProfile.Hardware hw = p.hardware();
        java.util.Map<String, String> assumed = new java.util.HashMap<>(p.assumed());
        assumed.remove("hardware.nodes");
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(), p.slurm(),
                new ClusterProfile.Hardware(hw.gpu(), hw.architecture(), hw.gpuMemoryGb(), hw.usableGib(),
                        hw.gpusPerNode(), nodes, hw.nvlinkDomain()),
                p.paths(), p.containerRuntime(), p.launcher(), p.deadlines(), p.features(),
                p.retry(), assumed);
    }

    /** The same profile with exactly these facts marked assumed. */
    static ClusterProfile withAssumed(ClusterProfile p, java.util.Map<String, String> assumed) {
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(), p.slurm(), p.hardware(),
                p.paths(), p.containerRuntime(), p.launcher(), p.deadlines(), p.features(),
                p.retry(), assumed);
    }

    static Path fixtures() {
        return io.sweepd.Fixtures.fixtures();
    }

    /** A recipe from the seed PR, as the tree preflight receives. */
    static ObjectNode seedRecipe(String relative) {
        try {
            return (ObjectNode) Json.YAML.readTree(fixtures().resolve("seed-pr").resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Json.YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A vLLM server configuration with one role's flags, e.g. {@code vllm("decode", "gpu-memory-utilization: 0.85")}. */
    static ObjectNode vllm(String role, String... flags) {
        StringBuilder text = new StringBuilder("backend:\n  type: vllm\n  vllm_config:\n    " + role + ":\n");
        for (String flag : flags) {
            text.append("      ").append(flag).append('\n');
        }
        if (flags.length == 0) {
            text.append("      {}\n");
        }
        return yaml(text.toString());
    }

    static MatrixPoint singleNode(String model, String precision, String runner, int tp, int ep, boolean dpAttn,
                                  int isl, int osl) {
        return new MatrixPoint("test-" + tp, "image", model, "prefix", precision, "vllm", runner, isl, osl,
                tp, ep, dpAttn, "none", null, null, List.of(4), isl + osl + 256, "prefix_test", false, false,
                false, null);
    }

    static MatrixPoint disagg(String model, String precision, String runner, WorkerSpec prefill, WorkerSpec decode,
                              int isl, int osl) {
        return new MatrixPoint("test-disagg", "image", model, "prefix", precision, "dynamo-vllm", runner, isl, osl,
                null, null, null, "none", prefill, decode, List.of(4, 8), isl + osl + 256, "prefix_test", true, true,
                false, null);
    }

    static WorkerSpec worker(int numWorker, int tp, int ep, boolean dpAttn) {
        return new WorkerSpec(numWorker, tp, ep, dpAttn, null);
    }

    /** The seed sweep's 8k1k point: 1 prefill + 1 decode worker, each DP16/EP16 (tp 1, ep 16, dp-attn). */
    static MatrixPoint seedPoint() {
        return disagg(DSV4, "fp8", "h100-multinode",
                new WorkerSpec(1, 1, 16, true, List.of("CONFIG_FILE=" + SEED_RECIPE_8K1K)),
                worker(1, 1, 16, true), 8192, 1024);
    }
}
