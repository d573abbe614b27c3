package io.sweepd.srtslurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** What srtctl's loader rejects, {@link SrtctlSchema} names; the same pair with the faults fixed passes. */
class SrtctlSchemaTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String CLUSTER = """
            cluster: c
            default_partition: p
            use_segment_sbatch_directive: false
            model_paths: {dsr1-fp8: /models/dsr1}
            """;
    private static final String RECIPE = """
            name: j
            model: {path: dsr1-fp8, container: img, precision: fp8}
            resources: {gpu_type: h100, gpus_per_node: 8, prefill_nodes: 1, decode_nodes: 1,
                        prefill_workers: 1, decode_workers: 1}
            backend: {type: vllm, prefill_environment: {A: "1"}, vllm_config: {prefill: {}, decode: {}}}
            benchmark: {type: sa-bench, isl: 1024, osl: 1024, concurrencies: "4x8"}
            """;

    @Test
    void aRecipeAndClusterConfigSrtctlLoadsHaveNoProblems() throws IOException {
        assertThat(SrtctlSchema.problems(yaml(RECIPE), yaml(CLUSTER))).isEmpty();
    }

    @Test
    void everyFaultSrtctlWouldRejectIsNamed() throws IOException {
        String recipe = """
                model: {path: deepseek-ai/DeepSeek-R1, container: img}
                backend: {type: vllm, prefill_environment: {A: 1}, sglang_config: {}}
                benchmark: {type: sa-bench, osl: 1024, concurrencies: "4,8"}
                extra: true
                """;
        String cluster = CLUSTER.replace("use_segment_sbatch_directive: false", "use_segment_sbatch_directive: no-ish")
                + "bogus: 1\n";

        assertThat(SrtctlSchema.problems(yaml(recipe), yaml(cluster))).containsExactlyInAnyOrder(
                "srtslurm.yaml: unknown key 'bogus' (srtctl rejects unknown keys)",
                "srtslurm.yaml use_segment_sbatch_directive must be true or false",
                "recipe: unknown key 'extra' (srtctl rejects unknown keys)",
                "recipe: 'name' must be a non-empty string, found null",
                "model: 'precision' must be a non-empty string, found null",
                "model.path 'deepseek-ai/DeepSeek-R1' is neither absolute nor an alias in srtslurm.yaml model_paths;"
                        + " srtctl would look for a directory of that name",
                "recipe: 'resources' is required",
                "backend: unknown key 'sglang_config' for backend type vllm",
                "backend.prefill_environment: 'A' must be a non-empty string, found 1",
                "benchmark: 'isl' must be a whole number, found null",
                "benchmark.concurrencies must be a list of whole numbers or \"AxBxC\", found \"4,8\"");
    }

    private static JsonNode yaml(String text) throws IOException {
        return YAML.readTree(text);
    }
}
