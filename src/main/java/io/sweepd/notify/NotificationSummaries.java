package io.sweepd.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.core.JobState;
import io.sweepd.jobs.FailureArchiver;
import io.sweepd.jobs.SweepStatus;
import io.sweepd.json.Json;
import io.sweepd.ledger.EventKind;
import io.sweepd.ledger.EventRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import io.sweepd.report.ReportWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds a {@link Notification} from the ledger: what a run ended with, or what became of one failed job. The
 * diagnosis is read back from the audit trail (the event triage recorded), not from the job's current row, so the
 * summary says how the job failed even when it has been planned again since.
 */
public final class NotificationSummaries {

    private final Ledger ledger;
    private final Path reportsDir;
    private final Clock clock;
    private final SweepStatus status;

    public NotificationSummaries(Ledger ledger, Path reportsDir, Clock clock) {
        this.ledger = ledger;
        this.reportsDir = reportsDir;
        this.clock = clock;
        this.status = new SweepStatus(ledger, clock);
    }

    /** A run's end: its jobs by state, every job that did not succeed with its diagnosis, and its report. */
    public Notification runEnded(String runId) {
        RunRecord run = run(runId);
        SweepStatus.RunSummary summary = status.summary(run);
        Map<String, List<String>> points = pointsByJob(runId);
        List<Notification.FailedJob> failed = ledger.jobs().jobs(runId).stream()
                .filter(job -> job.state().terminal() && !job.state().successful())
                .map(job -> failedJob(job, job, points))
                .toList();
        String report = report(runId);
        String text = "sweepd: run " + runId + " " + run.state().name().toLowerCase(Locale.ROOT) + ": "
                + summary.count(JobState.COMPLETED) + " of " + summary.jobs() + " jobs completed"
                + otherStates(summary) + (summary.refusedPoints() == 0 ? ""
                : "; " + summary.refusedPoints() + " points refused before submission")
                + "; report: " + report;
        return new Notification(text, NotifyEvent.RUN_ENDED.id(), runId, run.sweepName(), run.state().name(),
                byState(summary), summary.jobs(), failed, report, null, clock.instant());
    }

    /**
     * A job that ended without success, after triage: as it failed (the record the caller passes, which may
     * already be the one planned again for a retry) with the diagnosis triage recorded.
     */
    public Notification jobFailed(JobRecord failedJob) {
        RunRecord run = run(failedJob.runId());
        JobRecord now = ledger.jobs().job(failedJob.runId(), failedJob.jobKey()).orElse(failedJob);
        Notification.FailedJob job = failedJob(failedJob, now, pointsByJob(failedJob.runId()));
        String text = "sweepd: job " + job.jobKey() + (job.slurmJobId() == null ? "" : " (Slurm " + job.slurmJobId() + ")")
                + " of run " + run.runId() + " " + job.state() + ": "
                + (job.diagnosis() != null ? job.diagnosis() : job.reason() != null ? job.reason() : "no reason known")
                + (job.suggestedWorkaround() == null ? "" : "; suggested workaround: " + job.suggestedWorkaround())
                + (job.retrying() ? "; retrying" : "");
        SweepStatus.RunSummary summary = status.summary(run);
        return new Notification(text, NotifyEvent.JOB_FAILED.id(), run.runId(), run.sweepName(), job.state(),
                byState(summary), summary.jobs(), null, report(run.runId()), job, clock.instant());
    }

    private RunRecord run(String runId) {
        return ledger.runs().runWithoutPlan(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
    }

    /**
     * @param failed the job as it ended
     * @param now    the same job as the ledger has it now (PLANNED again when a retry is under way)
     */
    private Notification.FailedJob failedJob(JobRecord failed, JobRecord now, Map<String, List<String>> points) {
        Optional<EventRecord> triage = triageEvent(failed);
        JsonNode details = triage.map(NotificationSummaries::details).orElse(Json.MAPPER.nullNode());
        JobState state = failed.state().terminal() && !failed.state().successful() ? failed.state()
                : triage.map(EventRecord::toState).orElse(failed.state());
        String reason = triage.map(EventRecord::message).orElse(failed.reason());
        boolean retrying = !now.state().terminal();
        return new Notification.FailedJob(failed.jobKey(), failed.slurmJobId(),
                points.getOrDefault(failed.jobKey(), List.of()), state.name(), reason, text(details, "category"),
                text(details, "diagnosis"), text(details, "suggestedWorkaround"),
                details.hasNonNull("retryable") ? details.get("retryable").asBoolean() : null, retrying,
                failed.attempt(), failed.jobDir(), archive(failed));
    }

    /** The latest event in which triage recorded its diagnosis of the job (FailureHandler.settle). */
    private Optional<EventRecord> triageEvent(JobRecord job) {
        List<EventRecord> events = ledger.jobs().events(job.runId(), job.jobKey());
        for (int i = events.size() - 1; i >= 0; i--) {
            EventRecord event = events.get(i);
            if (event.kind() == EventKind.STATE && details(event).hasNonNull("diagnosis")) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }

    private static JsonNode details(EventRecord event) {
        if (event.detailsJson() == null) {
            return Json.MAPPER.nullNode();
        }
        try {
            return Json.MAPPER.readTree(event.detailsJson());
        } catch (IOException e) {
            return Json.MAPPER.nullNode(); // an unreadable audit entry costs the notification its details only
        }
    }

    private static String text(JsonNode details, String field) {
        JsonNode value = details.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** failure.tar.gz in the job directory, or where a retry set that attempt's evidence aside. */
    private static String archive(JobRecord job) {
        if (job.jobDir() == null) {
            return null;
        }
        Path dir = Path.of(job.jobDir());
        for (Path candidate : List.of(dir.resolve(FailureArchiver.ARCHIVE),
                dir.resolve("attempts").resolve("attempt-" + job.attempt()).resolve(FailureArchiver.ARCHIVE))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private Map<String, List<String>> pointsByJob(String runId) {
        return ledger.runs().points(runId).stream().filter(p -> p.jobKey() != null && !p.refused())
                .collect(Collectors.groupingBy(PointRecord::jobKey, LinkedHashMap::new,
                        Collectors.mapping(PointRecord::pointId, Collectors.toList())));
    }

    private String report(String runId) {
        return reportsDir.resolve(runId).resolve(ReportWriter.HTML).toString();
    }

    private static Map<String, Integer> byState(SweepStatus.RunSummary summary) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        summary.jobsByState().forEach((state, count) -> counts.put(state.name(), count));
        return counts;
    }

    /** ", 1 FAILED, 2 INVALID": the jobs that did not complete, by state. */
    private static String otherStates(SweepStatus.RunSummary summary) {
        return summary.jobsByState().entrySet().stream()
                .filter(e -> e.getKey() != JobState.COMPLETED)
                .map(e -> ", " + e.getValue() + " " + e.getKey().name())
                .collect(Collectors.joining());
    }
}
