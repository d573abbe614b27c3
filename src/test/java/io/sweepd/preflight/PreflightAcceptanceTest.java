package io.sweepd.preflight;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.sweepd.preflight.PreflightTestData.DSV4;
import static io.sweepd.preflight.PreflightTestData.SEED_RECIPE_8K1K;
import static io.sweepd.preflight.PreflightTestData.disagg;
import static io.sweepd.preflight.PreflightTestData.profile;
import static io.sweepd.preflight.PreflightTestData.seedPoint;
import static io.sweepd.preflight.PreflightTestData.seedRecipe;
import static io.sweepd.preflight.PreflightTestData.singleNode;
import static io.sweepd.preflight.PreflightTestData.vllm;
import static io.sweepd.preflight.PreflightTestData.withNodes;
import static io.sweepd.preflight.PreflightTestData.worker;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed PR's failures, refused (or accepted) before submission, with the shipped profiles and model facts. */
class PreflightAcceptanceTest {

    private final Preflight preflight = new Preflight(PreflightTestData.models());

    private Optional<String> refusal(MatrixPoint point, ClusterProfile profile, ObjectNode serverConfig) {
        Topology topology = TopologyCalculator.topology(point, profile, serverConfig);
        return preflight.refusal(point, profile, topology, serverConfig);
    }

    @Test
    void seedDp16Ep16OnH100IsRefusedWithTheMeasuredPerRankWeights() {
        ObjectNode recipe = seedRecipe(SEED_RECIPE_8K1K); // gpu-memory-utilization 0.95, as first submitted

        Optional<String> reason = refusal(seedPoint(), profile("h100-dgxc-slurm"), recipe);

        // 28.42 GB + 833.58 GB / 16 = 80.52 GB = 74.99 GiB a rank (the log's "Model loading took 74.99 GiB")
        assertThat(reason).hasValueSatisfying(r -> assertThat(r)
                .contains("74.99 GiB per GPU")
                .contains("28.4 GB replicated attention/dense + 833.6 GB experts / EP16")
                .contains("79.19 GiB x gpu-memory-utilization 0.95")
                .contains("leaving 0.24 GiB")
                .contains("shards attention (TP)"));
    }

    @Test
    void seedDp16Ep16OnH100WithTheLoweredUtilizationHasNoRoomAtAll() {
        ObjectNode recipe = seedRecipe(SEED_RECIPE_8K1K);
        ((ObjectNode) recipe.at("/backend/vllm_config/prefill")).put("gpu-memory-utilization", 0.85);
        ((ObjectNode) recipe.at("/backend/vllm_config/decode")).put("gpu-memory-utilization", 0.85);

        Optional<String> reason = refusal(seedPoint(), profile("h100-dgxc-slurm"), recipe);

        assertThat(reason).hasValueSatisfying(r -> assertThat(r)
                .contains("weights alone need 74.99 GiB per GPU")
                .contains("each H100 80GB offers 67.31 GiB (79.19 GiB x gpu-memory-utilization 0.85): no room for KV cache"));
    }

    @Test
    void seedDp16Ep16PassesOnTheH200ProfileAndAPoolTooSmallIsRefused() {
        ObjectNode recipe = seedRecipe(SEED_RECIPE_8K1K);
        ClusterProfile h200 = profile("h200-dgxc-slurm");

        // 74.99 GiB of weights per GPU against 132.81 GiB (139.8 x 0.95): fits.
        assertThat(refusal(seedPoint(), h200, recipe)).isEmpty();
        // 1P1D at 2 nodes a side needs 4 nodes.
        assertThat(refusal(seedPoint(), withNodes(h200, 3), recipe))
                .contains("needs 4 nodes (2 prefill + 2 decode); the h200-dgxc-slurm pool has 3");
    }

    @Test
    void dsv4Fp8OnOneH100NodeIsRefusedForTheWholeModel() {
        MatrixPoint point = singleNode(DSV4, "fp8", "h100", 8, 8, true, 1024, 1024);

        Optional<String> reason = refusal(point, profile("h100-dgxc-slurm"), null);

        assertThat(reason).contains("DeepSeek-V4-Pro fp8 weights (~862 GB) exceed one replica's GPU memory:"
                + " 8 x H100 80GB = 640 GB; a replica needs at least 11 such GPUs");
    }

    @Test
    void tp16AcrossTwoH100NodesFitsInMemory() {
        MatrixPoint point = disagg(DSV4, "fp8", "h100-multinode", worker(1, 16, 1, false), worker(1, 16, 1, false),
                8192, 1024);
        ClusterProfile h100 = profile("h100-dgxc-slurm");
        Topology topology = TopologyCalculator.topology(point, h100, null);

        // 862 GB / 16 = 53.9 GB a rank (not the ~5 GiB the PR's note claimed).
        RankWeights decode = RankWeights.of(PreflightTestData.models().lookup(DSV4, "fp8").orElseThrow(),
                WorkerShape.of(point, topology).get(1));
        assertThat(decode.perRankGb()).isCloseTo(53.9, org.assertj.core.data.Offset.offset(0.05));
        assertThat(preflight.refusal(point, h100, topology, vllm("decode", "gpu-memory-utilization: 0.85"))).isEmpty();
    }

    @Test
    void dsv4H200SingleNodeDp8PassesOnH200() {
        MatrixPoint point = singleNode(DSV4, "fp8", "h200", 8, 8, true, 8192, 1024);

        assertThat(refusal(point, profile("h200-dgxc-slurm"), vllm("aggregated", "gpu-memory-utilization: 0.95")))
                .isEmpty();
    }

    @Test
    void theSameDp8OnLocalH100IsRefusedAndOnLocalH200Accepted() {
        MatrixPoint point = singleNode(DSV4, "fp8", "h200", 8, 8, true, 1024, 1024);
        ObjectNode config = vllm("aggregated", "gpu-memory-utilization: 0.95");

        assertThat(refusal(point, profile("local"), config)).hasValueSatisfying(r -> assertThat(r).contains("862 GB"));
        assertThat(refusal(point, profile("local-h200"), config)).isEmpty();
    }

    @Test
    void onePrefillAndFourDecodeWorkersOfSixteenGpusDoNotFitTheH100PoolAndSayThePoolSizeIsAssumed() {
        MatrixPoint point = disagg(DSV4, "fp8", "h100-multinode", worker(1, 1, 16, true), worker(4, 1, 16, true),
                1024, 1024);

        assertThat(refusal(point, profile("h100-dgxc-slurm"), null)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("needs 10 nodes (2 prefill + 8 decode); the h100-dgxc-slurm pool has 8"
                        + " (hardware.nodes of profile h100-dgxc-slurm is assumed: the size of partition hpc-gpu-1"));
    }

    @Test
    void aSequenceLongerThanTheDecodeEnginesMaxModelLenIsRefused() {
        ObjectNode recipe = seedRecipe(SEED_RECIPE_8K1K);
        ((ObjectNode) recipe.at("/backend/vllm_config/decode")).put("max-model-len", 8192);

        Optional<String> reason = refusal(seedPoint(), withNodes(profile("h200-dgxc-slurm"), 4), recipe);

        assertThat(reason).contains("isl 8192 + osl 1024 = 9216 tokens exceed the decode engine's max-model-len 8192"
                + " (backend.vllm_config.decode.max-model-len)");
    }
}
