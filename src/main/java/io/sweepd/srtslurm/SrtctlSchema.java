package io.sweepd.srtslurm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * sweepd's own check of a recipe and srtslurm.yaml against the fields srtctl's schema documents
 * (src/srtctl/core/schema.py and backends/*.py, docs/config-reference.md), for where srtctl itself is not
 * installed. srtctl loads both with marshmallow and {@code unknown=RAISE}, so an unknown key anywhere fails the
 * whole job at load time; so does a missing required field or a value of the wrong type. The key lists are the
 * dataclass fields (by their YAML names) of srt-slurm at c88ef731.
 *
 * <p>One check goes beyond the schema: a relative {@code model.path} must be an alias of {@code model_paths},
 * because srtctl otherwise takes it for a directory and fails on the compute node ("Model path does not exist").
 */
public final class SrtctlSchema {

    static final Set<String> RECIPE_KEYS = Set.of("name", "model", "resources", "slurm", "backend", "frontend",
            "dynamo", "benchmark", "profiling", "output", "health_check", "infra", "observability", "telemetry",
            "environment", "container_mounts", "extra_mount", "srun_options", "sbatch_directives",
            "enable_config_dump", "setup_script", "identity", "reporting");
    static final Set<String> MODEL_KEYS = Set.of("path", "container", "precision", "stage_dir");
    static final Set<String> RESOURCE_KEYS = Set.of("gpu_type", "gpus_per_node", "prefill_nodes", "decode_nodes",
            "prefill_workers", "decode_workers", "agg_nodes", "agg_workers", "spread_workers", "het_jobs",
            "gpus_per_prefill", "gpus_per_decode", "gpus_per_agg");
    static final Set<String> RESOURCE_COUNTS = Set.of("gpus_per_node", "prefill_nodes", "decode_nodes",
            "prefill_workers", "decode_workers", "agg_nodes", "agg_workers", "gpus_per_prefill", "gpus_per_decode",
            "gpus_per_agg");
    static final Set<String> SLURM_KEYS = Set.of("account", "partition", "time_limit");
    static final Set<String> HEALTH_CHECK_KEYS = Set.of("max_attempts", "interval_seconds");
    static final Set<String> BENCHMARK_KEYS = Set.of("type", "isl", "osl", "concurrencies", "req_rate",
            "client_placement", "client_dedicated_node", "colocate_with_frontend", "sweep", "num_examples",
            "max_tokens", "repeat", "num_threads", "max_context_length", "categories", "num_shots", "temperature",
            "top_p", "top_k", "num_requests", "concurrency", "prefix_ratios", "mooncake_workload", "ttft_threshold_ms",
            "itl_threshold_ms", "random_range_ratio", "num_prompts_mult", "num_warmup_mult", "dataset_name",
            "dataset_path", "trace_file", "custom_tokenizer", "use_chat_template", "reuse_http_connections", "command",
            "container_image", "env", "aiperf_package", "aiperf_args", "export_node_metrics", "slow_down_sleep_time",
            "slow_down_wait_time");
    private static final Set<String> BACKEND_COMMON = Set.of("type", "prefill_environment", "decode_environment",
            "aggregated_environment");
    /** Per backend type, the keys beyond {@link #BACKEND_COMMON} (SGLangProtocol, VLLMProtocol, TRTLLMProtocol). */
    static final Map<String, Set<String>> BACKEND_KEYS = Map.of(
            "sglang", Set.of("gpu_type", "sglang_config", "kv_events_config", "mooncake_kv_store"),
            "vllm", Set.of("vllm_config", "set_cuda_visible_devices", "connector", "mooncake_kv_store",
                    "kv_events_config", "allow_prefill_decode_colocation",
                    "allow_prefill_decode_colocation_across_nodes", "dp_launch_mode"),
            "trtllm", Set.of("trtllm_config", "publish_events_and_metrics", "sequential_node_start",
                    "numa_memory_bind"));
    static final Set<String> ENGINE_CONFIG_KEYS = Set.of("prefill", "decode", "aggregated");
    static final Set<String> CLUSTER_KEYS = Set.of("cluster", "default_account", "default_partition",
            "default_time_limit", "gpus_per_node", "network_interface", "use_gpus_per_node_directive",
            "use_segment_sbatch_directive", "use_exclusive_sbatch_directive", "use_het_jobs",
            "default_sbatch_directives", "default_health_check", "srtctl_root", "output_dir", "model_paths",
            "containers", "cloud", "default_mounts", "default_bash_preamble", "reporting", "telemetry",
            "nginx_raise_ulimit");
    private static final Set<String> CLUSTER_FLAGS = Set.of("use_gpus_per_node_directive",
            "use_segment_sbatch_directive", "use_exclusive_sbatch_directive", "use_het_jobs", "nginx_raise_ulimit");
    private static final Set<String> CLUSTER_TEXTS = Set.of("cluster", "default_account", "default_partition",
            "default_time_limit", "network_interface", "srtctl_root", "output_dir", "default_bash_preamble");
    /** BenchmarkConfig.get_concurrency_list splits a string on 'x'. */
    private static final Pattern CONCURRENCIES = Pattern.compile("[0-9]+(x[0-9]+)*");

    private SrtctlSchema() {
    }

    /** What srtctl would reject in the pair, one message per problem; empty when both load. */
    public static List<String> problems(JsonNode recipe, JsonNode cluster) {
        List<String> out = new ArrayList<>();
        checkCluster(cluster, out);
        if (!recipe.isObject()) {
            out.add("recipe: top level must be a mapping");
            return out;
        }
        onlyKeys(recipe, RECIPE_KEYS, "recipe", out);
        text(recipe, "name", "recipe", out);

        JsonNode model = mapping(recipe, "model", "recipe", true, out);
        if (model != null) {
            onlyKeys(model, MODEL_KEYS, "model", out);
            for (String field : List.of("path", "container", "precision")) {
                text(model, field, "model", out);
            }
            String path = model.path("path").asText("");
            if (!path.isEmpty() && !path.startsWith("/") && !path.startsWith("hf:")
                    && !cluster.path("model_paths").has(path)) {
                out.add("model.path '" + path + "' is neither absolute nor an alias in srtslurm.yaml model_paths;"
                        + " srtctl would look for a directory of that name");
            }
        }
        checkResources(mapping(recipe, "resources", "recipe", true, out), out);
        checkBackend(mapping(recipe, "backend", "recipe", false, out), out);
        checkBenchmark(mapping(recipe, "benchmark", "recipe", false, out), out);
        JsonNode health = mapping(recipe, "health_check", "recipe", false, out);
        if (health != null) {
            onlyKeys(health, HEALTH_CHECK_KEYS, "health_check", out);
            health.fieldNames().forEachRemaining(f -> integer(health, f, "health_check", out));
        }
        JsonNode slurm = mapping(recipe, "slurm", "recipe", false, out);
        if (slurm != null) {
            onlyKeys(slurm, SLURM_KEYS, "slurm", out);
            slurm.fieldNames().forEachRemaining(f -> text(slurm, f, "slurm", out));
        }
        return out;
    }

    private static void checkCluster(JsonNode cluster, List<String> out) {
        if (!cluster.isObject()) {
            out.add("srtslurm.yaml: top level must be a mapping");
            return;
        }
        onlyKeys(cluster, CLUSTER_KEYS, "srtslurm.yaml", out);
        cluster.fieldNames().forEachRemaining(f -> {
            if (CLUSTER_FLAGS.contains(f) && !cluster.get(f).isBoolean()) {
                out.add("srtslurm.yaml " + f + " must be true or false");
            } else if (CLUSTER_TEXTS.contains(f)) {
                text(cluster, f, "srtslurm.yaml", out);
            }
        });
        if (cluster.has("gpus_per_node")) {
            integer(cluster, "gpus_per_node", "srtslurm.yaml", out);
        }
        for (String map : List.of("model_paths", "containers")) {
            JsonNode aliases = mapping(cluster, map, "srtslurm.yaml", false, out);
            if (aliases != null) {
                aliases.fieldNames().forEachRemaining(f -> text(aliases, f, "srtslurm.yaml " + map, out));
            }
        }
    }

    private static void checkResources(JsonNode resources, List<String> out) {
        if (resources == null) {
            return;
        }
        onlyKeys(resources, RESOURCE_KEYS, "resources", out);
        text(resources, "gpu_type", "resources", out);
        resources.fieldNames().forEachRemaining(f -> {
            if (RESOURCE_COUNTS.contains(f) && (!resources.get(f).isIntegralNumber() || resources.get(f).asInt() < 0)) {
                out.add("resources." + f + " must be a whole number of at least 0, found " + resources.get(f));
            }
        });
        boolean disaggregated = resources.has("prefill_nodes") || resources.has("decode_nodes");
        if (disaggregated && (!resources.has("prefill_workers") || !resources.has("decode_workers"))) {
            out.add("resources: a disaggregated layout (prefill_nodes/decode_nodes) needs prefill_workers and"
                    + " decode_workers");
        }
        if (!disaggregated && !resources.has("agg_workers")) {
            out.add("resources: neither prefill_nodes/decode_nodes (disaggregated) nor agg_workers (aggregated)");
        }
    }

    private static void checkBackend(JsonNode backend, List<String> out) {
        if (backend == null) {
            return;
        }
        String type = backend.path("type").asText("sglang"); // srtctl's default backend
        Set<String> own = BACKEND_KEYS.get(type);
        if (own == null) {
            out.add("backend.type '" + type + "' is not one of sglang, trtllm, vllm");
            return;
        }
        backend.fieldNames().forEachRemaining(f -> {
            if (!BACKEND_COMMON.contains(f) && !own.contains(f)) {
                out.add("backend: unknown key '" + f + "' for backend type " + type);
            }
        });
        for (String role : List.of("prefill", "decode", "aggregated")) {
            JsonNode env = mapping(backend, role + "_environment", "backend", false, out);
            if (env != null) {
                env.fieldNames().forEachRemaining(f -> text(env, f, "backend." + role + "_environment", out));
            }
        }
        JsonNode engine = mapping(backend, type + "_config", "backend", false, out);
        if (engine != null) {
            onlyKeys(engine, ENGINE_CONFIG_KEYS, "backend." + type + "_config", out);
            engine.fieldNames().forEachRemaining(f -> mapping(engine, f, "backend." + type + "_config", false, out));
        }
    }

    private static void checkBenchmark(JsonNode benchmark, List<String> out) {
        if (benchmark == null) {
            return;
        }
        onlyKeys(benchmark, BENCHMARK_KEYS, "benchmark", out);
        String type = benchmark.path("type").asText("manual");
        if ("sa-bench".equals(type) && !"custom".equals(benchmark.path("dataset_name").asText())) {
            // sa_bench.py validate_config: isl and osl are required for the random dataset
            integer(benchmark, "isl", "benchmark", out);
            integer(benchmark, "osl", "benchmark", out);
        }
        JsonNode conc = benchmark.get("concurrencies");
        if (conc != null && !conc.isNull()) {
            boolean ok = conc.isTextual() ? CONCURRENCIES.matcher(conc.textValue()).matches()
                    : conc.isArray() && allIntegers(conc);
            if (!ok) {
                out.add("benchmark.concurrencies must be a list of whole numbers or \"AxBxC\", found " + conc);
            }
        }
    }

    private static boolean allIntegers(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String where, List<String> out) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                out.add(where + ": unknown key '" + key + "' (srtctl rejects unknown keys)");
            }
        }
    }

    private static JsonNode mapping(JsonNode parent, String key, String where, boolean required, List<String> out) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            if (required) {
                out.add(where + ": '" + key + "' is required");
            }
            return null;
        }
        if (!node.isObject()) {
            out.add(where + " " + key + " must be a mapping, found " + node.getNodeType());
            return null;
        }
        return node;
    }

    private static void text(JsonNode parent, String key, String where, List<String> out) {
        JsonNode node = parent.get(key);
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            out.add(where + ": '" + key + "' must be a non-empty string, found " + node);
        }
    }

    private static void integer(JsonNode parent, String key, String where, List<String> out) {
        JsonNode node = parent.get(key);
        if (node == null || !node.isIntegralNumber()) {
            out.add(where + ": '" + key + "' must be a whole number, found " + node);
        }
    }
}
