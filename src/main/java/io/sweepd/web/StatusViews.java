package io.sweepd.web;

import io.sweepd.jobs.FailureArchiver;
import io.sweepd.jobs.JobPhases;
import io.sweepd.jobs.SweepStatus;
import io.sweepd.ledger.RunRecord;
import io.sweepd.report.ReportWriter;
import io.sweepd.results.TriageNote;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the status page and the JSON API show, built once from {@link SweepStatus} so both say the same: a view
 * per run (counts per state, progress, links), and for one run its jobs (state, phase, reason, elapsed, archive
 * link) and points. The JSON API serializes these records as they are.
 */
public final class StatusViews {

    /** One run at a glance. {@code report} is the report page's URL once the report exists, else null. */
    public record RunView(String runId, String sweep, String state, Instant createdAt, Instant finishedAt, int jobs,
                          int endedJobs, int points, int refusedPoints, double progress,
                          Map<String, Integer> jobsByState, String page, String report) {
    }

    /** One job. {@code archive}/{@code triage} are URLs of its failure.tar.gz and triage.json when they exist. */
    public record JobView(String jobKey, String slurmJobId, String state, String phase, String phaseLabel,
                          String reason, Long elapsedSeconds, int attempt, List<String> points, String archive,
                          String triage) {
    }

    /** One run in full: what {@code GET /api/runs/{run}} answers. */
    public record RunDetail(RunView run, List<JobView> jobs, List<SweepStatus.Row> points) {
    }

    private final SweepStatus status;
    private final JobPhases phases;
    private final ServedFiles files;

    public StatusViews(SweepStatus status, JobPhases phases, ServedFiles files) {
        this.status = Objects.requireNonNull(status, "status");
        this.phases = Objects.requireNonNull(phases, "phases");
        this.files = Objects.requireNonNull(files, "files");
    }

    /** Every run, newest first. */
    public List<RunView> runs() {
        return status.summaries().stream().map(this::view).toList();
    }

    /** The run a run id (or a sweep name: its latest run) names. */
    public Optional<RunDetail> run(String runOrSweep) {
        return status.resolveRun(runOrSweep).map(this::detail);
    }

    private RunDetail detail(RunRecord run) {
        List<JobView> jobs = status.jobRows(run, phases).stream().map(row -> jobView(run, row)).toList();
        return new RunDetail(view(status.summary(run)), jobs, status.rows(run));
    }

    private RunView view(SweepStatus.RunSummary summary) {
        RunRecord run = summary.run();
        Map<String, Integer> byState = new LinkedHashMap<>();
        summary.jobsByState().forEach((state, n) -> byState.put(state.name(), n));
        return new RunView(run.runId(), run.sweepName(), run.state().name(), run.createdAt(), run.finishedAt(),
                summary.jobs(), summary.endedJobs(), summary.points(), summary.refusedPoints(), summary.progress(),
                byState, runPage(run.runId()),
                files.hasReport(run.runId()) ? reportUrl(run.runId()) : null);
    }

    private JobView jobView(RunRecord run, SweepStatus.JobRow row) {
        return new JobView(row.jobKey(), row.slurmJobId(), row.state().name(), row.phase().name(), row.phaseLabel(),
                row.reason(), row.elapsedSeconds(), row.attempt(), row.points(),
                files.hasJobFile(row.jobDir(), FailureArchiver.ARCHIVE) ? jobFileUrl(run.runId(), row.jobKey(),
                        FailureArchiver.ARCHIVE) : null,
                files.hasJobFile(row.jobDir(), TriageNote.FILE) ? jobFileUrl(run.runId(), row.jobKey(),
                        TriageNote.FILE) : null);
    }

    public static String runPage(String runId) {
        return "/runs/" + segment(runId);
    }

    public static String reportUrl(String runId) {
        return "/reports/" + segment(runId) + "/" + ReportWriter.HTML;
    }

    public static String jobFileUrl(String runId, String jobKey, String file) {
        return "/runs/" + segment(runId) + "/jobs/" + segment(jobKey) + "/" + file;
    }

    /** One path segment, percent-encoded (a space as %20, a slash as %2F). */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
