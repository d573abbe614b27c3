package io.sweepd.preflight;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RankWeightsTest {

    private static final ModelFacts DSV4_FP8 =
            new ModelFacts("deepseek-ai/DeepSeek-V4-Pro", "fp8", 28.42, 833.58, "test");

    @Test
    void dataParallelAttentionKeepsAttentionWholeAndSplitsExpertsByEp() {
        RankWeights w = RankWeights.of(DSV4_FP8, 16, 16, true);

        assertThat(w.perRankGb()).isCloseTo(28.42 + 833.58 / 16, within(1e-9));
        assertThat(w.perRankGib()).isCloseTo(74.99, within(0.005)); // seed case 9's "Model loading took 74.99 GiB"
        assertThat(w.explain()).isEqualTo("28.4 GB replicated attention/dense + 833.6 GB experts / EP16");
    }

    @Test
    void tensorParallelismSplitsEverythingOverTheWorkersGpus() {
        RankWeights w = RankWeights.of(DSV4_FP8, 16, 1, false);

        assertThat(w.perRankGb()).isCloseTo(862.0 / 16, within(1e-9));
        assertThat(w.explain()).isEqualTo("28.4 GB attention/dense / 16 + 833.6 GB experts / TP16");
    }

    @Test
    void tensorParallelAttentionWithExpertParallelExpertsSplitsBothWays() {
        RankWeights w = RankWeights.of(DSV4_FP8, 8, 8, false);

        assertThat(w.perRankGb()).isCloseTo(28.42 / 8 + 833.58 / 8, within(1e-9));
        assertThat(w.explain()).endsWith("experts / EP8");
    }

    @Test
    void dataParallelAttentionWithoutExpertParallelismKeepsAttentionWholeAndShardsExpertsByTensorParallelism() {
        // vLLM shards MoE layers over DP x TP, SGLang over tp: no engine keeps every expert on every rank.
        RankWeights w = RankWeights.of(DSV4_FP8, 8, 1, true);

        assertThat(w.perRankGb()).isCloseTo(28.42 + 833.58 / 8, within(1e-9));
        assertThat(w.explain()).isEqualTo("28.4 GB replicated attention/dense + 833.6 GB experts / TP8");
    }

    @Test
    void expertParallelismNarrowerThanTheWorkerShardsTheRestByTensorParallelism() {
        RankWeights w = RankWeights.of(DSV4_FP8, 8, 4, false);

        assertThat(w.perRankGb()).isCloseTo(862.0 / 8, within(1e-9));
        assertThat(w.explain()).endsWith("833.6 GB experts / EP4 x TP2");
    }

    @Test
    void aDenseModelHasNoExpertTerm() {
        RankWeights w = RankWeights.of(new ModelFacts("org/Dense", "bf16", 140, 0, "test"), 4, 1, false);

        assertThat(w.perRankGb()).isCloseTo(35, within(1e-9));
        assertThat(w.explain()).isEqualTo("140.0 GB attention/dense / 4");
    }

    @Test
    void gibAreBinary() {
        RankWeights w = RankWeights.of(new ModelFacts("org/X", "fp8", 1.073741824, 0, "test"), 1, 1, true);

        assertThat(w.perRankGib()).isCloseTo(1.0, within(1e-12));
    }
}
