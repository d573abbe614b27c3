package io.sweepd.web;

import java.time.Clock;
import java.util.Objects;

/**
 * What each URL of the status server answers, as {@link HttpReply}s: the routes in
 * {@code routes/status-http.camel.yaml} call one method per URL and copy the reply onto the response. An unknown
 * run, job or file is a 404 with a JSON error, never a stack trace or a path.
 */
public final class StatusEndpoints {

    private final StatusViews views;
    private final ServedFiles files;
    private final Clock clock;

    public StatusEndpoints(StatusViews views, ServedFiles files, Clock clock) {
        this.views = Objects.requireNonNull(views, "views");
        this.files = Objects.requireNonNull(files, "files");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code GET /}: the page listing every run. */
    public HttpReply index() {
        return HttpReply.ok(HttpReply.HTML, StatusPage.index(views.runs(), clock.instant()));
    }

    /** {@code GET /runs/{run}}: one run's page. */
    public HttpReply runPage(String run) {
        return views.run(run).map(detail -> HttpReply.ok(HttpReply.HTML, StatusPage.run(detail, clock.instant())))
                .orElseGet(() -> unknownRun(run));
    }

    /** {@code GET /api/runs}. */
    public HttpReply runs() {
        return HttpReply.ok(HttpReply.JSON, StatusJson.runs(views.runs()));
    }

    /** {@code GET /api/runs/{run}}. */
    public HttpReply run(String run) {
        return views.run(run).map(detail -> HttpReply.ok(HttpReply.JSON, StatusJson.run(detail)))
                .orElseGet(() -> unknownRun(run));
    }

    /** {@code GET /reports/{run}/{file}}: report.html, report.md, report.csv or report.json. */
    public HttpReply report(String run, String file) {
        return files.report(run, file).map(found -> HttpReply.file(found.file(), found.contentType(), null))
                .orElseGet(() -> HttpReply.notFound("no report file " + file + " for run " + run));
    }

    /** {@code GET /runs/{run}/jobs/{job}/{file}}: the job's failure.tar.gz or triage.json. */
    public HttpReply jobFile(String run, String job, String file) {
        return files.jobFile(run, job, file)
                .map(found -> HttpReply.file(found.file(), found.contentType(), found.disposition()))
                .orElseGet(() -> HttpReply.notFound("no file " + file + " for job " + job + " of run " + run));
    }

    private static HttpReply unknownRun(String run) {
        return HttpReply.notFound("no run named " + run);
    }
}
