package io.sweepd.preflight;

/**
 * How much weight memory one model at one precision puts on GPUs, split by how parallelism divides it.
 * Sizes are decimal GB (10^9 bytes), as checkpoints are usually quoted; GPU budgets are GiB, as PyTorch
 * reports them, and {@link RankWeights} converts.
 *
 * @param replicatedGb attention, dense layers, shared experts, embeddings: present in full on every
 *                     data-parallel-attention rank, split only by tensor parallelism
 * @param expertsGb    routed experts: split by expert parallelism (or by TP when EP is 1)
 * @param source       where the numbers come from, shown when someone questions a refusal
 */
public record ModelFacts(String model, String precision, double replicatedGb, double expertsGb, String source) {

    public double totalGb() {
        return replicatedGb + expertsGb;
    }

    /** The model id without its organisation ({@code DeepSeek-V4-Pro}), for messages. */
    public String shortName() {
        int slash = model.lastIndexOf('/');
        return slash < 0 ? model : model.substring(slash + 1);
    }
}
