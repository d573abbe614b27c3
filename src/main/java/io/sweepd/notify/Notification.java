package io.sweepd.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON summary a notification carries, in report.json's snake_case. {@code text} comes first: Slack's and
 * Mattermost's incoming webhooks post it as the message and ignore the other fields, so one body serves chat tools
 * and programs alike.
 *
 * @param text        one line for a person
 * @param state       the run's state (run-ended) or the failed job's (job-failed)
 * @param jobs        the run's jobs counted by state, in {@code JobState} order
 * @param failedJobs  run-ended: every job of the run that ended without success (absent for job-failed)
 * @param report      the run's HTML report
 * @param job         job-failed: the job (absent for run-ended)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(String text, String event, String runId, String sweep, String state,
                           Map<String, Integer> jobs, int jobsTotal, List<FailedJob> failedJobs, String report,
                           FailedJob job, Instant at) {

    public Notification {
        jobs = jobs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(jobs)); // keeps the order
        failedJobs = failedJobs == null ? null : List.copyOf(failedJobs);
    }

    /**
     * One job that ended without success, with what triage made of it. Every key is always written (null when
     * unknown), so a consumer reads every job the same way.
     *
     * @param points              the job's matrix point ids
     * @param state               the state it ended in (FAILED, TIMEOUT, DEADLINE, INVALID...)
     * @param reason              Slurm's or sweepd's reason, with the diagnosis appended by triage
     * @param category            triage's failure category id
     * @param suggestedWorkaround the workaround rule triage suggests ({@code sweepd retry --apply-suggested})
     * @param retrying            sweepd planned it again (a transient cause, within the profile's retry policy)
     * @param archive             the evidence, failure.tar.gz, when it was written
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FailedJob(String jobKey, String slurmJobId, List<String> points, String state, String reason,
                            String category, String diagnosis, String suggestedWorkaround, Boolean retryable,
                            boolean retrying, int attempt, String jobDir, String archive) {

        public FailedJob {
            points = List.copyOf(points);
        }
    }
}
