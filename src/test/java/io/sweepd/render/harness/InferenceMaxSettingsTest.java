package io.sweepd.render.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sweepd.Fixtures;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlannedJob;
import io.sweepd.plan.PlannedPoint;
import io.sweepd.plan.Planner;
import io.sweepd.render.JobRenderer;
import io.sweepd.render.RenderFixtures;
import io.sweepd.render.RenderedJob;
import io.sweepd.sweep.SweepParser;
import io.sweepd.workarounds.AppliedWorkaround;
import io.sweepd.workarounds.WorkaroundCatalog;
import io.sweepd.workarounds.WorkaroundRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single-node points of InferenceMAX's master configs start their servers with the settings of InferenceMAX's own
 * benchmark scripts (workarounds/inferencemax-single-node-*.yaml): real points of both snapshots, planned by runner
 * and rendered into the harness's server argv. The expected values are written from the scripts, cited per test
 * (4d69c38b: upstream/InferenceX/benchmarks/single_node/fixed_seq_len/ of the June snapshot; 5959abc4:
 * benchmarks/single_node/ of the May one).
 */
class InferenceMaxSettingsTest {

    @TempDir
    static Path home;

    private static Plan may;
    private static Plan june;

    @TempDir
    Path out;

    @BeforeAll
    static void planBothSnapshots() throws IOException {
        Planner planner = PlannerFactory.create(SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString())));
        may = plan(planner, "2026-05-01");
        june = plan(planner, "2026-06-03");
    }

    private static Plan plan(Planner planner, String snapshot) throws IOException {
        Path dir = Fixtures.fixture("inferencemax/snapshots/" + snapshot);
        String text = Files.readString(dir.resolve("nvidia-master.yaml")) + "\n"
                + Files.readString(dir.resolve("amd-master.yaml")) + "\n";
        return planner.plan(new SweepParser().parse(text, "snapshot-" + snapshot + ".yaml", dir));
    }

    @Test
    void gptossFp4H100VllmServesWithTheH100ScriptsSettingsSizedByConcurrency() throws IOException {
        // gptoss_fp4_h100.sh (4d69c38b): config.yaml no-enable-prefix-caching, max-cudagraph-capture-size 2048,
        // max-num-batched-tokens 8192, max-model-len 10240; --gpu-memory-utilization=0.9 --max-num-seqs=$CONC;
        // PYTHONNOUSERSITE=1 VLLM_MXFP4_USE_MARLIN=1.
        PlannedPoint c4 = point(june, "gptoss-fp4-h100-vllm", 1024, 2, 4);
        Server server = render(june, c4);

        assertThat(server.argv()).startsWith("vllm", "serve");
        assertThat(server.flags()).contains("--tensor-parallel-size 2", "--no-enable-prefix-caching",
                "--max-cudagraph-capture-size 2048", "--max-num-batched-tokens 8192", "--max-model-len 10240",
                "--gpu-memory-utilization 0.9", "--max-num-seqs 4");
        assertThat(server.environment()).containsEntry("PYTHONNOUSERSITE", "1").containsEntry("VLLM_MXFP4_USE_MARLIN", "1");

        // InferenceMAX starts one server per concurrency, sized by it; so does sweepd when the sizes differ.
        PlannedPoint c8 = point(june, "gptoss-fp4-h100-vllm", 1024, 2, 8);
        assertThat(c8.jobKey()).isNotEqualTo(c4.jobKey());
        assertThat(render(june, c8).flags()).contains("--max-num-seqs 8");
    }

    @Test
    void dsr1Fp8H200SglangServesWithTheH200ScriptsSettingsPerSequenceLength() throws IOException {
        // dsr1_fp8_h200.sh (4d69c38b): 1k1k --max-running-requests 512 --cuda-graph-max-bs 512, else 256;
        // --chunked-prefill-size 32768 --max-prefill-tokens 32768 --mem-fraction-static 0.82 --attention-backend
        // flashinfer --stream-interval 10 --decode-log-interval 1 --disable-radix-cache, no --context-length;
        // TORCH_CUDA_ARCH_LIST=9.0.
        Server oneK = render(june, point(june, "dsr1-fp8-h200-sglang", 1024, 8, 16));
        Server eightK = render(june, point(june, "dsr1-fp8-h200-sglang", 8192, 8, 16));

        assertThat(oneK.argv()).startsWith("python3", "-m", "sglang.launch_server");
        assertThat(oneK.flags()).contains("--tensor-parallel-size 8", "--max-running-requests 512",
                "--cuda-graph-max-bs 512", "--chunked-prefill-size 32768", "--max-prefill-tokens 32768",
                "--mem-fraction-static 0.82", "--attention-backend flashinfer", "--stream-interval 10",
                "--decode-log-interval 1", "--disable-radix-cache", "--trust-remote-code");
        assertThat(oneK.argv()).doesNotContain("--context-length");
        assertThat(oneK.environment()).containsEntry("TORCH_CUDA_ARCH_LIST", "9.0").containsEntry("PYTHONNOUSERSITE", "1");
        assertThat(eightK.flags()).contains("--max-running-requests 256", "--cuda-graph-max-bs 256");
    }

    @Test
    void amdPointsServeWithTheMayScriptsSettings() throws IOException {
        // dsr1_fp8_mi355x.sh (5959abc4): --chunked-prefill-size 196608 --max-prefill-tokens 196608
        // --mem-fraction-static 0.8 --num-continuous-decode-steps 4 --kv-cache-dtype fp8_e4m3 --attention-backend aiter
        // --cuda-graph-max-bs "$CONC"; SGLANG_USE_AITER=1 RCCL_MSCCL_ENABLE=0 ROCM_QUICK_REDUCE_QUANTIZATION=INT4.
        Server dsr1 = render(may, point(may, "dsr1-fp8-mi355x-sglang", 8192, 8, 32));
        assertThat(dsr1.flags()).contains("--chunked-prefill-size 196608", "--max-prefill-tokens 196608",
                "--mem-fraction-static 0.8", "--num-continuous-decode-steps 4", "--kv-cache-dtype fp8_e4m3",
                "--attention-backend aiter", "--cuda-graph-max-bs 32");
        assertThat(dsr1.environment()).containsEntry("SGLANG_USE_AITER", "1").containsEntry("RCCL_MSCCL_ENABLE", "0")
                .containsEntry("ROCM_QUICK_REDUCE_QUANTIZATION", "INT4");

        // gptoss_fp4_mi300x.sh (5959abc4): --attention-backend ROCM_AITER_UNIFIED_ATTN
        // -cc.pass_config.fuse_rope_kvcache=True -cc.use_inductor_graph_partition=True --gpu-memory-utilization 0.95
        // --max-model-len $MAX_MODEL_LEN --block-size=64 --no-enable-prefix-caching; VLLM_ROCM_USE_AITER=1.
        Server gptoss = render(may, point(may, "gptoss-fp4-mi300x-vllm", 1024, 2, 16));
        assertThat(gptoss.flags()).contains("--attention-backend ROCM_AITER_UNIFIED_ATTN",
                "--compilation-config {\"pass_config\":{\"fuse_rope_kvcache\":true},\"use_inductor_graph_partition\":true}",
                "--gpu-memory-utilization 0.95", "--max-model-len 2304", "--block-size 64", "--no-enable-prefix-caching");
        assertThat(gptoss.environment()).containsEntry("VLLM_ROCM_USE_AITER", "1")
                .containsEntry("VLLM_ROCM_QUICK_REDUCE_QUANTIZATION", "INT4");
    }

    @Test
    void dsr1Fp8B200TrtServesWithTheScriptsFlagsAndExtraOptionsIncludingItsCaptureList() throws IOException {
        // dsr1_fp8_b200_trt.sh (4d69c38b): --max_seq_len max(MAX_MODEL_LEN, 8192); --max_num_tokens
        // max(8192, ceil64(CONC + ISL + 64)); cuda_graph_config {enable_padding, max_batch_size $CONC}; kv_cache_config
        // {fp8, 0.8, no block reuse}; stream_interval 10; moe TRTLLM; TLLM_OVERRIDE_LAYER_NUM=61; from concurrency 64
        // piecewise CUDA graphs for 1, 2 ... 128, 256, 512 ... max_num_tokens (plus it when not a multiple of 256),
        // and for 1k1k delayed batching.
        Server oneK = render(june, point(june, "dsr1-fp8-b200-trt", 1024, 8, 64));
        assertThat(oneK.argv()).startsWith("trtllm-serve");
        assertThat(oneK.flags()).contains("--tp_size 8", "--max_seq_len 8192", "--max_num_tokens 8192");
        JsonNode options = oneK.extraOptions();
        assertThat(options.at("/cuda_graph_config/max_batch_size").intValue()).isEqualTo(64);
        assertThat(options.at("/cuda_graph_config/enable_padding").booleanValue()).isTrue();
        assertThat(options.at("/kv_cache_config/dtype").textValue()).isEqualTo("fp8");
        assertThat(options.at("/kv_cache_config/free_gpu_memory_fraction").doubleValue()).isEqualTo(0.8);
        assertThat(options.at("/moe_config/backend").textValue()).isEqualTo("TRTLLM");
        assertThat(options.at("/batch_wait_timeout_iters").intValue()).isEqualTo(40);
        assertThat(options.at("/trust_remote_code").booleanValue()).isTrue();
        assertThat(numbers(options.at("/torch_compile_config/capture_num_tokens")))
                .containsExactlyElementsOf(captureList(8192));
        assertThat(oneK.environment()).containsEntry("TLLM_OVERRIDE_LAYER_NUM", "61");

        // 8k1k at 128: max_num_tokens ceil64(128 + 8192 + 64) = 8384, not a multiple of 256, so it ends the list.
        Server eightK = render(june, point(june, "dsr1-fp8-b200-trt", 8192, 8, 128));
        assertThat(eightK.flags()).contains("--max_seq_len 9472", "--max_num_tokens 8384");
        List<Integer> expected = new ArrayList<>(captureList(8192));
        expected.add(8384);
        assertThat(numbers(eightK.extraOptions().at("/torch_compile_config/capture_num_tokens")))
                .containsExactlyElementsOf(expected);
        assertThat(eightK.extraOptions().has("batch_wait_timeout_iters")).as("1k1k only").isFalse();
    }

    @Test
    void aRecipeBackedPointKeepsItsRecipesArguments() {
        // The seed PR's DSV4 FP8 points are multinode and run their srt-slurm recipe: InferenceMAX's single-node
        // settings (dsv4_fp8_h200.sh: --max-num-seqs 512 --block-size 256 ...) are not theirs.
        Plan seed = RenderFixtures.seedOnH200(home);
        for (PlannedPoint planned : seed.points()) {
            EnrichedPoint point = planned.enriched();
            assertThat(point.recipePath()).isNotNull();
            assertThat(point.workarounds()).extracting(AppliedWorkaround::id).noneMatch(id -> id.startsWith("inferencemax-"));
            ObjectNode recipe = yaml(Path.of(point.recipePath()).isAbsolute() ? Path.of(point.recipePath())
                    : Fixtures.fixture("seed-pr/" + point.recipePath()));
            for (String role : List.of("prefill", "decode")) {
                JsonNode patched = point.serverConfig().at("/backend/vllm_config/" + role);
                JsonNode own = recipe.at("/backend/vllm_config/" + role);
                for (String arg : List.of("max-num-seqs", "block-size", "max-num-batched-tokens", "compilation-config",
                        "kv-cache-dtype")) {
                    assertThat(patched.get(arg)).as(role + " " + arg).isEqualTo(own.get(arg));
                }
            }
        }
    }

    /**
     * Every single-node fixed-seq-len point the harness can start (vLLM, SGLang, TensorRT-LLM) gets InferenceMAX's
     * settings, no rule refuses a point InferenceMAX ran, every point's server argv renders, and every rule that
     * sets something is used by some point (a typo in a condition would leave it unused).
     */
    @Test
    void everyLaunchableSingleNodePointOfBothSnapshotsGetsItsScriptsSettings() {
        Set<String> used = new HashSet<>();
        List<String> uncovered = new ArrayList<>();
        for (Plan plan : List.of(may, june)) {
            for (PlannedPoint planned : plan.points()) {
                EnrichedPoint e = planned.enriched();
                MatrixPoint p = e.point();
                if (p.multinode() || p.isAgentic() || p.framework().equals("atom")) {
                    assertThat(e.workarounds()).extracting(AppliedWorkaround::id)
                            .noneMatch(id -> id.startsWith("inferencemax-"));
                    continue;
                }
                List<String> ids = e.workarounds().stream().map(AppliedWorkaround::id)
                        .filter(id -> id.startsWith("inferencemax-")).toList();
                used.addAll(ids);
                if (ids.isEmpty()) {
                    uncovered.add(p.configKey());
                }
                assertThat(e.refused() == null ? "" : e.refused()).as(p.configKey() + " " + p.expName())
                        .doesNotContain("InferenceMAX's").doesNotContain("cannot patch");
                String engine = e.serverConfig().at("/backend/type").textValue();
                ServerCommand.Launch launch = ServerCommand.of(engine,
                        e.serverConfig().at("/backend/" + engine + "_config/aggregated"),
                        new ModelLocation(p.model(), p.model()), 8888, Path.of("extra.yaml"));
                assertThat(launch.argv()).isNotEmpty();
            }
        }
        // dsv4_fp8_mi355x_vllm.sh (5959abc4) builds vLLM from a pull request's branch before it serves; sweepd does not.
        assertThat(new HashSet<>(uncovered)).containsExactly("dsv4-fp8-mi355x-vllm");

        List<String> unused = WorkaroundCatalog.fromDirectory(Path.of("workarounds")).rules().stream()
                .map(WorkaroundRule::id)
                .filter(id -> id.startsWith("inferencemax-") && !used.contains(id))
                .toList();
        assertThat(unused).containsExactlyInAnyOrder(
                // refusals: the scripts' exits, which no point of InferenceMAX's own configs reaches
                "inferencemax-dsr1-fp8-b200-b300-shapes", "inferencemax-dsr1-mtp-tp8-only",
                // a script (dsr1_fp8_h200_mtp.sh) and branches of scripts no point of either snapshot takes
                "inferencemax-dsr1-fp8-h200-mtp", "inferencemax-dsr1-fp8-b200-trt-dp-attention",
                "inferencemax-dsv4-fp4-b300-sglang-mtp-dp-attention", "inferencemax-gptoss-fp4-b200-trt-dp-attention-ep1",
                "inferencemax-qwen3-5-fp4-b300-tp8",
                // expert parallelism with DP attention: every snapshot point that has one also has ep > 1, which
                // already enables it, so the rule changes nothing there
                "inferencemax-minimaxm2-5-fp4-b200-b300-dp-attention");
    }

    @Test
    void everyInferenceMaxRuleNamesTheScriptAndCommitItCameFrom() {
        List<WorkaroundRule> rules = WorkaroundCatalog.fromDirectory(Path.of("workarounds")).rules().stream()
                .filter(rule -> rule.id().startsWith("inferencemax-")).toList();

        assertThat(rules).hasSizeGreaterThan(100).allSatisfy(rule -> {
            assertThat(rule.ref()).as(rule.id()).matches("InferenceMAX (4d69c38b|5959abc4) benchmarks/single_node/.*\\.sh.*");
            assertThat(rule.why()).as(rule.id()).contains("InferenceMAX's").contains(".sh");
            assertThat(rule.when().multinode()).as(rule.id()).isFalse();
            assertThat(rule.when().scenarioType()).as(rule.id()).containsExactly("fixed-seq-len");
        });
    }

    // --- helpers ---

    /** The expected capture list: 1, 2, 4 ... 128 and every multiple of 256 up to {@code upTo}. */
    private static List<Integer> captureList(int upTo) {
        List<Integer> list = new ArrayList<>(List.of(1, 2, 4, 8, 16, 32, 64, 128));
        IntStream.iterate(256, n -> n <= upTo, n -> n + 256).forEach(list::add);
        return list;
    }

    private static ObjectNode yaml(Path file) {
        try {
            return (ObjectNode) new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Integer> numbers(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.intValue()));
        return out;
    }

    private static PlannedPoint point(Plan plan, String configKey, int isl, int tp, int conc) {
        return plan.points().stream()
                .filter(p -> p.enriched().point().configKey().equals(configKey))
                .filter(p -> p.enriched().point().isl() == isl && p.enriched().point().tp() == tp
                        && p.enriched().point().singleConc() == conc)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no point " + configKey + " isl " + isl + " tp " + tp + " conc " + conc));
    }

    private Server render(Plan plan, PlannedPoint point) throws IOException {
        assertThat(point.enriched().refused()).as(point.id()).isNull();
        PlannedJob job = plan.jobs().stream().filter(j -> j.jobKey().equals(point.jobKey())).findFirst().orElseThrow();
        Path dir = out.resolve(job.jobKey());
        RenderedJob rendered = new JobRenderer().render(RenderFixtures.request(plan, job,
                RenderFixtures.profile(job.profile()), dir));
        Path inputs = rendered.directory().root().resolve(SingleNodeJob.INPUTS);
        List<String> argv = words(inputs.resolve("server.argv"));
        Map<String, String> env = words(inputs.resolve("environment")).stream()
                .collect(Collectors.toMap(w -> w.substring(0, w.indexOf('=')), w -> w.substring(w.indexOf('=') + 1)));
        Path extra = inputs.resolve("extra-llm-api-options.yaml");
        JsonNode options = Files.exists(extra) ? new YAMLMapper().readTree(extra.toFile()) : new ObjectMapper().createObjectNode();
        return new Server(argv, env, options);
    }

    private static List<String> words(Path file) throws IOException {
        String text = Files.readString(file);
        return text.isEmpty() ? List.of() : Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }

    /** A rendered server: its argv, its environment and (TensorRT-LLM) its extra LLM API options. */
    private record Server(List<String> argv, Map<String, String> environment, JsonNode extraOptions) {

        /** Each flag with its value as one string ("--max-num-seqs 4"), bare flags alone. */
        List<String> flags() {
            List<String> flags = new ArrayList<>();
            for (int i = 0; i < argv.size(); i++) {
                if (!argv.get(i).startsWith("--")) {
                    continue;
                }
                boolean hasValue = i + 1 < argv.size() && !argv.get(i + 1).startsWith("--");
                flags.add(hasValue ? argv.get(i) + " " + argv.get(i + 1) : argv.get(i));
            }
            return flags;
        }
    }
}
