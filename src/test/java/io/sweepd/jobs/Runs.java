package io.sweepd.jobs;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs recorded straight into the ledger, the way RunRecorder records a plan: one job per key, one point per job,
 * every job directory holding a job.sbatch and an empty logs/. Deadlines are the local profile's.
 */
final class Runs {

    static final int FIRST_LOG_S = 60;
    static final int HEALTHY_S = 120;
    static final int TOTAL_S = 600;

    private Runs() {
    }

    /** Job keys are stable per index, so two runs of one sweep share them (and reuse completed jobs). */
    static String key(int index) {
        return "gptoss_1k1k-" + String.format("%010x", index);
    }

    /** Records a run of {@code jobs} jobs, plus one refused point per reason given; returns the run id. */
    static String record(Ledger ledger, Path outputs, String sweep, Instant writtenAt, int jobs,
                         String... refusedReasons) {
        String runId = RunRecord.runId(sweep, writtenAt);
        List<JobRecord> jobRecords = new ArrayList<>();
        List<PointRecord> points = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            Path dir = jobDir(outputs, runId, key(i));
            jobRecords.add(JobRecord.planned(runId, key(i), "local", dir.toString(), FIRST_LOG_S, HEALTHY_S,
                    TOTAL_S));
            points.add(PointRecord.of(runId, key(i) + "-c4", key(i), "{\"conc\":4}", null));
        }
        for (int i = 0; i < refusedReasons.length; i++) {
            String key = "gptoss_8k1k-refused" + i;
            points.add(PointRecord.of(runId, key + "-c4", key, "{\"conc\":4}", refusedReasons[i]));
        }
        ledger.runs().recordRun(RunRecord.planned(runId, sweep, sweep + ".yaml", outputs.toString(), "local",
                "{\"sweep\":\"" + sweep + "\",\"jobs\":" + jobs + "}"), jobRecords, points);
        return runId;
    }

    static Path jobDir(Path outputs, String runId, String jobKey) {
        Path dir = outputs.resolve(runId).resolve(jobKey);
        try {
            Files.createDirectories(dir.resolve("logs"));
            Files.writeString(dir.resolve("job.sbatch"), "#!/bin/bash\n#SBATCH --job-name=sweepd-" + jobKey
                    + "\ntrue\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** PLANNED -> SUBMITTING -> PENDING with this Slurm id, as a submission that went well leaves it. */
    static void submitted(Ledger ledger, String runId, String jobKey, String slurmJobId) {
        ledger.jobs().beginSubmit(runId, jobKey, JobNames.attempt(runId, jobKey, 1));
        ledger.jobs().submitted(runId, jobKey, slurmJobId);
    }

    static void running(Ledger ledger, String runId, String jobKey, String slurmJobId, Instant startedAt) {
        submitted(ledger, runId, jobKey, slurmJobId);
        ledger.jobs().transition(runId, jobKey, JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, startedAt));
    }

    static void completed(Ledger ledger, String runId, String jobKey, String slurmJobId, Instant startedAt,
                          Instant endedAt) {
        running(ledger, runId, jobKey, slurmJobId, startedAt);
        ledger.jobs().transition(runId, jobKey, JobState.RUNNING, JobState.COMPLETED, null,
                Map.of(JobDetails.ENDED_AT, endedAt, JobDetails.EXIT_CODE, 0));
    }

    static JobRecord job(Ledger ledger, String runId, String jobKey) {
        return ledger.jobs().job(runId, jobKey).orElseThrow();
    }
}
