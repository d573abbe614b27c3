package io.sweepd.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.json.Json;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobStore;
import io.sweepd.slurm.QueueSnapshot;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmJobInfo;
import io.sweepd.slurm.SlurmState;
import io.sweepd.slurm.SlurmStates;
import io.sweepd.slurm.SlurmUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One poll cycle over every live job of this daemon: ONE squeue call for all of them, sacct/scontrol only for
 * jobs that ended or left the queue, sweepd's own deadlines for running jobs, and reconciliation of jobs whose
 * submission was interrupted. A job whose state did not change costs no ledger write. Returns what the cycle saw:
 * the jobs that ended in it (settled elsewhere, off the poll thread) and what paces the next cycle.
 */
public final class JobTracker {

    private static final Logger LOG = LoggerFactory.getLogger(JobTracker.class);
    /** A hopeless pending reason must be seen this many polls in a row: Slurm shows some while nodes are down. */
    private static final int HOPELESS_POLLS = 3;

    private final JobStore jobs;
    private final SlurmClient slurm;
    private final JobSubmitter submitter;
    private final Clock clock;
    private final JobLogs logs = new JobLogs();
    private final Map<String, Integer> hopelessSeen = new ConcurrentHashMap<>();
    /** State changes recorded by the cycle under way ({@link #poll()} is synchronized: one cycle at a time). */
    private int changes;

    public JobTracker(JobStore jobs, SlurmClient slurm, JobSubmitter submitter, Clock clock) {
        this.jobs = jobs;
        this.slurm = slurm;
        this.submitter = submitter;
        this.clock = clock;
    }

    /**
     * Polls once. The cycle's {@code ended} are the jobs that reached a terminal state in it, as the ledger now has
     * them. {@link PollPacer} decides how often (from what the cycles see); with no live job a cycle is one ledger
     * query and no Slurm command.
     */
    public synchronized PollCycle poll() {
        List<JobRecord> live = jobs.liveJobs();
        // A job that left the queue another way (cancelled, ended) must not keep its hopeless-reason count.
        hopelessSeen.keySet().retainAll(
                live.stream().map(j -> j.runId() + "/" + j.jobKey()).collect(Collectors.toSet()));
        if (live.isEmpty()) {
            return PollCycle.NOTHING_LIVE;
        }
        changes = 0;
        List<JobRecord> ended = poll(live);
        return new PollCycle(ended, changes, live.size(), latestSubmission(live));
    }

    private static Instant latestSubmission(List<JobRecord> live) {
        Instant latest = null;
        for (JobRecord job : live) {
            Instant at = job.submittedAt() != null ? job.submittedAt() : job.submitStartedAt();
            if (at != null && (latest == null || at.isAfter(latest))) {
                latest = at;
            }
        }
        return latest;
    }

    private List<JobRecord> poll(List<JobRecord> live) {
        List<JobRecord> toReconcile = live.stream()
                .filter(j -> j.state() == JobState.SUBMITTING && !submitter.inFlight(j)).toList();
        List<JobRecord> tracked = live.stream().filter(j -> j.slurmJobId() != null && j.state() != JobState.SUBMITTING)
                .toList();
        if (toReconcile.isEmpty() && tracked.isEmpty()) {
            return List.of();
        }
        // squeue first, whatever the cycle has to do: with the controller down it is the cycle's only Slurm
        // command and its one log line, instead of one failing look-up (and line) per job.
        QueueSnapshot queue = slurm.queue(JobNames.PREFIX);
        if (!queue.ok()) {
            LOG.warn("Slurm unreachable: squeue failed ({}); {} live job(s) not checked, trying again next cycle",
                    queue.failure().message(), toReconcile.size() + tracked.size());
            return List.of();
        }
        Outage outage = new Outage();
        if (!toReconcile.isEmpty()) {
            try {
                reconcileSubmissions(toReconcile);
            } catch (SlurmUnavailableException e) {
                // One look-up for all of them: none can be told apart, all stay SUBMITTING for the next cycle.
                outage.failed(e);
                toReconcile.stream().skip(1).forEach(job -> outage.skipped());
            }
        }
        List<JobRecord> ended = new ArrayList<>();
        for (JobRecord job : tracked) {
            try {
                track(job, queue, outage).ifPresent(ended::add);
            } catch (SlurmUnavailableException e) {
                outage.failed(e);
            } catch (RuntimeException e) {
                // One job's trouble (an unreadable job directory, a ledger write) must not stop the others from
                // being tracked; this job is asked about again next cycle.
                LOG.warn("run {} job {} (Slurm {}): tracking failed ({}); trying again next cycle", job.runId(),
                        job.jobKey(), job.slurmJobId(), e.toString(), e);
            }
        }
        if (outage.seen()) {
            LOG.warn("Slurm could not be asked about {} of {} live job(s) ({}); trying again next cycle",
                    outage.affected, toReconcile.size() + tracked.size(), outage.message);
        }
        return ended;
    }

    /** The look-ups of one cycle that Slurm could not answer: counted for one summary line, not logged per job. */
    private static final class Outage {
        private int affected;
        private String message;

        void failed(SlurmUnavailableException e) {
            affected++;
            if (message == null) {
                message = e.getMessage();
            }
        }

        void skipped() {
            affected++;
        }

        boolean seen() {
            return message != null;
        }
    }

    /**
     * A job left in SUBMITTING by a daemon that stopped between the ledger write and sbatch's answer: if Slurm
     * has a job of this attempt's name, adopt it; if not, sbatch never created one and the job is planned again.
     *
     * @throws SlurmUnavailableException when Slurm cannot say; the job stays SUBMITTING for the next cycle
     */
    private void reconcileSubmissions(List<JobRecord> submitting) {
        // One squeue (then one sacct) for all of them, however many a crash left: a restart after a stop in the
        // middle of a large sweep's submission finds them all in two commands.
        Instant since = submitting.stream().map(job -> job.submitStartedAt() != null ? job.submitStartedAt()
                : job.createdAt()).filter(java.util.Objects::nonNull).min(Instant::compareTo)
                .orElse(clock.instant()).minus(Duration.ofMinutes(5));
        Map<String, List<SlurmJobInfo>> found = slurm.findByNames(
                submitting.stream().map(JobRecord::jobName).toList(), since);
        for (JobRecord job : submitting) {
            reconcileSubmission(job, found.getOrDefault(job.jobName(), List.of()));
        }
    }

    private void reconcileSubmission(JobRecord job, List<SlurmJobInfo> found) {
        if (!found.isEmpty()) {
            SlurmJobInfo newest = found.get(found.size() - 1);
            jobs.submitted(job.runId(), job.jobKey(), newest.jobId());
            changes++;
            LOG.info("job {}: found Slurm job {} by name {} after an interrupted submission", job.jobKey(),
                    newest.jobId(), job.jobName());
            if (JobStore.cancelRequested(job)) {
                cancelAsRequested(job, newest.jobId());
            }
        } else if (JobStore.cancelRequested(job)) {
            jobs.cancelSubmitting(job.runId(), job.jobKey(), job.reason() + "; Slurm never created it (no job named "
                    + job.jobName() + ")");
            changes++;
        } else {
            jobs.backToPlanned(job.runId(), job.jobKey(), "submission was interrupted before sbatch created"
                    + " a job (no Slurm job named " + job.jobName() + ")");
            changes++;
        }
    }

    private Optional<JobRecord> track(JobRecord job, QueueSnapshot queue, Outage outage) {
        Optional<SlurmJobInfo> row = queue.job(job.slurmJobId());
        if (JobStore.cancelRequested(job) && (row.isEmpty() || !row.get().state().ended())) {
            // Cancelled while its sbatch ran: cancelled now that its id is known; Slurm's CANCELLED ends it.
            cancelAsRequested(job, job.slurmJobId());
        }
        if (row.isEmpty()) {
            if (outage.seen()) {
                // Accounting did not answer for an earlier job of this cycle: it would not for this one.
                outage.skipped();
                return Optional.empty();
            }
            return leftTheQueue(job);
        }
        SlurmJobInfo info = row.get();
        JobState state = tracked(info.state());
        if (state.terminal()) {
            return finish(job, info, state, null);
        }
        if ((state == JobState.PENDING || state == JobState.REQUEUED) && job.state() == JobState.RUNNING) {
            return requeued(job, info);
        }
        if (state == JobState.PENDING) {
            return pending(job, info);
        }
        if (state == JobState.RUNNING) {
            if (job.state() != JobState.RUNNING) {
                Map<String, Object> details = new HashMap<>();
                details.put(JobDetails.STARTED_AT, info.start() != null ? info.start() : clock.instant());
                jobs.transition(job.runId(), job.jobKey(), job.state(), JobState.RUNNING, null, details);
                changes++;
                job = jobs.job(job.runId(), job.jobKey()).orElseThrow();
            }
            return deadline(job, info);
        }
        if (state != job.state()) {
            jobs.transition(job.runId(), job.jobKey(), job.state(), state, info.reason(), Map.of());
            changes++;
        }
        return Optional.empty();
    }

    private void cancelAsRequested(JobRecord job, String slurmJobId) {
        CommandResult call = slurm.cancel(slurmJobId);
        if (call.succeeded()) {
            LOG.info("run {} job {}: Slurm job {} cancelled ({})", job.runId(), job.jobKey(), slurmJobId,
                    job.reason());
        } else {
            LOG.warn("run {} job {}: scancel {} failed ({}); trying again next cycle", job.runId(), job.jobKey(),
                    slurmJobId, call.firstErrorLine());
        }
    }

    private Optional<JobRecord> pending(JobRecord job, SlurmJobInfo info) {
        String key = job.runId() + "/" + job.jobKey();
        if (!SlurmStates.hopelessPendingReason(info.reason())) {
            hopelessSeen.remove(key);
            // A requeued job waits in the queue again as REQUEUED, so the ledger keeps saying why until it reruns.
            if (job.state() != JobState.PENDING && job.state() != JobState.REQUEUED) {
                jobs.transition(job.runId(), job.jobKey(), job.state(), JobState.PENDING, info.reason(), Map.of());
                changes++;
            }
            return Optional.empty();
        }
        int seen = hopelessSeen.merge(key, 1, Integer::sum);
        if (seen < HOPELESS_POLLS) {
            return Optional.empty();
        }
        hopelessSeen.remove(key);
        slurm.cancel(job.slurmJobId());
        return finish(job, info, JobState.FAILED, "Slurm will never start this job (" + info.reason()
                + "): it asks for more than the partition has; cancelled instead of waiting forever");
    }

    /**
     * A job sweepd saw running is back in Slurm's queue: Slurm requeued it (after a node failure, with JobRequeue=1,
     * Slurm's default; after preemption; or by {@code scontrol requeue}) and will run it again under the same id.
     * Recorded as REQUEUED, so the ledger says the run was interrupted, and tracked to its end: no retry of sweepd's
     * own, which would be a second Slurm job for the same work.
     */
    private Optional<JobRecord> requeued(JobRecord job, SlurmJobInfo info) {
        String why = "Slurm requeued it after it had started (a node failure, preemption or scontrol requeue); it"
                + " runs again as Slurm job " + job.slurmJobId()
                + (info.reason() == null || info.reason().isBlank() ? "" : " (now waiting: " + info.reason() + ")");
        jobs.transition(job.runId(), job.jobKey(), job.state(), JobState.REQUEUED, why, Map.of());
        changes++;
        LOG.warn("run {} job {} (Slurm {}): {}", job.runId(), job.jobKey(), job.slurmJobId(), why);
        return Optional.empty();
    }

    /** sweepd's own deadlines: first log line, healthy server, total time. */
    private Optional<JobRecord> deadline(JobRecord job, SlurmJobInfo info) {
        Instant started = job.startedAt() != null ? job.startedAt() : clock.instant();
        long running = Duration.between(started, clock.instant()).toSeconds();
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        String verdict = null;
        if (job.deadlineTotalS() != null && running > job.deadlineTotalS()) {
            verdict = "running for " + running + " s, past the total deadline of " + job.deadlineTotalS() + " s";
        } else if (job.deadlineFirstLogS() != null && running > job.deadlineFirstLogS() && !logs.workloadLogged(dir)) {
            verdict = "no log line from the workload within " + job.deadlineFirstLogS() + " s of the job's start";
        } else if (job.deadlineHealthyS() != null && running > job.deadlineHealthyS() && !logs.healthy(dir)) {
            verdict = "the server was not healthy within " + job.deadlineHealthyS() + " s of the job's start";
        }
        if (verdict == null) {
            return Optional.empty();
        }
        LOG.warn("job {} (Slurm {}): {}; cancelling", job.jobKey(), job.slurmJobId(), verdict);
        slurm.cancel(job.slurmJobId());
        return finish(job, info, JobState.DEADLINE, verdict);
    }

    /**
     * What sweepd makes of Slurm's state: the same outcome under sweepd's name. A state Slurm's client does not
     * know (a newer Slurm) counts as RUNNING: live, so the poller keeps asking and the profile's deadlines still
     * bound the job, rather than a verdict sweepd cannot justify.
     */
    static JobState tracked(SlurmState state) {
        return switch (state) {
            case PENDING -> JobState.PENDING;
            case REQUEUED -> JobState.REQUEUED;
            case RUNNING, UNKNOWN -> JobState.RUNNING;
            case COMPLETED -> JobState.COMPLETED;
            case FAILED -> JobState.FAILED;
            case TIMEOUT -> JobState.TIMEOUT;
            case CANCELLED -> JobState.CANCELLED;
            case NODE_FAIL -> JobState.NODE_FAIL;
            case OUT_OF_MEMORY -> JobState.OUT_OF_MEMORY;
            case PREEMPTED -> JobState.PREEMPTED;
        };
    }

    /**
     * The job is not in squeue's answer: slurmctld purged it (MinJobAge). Ask accounting, then the job's own exit
     * marker; never guess (LOST when neither knows). Empty when the answer must wait for the next cycle.
     */
    private Optional<JobRecord> leftTheQueue(JobRecord job) {
        Optional<SlurmJobInfo> accounted = slurm.accounting(job.slurmJobId());
        if (accounted.isPresent()) {
            SlurmJobInfo info = accounted.get();
            // Accounting still showing it live: squeue will catch up.
            return info.state().ended() ? finish(job, info, tracked(info.state()), null) : Optional.empty();
        }
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        OptionalInt exit = dir.exitCode();
        SlurmState marked = exit.isEmpty() ? SlurmState.UNKNOWN
                : exit.getAsInt() == 0 ? SlurmState.COMPLETED : SlurmState.FAILED;
        JobState state = exit.isEmpty() ? JobState.LOST : tracked(marked);
        String reason = exit.isEmpty()
                ? "Slurm no longer knows job " + job.slurmJobId() + " and neither accounting nor the job's exit marker"
                        + " says how it ended"
                : "resolved from the job's own exit marker (exit " + exit.getAsInt() + "); Slurm no longer knows it";
        SlurmJobInfo info = new SlurmJobInfo(job.slurmJobId(), job.jobName(), marked, state.name(), reason,
                exit.isEmpty() ? null : exit.getAsInt() + ":0", null, Duration.ZERO, job.startedAt(), clock.instant());
        return finish(job, info, state, null);
    }

    private Optional<JobRecord> finish(JobRecord job, SlurmJobInfo seen, JobState state, String reason) {
        JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
        // squeue's row lacks the exit code; accounting has it once the job ended.
        Optional<SlurmJobInfo> accounted = accountingIfAvailable(job);
        SlurmJobInfo info = accounted.filter(a -> a.state().ended()).orElse(seen);
        writeSlurmRecord(job, seen, accounted, dir);
        Map<String, Object> details = new HashMap<>();
        details.put(JobDetails.ENDED_AT, info.end() != null ? info.end() : clock.instant());
        if (info.start() != null && job.startedAt() == null) {
            details.put(JobDetails.STARTED_AT, info.start());
        }
        info.exitStatus().ifPresent(code -> details.put(JobDetails.EXIT_CODE, code));
        details.put("slurmState", info.slurmState());
        if (info.nodeList() != null && !info.nodeList().isBlank()) {
            details.put("nodes", info.nodeList());
        }
        String why = reason != null ? reason : state == JobState.COMPLETED ? null : describe(info);
        if (!jobs.transition(job.runId(), job.jobKey(), job.state(), state, why, details)) {
            return Optional.empty(); // someone else (a cancel) moved it first
        }
        changes++;
        logs.forget(dir);
        LOG.info("job {} (Slurm {}) ended: {}{}", job.jobKey(), job.slurmJobId(), state, why == null ? "" : " - " + why);
        return jobs.job(job.runId(), job.jobKey());
    }

    private Optional<SlurmJobInfo> accountingIfAvailable(JobRecord job) {
        try {
            return slurm.accounting(job.slurmJobId());
        } catch (SlurmUnavailableException e) {
            return Optional.empty();
        }
    }

    /** slurm.json: the final squeue/sacct view plus scontrol's record while slurmctld still has it. */
    private void writeSlurmRecord(JobRecord job, SlurmJobInfo seen, Optional<SlurmJobInfo> accounted,
                                  JobDirectory dir) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("slurm-job-id", job.slurmJobId());
        record.set("final", Json.MAPPER.valueToTree(seen));
        accounted.ifPresent(a -> record.set("sacct", Json.MAPPER.valueToTree(a)));
        try {
            slurm.showJob(job.slurmJobId()).ifPresent(text -> record.put("scontrol", text));
        } catch (SlurmUnavailableException e) {
            record.put("unavailable", e.getMessage());
        }
        try {
            Files.createDirectories(dir.root());
            Files.writeString(dir.root().resolve("slurm.json"), Json.PRETTY.writeValueAsString(record));
        } catch (IOException e) {
            LOG.warn("job {}: cannot write slurm.json: {}", job.jobKey(), e.getMessage());
        }
    }

    private static String describe(SlurmJobInfo info) {
        StringBuilder text = new StringBuilder(info.slurmState());
        if (info.reason() != null && !info.reason().isBlank() && !"None".equals(info.reason())) {
            text.append(" (").append(info.reason()).append(')');
        }
        if (info.exitCode() != null && !info.exitCode().isBlank()) {
            text.append(", exit code ").append(info.exitCode());
        }
        return text.toString();
    }
}
