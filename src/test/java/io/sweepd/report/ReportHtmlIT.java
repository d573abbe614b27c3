package io.sweepd.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sweepd.results.PointResult;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in real headless Chromium (Debian's package, installed by scripts/install-chromium.sh)
 * and checks that the charts render offline and actually put pixels on the screen. The report and the
 * screenshot (with the other report files and the DOM Chromium saw) are copied to target/report-html-it/ for a
 * human to look at.
 */
class ReportHtmlIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long BROWSER_TIMEOUT_SECONDS = 90;
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 2000;

    @TempDir
    Path tmp;

    @BeforeAll
    static void chromiumIsInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "no " + CHROMIUM + ": run scripts/install-chromium.sh (as root) to run the browser test");
    }

    @Test
    void chartsRenderOfflineInChromiumAndTheScreenshotShowsThem() throws Exception {
        // A new image: the H200 server got faster, the disaggregated H100 deployment slower (regressions).
        List<PointResult> points = Points.realisticSweep("run-3", 1.08, 0.93);
        List<PointResult> baseline = Points.realisticSweep("run-2", 1.0);
        Path reportDir = tmp.resolve("report");
        // The first job was retried: its failed first attempt must show in the jobs table and the timeline.
        List<JobTiming> jobs = Points.withRetriedFirstJob(Points.jobsOf(points));
        ReportWriter.WrittenReport report = ReportWriter.write(new ReportInput("dsr1 1k/1k: h200 vs h100 disagg", "run-3",
                Points.WHEN, true, points, baseline, "run-2", 0.05, java.util.Map.of(), jobs, RunHistory.NONE), reportDir);
        String url = report.html().toUri().toString();
        Path keep = Files.createDirectories(Path.of("target", "report-html-it"));
        for (Path file : List.of(report.html(), report.markdown(), report.csv(), report.json())) {
            Files.copy(file, keep.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }

        String dom = chromium(tmp.resolve("dom"), "--dump-dom", url);
        Files.writeString(keep.resolve("dom.html"), dom);

        String htmlTag = dom.substring(dom.indexOf("<html"), dom.indexOf('>', dom.indexOf("<html")) + 1);
        assertThat(htmlTag).doesNotContain("data-charts-error").contains("data-charts-ready=\"true\"");
        for (String id : List.of("chart-intvty-1", "chart-e2el-1")) {
            String container = element(dom, id);
            assertThat(container).as(id).contains("data-rendered=\"true\"").contains("<canvas");
        }
        // Self-contained: nothing in the rendered page refers to the network.
        assertThat(dom).doesNotContainPattern("<script[^>]*\\ssrc=");
        assertThat(dom).doesNotContainPattern("<link[^>]*\\shref=\"?https?:");
        assertThat(dom).doesNotContainPattern("<(img|iframe)[^>]*\\ssrc=\"?https?:");

        // The retried job: its earlier attempt is a row of its own, before the job's current row, with the diagnosis
        // and the rule its retry added; the results table's link leads to the job's row.
        String retried = jobs.get(0).jobKey();
        String earlierRow = dom.substring(dom.indexOf("<tr id=\"job-" + retried + "-a1\""));
        earlierRow = earlierRow.substring(0, earlierRow.indexOf("</tr>"));
        assertThat(earlierRow).contains("class=\"earlier\"", Points.FIRST_ATTEMPT_SLURM_ID, "OUT_OF_MEMORY",
                "CUDA out of memory while loading the weights", Points.RULE_ADDED);
        assertThat(dom.indexOf("<tr id=\"job-" + retried + "\"")).isGreaterThan(dom.indexOf(earlierRow));
        assertThat(dom).contains("href=\"#job-" + retried + "\"");

        selfTest(url, jobs.size() + 1, keep);
        overHttp(reportDir, keep);

        Path png = tmp.resolve("report.png");
        chromium(tmp.resolve("shot"), "--screenshot=" + png, url);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG at " + png).isNotNull();
        Files.copy(png, keep.resolve("report.png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);

        for (String id : List.of("chart-intvty-1", "chart-e2el-1")) {
            int[] rect = rect(element(dom, id));
            assertThat(rect[1] + rect[3]).as(id + " lies inside the screenshot").isLessThanOrEqualTo(HEIGHT);
            Pixels pixels = Pixels.count(image, rect);
            assertThat(pixels.nonWhiteShare()).as(id + " non-white share").isGreaterThan(0.015);
            assertThat(pixels.distinctColours()).as(id + " distinct colours").isGreaterThan(100);
            // Both configurations' lines are drawn in their palette colours.
            assertThat(pixels.near(0x2563eb)).as(id + " first series pixels").isGreaterThan(200);
            assertThat(pixels.near(0xea580c)).as(id + " second series pixels").isGreaterThan(200);
        }
        // The dashed frontier and its rings, in near-black, on the interactivity chart.
        assertThat(Pixels.count(image, rect(element(dom, "chart-intvty-1"))).near(0x111827)).isGreaterThan(150);
    }

    /**
     * Opened over HTTP (as the status server serves it), the job links lead to the server's URLs of the job's files,
     * not to the relative paths into the job directories, which only a file:// page can follow.
     */
    private void overHttp(Path reportDir, Path keep) throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = Files.readAllBytes(reportDir.resolve("report.html"));
        server.createContext("/reports/run-3/report.html", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (var body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        server.start();
        try {
            String dom = chromium(tmp.resolve("http"), "--dump-dom", "http://127.0.0.1:"
                    + server.getAddress().getPort() + "/reports/run-3/report.html");
            Files.writeString(keep.resolve("dom-http.html"), dom);
            java.util.regex.Matcher links = java.util.regex.Pattern
                    .compile("<a href=\"([^\"]*)\" data-served=\"([^\"]*)\"").matcher(dom);
            int count = 0;
            while (links.find()) {
                assertThat(links.group(1)).isEqualTo(links.group(2)).startsWith("/runs/run-3/jobs/");
                count++;
            }
            assertThat(count).as("job links on the page").isPositive();
        } finally {
            server.stop(0);
        }
    }

    /**
     * Loads the page with #selftest: its script clicks the Conc header, types into the results filter and unticks
     * the first hardware of the first chart group, and writes what the page did into the DOM, which is judged here.
     */
    private void selfTest(String url, int jobs, Path keep) throws Exception {
        String dom = chromium(tmp.resolve("selftest"), "--dump-dom", url + "#selftest");
        Files.writeString(keep.resolve("dom-selftest.html"), dom);
        // The last one: the page's own script mentions the element in a comment.
        int start = dom.lastIndexOf("<pre id=\"sweepd-selftest\">");
        assertThat(start).as("the self-test wrote its result").isNotNegative();
        String text = dom.substring(dom.indexOf('>', start) + 1, dom.indexOf("</pre>", start));
        var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        assertThat(result.has("error")).as("self-test error: " + result.path("error").asText()).isFalse();

        // A sort click reorders rows, numerically: 4, 8, 16 ... and not the text order 128, 16, 32, 4 ...
        assertThat(result.path("sortColumn").asText()).isEqualTo("Conc");
        List<Integer> before = ints(result.path("beforeSort"));
        List<Integer> after = ints(result.path("afterSort"));
        assertThat(after).isNotEqualTo(before).isSorted().containsExactlyInAnyOrderElementsOf(before);
        assertThat(result.path("sortState").asText()).isEqualTo("ascending");

        // The filter hides every row that does not contain the text, and keeps those that do.
        String query = result.path("filter").asText();
        assertThat(query).isNotBlank();
        long hidden = 0;
        for (var row : result.path("filterRows")) {
            boolean matches = row.path("config").asText().toLowerCase().contains(query.toLowerCase());
            assertThat(row.path("hidden").asBoolean()).as(row.path("config").asText()).isEqualTo(!matches);
            hidden += row.path("hidden").asBoolean() ? 1 : 0;
        }
        assertThat(hidden).as("rows the filter hid").isPositive();

        // Unticking a hardware hides its series on both charts and leaves the other hardware's shown.
        String off = result.path("toggledOff").asText();
        assertThat(off).isIn("h100", "h200");
        for (var selected : result.path("legendSelected")) {
            assertThat(selected.path("dsr1-fp8-h100-dynamo-sglang 1P(tp8) + 1D(tp8)").asBoolean())
                    .isEqualTo(!off.equals("h100"));
            assertThat(selected.path("dsr1-fp8-h200-sglang tp8").asBoolean()).isEqualTo(!off.equals("h200"));
        }
        // Interactivity (27 to 89 tok/s/user here) and latency lie far from 0: those axes are fitted and say so.
        // Throughput per GPU spans from near 0 to its peak: that axis starts at 0, without the note.
        for (var name : result.path("xAxisNames")) {
            assertThat(name.asText()).endsWith("axis not from 0");
        }
        for (var name : result.path("yAxisNames")) {
            assertThat(name.asText()).doesNotContain("not from 0");
        }
        // The timeline: one bar per attempt (every job's current one, and the retried job's first).
        assertThat(result.path("timelineBars").asInt()).isEqualTo(jobs);
        assertThat(dom).containsPattern("<rect class=\"tl-run completed\"[^>]*width=\"[1-9]");
    }

    private static List<Integer> ints(com.fasterxml.jackson.databind.JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(Integer.parseInt(v.asText())));
        return values;
    }

    /** Runs headless Chromium on the page with a fresh profile and no network, returns its stdout. */
    private String chromium(Path work, String mode, String url) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path profile = Files.createDirectories(work.resolve("profile"));
        Path out = work.resolve("stdout");
        Path err = work.resolve("stderr");
        List<String> argv = new ArrayList<>(List.of(CHROMIUM.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // Any fetch the page tried would go to a closed port: the charts must render without one.
                "--proxy-server=http://127.0.0.1:9",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000",
                "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars", "--force-device-scale-factor=1",
                mode, url));
        Process process = new ProcessBuilder(argv).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("chromium " + mode + " did not finish within " + BROWSER_TIMEOUT_SECONDS + " s; stderr:\n"
                        + tail(err));
            }
            if (process.exitValue() != 0) {
                fail("chromium " + mode + " exited with " + process.exitValue() + "; stderr:\n" + tail(err));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            // Chromium forks renderer, GPU and zygote processes: end all of ours, not just the parent.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String tail(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    /** The start tag and content of the element with this id, up to the next figure end. */
    private static String element(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertThat(start).as("element #" + id + " in the DOM").isNotNegative();
        int tagStart = dom.lastIndexOf('<', start);
        int end = dom.indexOf("</figure>", start);
        return dom.substring(tagStart, end < 0 ? dom.length() : end);
    }

    private static int[] rect(String element) {
        Matcher m = Pattern.compile("data-rect=\"(\\d+),(\\d+),(\\d+),(\\d+)\"").matcher(element);
        assertThat(m.find()).as("data-rect on " + element.substring(0, Math.min(200, element.length()))).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4))};
    }

    /** What is drawn inside one rectangle of the screenshot. */
    private record Pixels(int total, int nonWhite, Set<Integer> colours, List<Integer> rgb) {

        static Pixels count(BufferedImage image, int[] rect) {
            int x0 = Math.max(0, rect[0]);
            int y0 = Math.max(0, rect[1]);
            int x1 = Math.min(image.getWidth(), rect[0] + rect[2]);
            int y1 = Math.min(image.getHeight(), rect[1] + rect[3]);
            int total = 0;
            int nonWhite = 0;
            Set<Integer> colours = new HashSet<>();
            List<Integer> rgb = new ArrayList<>();
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    int c = image.getRGB(x, y) & 0xffffff;
                    total++;
                    colours.add(c);
                    rgb.add(c);
                    if (((c >> 16) & 0xff) < 235 || ((c >> 8) & 0xff) < 235 || (c & 0xff) < 235) {
                        nonWhite++;
                    }
                }
            }
            return new Pixels(total, nonWhite, colours, rgb);
        }

        double nonWhiteShare() {
            return total == 0 ? 0 : (double) nonWhite / total;
        }

        int distinctColours() {
            return colours.size();
        }

        /** Pixels within a small distance of this colour (anti-aliasing shifts line pixels a little). */
        long near(int colour) {
            int r = (colour >> 16) & 0xff;
            int g = (colour >> 8) & 0xff;
            int b = colour & 0xff;
            return rgb.stream().filter(c -> Math.abs(((c >> 16) & 0xff) - r) <= 24
                    && Math.abs(((c >> 8) & 0xff) - g) <= 24 && Math.abs((c & 0xff) - b) <= 24).count();
        }
    }
}
