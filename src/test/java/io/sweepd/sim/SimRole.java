package io.sweepd.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One kind of worker of the simulated job, with the layout its engine would really get from the recipe's
 * arguments (not from the matrix: the engine only sees the arguments).
 *
 * @param role           srt-slurm's role name: prefill, decode or aggregated
 * @param label          log file and line prefix: prefill, decode, or server for aggregated
 * @param tp             tensor-parallel size (times pipeline-parallel size for the world-size check)
 * @param dp             data-parallel size inside one worker
 * @param ep             expert-parallel split of the routed experts (1 = not split)
 * @param dpAttn         data-parallel attention: every rank keeps the attention weights whole
 * @param memoryFraction gpu-memory-utilization (vLLM) / mem-fraction-static (SGLang), or the default 0.9
 * @param args           the role's engine arguments from the recipe (empty when it has none)
 */
record SimRole(String role, String label, int workers, int gpusPerWorker, int tp, int pp, int dp, int ep,
               boolean dpAttn, double memoryFraction, ObjectNode args) {

    /** Engine processes per worker that log on their own: one per DP rank, else one. */
    int ranksPerWorker() {
        return dp > 1 ? dp : 1;
    }

    int worldSize() {
        return tp * pp;
    }
}
