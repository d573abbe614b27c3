package io.sweepd.preflight;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.sweepd.preflight.PreflightTestData.DSV4;
import static io.sweepd.preflight.PreflightTestData.disagg;
import static io.sweepd.preflight.PreflightTestData.profile;
import static io.sweepd.preflight.PreflightTestData.singleNode;
import static io.sweepd.preflight.PreflightTestData.vllm;
import static io.sweepd.preflight.PreflightTestData.withAssumed;
import static io.sweepd.preflight.PreflightTestData.withNodes;
import static io.sweepd.preflight.PreflightTestData.worker;
import static io.sweepd.preflight.PreflightTestData.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/** Each check on its own, with small made-up models so the arithmetic is easy to follow. */
class PreflightTest {

    private static final ClusterProfile H100 = profile("h100-dgxc-slurm"); // 79.19 GiB usable, 8 GPUs, 8 nodes

    /** A model whose per-rank weights at TP1 are exactly {@code gib} GiB. */
    private static ModelFacts denseOfGib(String id, double gib) {
        return new ModelFacts(id, "bf16", gib * RankWeights.GB_PER_GIB, 0, "test");
    }

    private static Preflight preflightWith(ModelFacts... facts) {
        return new Preflight(ModelCatalog.of(List.of(facts)));
    }

    private static Preflight.Verdict check(Preflight preflight, MatrixPoint point, ClusterProfile profile,
                                           ObjectNode config) {
        Topology topology = TopologyCalculator.topology(point, profile, config);
        return preflight.check(point, profile, topology, config);
    }

    // agreement: serving mode, worker counts, parallel layout

    @Test
    void numWorkerZeroWithADisaggregatedRecipeIsRefused() {
        ObjectNode recipe = yaml("resources: {gpus_per_node: 4, prefill_nodes: 2, decode_nodes: 2,"
                + " prefill_workers: 1, decode_workers: 1}");
        MatrixPoint point = disagg("org/Unknown", "fp4", "gb200", worker(1, 8, 1, false), worker(0, 8, 1, false),
                1024, 1024);

        assertThat(check(preflightWith(), point, profile("gb200-nv"), recipe).refusal())
                .isEqualTo("the sweep runs aggregated workers (decode num-worker is 0) but the recipe's resources are"
                        + " disaggregated (prefill_nodes/decode_nodes): make them agree");
    }

    @Test
    void numWorkerZeroWithAnAggregatedRecipeIsAccepted() {
        ObjectNode recipe = yaml("""
                resources: {gpus_per_node: 4, agg_nodes: 2, agg_workers: 1, gpus_per_agg: 8}
                backend:
                  type: vllm
                  vllm_config:
                    aggregated: {tensor-parallel-size: 8, pipeline-parallel-size: 1, max-model-len: 9280}
                """);
        MatrixPoint point = disagg("org/Unknown", "fp4", "gb200", worker(1, 8, 1, false), worker(0, 8, 1, false),
                8192, 1024);

        assertThat(check(preflightWith(), point, profile("gb200-nv"), recipe).refused()).isFalse();
    }

    @Test
    void anAggregatedRecipeForSeparatePrefillAndDecodeWorkersIsRefused() {
        ObjectNode recipe = yaml("resources: {gpus_per_node: 4, agg_nodes: 2, agg_workers: 1}");
        MatrixPoint point = disagg("org/Unknown", "fp4", "gb200", worker(1, 8, 1, false), worker(1, 8, 1, false),
                1024, 1024);

        assertThat(check(preflightWith(), point, profile("gb200-nv"), recipe).refusal())
                .startsWith("the sweep runs separate prefill and decode workers but the recipe's resources are"
                        + " aggregated");
    }

    @Test
    void theRecipesAggregatedWorkerCountMustBeTheServingSidesNumWorker() {
        ObjectNode recipe = yaml("resources: {gpus_per_node: 4, agg_nodes: 4, agg_workers: 2}");
        MatrixPoint point = disagg("org/Unknown", "fp4", "gb200", worker(1, 8, 1, false), worker(0, 8, 1, false),
                1024, 1024);

        assertThat(check(preflightWith(), point, profile("gb200-nv"), recipe).refusal())
                .isEqualTo("the recipe's resources.agg_workers is 2 but the sweep's serving side's num-worker is 1:"
                        + " make them agree");
    }

    @Test
    void moreExpertRanksThanGpusWithoutDpAttentionIsRefused() {
        MatrixPoint point = singleNode("org/Unknown", "fp8", "h100", 1, 8, false, 1024, 1024);

        assertThat(check(preflightWith(), point, H100, null).refusal())
                .startsWith("worker (TP1/EP8): ep 8 does not divide the worker's 1 GPUs");
    }

    @Test
    void recipeEngineArgumentsThatOccupyOtherGpusThanTheWorkerHasAreRefused() {
        ObjectNode recipe = yaml("""
                resources: {gpus_per_node: 8, prefill_nodes: 2, decode_nodes: 2, prefill_workers: 1,
                            decode_workers: 1, gpus_per_prefill: 16, gpus_per_decode: 16}
                backend:
                  type: vllm
                  vllm_config:
                    prefill: {tensor-parallel-size: 1, data-parallel-size: 16, enable-expert-parallel: true}
                    decode: {tensor-parallel-size: 1, data-parallel-size: 8, enable-expert-parallel: true}
                """);
        MatrixPoint point = disagg("org/Unknown", "fp8", "h100-multinode", worker(1, 1, 16, true),
                worker(1, 1, 16, true), 1024, 1024);

        assertThat(check(preflightWith(), point, H100, recipe).refusal())
                .isEqualTo("the decode engine arguments (backend.vllm_config.decode) run tp1 x dp8 = 8 GPUs per"
                        + " worker, but each decode worker is given 16 GPUs: make the parallel sizes and the worker's"
                        + " GPUs agree");
    }

    // (a) placement

    @Test
    void aSingleNodeTpLargerThanANodeIsRefused() {
        MatrixPoint point = singleNode(DSV4, "fp8", "h100", 16, 1, false, 1024, 1024);

        assertThat(check(preflightWith(), point, H100, null).refusal())
                .isEqualTo("needs 16 GPUs in one node (TP16) but each h100-dgxc-slurm node has 8 H100 80GB GPUs");
    }

    @Test
    void placementIsCheckedBeforeMemory() {
        MatrixPoint point = singleNode(DSV4, "fp8", "h100", 16, 1, false, 1024, 1024);

        assertThat(check(new Preflight(PreflightTestData.models()), point, H100, null).refusal())
                .startsWith("needs 16 GPUs in one node");
    }

    @Test
    void aRecipeAskingForMoreGpusPerNodeThanTheProfileHasIsRefused() {
        ObjectNode recipe = yaml("resources: {gpus_per_node: 8, gpus_per_prefill: 8, gpus_per_decode: 8}");
        MatrixPoint point = disagg(DSV4, "fp4", "gb200", worker(1, 8, 8, true), worker(1, 8, 8, true), 1024, 1024);

        assertThat(check(preflightWith(), point, profile("gb200-nv"), recipe).refusal())
                .isEqualTo("the recipe asks for 8 GPUs per node (resources.gpus_per_node) but each gb200-nv node"
                        + " has 4 GB200 186GB GPUs");
    }

    @Test
    void anAggregatedPoolOverflowHasNoSideBreakdown() {
        MatrixPoint d = disagg("org/Unknown", "fp8", "h100-multinode", worker(5, 8, 1, false), worker(5, 8, 1, false),
                1024, 1024);
        MatrixPoint aggregated = new MatrixPoint(d.configKey(), d.image(), d.model(), d.modelPrefix(), d.precision(),
                "vllm", d.runner(), d.isl(), d.osl(), null, null, null, "none", d.prefill(), d.decode(), d.conc(),
                d.maxModelLen(), d.expName(), false, true, false, null);

        assertThat(check(preflightWith(), aggregated, withNodes(H100, 4), null).refusal())
                .isEqualTo("needs 5 nodes; the h100-dgxc-slurm pool has 4");
    }

    @Test
    void aPointThatFitsThePoolIsAccepted() {
        MatrixPoint point = disagg("org/Unknown", "fp8", "h100-multinode", worker(1, 16, 1, false),
                worker(1, 16, 1, false), 1024, 1024);

        assertThat(check(preflightWith(), point, H100, null).refused()).isFalse();
    }

    // (c) one replica

    @Test
    void theWholeModelIsCheckedAgainstOneWorkersGpusBeforePerRankMemory() {
        // 700 GB on 8 x 80 GB = 640 GB: both checks would fail; the replica check speaks first.
        ModelFacts big = new ModelFacts("org/Big", "fp8", 20, 680, "test");
        MatrixPoint point = singleNode("org/Big", "fp8", "h100", 8, 1, false, 1024, 1024);

        assertThat(check(preflightWith(big), point, H100, null).refusal())
                .isEqualTo("Big fp8 weights (~700 GB) exceed one replica's GPU memory: 8 x H100 80GB = 640 GB;"
                        + " a replica needs at least 9 such GPUs");
    }

    @Test
    void aDisaggregatedReplicaRefusalNamesTheWorker() {
        ModelFacts big = new ModelFacts("org/Big", "fp8", 20, 680, "test");
        MatrixPoint point = disagg("org/Big", "fp8", "h100-multinode", worker(1, 8, 1, false), worker(1, 16, 1, false),
                1024, 1024);

        assertThat(check(preflightWith(big), point, H100, null).refusal())
                .startsWith("prefill worker (TP8, 8 GPUs): Big fp8 weights (~700 GB)");
    }

    // (b) per rank

    @Test
    void headroomBelowTheMinimumIsRefusedAndAboveItAccepted() {
        ObjectNode config = yaml("""
                backend: {type: vllm, vllm_config: {aggregated: {gpu-memory-utilization: 0.9}}}
                """);
        double budget = 79.19 * 0.9; // 71.271 GiB
        MatrixPoint tight = singleNode("org/Tight", "bf16", "h100", 1, 1, false, 1024, 1024);
        MatrixPoint roomy = singleNode("org/Roomy", "bf16", "h100", 1, 1, false, 1024, 1024);
        Preflight preflight = preflightWith(denseOfGib("org/Tight", budget - 3.99), denseOfGib("org/Roomy", budget - 4.01));

        assertThat(check(preflight, tight, H100, config).refusal())
                .isEqualTo("weights alone need 67.28 GiB per GPU (72.2 GB attention/dense) but each"
                        + " H100 80GB offers 71.27 GiB (79.19 GiB x gpu-memory-utilization 0.9), leaving 3.99 GiB"
                        + " where KV cache, activations and NCCL buffers need at least 4 GiB;"
                        + " spread the worker over more GPUs or use larger-memory GPUs");
        assertThat(check(preflight, roomy, H100, config).refused()).isFalse();
    }

    @Test
    void anUnsetMemoryFractionRefusesOnlyWhatCannotFitAtTheHighestFractionLaunchersSet() {
        double highest = 79.19 * Preflight.HIGHEST_LAUNCHER_FRACTION; // 75.23 GiB
        MatrixPoint point = singleNode("org/M", "bf16", "h100", 1, 1, false, 1024, 1024);

        String refusal = check(preflightWith(denseOfGib("org/M", highest - 3.99)), point, H100, null).refusal();
        Preflight.Verdict fitsHigh = check(preflightWith(denseOfGib("org/M", highest - 4.01)), point, H100, null);

        assertThat(refusal).contains("offers 75.23 GiB (79.19 GiB x gpu-memory-utilization 0.95, the most a launcher"
                + " sets; this configuration does not set it), leaving 3.99 GiB");
        assertThat(fitsHigh.refused()).isFalse();
        assertThat(fitsHigh.notes()).containsExactly("fits only with gpu-memory-utilization of at least 0.95"
                + " (71.22 GiB of weights per GPU); the engine's default 0.9 leaves too little: the launch must set it");
    }

    @Test
    void tensorRtLlmWeightsMayFillTheCardSinceItsFractionAppliesToWhatIsLeft() {
        ObjectNode trtllm = yaml("""
                backend: {type: trtllm, trtllm_config: {aggregated: {tensor_parallel_size: 1}}}
                """);
        MatrixPoint point = singleNode("org/M", "bf16", "h100", 1, 1, false, 1024, 1024);
        Preflight preflight = preflightWith(denseOfGib("org/M", 74)); // 5.19 GiB left of 79.19

        assertThat(check(preflight, point, H100, trtllm).refusal()).isNull();
        assertThat(check(preflight, point, H100, null).refusal()).as("vLLM caps weights + KV at its fraction")
                .contains("weights alone need 74.00 GiB");
    }

    @Test
    void eachRoleIsJudgedWithItsOwnMemoryFraction() {
        ModelFacts model = denseOfGib("org/Mid", 40 * 16); // 40 GiB a rank at TP16
        MatrixPoint point = disagg("org/Mid", "bf16", "h100-multinode", worker(1, 16, 1, false),
                worker(1, 16, 1, false), 1024, 1024);
        ObjectNode config = yaml("""
                backend:
                  type: vllm
                  vllm_config:
                    prefill: {gpu-memory-utilization: 0.9}
                    decode: {gpu-memory-utilization: 0.5}
                """);

        Preflight.Verdict verdict = check(preflightWith(model), point, H100, config);

        assertThat(verdict.refusal()).startsWith("decode worker (TP16, 16 GPUs): weights alone need 40.00 GiB per GPU")
                .contains("offers 39.60 GiB (79.19 GiB x gpu-memory-utilization 0.5): no room for KV cache")
                .endsWith("spread the worker over more GPUs or use larger-memory GPUs");
        assertThat(verdict.notes()).isEmpty();
    }

    @Test
    void sglangsMemFractionStaticIsTheBudget() {
        MatrixPoint point = singleNode("org/Small", "bf16", "h100", 1, 1, false, 1024, 1024);
        ObjectNode config = yaml("backend: {type: sglang, sglang_config: {aggregated: {mem-fraction-static: 0.2}}}");

        assertThat(check(preflightWith(denseOfGib("org/Small", 14)), point, H100, config).refusal())
                .contains("15.84 GiB (79.19 GiB x mem-fraction-static 0.2)");
    }

    // assumed facts

    private static final String GUESSED = "nominal GB x 0.99, no log seen";

    @Test
    void aMemoryRefusalOnAnAssumedUsableMemorySaysSo() {
        MatrixPoint point = singleNode("org/Big", "bf16", "h100", 1, 1, false, 1024, 1024);
        Preflight preflight = preflightWith(denseOfGib("org/Big", 72));

        String onFact = check(preflight, point, H100, null).refusal();
        String onAssumption = check(preflight, point, withAssumed(H100, Map.of("hardware.usable-gib", GUESSED)), null)
                .refusal();

        assertThat(onFact).contains("weights alone need 72.00 GiB").doesNotContain("assumed");
        assertThat(onAssumption).isEqualTo(onFact
                + " (hardware.usable-gib of profile h100-dgxc-slurm is assumed: nominal GB x 0.99, no log seen)");
    }

    @Test
    void aPoolRefusalNamesEveryAssumedFactItRestsOnAndNoOther() {
        MatrixPoint point = disagg("org/Unknown", "fp8", "h100-multinode", worker(5, 8, 1, false),
                worker(5, 8, 1, false), 1024, 1024);
        ClusterProfile guessed = withAssumed(H100, Map.of("hardware.nodes", "runner count",
                "hardware.gpus-per-node", "HGX board", "hardware.usable-gib", GUESSED));

        assertThat(check(preflightWith(), point, guessed, null).refusal()).isEqualTo(
                "needs 10 nodes (5 prefill + 5 decode); the h100-dgxc-slurm pool has 8"
                        + " (hardware.nodes of profile h100-dgxc-slurm is assumed: runner count)"
                        + " (hardware.gpus-per-node of profile h100-dgxc-slurm is assumed: HGX board)");
    }

    @Test
    void anAcceptedPointOnAssumedFactsCarriesNoAssumptionNote() {
        MatrixPoint point = singleNode("org/Small", "bf16", "h100", 1, 1, false, 1024, 1024);

        Preflight.Verdict verdict = check(preflightWith(denseOfGib("org/Small", 14)), point,
                withAssumed(H100, Map.of("hardware.usable-gib", GUESSED)), null);

        assertThat(verdict.refused()).isFalse();
        assertThat(verdict.notes()).noneMatch(note -> note.contains("assumed:"));
    }

    @Test
    void anUnknownModelIsNotRefusedAndSaysWhy() {
        MatrixPoint point = singleNode("org/Unknown", "fp8", "h100", 8, 1, false, 1024, 1024);

        Preflight.Verdict verdict = check(preflightWith(), point, H100, null);

        assertThat(verdict.refused()).isFalse();
        assertThat(verdict.notes()).containsExactly(
                "no weight facts for org/Unknown fp8 (models/model-facts.yaml): memory fit not checked");
    }

    @Test
    void theInferenceMaxH100PointsOfKnownModelsPass() {
        Preflight preflight = new Preflight(PreflightTestData.models());
        // gpt-oss-120b fp4 TP2, MiniMax-M2.5 fp8 TP4/EP4 (nvidia-master.yaml, runner h100)
        assertThat(check(preflight, singleNode("openai/gpt-oss-120b", "fp4", "h100", 2, 1, false, 8192, 1024), H100, null)
                .refused()).isFalse();
        assertThat(check(preflight, singleNode("MiniMaxAI/MiniMax-M2.5", "fp8", "h100", 4, 4, false, 8192, 1024), H100, null)
                .refused()).isFalse();
        // DeepSeek-R1-0528 fp8 on h100-multinode: TP16 prefill, DEP16 decode
        MatrixPoint dsr1 = disagg("deepseek-ai/DeepSeek-R1-0528", "fp8", "h100-multinode", worker(1, 16, 1, false),
                worker(1, 16, 16, true), 8192, 1024);
        assertThat(check(preflight, dsr1, H100, null).refused()).isFalse();
    }

    @Test
    void dsv4Dp8OnH200FitsOnlyAtTheHigherFractionInferenceMaxSetsAndThePlanSaysSo() {
        // InferenceMAX's H200 launch sets 0.95: at vLLM's default 0.9, 123.51 GiB of weights would leave 2.31 GiB.
        MatrixPoint point = singleNode(DSV4, "fp8", "h200", 8, 8, true, 1024, 1024);

        Preflight.Verdict verdict = check(new Preflight(PreflightTestData.models()), point, profile("h200-dgxc-slurm"),
                null);

        assertThat(verdict.refused()).isFalse();
        assertThat(verdict.notes()).singleElement().asString()
                .startsWith("fits only with gpu-memory-utilization of at least 0.92 (123.51 GiB of weights per GPU)");
    }

    // (d) context

    @Test
    void withoutAnEngineLimitThePointsMaxModelLenApplies() {
        MatrixPoint p = singleNode("org/Unknown", "fp8", "h100", 1, 1, false, 2048, 1024);
        MatrixPoint shortLimit = new MatrixPoint(p.configKey(), p.image(), p.model(), p.modelPrefix(), p.precision(),
                p.framework(), p.runner(), p.isl(), p.osl(), p.tp(), p.ep(), p.dpAttn(), p.specDecoding(), null, null,
                p.conc(), 2048, p.expName(), false, false, false, null);

        assertThat(check(preflightWith(), shortLimit, H100, null).refusal())
                .isEqualTo("isl 2048 + osl 1024 = 3072 tokens exceed the point's max-model-len 2048");
        assertThat(check(preflightWith(), p, H100, null).refused()).isFalse();
    }

    @Test
    void theEnginesMaxModelLenWinsOverThePoints() {
        MatrixPoint point = singleNode("org/Unknown", "fp8", "h100", 1, 1, false, 8192, 1024);

        assertThat(check(preflightWith(), point, H100, vllm("aggregated", "max-model-len: 4096")).refusal())
                .isEqualTo("isl 8192 + osl 1024 = 9216 tokens exceed the aggregated engine's max-model-len 4096"
                        + " (backend.vllm_config.aggregated.max-model-len)");
        assertThat(check(preflightWith(), point, H100, vllm("aggregated", "max-model-len: 9216")).refused()).isFalse();
    }

    @Test
    void aPrefillEngineNeedsOnlyThePromptAndOneToken() {
        MatrixPoint point = disagg("org/Unknown", "fp8", "h100-multinode", worker(1, 8, 1, false),
                worker(1, 8, 1, false), 8192, 1024);
        ObjectNode fits = yaml("backend: {type: vllm, vllm_config: {prefill: {max-model-len: 8193}}}");
        ObjectNode tooShort = yaml("backend: {type: vllm, vllm_config: {prefill: {max-model-len: 8192}}}");

        assertThat(check(preflightWith(), point, H100, fits).refused()).isFalse();
        assertThat(check(preflightWith(), point, H100, tooShort).refusal())
                .startsWith("isl 8192 plus the one token prefill generates exceeds the prefill engine's max-model-len 8192");
    }

    // launch: agentic-coding points on the single-node launcher

    private static MatrixPoint agentic(String framework, String offloading) {
        return new MatrixPoint("test-agentic", "image", "org/Unknown", "prefix", "fp8", framework, "h100", 0, 0, 2, 1,
                false, "none", null, null, List.of(16), 0, "prefix_agentic", false, false, false, null, false,
                new MatrixPoint.Agentic(1800, offloading));
    }

    private static ClusterProfile singleNodeWith(ClusterProfile p, ClusterProfile.Agentic agentic) {
        ClusterProfile.Launcher l = p.launcher();
        return new ClusterProfile(p.name(), p.description(), p.runners(), p.runnerNodes(), p.slurm(), p.hardware(),
                p.paths(), p.containerRuntime(), new ClusterProfile.Launcher(l.type(), l.command(), l.environment(),
                l.singleNodeType(), l.eval(), agentic), p.deadlines(), p.features(),
                p.retry(), p.assumed());
    }

    @Test
    void anAgenticPointNeedsTheProfilesLocalTraceCorpus() {
        ClusterProfile h100cw = profile("h100-cw"); // single-node launcher, no launcher.agentic

        assertThat(check(preflightWith(), agentic("vllm", "none"), h100cw, null).refusal())
                .startsWith("agentic-coding replays InferenceMAX's trace corpus, and profile h100-cw names no local"
                        + " copy of it (launcher.agentic.traces");
        ClusterProfile withTraces = singleNodeWith(h100cw, new ClusterProfile.Agentic("/shared/traces", null));
        assertThat(check(preflightWith(), agentic("vllm", "cpu"), withTraces, null).refused()).isFalse();
        ClusterProfile.Launcher l = h100cw.launcher();
        ClusterProfile ownScript = new ClusterProfile(h100cw.name(), h100cw.description(), h100cw.runners(),
                h100cw.runnerNodes(), h100cw.slurm(), h100cw.hardware(), h100cw.paths(), h100cw.containerRuntime(),
                new ClusterProfile.Launcher("command", List.of("/cluster/bin/run-bench"), l.environment(), null,
                        l.eval(), null), h100cw.deadlines(), h100cw.features(),
                h100cw.retry(), h100cw.assumed());
        assertThat(check(preflightWith(), agentic("vllm", "none"), ownScript, null).refused())
                .as("another launcher (the cluster's own script) is not the harness's business").isFalse();
        assertThat(check(preflightWith(), agentic("vllm", "none"), profile("local"), null).refused())
                .as("the local test cluster runs single-node points with the harness").isTrue();
    }

    @Test
    void anOffloadingTheHarnessCannotApplyIsRefusedUnlessTheRecipeOffloadsItself() {
        ClusterProfile profile = singleNodeWith(profile("h100-cw"), new ClusterProfile.Agentic("/shared/traces", null));

        assertThat(check(preflightWith(), agentic("vllm", "lmcache"), profile, null).refusal())
                .isEqualTo("offloading 'lmcache' cannot run on vllm with the single-node launcher (InferenceMAX runs"
                        + " an lmcache server process beside the engine for it, and the single-node launcher runs the"
                        + " server alone); it takes none or cpu");
        assertThat(check(preflightWith(), agentic("sglang", "cpu"), profile, null).refusal())
                .contains("'cpu' cannot run on sglang", "it takes none or hicache");
        assertThat(check(preflightWith(), agentic("vllm", "lmcache"), profile,
                vllm("aggregated", "kv-transfer-config: {kv_connector: LMCacheConnectorV1}")).refused()).isFalse();
    }
}
