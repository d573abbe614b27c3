package io.sweepd.jobs;

import io.sweepd.core.JobDirectory;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobStore;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.triage.Triage;
import io.sweepd.triage.TriageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What happens to a job that did not succeed: triage names the cause and the fix ({@code triage.json}, which the
 * job-failure route writes between {@link #triage} and {@link #settle}, and the diagnosis in the ledger), the
 * evidence is archived, and a transient cause is retried per the profile's policy (never a deterministic one: those
 * need a change, which {@code sweepd retry --apply-suggested} makes). Every step is safe to repeat: a daemon that
 * stopped half-way through handles the same end again on its next cycle ({@link JobSettling}).
 */
public final class FailureHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

    private final JobStore jobs;
    private final Triage triage;
    private final FailureArchiver archiver;
    private final JobRetries retries;
    private final JobSubmitter submitter;
    private final Function<String, Optional<ClusterProfile>> profiles;

    public FailureHandler(JobStore jobs, Triage triage, FailureArchiver archiver, JobRetries retries,
                          JobSubmitter submitter, Function<String, Optional<ClusterProfile>> profiles) {
        this.jobs = jobs;
        this.triage = triage;
        this.archiver = archiver;
        this.retries = retries;
        this.submitter = submitter;
        this.profiles = profiles;
    }

    /** The cause and the fix, from the job's evidence; the route writes it to the job's {@code triage.json}. */
    public TriageResult triage(JobRecord job) {
        String reason = withoutDiagnosis(job.reason());
        return triage.classify(new JobDirectory(Path.of(job.jobDir())), reason.isEmpty() ? null : reason);
    }

    /**
     * After triage.json is written: the diagnosis goes to the ledger, the evidence (triage.json with it) into
     * the archive, and a transient cause is retried. Returns the job as the ledger has it afterwards (PLANNED
     * again when it is being retried).
     */
    public JobRecord settle(JobRecord job, TriageResult result) {
        Map<String, Object> details = new HashMap<>();
        details.put("category", result.category().id());
        details.put("retryable", result.retryable());
        details.put("diagnosis", result.diagnosis());
        details.put("suggestedWorkaround", result.suggestedWorkaround());
        details.put("evidence", result.evidence());
        String reason = withDiagnosis(job.reason(), result);
        if (!reason.equals(job.reason())) { // handling this end again (after a crash) records the diagnosis once
            jobs.transition(job.runId(), job.jobKey(), job.state(), job.state(), reason, details);
        }
        LOG.warn("job {} of run {} {}: {} [{}]{}", job.jobKey(), job.runId(), job.state(), result.diagnosis(),
                result.category().id(), result.suggestedWorkaround() == null ? ""
                        : "; suggested workaround: " + result.suggestedWorkaround());
        archiver.archive(job);

        JobRecord now = jobs.job(job.runId(), job.jobKey()).orElseThrow();
        ClusterProfile.Retry policy = profiles.apply(job.profile()).map(ClusterProfile::retry)
                .orElse(ClusterProfile.Retry.DEFAULT);
        if (result.retryable() && now.attempt() < policy.maxAttempts()) {
            if (retries.retry(now, "retry " + (now.attempt() + 1) + " of " + policy.maxAttempts() + " after "
                    + result.category().id() + ": " + result.diagnosis(), policy.excludeFailedNodes())) {
                submitter.delay(now, Duration.ofSeconds(policy.backoffSeconds()));
            }
            return jobs.job(job.runId(), job.jobKey()).orElseThrow();
        }
        return now;
    }

    private static final String DIAGNOSIS = "diagnosis: ";

    /** The job's reason with this diagnosis after it, replacing a diagnosis an earlier handling appended. */
    static String withDiagnosis(String reason, TriageResult result) {
        String base = withoutDiagnosis(reason);
        return (base.isEmpty() ? "" : base + "; ") + DIAGNOSIS + result.diagnosis()
                + (result.suggestedWorkaround() == null ? "" : " (fix: workaround " + result.suggestedWorkaround() + ")");
    }

    /** Why the job ended as Slurm or sweepd's tracker said it, without a diagnosis appended by an earlier handling. */
    static String withoutDiagnosis(String reason) {
        String base = reason == null ? "" : reason;
        int diagnosis = base.startsWith(DIAGNOSIS) ? 0 : base.indexOf("; " + DIAGNOSIS);
        return diagnosis >= 0 ? base.substring(0, diagnosis) : base;
    }
}
