package io.sweepd.results;

import io.sweepd.core.ResultFileName;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.sweepd.results.TestPoints.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PointSpecTest {

    @Test
    void readsASingleNodePointAsPlanJsonWritesIt() {
        PointSpec p = spec(TestPoints.dpAttention("dsr1-c256", "j2", 256));

        assertThat(p.pointId()).isEqualTo("dsr1-c256");
        assertThat(p.jobKey()).isEqualTo("j2");
        assertThat(p.multinode()).isFalse();
        assertThat(p.tp()).isEqualTo(8);
        assertThat(p.ep()).isEqualTo(8);
        assertThat(p.dpAttn()).isTrue();
        assertThat(p.conc()).containsExactly(256);
        assertThat(p.topology()).isEqualTo(new PointSpec.PlanTopology(1, 8, 0, 0, 0, 0));
        assertThat(p.shape()).isEqualTo("tp8 ep8 dpa");
        assertThat(p.runEval()).isFalse();
        assertThat(p.evalConc()).isNull();
    }

    @Test
    void readsAMultinodePointWithItsWorkersConcurrencyListAndEvalConcurrency() {
        PointSpec p = spec(TestPoints.disagg("dsr1-1p1d", "j4", List.of(256, 512, 1024), 1, 2, 512));

        assertThat(p.multinode()).isTrue();
        assertThat(p.disagg()).isTrue();
        assertThat(p.tp()).isNull();
        assertThat(p.prefill()).isEqualTo(new PointSpec.Worker(1, 16, 16, true));
        assertThat(p.decode()).isEqualTo(new PointSpec.Worker(2, 16, 16, true));
        assertThat(p.conc()).containsExactly(256, 512, 1024);
        assertThat(p.runEval()).isTrue();
        assertThat(p.evalConc()).isEqualTo(512);
        assertThat(p.topology()).isEqualTo(new PointSpec.PlanTopology(6, 48, 1, 16, 2, 32));
        assertThat(p.shape()).isEqualTo("1P(tp16 ep16 dpa) + 2D(tp16 ep16 dpa)");
        assertThat(p.workarounds()).containsExactly("dsr1-h100-nvshmem-ipc");
    }

    @Test
    void aRunEvalPointWithoutEvalConcEvaluatesAtItsHighestConcurrency() {
        Map<String, Object> single = TestPoints.singleNode("c64", "j", 8, 1, false, 64, 8);
        single.put("run-eval", true);
        assertThat(spec(single).evalConc()).isEqualTo(64);

        Map<String, Object> multi = TestPoints.disagg("m", "j", List.of(256, 512), 1, 1, null);
        multi.put("run-eval", true);
        assertThat(spec(multi).evalConc()).isEqualTo(512);
    }

    @Test
    void multinodeAggregatedWorkersAreShownAsCountTimesShape() {
        Map<String, Object> point = TestPoints.disagg("agg", "j", List.of(64), 1, 2, null);
        point.put("disagg", false);

        assertThat(spec(point).shape()).isEqualTo("2x(tp16 ep16 dpa)");
    }

    @Test
    void aSparsePointStillReads() {
        PointSpec p = PointSpec.fromJson("{\"point-id\": \"a-c4\"}");

        assertThat(p.pointId()).isEqualTo("a-c4");
        assertThat(p.conc()).isEmpty();
        assertThat(p.topology()).isNull();
        assertThat(p.specDecoding()).isEqualTo("none");
        assertThat(p.shape()).isEqualTo("tp1");
        assertThat(p.workarounds()).isEmpty();
        assertThatThrownBy(() -> PointSpec.fromJson("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PointSpec.fromJson("{")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gpuCountsOfAFileMustBeThePlannedLayout() {
        PointSpec disagg = spec(TestPoints.disagg("d", "j", List.of(64), 1, 1, null));
        PointSpec single = spec(TestPoints.singleNode("s", "j", 8, 1, false, 64, 8));
        ResultFileName agg32 = ResultFileName.parse("results_concurrency_64_gpus_32.json").orElseThrow();
        ResultFileName split = ResultFileName.parse("results_concurrency_64_gpus_32_ctx_16_gen_16.json").orElseThrow();
        ResultFileName shifted = ResultFileName.parse("results_concurrency_64_gpus_32_ctx_8_gen_24.json").orElseThrow();
        ResultFileName split8 = ResultFileName.parse("results_concurrency_64_gpus_8_ctx_4_gen_4.json").orElseThrow();

        assertThat(GpuCount.mismatch(disagg, split)).isEmpty();
        assertThat(GpuCount.mismatch(disagg, agg32)).contains("results_concurrency_64_gpus_32.json names 32 GPUs, "
                + "but point d was planned on 32 GPUs (16 prefill + 16 decode)");
        assertThat(GpuCount.mismatch(disagg, shifted)).isPresent();
        assertThat(GpuCount.mismatch(single, split8)).contains("results_concurrency_64_gpus_8_ctx_4_gen_4.json names "
                + "8 GPUs (4 prefill + 4 decode), but point s was planned on 8 GPUs");
        assertThat(GpuCount.of(single, split8)).contains(new GpuCount(0, 0, 8, GpuCount.TOPOLOGY));
    }
}
