package io.sweepd.notify;

import io.sweepd.core.JobState;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs recorded straight into the ledger and ended the way the job routes end them: job 0 completed, job 1 failed
 * and triaged as FailureHandler.settle records a diagnosis (same details keys, failure.tar.gz in its directory).
 * Two points per job, one refused point.
 */
public final class EndedRuns {

    public static final String COMPLETED_KEY = "gptoss_1k1k-0000000000";
    public static final String FAILED_KEY = "gptoss_1k1k-0000000001";
    public static final String FAILED_SLURM_ID = "4243";
    public static final String DIAGNOSIS = "the decode workers were given frontend-only flags";
    public static final String WORKAROUND = "dynamo-vllm-no-frontend-flags-on-workers";

    private EndedRuns() {
    }

    /** Records the run and ends both jobs (the run itself stays ACTIVE); returns the run id. */
    public static String record(Ledger ledger, Path outputs, String sweep, Instant writtenAt) {
        String runId = RunRecord.runId(sweep, writtenAt);
        List<String> keys = List.of(COMPLETED_KEY, FAILED_KEY);
        List<JobRecord> jobs = keys.stream().map(key -> JobRecord.planned(runId, key, "local",
                jobDir(outputs, runId, key).toString(), 60, 120, 600)).toList();
        List<PointRecord> points = new java.util.ArrayList<>();
        for (String key : keys) {
            points.add(PointRecord.of(runId, key + "-c4", key, "{\"conc\":4}", null));
            points.add(PointRecord.of(runId, key + "-c8", key, "{\"conc\":8}", null));
        }
        points.add(PointRecord.of(runId, "gptoss_8k1k-refused-c4", "gptoss_8k1k-refused", "{\"conc\":4}",
                "needs 16 GPUs, the pool has 8"));
        ledger.runs().recordRun(RunRecord.planned(runId, sweep, sweep + ".yaml", outputs.toString(), "local",
                "{}"), jobs, points);

        submit(ledger, runId, COMPLETED_KEY, "4242");
        ledger.jobs().transition(runId, COMPLETED_KEY, JobState.PENDING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, writtenAt.plusSeconds(600), JobDetails.EXIT_CODE, 0));

        submit(ledger, runId, FAILED_KEY, FAILED_SLURM_ID);
        String reason = "FAILED (NonZeroExitCode), exit code 2:0";
        ledger.jobs().transition(runId, FAILED_KEY, JobState.PENDING, JobState.FAILED, reason,
                Map.of(JobDetails.ENDED_AT, writtenAt.plusSeconds(300), JobDetails.EXIT_CODE, 2));
        Map<String, Object> triage = new HashMap<>();
        triage.put("category", "engine-args");
        triage.put("retryable", false);
        triage.put("diagnosis", DIAGNOSIS);
        triage.put("suggestedWorkaround", WORKAROUND);
        triage.put("evidence", "logs/prefill-0.log:12: unrecognized arguments: --router-mode");
        ledger.jobs().transition(runId, FAILED_KEY, JobState.FAILED, JobState.FAILED, reason + "; diagnosis: "
                + DIAGNOSIS + " (fix: workaround " + WORKAROUND + ")", triage);
        try {
            Files.writeString(jobDir(outputs, runId, FAILED_KEY).resolve("failure.tar.gz"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return runId;
    }

    public static JobRecord job(Ledger ledger, String runId, String jobKey) {
        return ledger.jobs().job(runId, jobKey).orElseThrow();
    }

    private static void submit(Ledger ledger, String runId, String jobKey, String slurmJobId) {
        ledger.jobs().beginSubmit(runId, jobKey, "sweepd-" + jobKey + "-a1");
        ledger.jobs().submitted(runId, jobKey, slurmJobId);
    }

    private static Path jobDir(Path outputs, String runId, String jobKey) {
        Path dir = outputs.resolve(runId).resolve(jobKey);
        try {
            Files.createDirectories(dir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
