package io.sweepd.preflight;

import java.util.Locale;

/**
 * The model weights one GPU (rank) of a worker holds. With data-parallel attention every rank keeps the
 * attention/dense/shared weights in full; without it, tensor parallelism divides them across the worker's GPUs.
 * Routed experts are always divided across all the worker's GPUs: by expert parallelism when ep spans them, else
 * by the engines' MoE tensor parallelism over the rest (vLLM shards experts over DP x TP, SGLang and TensorRT-LLM
 * over tp = ep x moe-tp). This is the arithmetic behind seed case 9: DSV4-Pro FP8 at DP16/EP16 needs
 * 28.4 GB + 833.6 GB / 16 = 74.99 GiB a rank, on a 79.19 GiB card.
 *
 * <pre>
 * per-rank = (dp-attn ? replicated : replicated / gpus) + experts / gpus
 * </pre>
 *
 * @param dpAttn          data-parallel attention: every rank keeps the replicated weights whole
 * @param replicatedSplit how many ways the replicated weights are divided (1 with dp-attn)
 * @param expertSplit     how many ways the routed experts are divided (the worker's GPUs)
 * @param expertLabel     how the expert split reads in a message ({@code EP16}, {@code EP4 x TP2}, {@code TP8})
 */
public record RankWeights(boolean dpAttn, double replicatedGb, int replicatedSplit, double expertsGb,
                          int expertSplit, String expertLabel) {

    /** Bytes per GiB over bytes per GB: model sizes are quoted in GB, GPU memory in GiB. */
    public static final double GB_PER_GIB = 1.073741824;

    public static RankWeights of(ModelFacts facts, int gpusPerWorker, int ep, boolean dpAttn) {
        int gpus = Math.max(gpusPerWorker, 1);
        int replicatedSplit = dpAttn ? 1 : gpus;
        String expertLabel;
        if (ep > 1 && ep >= gpus) {
            expertLabel = "EP" + ep;
        } else if (ep > 1) {
            expertLabel = "EP" + ep + " x TP" + (gpus / ep);
        } else {
            expertLabel = gpus == 1 ? "" : "TP" + gpus;
        }
        // An engine told to spread experts over more ranks than the worker was given (preflight refuses such a
        // layout) still divides them by its own expert-parallel size.
        return new RankWeights(dpAttn, facts.replicatedGb(), replicatedSplit, facts.expertsGb(), Math.max(gpus, ep),
                expertLabel);
    }

    public static RankWeights of(ModelFacts facts, WorkerShape worker) {
        return of(facts, worker.gpus(), worker.ep(), worker.dpAttn());
    }

    public double perRankGb() {
        return replicatedGb / replicatedSplit + expertsGb / expertSplit;
    }

    public double perRankGib() {
        return perRankGb() / GB_PER_GIB;
    }

    /** {@code 28.4 GB replicated attention/dense + 833.6 GB experts / EP16}: where the per-rank number comes from. */
    public String explain() {
        String replicated;
        if (dpAttn) {
            replicated = gb(replicatedGb) + " GB replicated attention/dense";
        } else if (replicatedSplit == 1) {
            replicated = gb(replicatedGb) + " GB attention/dense";
        } else {
            replicated = gb(replicatedGb) + " GB attention/dense / " + replicatedSplit;
        }
        if (expertsGb == 0) {
            return replicated; // a dense model
        }
        String experts = expertLabel.isEmpty()
                ? gb(expertsGb) + " GB experts (unsplit)"
                : gb(expertsGb) + " GB experts / " + expertLabel;
        return replicated + " + " + experts;
    }

    private static String gb(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
