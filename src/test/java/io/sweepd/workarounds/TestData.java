package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.json.Json;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.sweep.WorkerSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Points, profiles and recipes the workaround tests share. */
final class TestData {

    static final Path FIXTURES = io.sweepd.Fixtures.fixtures();
    static final Path SEED_PR = FIXTURES.resolve("seed-pr");
    static final String RECIPE_1K1K = "recipes/vllm/deepseek-v4-pro/1k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml";
    static final String RECIPE_8K1K = "recipes/vllm/deepseek-v4-pro/8k1k/disagg-h100-fp8-1p1d-dep16-dep16.yaml";
    static final Path GB200_RECIPE = FIXTURES.resolve("srt-slurm/disagg-gb200-1p1d-dep8-dep8-16-c256-c512-c1024-offload.yaml");
    /** The shipped rules, read from the source folder (the build copies it into the jar). */
    static final Path SHIPPED_RULES = Path.of("workarounds");

    private TestData() {
    }

    static ClusterProfile profile(String name, String gpu, String architecture, double gpuMemoryGb, double usableGib,
                                  int gpusPerNode, int nodes, boolean headless) {
        return new ClusterProfile(name, "test profile", List.of(name),
                new ClusterProfile.Slurm("gpu", null, null, "04:00:00", "gpus-per-node", null, true, false, List.of()),
                new ClusterProfile.Hardware(gpu, architecture, gpuMemoryGb, usableGib, gpusPerNode, nodes, gpusPerNode),
                new ClusterProfile.Paths("/models", "/containers", "/recipes", Map.of()),
                new ClusterProfile.Launcher("srt-slurm", List.of(), Map.of()),
                new ClusterProfile.Deadlines(600, 1800, 14400),
                new ClusterProfile.Features(headless), null);
    }

    /** The h100-multinode pool of PR 1142: 4 nodes of 8 H100 80GB. */
    static ClusterProfile h100(boolean headless) {
        return profile("h100-multinode", "h100", "hopper", 80, 79.19, 8, 4, headless);
    }

    static ClusterProfile h200() {
        return profile("h200-multinode", "h200", "hopper", 141, 139.8, 8, 4, false);
    }

    static ClusterProfile gb200() {
        return profile("gb200-nvl72", "gb200", "blackwell", 186, 184.0, 4, 18, false);
    }

    /** One point of seed-pr/sweep.yaml (dsv4-fp8-h100-dynamo-vllm), written out by hand. */
    static MatrixPoint dsv4H100(int isl, List<Integer> conc, String configFile) {
        WorkerSpec prefill = new WorkerSpec(1, 1, 16, true, List.of("CONFIG_FILE=" + configFile));
        WorkerSpec decode = new WorkerSpec(1, 1, 16, true, null);
        String seqLen = isl == 1024 ? "1k1k" : "8k1k";
        return new MatrixPoint("dsv4-fp8-h100-dynamo-vllm", "vllm/vllm-openai:deepseekv4-cu129",
                "deepseek-ai/DeepSeek-V4-Pro", "dsv4", "fp8", "dynamo-vllm", "h100-multinode", isl, 1024,
                null, null, null, "none", prefill, decode, conc, isl + 1024 + 256, "dsv4_" + seqLen,
                true, true, false, null);
    }

    static MatrixPoint dsv4Seed1k1k() {
        return dsv4H100(1024, List.of(4, 8, 16, 32, 64, 128), RECIPE_1K1K);
    }

    static MatrixPoint dsv4Seed8k1k() {
        return dsv4H100(8192, List.of(4, 8, 16, 32, 64), RECIPE_8K1K);
    }

    /** A multinode point with the given framework and worker tp, everything else like the seed point. */
    static MatrixPoint multinode(String modelPrefix, String framework, int prefillTp, int decodeTp) {
        return new MatrixPoint("key", "image", "org/model", modelPrefix, "fp8", framework, "h100-multinode",
                1024, 1024, null, null, null, "none",
                new WorkerSpec(1, prefillTp, 1, false, null), new WorkerSpec(1, decodeTp, 1, false, null),
                List.of(4, 8), 2304, modelPrefix + "_1k1k", true, true, false, null);
    }

    /** A single-node point. */
    static MatrixPoint singleNode(String modelPrefix, String framework, String precision, int tp) {
        return new MatrixPoint("key", "image", "org/model", modelPrefix, precision, framework, "h100",
                1024, 1024, tp, 1, false, "none", null, null, List.of(16), 2304, modelPrefix + "_1k1k",
                false, false, false, null);
    }

    static ObjectNode yaml(Path file) {
        try {
            return (ObjectNode) Json.YAML.readTree(file.toFile());
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

    /** A catalog from rule YAML written in a test. */
    static WorkaroundCatalog catalog(String rulesYaml) {
        return WorkaroundCatalog.of(WorkaroundRuleReader.read("test.yaml", rulesYaml));
    }

    static WorkaroundCatalog shipped() {
        return WorkaroundCatalog.fromDirectory(SHIPPED_RULES);
    }
}
