package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private static String render(ReportInput input) {
        return MarkdownReport.render(ReportModel.of(input));
    }

    private static String sweep() {
        return render(ReportInput.of("dsr1 h100 vs h200", "run-2", Points.WHEN, true, Points.realisticSweep("run-2", 1.0)));
    }

    @Test
    void titleAndSummaryNameTheSweepRunCountsGpusAndTime() {
        String md = sweep();

        assertThat(md).startsWith("# Sweep report: dsr1 h100 vs h200 — run run-2\n");
        assertThat(md).contains("| Points completed | 10 |", "| Points invalid | 0 |", "| Points failed | 1 |",
                "| Points refused | 1 |", "| Points in total | 12 |", "| GPUs per point | 8–16 |",
                "| Hardware | h100, h200 |", "| Generated | 2025-06-01 12:34:56 UTC |");
        assertThat(md).doesNotContain("Points pending");
    }

    @Test
    void everySectionIsThereInOrder() {
        String md = render(new ReportInput("s", "run-3", Points.WHEN, true, Points.realisticSweep("run-3", 0.9),
                Points.realisticSweep("run-2", 1.0), "run-2", 0.05));

        assertThat(md).containsSubsequence("## Summary", "## Results", "GPUs are counted from the real topology",
                "### deepseek-ai/DeepSeek-R1-0528 · h100 · 1k/1k", "### deepseek-ai/DeepSeek-R1-0528 · h200 · 1k/1k",
                "### Pareto frontier", "## Failed, refused and invalid points", "## Workarounds applied",
                "## Compared with baseline run run-2", "### Regressions", "### All matched points");
    }

    @Test
    void tablesHaveTheAgreedColumnsAndSensiblyRoundedNumbers() {
        Map<String, Object> m = Map.of("tput_per_gpu", 12345.678, "output_tput_per_gpu", 6172.5,
                "median_intvty", 42.6666, "p99_intvty", 7.891, "median_ttft", 0.41234, "p99_ttft", 1.23456,
                "median_e2el", 123.456);
        PointResult p = Points.point("run-2", "dsr1-fp8-h200-sglang", "tp8", "h200", 1024, 1024, 64, "COMPLETED",
                8, 0, 0, m);

        String md = render(ReportInput.of("s", "run-2", Points.WHEN, true, List.of(p)));

        assertThat(md).contains("| Configuration | Shape | Conc | Tput/GPU (tok/s) | Output tput/GPU (tok/s) | "
                + "Interactivity median (tok/s/user) | Interactivity at p99 TPOT (tok/s/user) | TTFT median (s) | "
                + "TTFT p99 (s) | E2E median (s) | GPUs (P / D or total) | State |");
        assertThat(md).contains("| dsr1-fp8-h200-sglang | tp8 | 64 | 12,346 | 6,173 | 42.7 | 7.89 | 0.412 | 1.23 | "
                + "123 | 8 | COMPLETED |");
    }

    @Test
    void disaggregatedPointsShowPrefillAndDecodeGpusAndFailedOnesADash() {
        String md = sweep();

        assertThat(md).contains("| dsr1-fp8-h100-dynamo-sglang | 1P(tp8) + 1D(tp8) | 128 | — | — | — | — | — | — | — "
                + "| 8P / 8D | FAILED |");
    }

    @Test
    void problemsListReasonAndDiagnosis() {
        String md = sweep();

        assertThat(md).contains("| FAILED | dsr1-fp8-h100-dynamo-sglang 1P(tp8) + 1D(tp8) · deepseek-ai/DeepSeek-R1-0528 "
                + "· 1k/1k · conc 128 | Slurm: FAILED, ExitCode=1:0 after 00:41:12 | torch.OutOfMemoryError in "
                + "sparse_attn_indexer during warm-up: lower gpu-memory-utilization to 0.85 |");
        assertThat(md).contains("| REFUSED | dsr1-fp8-h100-sglang tp8", "exceed 79.19 GiB usable on h100 | — |");
    }

    @Test
    void workaroundsAreListedPerConfiguration() {
        String md = sweep();

        assertThat(md).contains("- dsr1-fp8-h100-dynamo-sglang 1P(tp8) + 1D(tp8) 1024/1024: "
                + "shared-storage-long-load-deadline, nvshmem-ipc-nccl-symm-mem");
        assertThat(md).contains("- dsr1-fp8-h200-sglang tp8 1024/1024: sglang-disable-cuda-graph-padding");
    }

    @Test
    void baselineSectionFlagsRegressionsInBold() {
        List<PointResult> baseline = Points.realisticSweep("run-2", 1.0);
        List<PointResult> current = new ArrayList<>(Points.realisticSweep("run-3", 1.0));
        // One point 10% slower per token: less interactivity and less throughput.
        current.set(0, Points.withMetrics(current.get(0), Points.metrics(1024, 1024, 4, 8, 0, 0,
                (9.5 + 4 * 0.42) * 1.1, 180 + 4 * 9)));

        String md = render(new ReportInput("s", "run-3", Points.WHEN, true, current, baseline, "run-2", 0.05));

        assertThat(md).contains("Tolerance 5.0%", "10 matched, **1 regressed**, 0 newly failed, 0 disappeared, 0 new.");
        assertThat(md).containsPattern("\\| dsr1-fp8-h200-sglang tp8 · [^|]+ · conc 4 \\| [\\d,.]+ → [\\d,.]+ \\| −\\d+\\.\\d% \\|");
        assertThat(md).contains("| **tput_per_gpu, median_intvty** |");
    }

    @Test
    void sweepTextCannotBreakTablesOrSmuggleHtml() {
        PointResult p = Points.withState(Points.point("run-2", "evil|<script>alert(1)</script>", "tp8", "h200", 1024,
                1024, 4, "FAILED", 8, 0, 0, null), "a | b\nc `code` [link](x) *em*", "<img src=x onerror=alert(1)>");

        String md = render(ReportInput.of("<b>sweep</b>", "run|2", Points.WHEN, true, List.of(p)));

        // No unescaped angle bracket anywhere: no tag can open.
        assertThat(md).doesNotContainPattern("(?<!\\\\)[<>]");
        assertThat(md).contains("\\<b\\>sweep\\</b\\>", "run\\|2", "evil\\|\\<script\\>alert(1)\\</script\\>",
                "a \\| b c \\`code\\` \\[link\\](x) \\*em\\*", "\\<img src=x onerror=alert(1)\\>");
        // Every row of the problems table still has exactly five unescaped pipes (four cells).
        md.lines().filter(l -> l.startsWith("| FAILED")).forEach(l ->
                assertThat(l.replace("\\|", "").chars().filter(ch -> ch == '|').count()).isEqualTo(5));
    }
    private static ReportInput withJobsAndHistory() {
        List<PointResult> points = Points.realisticSweep("run-3", 1.1);
        RunHistory history = RunHistory.of(List.of(
                RunHistory.entry("run-2", Points.WHEN.minusSeconds(86400), false, Points.realisticSweep("run-2", 1.0), 15.0),
                RunHistory.entry("run-3", Points.WHEN, true, points, 16.0)));
        return new ReportInput("s", "run-3", Points.WHEN, true, points, null, null, 0.05, Map.of(),
                Points.withRetriedFirstJob(Points.jobsOf(points)), history);
    }

    @Test
    void slurmJobsAndTheHistoryOfTheSweepAreSectionsWithTimingAndGpuHours() {
        ReportInput input = withJobsAndHistory();
        JobTiming retried = input.jobTimings().get(0);

        String md = render(input);

        assertThat(md).contains("## Slurm jobs", "## History of this sweep", "| GPU-hours (GPUs × run time, every attempt) |");
        String jobs = md.substring(md.indexOf("## Slurm jobs"), md.indexOf("## History of this sweep"));
        assertThat(jobs).contains("| " + retried.jobKey() + " |", "| " + retried.slurmJobId() + " | 2 | COMPLETED | ",
                "| 2m 00s | 40m 00s | 5m 10s |", "of them in attempts a retry followed");
        String history = md.substring(md.indexOf("## History of this sweep"));
        assertThat(history).contains("| run-2 |", "| run-3 (this run) |", "| 15.0 |");
        assertThat(history.indexOf("run-2")).isLessThan(history.indexOf("run-3"));
    }
}
