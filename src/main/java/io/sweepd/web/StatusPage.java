package io.sweepd.web;

import io.sweepd.jobs.SweepStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status page: HTML rendered here, every value from the ledger escaped, so it reads without JavaScript and
 * with curl. Self-contained (CSS and script inlined, a Content-Security-Policy that allows only requests to this
 * server), it then refreshes itself: its script fetches the JSON API every few seconds and rebuilds the same
 * markup from it (with DOM text nodes, never HTML strings), so the page follows the daemon without reloading.
 * The markup's class names and data attributes are the contract between this class, status.js and the tests.
 */
public final class StatusPage {

    static final String CSS = "web/status.css";
    static final String SCRIPT = "web/status.js";
    /** How often the page asks the API again. */
    public static final int REFRESH_MS = 5000;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(16 << 10);

    private StatusPage() {
    }

    /** {@code /}: every run, newest first. */
    public static String index(List<StatusViews.RunView> runs, Instant now) {
        StatusPage page = new StatusPage();
        page.open("sweepd status", "/api/runs", now);
        if (runs.isEmpty()) {
            page.out.append("<p class=\"empty\">No runs yet: drop a sweep into the inbox or run sweepd submit.</p>\n");
        }
        for (StatusViews.RunView run : runs) {
            page.runCard(run, true);
        }
        page.close();
        return page.out.toString();
    }

    /** {@code /runs/{run}}: one run, its jobs and its points. */
    public static String run(StatusViews.RunDetail detail, Instant now) {
        StatusPage page = new StatusPage();
        page.open("sweepd status: " + detail.run().runId(), "/api/runs/" + StatusViews.segment(detail.run().runId()),
                now);
        page.runCard(detail.run(), false);
        page.jobsTable(detail.jobs());
        page.refusedTable(detail.points());
        page.close();
        return page.out.toString();
    }

    private void open(String title, String api, Instant now) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\" data-refreshes=\"0\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; connect-src 'self'; "
                + "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n");
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.append("<title>").append(esc(title)).append("</title>\n");
        out.append("<style>\n").append(resource(CSS)).append("</style>\n</head>\n");
        out.append("<body data-api=\"").append(esc(api)).append("\" data-refresh-ms=\"").append(REFRESH_MS)
                .append("\">\n");
        out.append("<header><h1><a href=\"/\">sweepd</a> status</h1><span id=\"updated\">as of ")
                .append(esc(TIME.format(now))).append("</span></header>\n<main id=\"content\">\n");
    }

    private void close() {
        out.append("</main>\n<script>\n").append(resource(SCRIPT)).append("</script>\n</body>\n</html>\n");
    }

    private void runCard(StatusViews.RunView run, boolean linkToRun) {
        int percent = (int) Math.floor(run.progress() * 100);
        out.append("<article class=\"run\" data-run=\"").append(esc(run.runId())).append("\">\n<h2>");
        if (linkToRun) {
            out.append("<a href=\"").append(esc(run.page())).append("\">").append(esc(run.runId())).append("</a>");
        } else {
            out.append(esc(run.runId()));
        }
        out.append(" <span class=\"run-state ").append(esc(run.state())).append("\">").append(esc(run.state()))
                .append("</span></h2>\n");
        out.append("<div class=\"bar").append(run.jobs() == run.endedJobs() ? " done" : "")
                .append("\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"100\" aria-valuenow=\"")
                .append(percent).append("\" data-progress=\"").append(percent).append("\"><span style=\"width:")
                .append(percent).append("%\"></span></div>\n");
        out.append("<p class=\"summary\">").append(run.endedJobs()).append(" of ").append(run.jobs())
                .append(" jobs ended (").append(percent).append("%) · ").append(run.points()).append(" points, ")
                .append(run.refusedPoints()).append(" refused");
        if (run.report() != null) {
            out.append(" · <a class=\"report\" href=\"").append(esc(run.report())).append("\">report</a>");
        }
        out.append("</p>\n<ul class=\"counts\">");
        for (Map.Entry<String, Integer> count : run.jobsByState().entrySet()) {
            out.append("<li class=\"state-").append(esc(count.getKey())).append("\" data-state=\"")
                    .append(esc(count.getKey())).append("\">").append(esc(count.getKey())).append(" <b>")
                    .append(count.getValue()).append("</b></li>");
        }
        out.append("</ul>\n</article>\n");
    }

    private void jobsTable(List<StatusViews.JobView> jobs) {
        out.append("<table class=\"jobs\">\n<thead><tr><th>job</th><th>Slurm id</th><th>state</th><th>phase</th>"
                + "<th>reason</th><th>elapsed</th><th>attempt</th><th>points</th><th>files</th></tr></thead>\n<tbody>");
        for (StatusViews.JobView job : jobs) {
            out.append("<tr data-job=\"").append(esc(job.jobKey())).append("\"><td><code>").append(esc(job.jobKey()))
                    .append("</code></td><td>").append(esc(orDash(job.slurmJobId()))).append("</td><td class=\"state-")
                    .append(esc(job.state())).append("\">").append(esc(job.state())).append("</td><td class=\"phase\">")
                    .append(esc(job.phaseLabel())).append("</td><td class=\"reason\">").append(esc(orDash(job.reason())))
                    .append("</td><td class=\"num\">").append(esc(elapsed(job.elapsedSeconds())))
                    .append("</td><td class=\"num\">").append(job.attempt()).append("</td><td>")
                    .append(job.points().size()).append("</td><td>");
            if (job.archive() != null) {
                out.append("<a class=\"archive\" href=\"").append(esc(job.archive())).append("\">failure.tar.gz</a> ");
            }
            if (job.triage() != null) {
                out.append("<a class=\"triage\" href=\"").append(esc(job.triage())).append("\">triage.json</a>");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private void refusedTable(List<SweepStatus.Row> points) {
        List<SweepStatus.Row> refused = points.stream().filter(p -> "REFUSED".equals(p.state())).toList();
        if (refused.isEmpty()) {
            return;
        }
        out.append("<table class=\"refused\">\n<thead><tr><th>refused point</th><th>reason</th></tr></thead>\n<tbody>");
        for (SweepStatus.Row point : refused) {
            out.append("<tr><td><code>").append(esc(point.point())).append("</code></td><td class=\"reason\">")
                    .append(esc(orDash(point.reason()))).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** 42s, 3m 05s, 2h 07m: the same words status.js writes. */
    static String elapsed(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    private static String orDash(String text) {
        return text == null || text.isBlank() ? "-" : text;
    }

    /** Text and attribute values alike (attributes are always double-quoted here). */
    static String esc(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = StatusPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
