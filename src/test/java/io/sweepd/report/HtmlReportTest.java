package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.List;
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
}
