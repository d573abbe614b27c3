package io.sweepd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sweepd.core.JobDirectory;
import io.sweepd.enrich.Parallelism;
import io.sweepd.preflight.EngineArgs;
import io.sweepd.preflight.ModelCatalog;
import io.sweepd.preflight.ModelFacts;
import io.sweepd.preflight.Preflight;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Everything the simulator knows about its job, read from the job directory (plan.json, recipe.yaml) and the
 * environment, the way srt-slurm and the engines would see it: the recipe's arguments decide the engine
 * layout, the matrix fields in plan.json fill in what a recipe does not say.
 */
record SimJob(
        String jobKey,
        String slurmJobId,
        String nodeList,
        String cudaVisibleDevices,
        String model,
        String modelPrefix,
        String precision,
        String framework,
        String image,
        String backendType,
        String servedModelName,
        int isl,
        int osl,
        List<Integer> concurrencies,
        Integer evalConcurrency,
        boolean disaggregated,
        List<SimRole> roles,
        int gpusPerNode,
        int totalGpus,
        int prefillGpus,
        int decodeGpus,
        SimGpu gpu,
        Optional<ModelFacts> facts,
        double storageGBps,
        int healthMaxAttempts,
        int healthIntervalSeconds,
        String dynamoVersion,
        String dynamoHash,
        boolean useChatTemplate,
        Behaviour behaviour,
        double timeScale) {

    static final String ENV_BEHAVIOUR = "SWEEPD_SIM_BEHAVIOUR";
    static final String ENV_TIME_SCALE = "SWEEPD_SIM_TIME_SCALE";
    static final String ENV_GPU = "SWEEPD_SIM_GPU";
    static final String ENV_GPU_MEMORY = "SWEEPD_SIM_GPU_MEMORY_GIB";
    static final String ENV_STORAGE = "SWEEPD_SIM_STORAGE_GBPS";

    /** Wall seconds per simulated second: a 30-minute model load takes 3.6 s, a whole job a few seconds. */
    static final double DEFAULT_TIME_SCALE = 0.002;

    /**
     * Shared-storage read bandwidth, GB/s, for the whole job. At 0.45 GB/s DSV4-Pro's ~862 GB take ~32 min, past
     * srt-slurm's default 30 min health window (seed case 8: 423 s for the first of 64 shards on a starved
     * Lustre), while DeepSeek-R1's 688 GB (~25 min) still make it.
     */
    static final double DEFAULT_STORAGE_GBPS = 0.45;

    /** srt-slurm's health-check defaults: 180 attempts, 10 s apart. */
    static final int DEFAULT_HEALTH_ATTEMPTS = 180;
    static final int DEFAULT_HEALTH_INTERVAL = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DSV4 = Pattern.compile("(?i).*deepseek-?v4.*");

    static SimJob read(JobDirectory dir, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(dir.plan())) {
            throw new IOException(dir.plan() + " is missing: the simulator runs in a job directory sweepd rendered");
        }
        JsonNode plan = JSON.readTree(dir.plan().toFile());
        ObjectNode recipe = Files.isRegularFile(dir.recipe()) && YAML.readTree(dir.recipe().toFile()) instanceof ObjectNode r
                ? r : JsonNodeFactory.instance.objectNode();
        JsonNode point = plan.path("points").path(0);
        JsonNode topology = plan.path("topology");
        JsonNode hardware = plan.path("hardware");

        String model = text(point, "model", recipe.path("model").path("path").asText(""));
        String precision = text(point, "precision", recipe.path("model").path("precision").asText(""));
        String backendType = EngineArgs.backendType(recipe).orElse("vllm");
        String framework = text(point, "framework",
                (recipe.path("frontend").path("type").asText("").equals("dynamo") ? "dynamo-" : "") + backendType);
        String image = recipe.path("model").path("container").asText(text(point, "image", ""));
        JsonNode benchmark = recipe.path("benchmark");
        int isl = benchmark.path("isl").asInt(point.path("isl").asInt(1024));
        int osl = benchmark.path("osl").asInt(point.path("osl").asInt(1024));
        List<Integer> concurrencies = concurrencies(benchmark.path("concurrencies"), plan.path("concurrencies"));

        int gpusPerNode = firstPositive(recipe.path("resources").path("gpus_per_node").asInt(0),
                topology.path("gpus-per-node").asInt(0), parse(env.get("SLURM_GPUS_ON_NODE")),
                hardware.path("gpus-per-node").asInt(0), 8);
        boolean disaggregated = topology.has("prefill-workers");
        List<SimRole> roles = new ArrayList<>();
        if (disaggregated) {
            roles.add(role(recipe, backendType, "prefill", "prefill", topology.path("prefill-workers").asInt(1),
                    topology.path("gpus-per-prefill-worker").asInt(0), point.path("prefill")));
            roles.add(role(recipe, backendType, "decode", "decode", topology.path("decode-workers").asInt(1),
                    topology.path("gpus-per-decode-worker").asInt(0), point.path("decode")));
        } else {
            roles.add(role(recipe, backendType, "aggregated", "server", topology.path("aggregated-workers").asInt(1),
                    topology.path("gpus-per-aggregated-worker").asInt(0),
                    point.has("decode") ? point.path("decode") : point));
        }
        int prefillGpus = disaggregated ? roles.get(0).workers() * roles.get(0).gpusPerWorker() : 0;
        int decodeGpus = disaggregated ? roles.get(1).workers() * roles.get(1).gpusPerWorker() : 0;
        int totalGpus = roles.stream().mapToInt(r -> r.workers() * r.gpusPerWorker()).sum();

        String gpuName = env.getOrDefault(ENV_GPU, hardware.path("gpu").asText(null));
        Double usable = env.containsKey(ENV_GPU_MEMORY) ? Double.valueOf(parseDouble(ENV_GPU_MEMORY, env.get(ENV_GPU_MEMORY)))
                : hardware.has("usable-gib") ? hardware.path("usable-gib").asDouble() : null;
        String architecture = env.containsKey(ENV_GPU) ? null : hardware.path("architecture").asText(null);
        SimGpu gpu = SimGpu.of(gpuName, architecture, usable);

        Optional<ModelFacts> facts = ModelCatalog.loadDefaults().lookup(model, precision);
        JsonNode health = recipe.path("health_check");
        String behaviourText = recipe.path("simulator").path("behaviour").isTextual()
                ? recipe.path("simulator").path("behaviour").textValue() : env.get(ENV_BEHAVIOUR);
        JsonNode served = roles.get(roles.size() - 1).args().get("served-model-name");

        return new SimJob(
                plan.path("job-key").asText("unknown-job"),
                env.getOrDefault("SLURM_JOB_ID", "local"),
                env.getOrDefault("SLURM_JOB_NODELIST", env.getOrDefault("HOSTNAME", "localhost")),
                env.getOrDefault("CUDA_VISIBLE_DEVICES", ""),
                model,
                text(point, "model-prefix", ""),
                precision,
                framework,
                image,
                backendType,
                served != null && served.isTextual() ? served.textValue() : model,
                isl,
                osl,
                concurrencies,
                evalConcurrency(plan.path("points"), concurrencies),
                disaggregated,
                List.copyOf(roles),
                gpusPerNode,
                totalGpus,
                prefillGpus,
                decodeGpus,
                gpu,
                facts,
                env.containsKey(ENV_STORAGE) ? parseDouble(ENV_STORAGE, env.get(ENV_STORAGE)) : DEFAULT_STORAGE_GBPS,
                health.path("max_attempts").asInt(DEFAULT_HEALTH_ATTEMPTS),
                health.path("interval_seconds").asInt(DEFAULT_HEALTH_INTERVAL),
                recipe.path("dynamo").path("version").isValueNode() ? recipe.path("dynamo").path("version").asText() : null,
                recipe.path("dynamo").path("hash").isValueNode() ? recipe.path("dynamo").path("hash").asText() : null,
                benchmark.path("use_chat_template").asBoolean(false),
                Behaviour.parse(behaviourText),
                env.containsKey(ENV_TIME_SCALE) ? parseDouble(ENV_TIME_SCALE, env.get(ENV_TIME_SCALE)) : DEFAULT_TIME_SCALE);
    }

    /** Dynamo is the frontend: {@code dynamo-vllm}, {@code dynamo-sglang}, {@code dynamo-trt}. */
    boolean dynamo() {
        return framework.toLowerCase(Locale.ROOT).startsWith("dynamo");
    }

    boolean dynamoVllm() {
        return dynamo() && backendType.equals("vllm");
    }

    /** A DeepSeek-V4 model (model-prefix dsv4, or the model id says so). */
    boolean deepSeekV4() {
        return modelPrefix.equalsIgnoreCase("dsv4") || DSV4.matcher(model).matches();
    }

    /** A DeepSeek-V4 container image ({@code vllm/vllm-openai:deepseekv4-cu129}). */
    boolean deepSeekV4Image() {
        return DSV4.matcher(image).matches();
    }

    /** Whole-model size in GB (the catalog's, else a guess that loads quickly and fits). */
    double modelGb() {
        return facts.map(ModelFacts::totalGb).orElse(20.0);
    }

    int healthDeadlineSeconds() {
        return healthMaxAttempts * healthIntervalSeconds;
    }

    private static SimRole role(ObjectNode recipe, String backendType, String role, String label, int workers,
                                int gpusPerWorker, JsonNode spec) {
        Optional<ObjectNode> found = EngineArgs.roleArgs(recipe, role);
        ObjectNode args = found.orElse(JsonNodeFactory.instance.objectNode());
        // The engine sees only its arguments: sizes they do not state are the engine's defaults (1). Without any
        // arguments, the matrix's worker spec as ServerConfigs would have written it.
        Parallelism layout = found.isPresent()
                ? Parallelism.fromEngineArgs(backendType, args).orElse(Parallelism.forWorker(backendType, 1, 1, false))
                : Parallelism.forWorker(backendType, spec.path("tp").asInt(1), spec.path("ep").asInt(1),
                        spec.path("dp-attn").asBoolean(false));
        // SGLang and TensorRT-LLM run their attention DP ranks inside one server process per worker, which logs
        // for all; vLLM starts one engine process per DP rank.
        boolean vllm = !backendType.equals(Parallelism.SGLANG) && !backendType.equals(Parallelism.TRTLLM);
        int dp = vllm ? layout.dataParallel() : 1;
        int tp = layout.tensorParallel();
        int pp = layout.pipelineParallel();
        int ep = layout.expertParallel();
        boolean dpAttn = layout.dpAttention();
        int gpus = gpusPerWorker > 0 ? gpusPerWorker : layout.gpus();
        double fraction = EngineArgs.memoryFraction(recipe, role).map(EngineArgs.Arg::value)
                .orElse(Preflight.DEFAULT_MEMORY_FRACTION);
        return new SimRole(role, label, Math.max(1, workers), gpus, tp, pp, dp, ep, dpAttn, fraction, args);
    }

    /** The eval runs once per job, at the highest concurrency a run-eval point names. */
    private static Integer evalConcurrency(JsonNode points, List<Integer> concurrencies) {
        TreeSet<Integer> marked = new TreeSet<>();
        for (JsonNode p : points) {
            if (!p.path("run-eval").asBoolean(false)) {
                continue;
            }
            JsonNode conc = p.path("conc");
            if (p.has("eval-conc")) {
                marked.add(p.path("eval-conc").asInt());
            } else if (conc.isInt()) {
                marked.add(conc.asInt());
            } else if (conc.isArray() && !conc.isEmpty()) {
                marked.add(conc.get(conc.size() - 1).asInt());
            }
        }
        marked.retainAll(concurrencies);
        return marked.isEmpty() ? null : marked.last();
    }

    private static List<Integer> concurrencies(JsonNode fromRecipe, JsonNode fromPlan) {
        TreeSet<Integer> out = new TreeSet<>();
        if (fromRecipe.isTextual()) {
            Arrays.stream(fromRecipe.textValue().split("x")).map(String::strip).filter(s -> s.matches("\\d+"))
                    .map(Integer::valueOf).forEach(out::add);
        } else if (fromRecipe.isArray()) {
            fromRecipe.forEach(n -> out.add(n.asInt()));
        } else if (fromRecipe.isInt()) {
            out.add(fromRecipe.asInt());
        }
        if (out.isEmpty()) {
            fromPlan.forEach(n -> out.add(n.asInt()));
        }
        out.removeIf(c -> c <= 0);
        return List.copyOf(out);
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : fallback;
    }

    private static int firstPositive(int... values) {
        for (int v : values) {
            if (v > 0) {
                return v;
            }
        }
        return 1;
    }

    private static int parse(String value) {
        if (value == null) {
            return 0;
        }
        String digits = value.strip().replaceAll("[^0-9].*$", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    private static double parseDouble(String name, String value) {
        try {
            double v = Double.parseDouble(value.strip());
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a non-negative number");
        }
    }
}
