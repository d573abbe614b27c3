package io.sweepd.jobs;

import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobStore;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SubmitOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Submits planned jobs. The ledger row moves to SUBMITTING before sbatch runs and to PENDING (with the Slurm
 * job id) after, so a daemon killed in between finds the job by its attempt's name on restart instead of
 * submitting it again. Transient refusals (controller unreachable, submit limits) back off and retry;
 * permanent ones are recorded with Slurm's message.
 *
 * <p>A profile's {@link ClusterProfile.Limits} hold jobs back: the jobs Slurm holds for the profile and the sbatch
 * calls of the last minute are counted in the ledger at the start of every cycle (so a restarted daemon respects
 * them too), and a job over a limit stays PLANNED with a reason that starts with {@value #WAITING_FOR_A_SLOT}.
 * Planned jobs are offered oldest run first, in plan order, so the slots go to runs in the order they came.
 */
public final class JobSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(JobSubmitter.class);

    /** Transient refusals tolerated before a job is given up (about an hour and a half of backoff). */
    static final int MAX_TRANSIENT_ATTEMPTS = 12;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /** How a held job's reason starts; {@link SweepStatus} counts the jobs waiting by it. */
    public static final String WAITING_FOR_A_SLOT = "waiting for a slot: ";
    private static final Duration SUBMISSION_WINDOW = Duration.ofMinutes(1);

    private final JobStore jobs;
    private final SlurmClient slurm;
    private final Clock clock;
    private final Function<String, ClusterProfile.Limits> limits;
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /** A submitter without limits: every planned job is submitted as soon as it is due. */
    public JobSubmitter(JobStore jobs, SlurmClient slurm, Clock clock) {
        this(jobs, slurm, clock, profile -> ClusterProfile.Limits.UNLIMITED);
    }

    /** @param limits the limits of a profile by name ({@link ClusterProfile.Limits#UNLIMITED} for none) */
    public JobSubmitter(JobStore jobs, SlurmClient slurm, Clock clock,
                        Function<String, ClusterProfile.Limits> limits) {
        this.jobs = jobs;
        this.slurm = slurm;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * Submits every planned job whose backoff has passed; one caller at a time. Returns the jobs submitted. A
     * transient refusal ends the cycle: what kept sbatch from answering (controller unreachable, a submit limit,
     * a timeout) holds for the next job too, so the rest wait for the next cycle untouched, with one log line. A job
     * over its profile's limits is skipped, its reason saying which limit (written only when it changes); jobs of
     * other profiles still go.
     */
    public synchronized List<JobRecord> submitDue() {
        List<JobRecord> submitted = new ArrayList<>();
        Instant now = clock.instant();
        List<JobRecord> due = jobs.jobsInState(JobState.PLANNED).stream()
                .filter(job -> {
                    Instant wait = notBefore.get(key(job));
                    return wait == null || !now.isBefore(wait);
                })
                .toList();
        Slots slots = due.stream().anyMatch(job -> limitsOf(job).limited()) ? Slots.count(jobs, now) : null;
        Map<String, Integer> newlyHeld = new LinkedHashMap<>();
        for (int i = 0; i < due.size(); i++) {
            JobRecord job = due.get(i);
            String full = slots == null ? null : slots.fullBecause(job.profile(), limitsOf(job));
            if (full != null) {
                if (jobs.holdPlanned(job.runId(), job.jobKey(), full)) {
                    newlyHeld.merge(full, 1, Integer::sum);
                }
                continue;
            }
            SubmitOutcome outcome;
            try {
                outcome = submit(job, due.size() - i - 1);
            } catch (RuntimeException e) {
                // Not sbatch's answer but sweepd's own failure (the ledger, the job directory): said with the job's
                // ids, and the cycle ends, since what broke here likely breaks the next job too. A job left
                // SUBMITTING is reconciled by name by the tracker; a PLANNED one is offered again next cycle.
                LOG.warn("run {} job {}: submitting failed ({}); {} job(s) wait for the next cycle", job.runId(),
                        job.jobKey(), e.toString(), due.size() - i, e);
                break;
            }
            if (outcome != null && slots != null) {
                slots.took(job.profile(), outcome);
            }
            if (outcome instanceof SubmitOutcome.Submitted) {
                submitted.add(job);
            } else if (outcome instanceof SubmitOutcome.Transient) {
                break;
            }
        }
        newlyHeld.forEach((reason, count) -> LOG.info("{} planned job(s) {}", count, reason));
        return submitted;
    }

    private ClusterProfile.Limits limitsOf(JobRecord job) {
        ClusterProfile.Limits found = job.profile() == null ? null : limits.apply(job.profile());
        return found == null ? ClusterProfile.Limits.UNLIMITED : found;
    }

    /**
     * One cycle's view of the profiles' slots: counted from the ledger when the cycle starts, then kept up to date
     * with this cycle's own submissions.
     */
    private static final class Slots {

        private final Map<String, Integer> queued;
        private final Map<String, Integer> recentSubmissions;

        private Slots(Map<String, Integer> queued, Map<String, Integer> recentSubmissions) {
            this.queued = queued;
            this.recentSubmissions = recentSubmissions;
        }

        static Slots count(JobStore jobs, Instant now) {
            Map<String, Integer> queued = new HashMap<>();
            for (JobRecord live : jobs.liveJobs()) {
                if (live.profile() != null) {
                    queued.merge(live.profile(), 1, Integer::sum);
                }
            }
            return new Slots(queued,
                    new HashMap<>(jobs.submissionsStartedAfter(now.minus(SUBMISSION_WINDOW))));
        }

        /** Why a job of this profile cannot go now, or null when it can. */
        String fullBecause(String profile, ClusterProfile.Limits limits) {
            int inQueue = queued.getOrDefault(profile, 0);
            if (limits.maxQueuedJobs() != null && inQueue >= limits.maxQueuedJobs()) {
                return WAITING_FOR_A_SLOT + inQueue + " of " + limits.maxQueuedJobs() + " jobs queued on profile "
                        + profile;
            }
            int submissions = recentSubmissions.getOrDefault(profile, 0);
            if (limits.submissionsPerMinute() != null && submissions >= limits.submissionsPerMinute()) {
                return WAITING_FOR_A_SLOT + submissions + " submissions in the last minute on profile " + profile
                        + " (limit " + limits.submissionsPerMinute() + ")";
            }
            return null;
        }

        /** sbatch ran for a job of this profile: one more submission; one more queued unless it was refused. */
        void took(String profile, SubmitOutcome outcome) {
            recentSubmissions.merge(profile, 1, Integer::sum);
            boolean maybeInQueue = outcome instanceof SubmitOutcome.Submitted
                    || outcome instanceof SubmitOutcome.Transient refusal && refusal.mayHaveSubmitted();
            if (maybeInQueue) {
                queued.merge(profile, 1, Integer::sum);
            }
        }
    }

    /** Holds a job back for a while (a retry's backoff). */
    public void delay(JobRecord job, Duration backoff) {
        notBefore.put(key(job), clock.instant().plus(backoff));
    }

    /** Whether this process is between the ledger write and sbatch's answer for the job. */
    public boolean inFlight(JobRecord job) {
        return inFlight.contains(key(job));
    }

    /**
     * @param waiting how many due jobs come after this one, named in the log line when sbatch refuses for now
     * @return sbatch's outcome; null when someone else claimed the job first
     */
    private SubmitOutcome submit(JobRecord job, int waiting) {
        int attempt = job.attempt() + 1;
        String jobName = JobNames.attempt(job.runId(), job.jobKey(), attempt);
        inFlight.add(key(job));
        try {
            if (!jobs.beginSubmit(job.runId(), job.jobKey(), jobName)) {
                return null; // someone else claimed it
            }
            JobDirectory dir = new JobDirectory(Path.of(job.jobDir()));
            SubmitOutcome outcome = slurm.submit(dir.script(), jobName,
                    JobRetries.excludedNodes(dir).map(nodes -> List.of("--exclude=" + nodes)).orElse(List.of()));
            record(job, attempt, outcome, waiting);
            return outcome;
        } finally {
            inFlight.remove(key(job));
        }
    }

    private void record(JobRecord job, int attempt, SubmitOutcome outcome, int waiting) {
        if (outcome instanceof SubmitOutcome.Submitted submitted) {
            notBefore.remove(key(job));
            jobs.submitted(job.runId(), job.jobKey(), submitted.jobId());
            LOG.info("job {} of run {} submitted as Slurm job {}", job.jobKey(), job.runId(), submitted.jobId());
            return;
        }
        String others = waiting == 0 ? "" : "; " + waiting + " more planned job(s) wait for the next cycle";
        if (outcome instanceof SubmitOutcome.Transient refusal) {
            if (refusal.mayHaveSubmitted()) {
                // sbatch may have created the job: leave it SUBMITTING for the tracker to find by name.
                LOG.warn("job {}: sbatch gave no clear answer ({}); looking for it by name{}", job.jobKey(),
                        refusal.message(), others);
                return;
            }
            if (attempt >= MAX_TRANSIENT_ATTEMPTS) {
                jobs.submitFailed(job.runId(), job.jobKey(), "gave up after " + attempt
                        + " transient sbatch refusals; last: " + refusal.message());
                LOG.error("job {} of run {}: gave up after {} transient sbatch refusals; last: {}{}", job.jobKey(),
                        job.runId(), attempt, refusal.message(), others);
                return;
            }
            Duration delay = backoff(attempt);
            notBefore.put(key(job), clock.instant().plus(delay));
            jobs.backToPlanned(job.runId(), job.jobKey(), "sbatch refused for now (" + refusal.message()
                    + "); retrying in " + delay.toSeconds() + " s");
            LOG.warn("job {}: sbatch refused for now ({}); retrying in {} s{}", job.jobKey(), refusal.message(),
                    delay.toSeconds(), others);
            return;
        }
        SubmitOutcome.Permanent refusal = (SubmitOutcome.Permanent) outcome;
        jobs.submitFailed(job.runId(), job.jobKey(), "sbatch refused the job: " + refusal.message());
        LOG.error("job {} of run {}: sbatch refused it: {}", job.jobKey(), job.runId(), refusal.message());
    }

    static Duration backoff(int attempt) {
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 16));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private static String key(JobRecord job) {
        return job.runId() + "/" + job.jobKey();
    }
}
