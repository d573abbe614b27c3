package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static final String XSS_SCRIPT = "</script><script>alert('cfg')</script>";
    private static final String XSS_IMG = "<img src=x onerror=alert(1)>";

    private static String render(ReportInput input) {
        return HtmlReport.render(ReportModel.of(input));
    }

    private static String sweep() {
        return render(new ReportInput("dsr1 h100 vs h200", "run-3", Points.WHEN, true,
                Points.realisticSweep("run-3", 0.9), Points.realisticSweep("run-2", 1.0), "run-2", 0.05));
    }

    @Test
    void isSelfContainedWithEchartsDataCssAndScriptInlined() {
        String html = sweep();

        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).contains("<style>", ".chart-box", "id=\"sweepd-data\"", "window.sweepdChartsReady");
        assertThat(html).contains(HtmlReport.resource(HtmlReport.ECHARTS).substring(0, 2000));
        assertThat(html).containsPattern("Content-Security-Policy\" content=\"default-src 'none'");
        // Nothing is fetched: no src/href to anything but in-page anchors, no http(s) in script or link tags.
        String markup = markup(html);
        assertThat(markup).doesNotContainPattern("<(script|link|img|iframe)[^>]*\\s(src|href)=");
        assertThat(markup).doesNotContainPattern("<link");
        Matcher hrefs = Pattern.compile("href=\"([^\"]*)\"").matcher(markup);
        while (hrefs.find()) {
            assertThat(hrefs.group(1)).startsWith("#");
        }
    }

    @Test
    void chartContainersHaveStableIdsPerModelAndSequenceLength() {
        String html = sweep();

        assertThat(html).contains("<div class=\"chart\" id=\"chart-intvty-1\"", "<div class=\"chart\" id=\"chart-e2el-1\"");
        assertThat(html).doesNotContain("id=\"chart-intvty-2\"");
        assertThat(html).contains("<html lang=\"en\" data-charts-ready=\"false\">");
    }

    @Test
    void inlinedDataHasEverySeriesAndTheFrontier() throws Exception {
        JsonNode data = data(sweep());

        JsonNode group = data.get("groups").get(0);
        assertThat(group.get("intvtyChart").asText()).isEqualTo("chart-intvty-1");
        assertThat(group.get("series")).hasSize(2);
        assertThat(group.get("series").get(0).get("points")).hasSize(5);
        assertThat(group.get("frontier").size()).isBetween(1, 10);
        JsonNode point = group.get("series").get(0).get("points").get(0);
        assertThat(point.fieldNames()).toIterable().contains("conc", "shape", "tput", "intvty", "e2el", "gpus");
    }

    @Test
    void showsTablesProblemsWorkaroundsAndBaseline() {
        String html = markup(sweep());

        assertThat(html).containsSubsequence("id=\"summary\"", "id=\"charts\"", "id=\"baseline\"", "id=\"results\"",
                "id=\"problems\"", "id=\"workarounds\"");
        assertThat(html).contains("GPUs are counted from the real topology");
        assertThat(html).contains("<th class=\"num\">Tput/GPU (tok/s)</th>", "<td class=\"num\">8P / 8D</td>");
        assertThat(html).contains("Slurm: FAILED, ExitCode=1:0 after 00:41:12", "exceed 79.19 GiB usable on h100");
        assertThat(html).contains("<code>nvshmem-ipc-nccl-symm-mem</code>");
        // 10% slower per token everywhere: every matched point regressed, highlighted.
        assertThat(html).contains("<tr class=\"regressed\">", "<span class=\"delta worse\">−");
        assertThat(html).containsPattern("10 matched · <strong>10 regressed</strong>");
    }

    @Test
    void sweepTextIsEscapedEverywhereAndCannotInjectHtmlOrScript() throws Exception {
        List<PointResult> points = new ArrayList<>(Points.realisticSweep("run-3", 1.0));
        PointResult evil = Points.point("run-3", XSS_SCRIPT, "tp8 \"onmouseover=alert(2)", "h200" + XSS_IMG,
                1024, 1024, 8, "COMPLETED", 8, 0, 0, Points.metrics(1024, 1024, 8, 8, 0, 0, 10, 200));
        points.add(Points.withWorkarounds(evil, List.of(XSS_IMG)));
        points.add(Points.withState(Points.point("run-3", "cfg", "tp8", "h200", 1024, 1024, 16, "FAILED<b>", 8, 0, 0,
                null), XSS_IMG, "<!-- " + XSS_SCRIPT));

        String html = render(new ReportInput("<svg onload=alert(3)>", "run<i>", Points.WHEN, true, points,
                Points.realisticSweep("run-2", 1.0), "</title><script>alert(4)</script>", 0.05));

        assertThat(html).doesNotContain("<script>alert", "<img src=x", "<svg onload", "<b>", "<i>", "<!-- </script>");
        // In the data the quote is JSON-escaped; in the markup it must be an entity.
        assertThat(markup(html)).doesNotContain("\"onmouseover");
        assertThat(html).contains("&lt;/script&gt;&lt;script&gt;alert(&#39;cfg&#39;)&lt;/script&gt;",
                "&lt;img src=x onerror=alert(1)&gt;", "&lt;svg onload=alert(3)&gt;", "tp8 &quot;onmouseover=alert(2)");
        // Exactly the three script elements the page has: data, ECharts, the chart code.
        assertThat(Pattern.compile("<script[\\s>]").matcher(html).results().count()).isEqualTo(3);
        assertThat(Pattern.compile("</script>").matcher(html).results().count()).isEqualTo(3);
        // The data still holds the text unchanged for the charts (which escape it again in tooltips).
        assertThat(data(html).toString()).contains(XSS_SCRIPT);
    }

    /** The page without the bodies of its script elements (the inlined library and data). */
    private static String markup(String html) {
        return html.replaceAll("(?s)(<script[^>]*>).*?(</script>)", "$1$2");
    }

    private static JsonNode data(String html) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"sweepd-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).isTrue();
        return new ObjectMapper().readTree(m.group(1));
    }

    private static String section(String html, String id) {
        int start = html.indexOf("<section id=\"" + id + "\"");
        assertThat(start).as("section #" + id).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    @Test
    void reasonAndDiagnosisAreOneColumnShowingTheDiagnosisWithTheReasonInItsTooltip() {
        String problems = section(sweep(), "problems");

        assertThat(problems).contains("<th>Why</th>").doesNotContain("<th>Reason</th>", "<th>Diagnosis</th>");
        // The failed point: triage's diagnosis shown once, Slurm's reason behind it.
        assertThat(problems).contains("<td class=\"why\" title=\"Slurm: FAILED, ExitCode=1:0 after 00:41:12\">"
                + "torch.OutOfMemoryError in sparse_attn_indexer");
        // The refused point has a reason only: shown as the text.
        assertThat(problems).contains("<td class=\"why\">weights per rank 86.2 GB");
        assertThat(problems.split("OutOfMemoryError", -1)).hasSize(2);
    }

    @Test
    void everyJobHasItsSlurmIdNodesTimingGpuHoursAndRelativeLinksAndOneTimelineBar() {
        List<PointResult> points = Points.realisticSweep("run-3", 1.0);
        List<JobTiming> jobs = Points.jobsOf(points);
        String html = render(new ReportInput("s", "run-3", Points.WHEN, true, points, null, null, 0.05, Map.of(), jobs,
                RunHistory.NONE));

        String table = section(html, "jobs");
        assertThat(jobs).hasSize(2);
        for (JobTiming j : jobs) {
            String row = table.substring(table.indexOf("<tr id=\"job-" + j.jobKey() + "\">"));
            row = row.substring(0, row.indexOf("</tr>"));
            assertThat(row).contains("<td>" + j.slurmJobId(), HtmlReport.esc(j.nodes()));
            // Queued 2 minutes, ran 40; model load 5m 10s from the log.
            assertThat(row).contains("data-sort=\"120\">2m 00s<", "data-sort=\"2400\">40m 00s<", ">5m 10s<");
            // GPUs x 40 minutes: 8 GPUs -> 5.33, 16 GPUs -> 10.7 GPU-hours.
            assertThat(row).contains(j.gpus() == 8 ? ">5.33<" : ">10.7<");
            assertThat(row).contains("href=\"../../outputs/run-3/" + j.jobKey() + "/logs\"");
        }
        // The run's GPU-hours: 5.33 + 10.7.
        assertThat(section(html, "summary")).contains(">16.0</div><div class=\"label\">GPU-hours");
        // A point's share of its job: the H200 job's 5.33 GPU-hours over its five concurrencies.
        assertThat(section(html, "results")).contains(">1.07</td>");
        // What is unknown is a dash whose tooltip says why, never an empty one.
        assertThat(table).doesNotContain("title=\"\"");
        String timeline = section(html, "timeline");
        assertThat(timeline.split("<g class=\"tl-job\"", -1)).hasSize(jobs.size() + 1);
        assertThat(timeline.split("<rect class=\"tl-run completed\"", -1)).hasSize(jobs.size() + 1);
    }

    @Test
    void aRetriedJobShowsItsFailedFirstAttemptAsAnEarlierRowWithDiagnosisRuleAddedLinksAndATimelineBar() {
        List<PointResult> points = Points.realisticSweep("run-3", 1.0);
        List<JobTiming> jobs = Points.withRetriedFirstJob(Points.jobsOf(points));
        JobTiming retried = jobs.get(0);
        String html = render(new ReportInput("s", "run-3", Points.WHEN, true, points, null, null, 0.05, Map.of(), jobs,
                RunHistory.NONE));

        String table = section(html, "jobs");
        int earlierAt = table.indexOf("<tr id=\"job-" + retried.jobKey() + "-a1\" class=\"earlier\"");
        int currentAt = table.indexOf("<tr id=\"job-" + retried.jobKey() + "\">");
        assertThat(earlierAt).as("the earlier attempt has a row of its own").isNotNegative();
        assertThat(currentAt).as("oldest first: the failure, then the retry").isGreaterThan(earlierAt);
        String row = table.substring(earlierAt, table.indexOf("</tr>", earlierAt));
        assertThat(row).contains(Points.FIRST_ATTEMPT_SLURM_ID, "OUT_OF_MEMORY", "gpu-node[9-10]",
                "data-sort=\"60\">1m 00s<", "data-sort=\"600\">10m 00s<",
                "CUDA out of memory while loading the weights", "title=\"OutOfMemory (exit 137)\"",
                "retried with <code>" + Points.RULE_ADDED + "</code> added",
                "href=\"../../outputs/run-3/" + retried.jobKey() + "/attempts/attempt-1/failure.tar.gz\"");
        // 8 or 16 GPUs for 10 minutes.
        assertThat(row).contains(retried.gpus() == 8 ? ">1.33<" : ">2.67<");
        // The results table links the retried job's points to its current row, which exists.
        assertThat(section(html, "results")).contains("href=\"#job-" + retried.jobKey() + "\"");
        String timeline = section(html, "timeline");
        assertThat(timeline.split("<g class=\"tl-job earlier\"", -1)).hasSize(2);
        assertThat(timeline).contains(Points.FIRST_ATTEMPT_SLURM_ID + " " + retried.label().substring(0, 10));
    }

    @Test
    void theHistoryShowsEachRunsPeakWithThisRunMarked() {
        List<PointResult> points = Points.realisticSweep("run-3", 1.1);
        RunHistory history = RunHistory.of(List.of(
                RunHistory.entry("run-2", Points.WHEN.minusSeconds(86400), false, Points.realisticSweep("run-2", 1.0), 15.0),
                RunHistory.entry("run-3", Points.WHEN, true, points, 16.0)));
        String html = render(new ReportInput("s", "run-3", Points.WHEN, true, points, null, null, 0.05, Map.of(), List.of(),
                history));

        String section = section(html, "history");
        assertThat(section.split("<tr", -1)).as("a header and two runs").hasSize(4);
        assertThat(section).contains("<code>run-2</code></td>", "<code>run-3</code> <span class=\"dim\">(this run)");
        assertThat(section).contains(HtmlReport.esc(Points.MODEL + " · 1k/1k"));
        assertThat(section.indexOf("run-2")).isLessThan(section.indexOf("run-3"));
    }
}
