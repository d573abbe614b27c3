package io.sweepd.preflight;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import org.junit.jupiter.api.Test;

import static io.sweepd.preflight.PreflightTestData.DSV4;
import static io.sweepd.preflight.PreflightTestData.SEED_RECIPE_8K1K;
import static io.sweepd.preflight.PreflightTestData.disagg;
import static io.sweepd.preflight.PreflightTestData.profile;
import static io.sweepd.preflight.PreflightTestData.seedPoint;
import static io.sweepd.preflight.PreflightTestData.seedRecipe;
import static io.sweepd.preflight.PreflightTestData.singleNode;
import static io.sweepd.preflight.PreflightTestData.worker;
import static io.sweepd.preflight.PreflightTestData.yaml;
import static org.assertj.core.api.Assertions.assertThat;

class TopologyCalculatorTest {

    @Test
    void singleNodeIsOneAggregatedWorkerOfTpGpusOnOneNode() {
        MatrixPoint point = singleNode(DSV4, "fp8", "h200", 8, 8, true, 1024, 1024);

        Topology t = TopologyCalculator.topology(point, profile("h200-dgxc-slurm"), null);

        assertThat(t).isEqualTo(new Topology(0, 0, 0, 0, 1, 8, 1, 8));
        assertThat(t.totalGpus()).isEqualTo(8);
    }

    @Test
    void theSeedRecipeGivesSixteenGpusAndTwoNodesASide() {
        Topology t = TopologyCalculator.topology(seedPoint(), profile("h100-dgxc-slurm"), seedRecipe(SEED_RECIPE_8K1K));

        assertThat(t).isEqualTo(new Topology(1, 16, 1, 16, 0, 0, 4, 8));
        assertThat(t.totalGpus()).isEqualTo(32);
    }

    @Test
    void withoutARecipeAWorkerHasMaxOfTpAndEpGpus() {
        MatrixPoint point = disagg(DSV4, "fp8", "h100-multinode", worker(1, 1, 16, true), worker(2, 16, 1, false),
                1024, 1024);

        Topology t = TopologyCalculator.topology(point, profile("h100-dgxc-slurm"), null);

        assertThat(t).isEqualTo(new Topology(1, 16, 2, 16, 0, 0, 2 + 4, 8));
    }

    @Test
    void workersShareNodesWhenTheyAreSmallerThanANode() {
        MatrixPoint point = disagg(DSV4, "fp4", "gb200", worker(3, 2, 1, false), worker(1, 8, 8, true), 8192, 1024);

        Topology t = TopologyCalculator.topology(point, profile("gb200-nv"), null);

        // prefill 3 x 2 GPUs = 6 on 4-GPU nodes -> 2 nodes; decode 8 GPUs -> 2 nodes
        assertThat(t.nodes()).isEqualTo(4);
        assertThat(t.gpusPerNode()).isEqualTo(4);
    }

    @Test
    void recipeNodesAndWorkersGiveGpusPerWorkerWhenNotWritten() {
        ObjectNode recipe = yaml("""
                resources:
                  gpus_per_node: 4
                  prefill_nodes: 2
                  prefill_workers: 1
                  decode_nodes: 4
                  decode_workers: 2
                """);
        MatrixPoint point = disagg(DSV4, "fp4", "gb200", worker(1, 8, 8, true), worker(2, 8, 1, false), 8192, 1024);

        Topology t = TopologyCalculator.topology(point, profile("gb200-nv"), recipe);

        assertThat(t).isEqualTo(new Topology(1, 8, 2, 8, 0, 0, 6, 4));
    }

    @Test
    void theRecipesGpusPerNodeIsWhatTheJobAsksFor() {
        ObjectNode recipe = yaml("resources: {gpus_per_node: 8, gpus_per_prefill: 8, gpus_per_decode: 8}");
        MatrixPoint point = disagg(DSV4, "fp4", "gb200", worker(1, 8, 8, true), worker(1, 8, 8, true), 8192, 1024);

        Topology t = TopologyCalculator.topology(point, profile("gb200-nv"), recipe);

        assertThat(t.gpusPerNode()).isEqualTo(8);
        assertThat(t.nodes()).isEqualTo(2);
    }

    @Test
    void multinodeWithoutDisaggRunsAggregatedWorkers() {
        MatrixPoint disagg = disagg(DSV4, "fp8", "h100-multinode", worker(1, 16, 1, false), worker(2, 16, 1, false),
                1024, 1024);
        MatrixPoint aggregated = new MatrixPoint(disagg.configKey(), disagg.image(), disagg.model(), disagg.modelPrefix(),
                disagg.precision(), "sglang", disagg.runner(), 1024, 1024, null, null, null, "none",
                disagg.prefill(), disagg.decode(), disagg.conc(), disagg.maxModelLen(), disagg.expName(),
                false, true, false, null);

        Topology t = TopologyCalculator.topology(aggregated, profile("h100-dgxc-slurm"), null);

        assertThat(t).isEqualTo(new Topology(0, 0, 0, 0, 2, 16, 4, 8));
        assertThat(t.disaggregated()).isFalse();
    }

    @Test
    void recipeAggregatedResourcesAreRead() {
        ObjectNode recipe = yaml("resources: {gpus_per_node: 8, agg_nodes: 4, agg_workers: 4}");
        MatrixPoint disagg = disagg(DSV4, "fp8", "h100-multinode", worker(4, 8, 1, false), worker(4, 8, 1, false),
                1024, 1024);
        MatrixPoint aggregated = new MatrixPoint(disagg.configKey(), disagg.image(), disagg.model(), disagg.modelPrefix(),
                disagg.precision(), "vllm", disagg.runner(), 1024, 1024, null, null, null, "none",
                null, disagg.decode(), disagg.conc(), disagg.maxModelLen(), disagg.expName(), false, true, false, null);

        Topology t = TopologyCalculator.topology(aggregated, profile("h100-dgxc-slurm"), recipe);

        assertThat(t).isEqualTo(new Topology(0, 0, 0, 0, 4, 8, 4, 8));
    }

    @Test
    void aSingleNodeDataParallelWorkerWrittenTp1Ep8AsksForItsEightGpus() {
        // The example: before, this asked Slurm for 1 GPU and rendered data-parallel-size 8.
        MatrixPoint point = singleNode(DSV4, "fp8", "h200", 1, 8, true, 1024, 1024);

        Topology t = TopologyCalculator.topology(point, profile("h200-dgxc-slurm"), null);

        assertThat(t).isEqualTo(new Topology(0, 0, 0, 0, 1, 8, 1, 8));
    }

    @Test
    void decodeNumWorkerZeroIsAggregatedMultinodeServingByThePrefillSpec() {
        MatrixPoint point = disagg(DSV4, "fp4", "gb200", worker(1, 8, 1, false), worker(0, 8, 1, false), 8192, 1024);

        Topology t = TopologyCalculator.topology(point, profile("gb200-nv"), null);

        assertThat(t).isEqualTo(new Topology(0, 0, 0, 0, 1, 8, 2, 4));
        assertThat(t.disaggregated()).isFalse();
    }

    @Test
    void numWorkerZeroReadsTheRecipesAggregatedResources() {
        ObjectNode recipe = yaml("resources: {gpu_type: gb200, gpus_per_node: 4, agg_nodes: 2, agg_workers: 1,"
                + " gpus_per_agg: 8}");
        MatrixPoint point = disagg(DSV4, "fp4", "gb200", worker(1, 4, 1, false), worker(0, 4, 1, false), 8192, 1024);

        Topology t = TopologyCalculator.topology(point, profile("gb200-nv"), recipe);

        assertThat(t).isEqualTo(new Topology(0, 0, 0, 0, 1, 8, 2, 4));
    }

    @Test
    void decodeWorkersOnZeroDecodeNodesShareThePrefillNodesAndSize() {
        // srt-slurm: 6 prefill workers on 2 nodes (2 GPUs each) and 2 decode workers sized like them, on the same nodes
        ObjectNode recipe = yaml("resources: {gpus_per_node: 8, prefill_nodes: 2, decode_nodes: 0,"
                + " prefill_workers: 6, decode_workers: 2}");
        MatrixPoint point = disagg(DSV4, "fp8", "h100", worker(6, 2, 1, false), worker(2, 2, 1, false), 1024, 1024);

        Topology t = TopologyCalculator.topology(point, profile("h100-dgxc-slurm"), recipe);

        assertThat(t).isEqualTo(new Topology(6, 2, 2, 2, 0, 0, 2, 8));
    }
}
