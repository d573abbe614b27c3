package io.sweepd.jobs;

import io.sweepd.core.JobDirectory;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.ResultStore;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Derives a job's {@link JobPhase} from the ledger and its job directory. Logs are read through one
 * {@link JobLogs}, which remembers how far it read each file, so a status page refreshing every few seconds
 * reads only what the job wrote since. Thread-safe.
 */
public final class JobPhases {

    private final ResultStore results;
    private final JobLogs logs = new JobLogs();

    public JobPhases(ResultStore results) {
        this.results = Objects.requireNonNull(results, "results");
    }

    public JobPhase phase(JobRecord job) {
        return switch (job.state()) {
            case PLANNED -> JobPhase.WAITING_TO_SUBMIT;
            case SUBMITTING -> JobPhase.SUBMITTING;
            case PENDING, REQUEUED -> JobPhase.QUEUED;
            case RUNNING -> running(job);
            case COMPLETED -> collected(job) ? settled(job) : JobPhase.COLLECTING;
            default -> settled(job);
        };
    }

    /** The phase in words, with the queue's reason for a queued job: "queued (Resources)". */
    public static String describe(JobPhase phase, JobRecord job) {
        if (phase == JobPhase.QUEUED && job.reason() != null && !job.reason().isBlank()) {
            return phase.label() + " (" + job.reason() + ")";
        }
        return phase.label();
    }

    private JobPhase running(JobRecord job) {
        if (job.jobDir() == null) {
            return JobPhase.STARTING;
        }
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        if (dir.exitCode().isPresent()) {
            return JobPhase.FINISHING;
        }
        if (logs.healthy(dir)) {
            return JobPhase.BENCHMARKING;
        }
        return logs.workloadLogged(dir) ? JobPhase.SERVER_STARTING : JobPhase.STARTING;
    }

    /** A reused job's results are the earlier run's, collected then. */
    private boolean collected(JobRecord job) {
        return job.reused() || !results.results(job.runId(), job.jobKey()).isEmpty();
    }

    /** Also forgets how far the job's logs were read: a settled job's logs are not read again. */
    private JobPhase settled(JobRecord job) {
        if (job.jobDir() != null) {
            logs.forget(new JobDirectory(Path.of(job.jobDir())));
        }
        return JobPhase.SETTLED;
    }
}
