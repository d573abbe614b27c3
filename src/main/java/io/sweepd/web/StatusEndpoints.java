package io.sweepd.web;

import io.sweepd.report.JobFileUrls;

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

    /** {@code GET /runs/{run}/jobs/{job}/{file}}: the job's failure.tar.gz or triage.json, or its logs listing. */
    public HttpReply jobFile(String run, String job, String file) {
        if (JobFileUrls.LOGS.equals(file)) {
            return logsListing(run, job, null);
        }
        return files.jobFile(run, job, file)
                .map(found -> HttpReply.file(found.file(), found.contentType(), found.disposition()))
                .orElseGet(() -> HttpReply.notFound("no file " + file + " for job " + job + " of run " + run));
    }

    /** {@code GET /runs/{run}/jobs/{job}/logs/{file}}: a file of the job's logs/ (the report's "Slurm log"). */
    public HttpReply jobLog(String run, String job, String file) {
        return attemptLog(run, job, null, file);
    }

    /**
     * {@code GET /runs/{run}/jobs/{job}/attempts/{attempt}/{file}}: an earlier attempt's failure.tar.gz or
     * triage.json, or its logs listing.
     */
    public HttpReply attemptFile(String run, String job, String attempt, String file) {
        if (JobFileUrls.LOGS.equals(file)) {
            return logsListing(run, job, attempt);
        }
        return files.earlierAttemptFile(run, job, attempt, file)
                .map(found -> HttpReply.file(found.file(), found.contentType(), found.disposition()))
                .orElseGet(() -> HttpReply.notFound("no file " + file + " for attempt " + attempt + " of job " + job
                        + " of run " + run));
    }

    /** {@code GET /runs/{run}/jobs/{job}/attempts/{attempt}/logs/{file}}. */
    public HttpReply attemptLog(String run, String job, String attempt, String file) {
        return files.jobLog(run, job, attempt, file)
                .map(found -> HttpReply.file(found.file(), found.contentType(), null))
                .orElseGet(() -> HttpReply.notFound("no log " + file + " for " + (attempt == null ? ""
                        : "attempt " + attempt + " of ") + "job " + job + " of run " + run));
    }

    /** The files of a logs/ folder as links, for the report's "logs/" link (a folder has no page of its own). */
    private HttpReply logsListing(String run, String job, String attempt) {
        return files.jobLogNames(run, job, attempt)
                .map(names -> HttpReply.ok(HttpReply.HTML, listing(run, job, attempt, names)))
                .orElseGet(() -> HttpReply.notFound("no logs for " + (attempt == null ? ""
                        : "attempt " + attempt + " of ") + "job " + job + " of run " + run));
    }

    /** A plain page of links (no script, no fetch): each name goes to the file's own URL. */
    private static String listing(String run, String job, String attempt, java.util.List<String> names) {
        Integer number = attempt == null ? null : Integer.valueOf(attempt);
        String title = "logs of job " + job + (attempt == null ? "" : ", attempt " + attempt) + " of run " + run;
        StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\n<title>")
                .append(StatusPage.esc(title)).append("</title>\n</head>\n<body>\n<h1>")
                .append(StatusPage.esc(title)).append("</h1>\n");
        if (names.isEmpty()) {
            page.append("<p>No files.</p>\n");
        } else {
            page.append("<ul>\n");
            for (String name : names) {
                page.append("<li><a href=\"").append(StatusPage.esc(JobFileUrls.log(run, job, number, name)))
                        .append("\">").append(StatusPage.esc(name)).append("</a></li>\n");
            }
            page.append("</ul>\n");
        }
        return page.append("</body>\n</html>\n").toString();
    }

    private static HttpReply unknownRun(String run) {
        return HttpReply.notFound("no run named " + run);
    }
}
