package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepd.results.PointResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A sweep's runs reduced to their headline: peak throughput per GPU per model and sequence lengths. */
class RunHistoryTest {

    private static final String GROUP = Points.MODEL + " · 1k/1k";

    @Test
    void anEntrysGroupsAreInTitleOrderWhateverMapCameIn() {
        java.util.Map<String, Double> peaks = new java.util.HashMap<>();
        for (String group : List.of("org/qwen3 · 8k/1k", "org/dsr1 · 1k/1k", "org/kimik2 · 1k/8k",
                "org/dsr1 · 1k/8k")) {
            peaks.put(group, 1.0);
        }
        RunHistory.Entry e = new RunHistory.Entry("run-1", Points.WHEN, false, 1, 0, peaks, null);

        assertThat(e.peakTputPerGpu().keySet()).as("report.json's history is the same in every process")
                .containsExactly("org/dsr1 · 1k/1k", "org/dsr1 · 1k/8k", "org/kimik2 · 1k/8k", "org/qwen3 · 8k/1k");
    }

    @Test
    void anEntryHoldsThePeakThroughputPerGroupAndCountsCompletedAndFailedButNotRefused() {
        List<PointResult> points = Points.realisticSweep("run-3", 1.0);

        RunHistory.Entry e = RunHistory.entry("run-3", Points.WHEN, true, points, 12.5);

        double peak = points.stream().filter(p -> "COMPLETED".equals(p.state()))
                .mapToDouble(p -> ReportMetric.TPUT_PER_GPU.of(p)).max().orElseThrow();
        assertThat(e.peakTputPerGpu()).containsOnlyKeys(GROUP);
        assertThat(e.peakTputPerGpu().get(GROUP)).isEqualTo(peak);
        assertThat(e.completed()).isEqualTo(10);
        assertThat(e.unsuccessful()).as("the failed point; the refused one never ran").isEqualTo(1);
        assertThat(e.gpuHours()).isEqualTo(12.5);
    }

    @Test
    void aFasterRunHasTheHigherPeakAndRunsAreOrderedOldestFirstWithThisRunLast() {
        RunHistory.Entry older = RunHistory.entry("run-1", Points.WHEN.minusSeconds(172800), false,
                Points.realisticSweep("run-1", 0.8), null);
        RunHistory.Entry previous = RunHistory.entry("run-2", Points.WHEN.minusSeconds(86400), false,
                Points.realisticSweep("run-2", 1.0), null);
        RunHistory.Entry current = RunHistory.entry("run-3", Points.WHEN, true, Points.realisticSweep("run-3", 1.1), null);

        RunHistory h = RunHistory.of(List.of(current, previous, older));

        assertThat(h.runs()).extracting(RunHistory.Entry::runId).containsExactly("run-1", "run-2", "run-3");
        assertThat(h.groups()).containsExactly(GROUP);
        assertThat(older.peakTputPerGpu().get(GROUP)).isLessThan(previous.peakTputPerGpu().get(GROUP));
        assertThat(previous.peakTputPerGpu().get(GROUP)).isLessThan(current.peakTputPerGpu().get(GROUP));
    }

    @Test
    void aGroupOnlySomeRunsMeasuredIsAColumnAndARunWithoutEarlierOnesHasNoHistory() {
        List<PointResult> eightK = new ArrayList<>();
        eightK.add(Points.point("run-3", "dsr1-fp8-h200-sglang", "tp8", "h200", 8192, 1024, 4, "COMPLETED", 8, 0, 0,
                Points.metrics(8192, 1024, 4, 8, 0, 0, 12, 900)));
        RunHistory.Entry previous = RunHistory.entry("run-2", Points.WHEN.minusSeconds(60), false,
                Points.realisticSweep("run-2", 1.0), null);
        RunHistory.Entry current = RunHistory.entry("run-3", Points.WHEN, true, eightK, null);

        RunHistory h = RunHistory.of(List.of(previous, current));

        assertThat(h.groups()).containsExactly(GROUP, Points.MODEL + " · 8k/1k");
        assertThat(current.peakTputPerGpu()).doesNotContainKey(GROUP);
        assertThat(RunHistory.of(List.of(current))).isEqualTo(RunHistory.NONE);
    }
}
