package io.sweepd.jobs;

import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.JobStore;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmJobInfo;
import io.sweepd.slurm.SlurmUnavailableException;
import io.sweepd.slurm.SubmitOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Submits planned jobs. The ledger row moves to SUBMITTING (with the attempt's job name) before sbatch runs and to
 * PENDING (with the Slurm job id) after, so a daemon killed in between finds the job by its attempt's name on restart
 * instead of submitting it again. Transient refusals (controller unreachable, submit limits) back off and retry;
 * permanent ones are recorded with Slurm's message.
 *
 * <p>At sbatch's own speed: a cycle claims due jobs a batch at a time (one ledger transaction per batch), runs up to
 * {@code parallelism} sbatch calls at once, and records their answers a batch at a time, so the ledger costs a few
 * transactions per cycle rather than two per job. A cycle starts with one sbatch call alone and widens to
 * {@code parallelism} once Slurm has answered, so an unreachable controller still costs one call per cycle.
 *
 * <p>A profile's {@link ClusterProfile.Limits} hold jobs back: the jobs Slurm holds for the profile and the sbatch
 * calls of the last minute are counted in the ledger at the start of every cycle (so a restarted daemon respects
 * them too), and every call takes its slot before it starts, so parallel calls never exceed them. A job over a limit
 * stays PLANNED with a reason that starts with {@value #WAITING_FOR_A_SLOT}. Planned jobs are offered oldest run
 * first, in plan order, so the slots go to runs in the order they came.
 *
 * <p>Exactly once, whatever the ledger lost: before a cycle claims anything it asks Slurm, in one squeue call for all
 * the due jobs (then one sacct call for the names squeue does not hold), whether a job of the name the claim would
 * give (or of the job's last attempt, when no Slurm id was ever recorded for it) already exists. Such a job is
 * adopted (recorded as submitted under that id), never submitted again: a ledger restored from a backup, or one that
 * lost its last writes, sends nothing to Slurm twice. When Slurm cannot say, nothing is submitted that cycle.
 *
 * <p>{@link #stop} (the daemon stopping) starts no further sbatch and waits, at most the given time, for the calls
 * running to answer and be recorded; a call still running then is left to finish on its own and its job, still
 * SUBMITTING, is found by name at the next start.
 */
public final class JobSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(JobSubmitter.class);

    /** Transient refusals tolerated before a job is given up (about an hour and a half of backoff). */
    static final int MAX_TRANSIENT_ATTEMPTS = 12;
    /** sbatch calls at once when the wiring does not say ({@code sweepd.submit.parallelism}). */
    public static final int DEFAULT_PARALLELISM = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /** How a held job's reason starts; {@link SweepStatus} counts the jobs waiting by it. */
    public static final String WAITING_FOR_A_SLOT = "waiting for a slot: ";
    private static final Duration SUBMISSION_WINDOW = Duration.ofMinutes(1);
    /**
     * Jobs claimed but not yet answered, in multiples of the parallelism: enough that the sbatch threads never wait
     * for a claim, few enough that a transient refusal withdraws only a handful of claims.
     */
    private static final int CLAIMED_AHEAD = 3;
    /** Answers written per ledger transaction, in multiples of the parallelism. */
    private static final int RECORD_BATCH = 2;
    /** Looked back before a job's row was written when asking sacct for its name: clocks of hosts differ a little. */
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);
    /** How often a stopping cycle looks at its deadline while it waits for an answer. */
    private static final long STOP_CHECK_MILLIS = 100;

    private final JobStore jobs;
    private final SlurmClient slurm;
    private final Clock clock;
    private final Function<String, ClusterProfile.Limits> limits;
    private final int parallelism;
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();
    /** Set by {@link #stop}: no sbatch starts any more; answers are waited for until {@link #stopDeadline}. */
    private volatile boolean stopping;
    private volatile long stopDeadline;

    /** A submitter without limits: every planned job is submitted as soon as it is due. */
    public JobSubmitter(JobStore jobs, SlurmClient slurm, Clock clock) {
        this(jobs, slurm, clock, profile -> ClusterProfile.Limits.UNLIMITED);
    }

    /** @param limits the limits of a profile by name ({@link ClusterProfile.Limits#UNLIMITED} for none) */
    public JobSubmitter(JobStore jobs, SlurmClient slurm, Clock clock,
                        Function<String, ClusterProfile.Limits> limits) {
        this(jobs, slurm, clock, limits, DEFAULT_PARALLELISM);
    }

    /** @param parallelism the most sbatch calls running at once (at least 1) */
    public JobSubmitter(JobStore jobs, SlurmClient slurm, Clock clock,
                        Function<String, ClusterProfile.Limits> limits, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("submit parallelism must be at least 1, was " + parallelism);
        }
        this.jobs = jobs;
        this.slurm = slurm;
        this.clock = clock;
        this.limits = limits;
        this.parallelism = parallelism;
    }

    /**
     * Submits every planned job whose backoff has passed; one caller at a time. Returns the jobs submitted, in plan
     * order. A transient refusal ends the cycle: what kept sbatch from answering (controller unreachable, a submit
     * limit, a timeout) holds for the next job too, so no further sbatch starts, the jobs claimed but not started go
     * back to PLANNED as they were, the rest wait for the next cycle untouched, and one line says how many wait. A job
     * over its profile's limits is skipped, its reason saying which limit (written only when it changes); jobs of
     * other profiles still go. Returns only once every sbatch it started has answered and been recorded.
     */
    public synchronized List<JobRecord> submitDue() {
        Instant now = clock.instant();
        List<JobRecord> due = jobs.jobsInState(JobState.PLANNED).stream()
                .filter(job -> {
                    Instant wait = notBefore.get(key(job));
                    return wait == null || !now.isBefore(wait);
                })
                .toList();
        if (due.isEmpty() || stopping) {
            return List.of();
        }
        List<JobRecord> adopted = new ArrayList<>();
        try {
            due = adoptExisting(due, adopted);
        } catch (SlurmUnavailableException e) {
            LOG.warn("Slurm cannot say whether jobs of {} planned job(s) already exist ({}); none is submitted until it"
                    + " can, trying again next cycle", due.size(), e.getMessage());
            return List.of();
        }
        if (due.isEmpty()) {
            return List.copyOf(adopted);
        }
        Slots slots = due.stream().anyMatch(job -> limitsOf(job).limited()) ? Slots.count(jobs, now) : null;
        ExecutorService threads = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "sweepd-sbatch-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<JobRecord> submitted = new Cycle(due, slots, threads).run();
            if (adopted.isEmpty()) {
                return submitted;
            }
            List<JobRecord> all = new ArrayList<>(adopted);
            all.addAll(submitted);
            return List.copyOf(all);
        } finally {
            threads.shutdown();
        }
    }

    /**
     * Asks Slurm, in one squeue call (and one sacct call for the names squeue does not hold), whether a job already
     * exists under the name each due job's claim would give, or under its last attempt's name when no Slurm id was
     * recorded for that attempt (an sbatch whose answer was lost, or a ledger that lost the answer). Each such job is
     * claimed and recorded as submitted under the Slurm id found, in two ledger transactions for all of them.
     *
     * @param adopted receives the jobs adopted, as they were read
     * @return the due jobs left to submit, in order
     * @throws SlurmUnavailableException when Slurm cannot say
     */
    private List<JobRecord> adoptExisting(List<JobRecord> due, List<JobRecord> adopted) {
        Map<String, JobRecord> byName = new LinkedHashMap<>();
        Instant since = null;
        for (JobRecord job : due) {
            byName.put(nextName(job), job);
            if (job.jobName() != null && job.slurmJobId() == null) {
                byName.put(job.jobName(), job);
            }
            Instant written = job.createdAt() != null ? job.createdAt() : clock.instant();
            since = since == null || written.isBefore(since) ? written : since;
        }
        Map<String, List<SlurmJobInfo>> found = slurm.findByNames(byName.keySet(), since.minus(CLOCK_SLACK));
        if (found.isEmpty()) {
            return due;
        }
        Map<String, JobStore.Claim> claims = new LinkedHashMap<>();
        Map<String, SlurmJobInfo> existing = new HashMap<>();
        for (JobRecord job : due) {
            // The next attempt's name first: of two attempts found, the later one is the job's current one.
            List<String> names = job.jobName() == null ? List.of(nextName(job)) : List.of(nextName(job), job.jobName());
            for (String name : names) {
                List<SlurmJobInfo> jobsOfName = found.get(name);
                if (jobsOfName != null && !claims.containsKey(key(job))) {
                    SlurmJobInfo newest = jobsOfName.get(jobsOfName.size() - 1);
                    claims.put(key(job), new JobStore.Claim(job, name));
                    existing.put(key(job), newest);
                    if (jobsOfName.size() > 1) {
                        LOG.warn("run {} job {}: Slurm has {} jobs named {} ({}); tracking the newest", job.runId(),
                                job.jobKey(), jobsOfName.size(), name,
                                jobsOfName.stream().map(SlurmJobInfo::jobId).toList());
                    }
                }
            }
        }
        List<JobStore.Submission> submissions = new ArrayList<>();
        for (JobStore.Claim claim : jobs.beginSubmits(List.copyOf(claims.values()))) {
            JobRecord job = claim.planned();
            SlurmJobInfo slurmJob = existing.get(key(job));
            submissions.add(new JobStore.Submission(job.runId(), job.jobKey(), slurmJob.jobId()));
            adopted.add(job);
            notBefore.remove(key(job));
            LOG.warn("run {} job {}: Slurm already has job {} named {} ({}), which the ledger did not know; tracking"
                    + " it instead of submitting again", job.runId(), job.jobKey(), slurmJob.jobId(), claim.jobName(),
                    slurmJob.slurmState());
        }
        jobs.submitted(submissions);
        // A claim that lost (the job moved on meanwhile) is not submitted here either: it is no longer PLANNED.
        return due.stream().filter(job -> !claims.containsKey(key(job))).toList();
    }

    private static String nextName(JobRecord job) {
        return JobNames.attempt(job.runId(), job.jobKey(), job.attempt() + 1);
    }

    /**
     * The daemon is stopping: no sbatch starts from now on, and the cycle under way waits at most {@code wait} for
     * the calls already running to answer (each answer recorded). Calls still running then are left to finish on
     * their own (never killed: sbatch may have created the job), their jobs SUBMITTING for the next start to find by
     * name. Returns at once; {@link #submitDue} returns once the cycle has ended.
     */
    public void stop(Duration wait) {
        stopDeadline = System.nanoTime() + wait.toNanos();
        stopping = true;
    }

    private ClusterProfile.Limits limitsOf(JobRecord job) {
        ClusterProfile.Limits found = job.profile() == null ? null : limits.apply(job.profile());
        return found == null ? ClusterProfile.Limits.UNLIMITED : found;
    }

    /** What became of one claimed job's sbatch call, handed from its thread to the cycle. */
    private record Answer(JobStore.Claim claim, SubmitOutcome outcome, RuntimeException failure) {

        /** The cycle stopped before this job's sbatch started: it never ran. */
        boolean notStarted() {
            return outcome == null && failure == null;
        }

        JobRecord job() {
            return claim.planned();
        }
    }

    /**
     * One call of {@link #submitDue}: offers the due jobs in order, claims them a batch at a time, hands them to the
     * sbatch threads and records their answers as they come, on the calling thread (the ledger is written from here
     * only; the threads run sbatch and nothing else).
     */
    private final class Cycle {

        /** Due jobs not yet offered, by their place in plan order. */
        private final TreeMap<Integer, JobRecord> toOffer = new TreeMap<>();
        /** Over a limit while calls of their profile are unanswered: offered again once those answer. */
        private final TreeMap<Integer, JobRecord> deferred = new TreeMap<>();
        private final Map<String, Integer> order = new HashMap<>();
        private final Slots slots;
        private final ExecutorService threads;
        private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<JobStore.Hold> holds = new ArrayList<>();
        private final List<JobRecord> submitted = new ArrayList<>();
        /** Answers collected, not yet written to the ledger, and what they say to write. */
        private final List<Answer> toRecord = new ArrayList<>();
        private final List<JobStore.Submission> accepted = new ArrayList<>();
        private final List<JobStore.Refusal> refusals = new ArrayList<>();
        private final List<JobStore.Claim> notStarted = new ArrayList<>();
        /** Claimed and handed to the threads, answer not yet taken. */
        private int unanswered;
        private final Set<JobStore.Claim> running = ConcurrentHashMap.newKeySet();
        /** Slurm answered a call of this cycle: from now on up to {@code parallelism} calls run at once. */
        private boolean slurmAnswers;
        private int withdrawn;
        private boolean interrupted;
        /** Said once the cycle is over, with how many jobs wait for the next one: why the cycle stopped. */
        private IntConsumer stopLine;

        Cycle(List<JobRecord> due, Slots slots, ExecutorService threads) {
            for (int i = 0; i < due.size(); i++) {
                toOffer.put(i, due.get(i));
                order.put(key(due.get(i)), i);
            }
            this.slots = slots;
            this.threads = threads;
        }

        List<JobRecord> run() {
            long started = System.nanoTime();
            while (true) {
                if (stopping) {
                    stopped.set(true);
                }
                int window = slurmAnswers ? CLAIMED_AHEAD * parallelism : 1;
                // Claim more only when the threads are about to run dry, and then a batch: fewer transactions.
                boolean room = slurmAnswers ? unanswered <= parallelism : unanswered == 0;
                if (!stopped.get() && room && start(offer(window - unanswered))) {
                    continue;
                }
                if (unanswered == 0) {
                    break;
                }
                Answer first = take();
                if (first == null) {
                    abandonRunning();
                    break;
                }
                List<Answer> batch = new ArrayList<>();
                batch.add(first);
                answers.drainTo(batch);
                unanswered -= batch.size();
                batch.forEach(this::collect);
                // Written a batch at a time: an answer waits in memory (its job SUBMITTING and in flight) until a
                // batch is full, nothing else runs, or the cycle stops.
                if (toRecord.size() >= RECORD_BATCH * parallelism || unanswered == 0 || stopped.get()) {
                    record();
                }
                // Answers may have freed slots: the deferred jobs are offered again (held if still over a limit).
                toOffer.putAll(deferred);
                deferred.clear();
            }
            record();
            writeHolds();
            if (stopLine != null) {
                stopLine.accept(toOffer.size() + deferred.size() + withdrawn);
            }
            logSubmitted(started);
            submitted.sort(Comparator.comparing(job -> order.get(key(job))));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return List.copyOf(submitted);
        }

        /** The next jobs to claim, at most {@code max}, each with its slot taken; jobs over a limit are set aside. */
        private List<JobRecord> offer(int max) {
            List<JobRecord> picked = new ArrayList<>();
            while (picked.size() < max && !toOffer.isEmpty()) {
                Map.Entry<Integer, JobRecord> next = toOffer.pollFirstEntry();
                JobRecord job = next.getValue();
                String full = slots == null ? null : slots.fullBecause(job.profile(), limitsOf(job));
                if (full == null) {
                    if (slots != null) {
                        slots.take(job.profile());
                    }
                    picked.add(job);
                } else if (slots.unanswered(job.profile()) > 0) {
                    deferred.put(next.getKey(), job); // a call in flight may still free a slot
                } else {
                    holds.add(new JobStore.Hold(job.runId(), job.jobKey(), full));
                }
            }
            return picked;
        }

        /**
         * Claims the jobs in one transaction and hands the ones won to the sbatch threads.
         *
         * @return whether any job was picked
         */
        private boolean start(List<JobRecord> picked) {
            if (picked.isEmpty()) {
                return false;
            }
            List<JobStore.Claim> claims = picked.stream()
                    .map(job -> new JobStore.Claim(job, JobNames.attempt(job.runId(), job.jobKey(), job.attempt() + 1)))
                    .toList();
            // In flight before the claim is written: the tracker must never take a job sbatch is about to run for as
            // one left over by a crash.
            claims.forEach(claim -> inFlight.add(key(claim.planned())));
            List<JobStore.Claim> won;
            try {
                won = jobs.beginSubmits(claims);
            } catch (RuntimeException e) {
                claims.forEach(claim -> release(claim.planned()));
                JobRecord first = picked.get(0);
                stop(waiting -> LOG.warn("run {} job {}: claiming {} job(s) for sbatch failed ({}); {} job(s) wait for"
                        + " the next cycle", first.runId(), first.jobKey(), picked.size(), e.toString(),
                        waiting + picked.size(), e));
                return true;
            }
            Set<String> wonKeys = new HashSet<>();
            for (JobStore.Claim claim : won) {
                wonKeys.add(key(claim.planned()));
                unanswered++;
                running.add(claim);
                threads.execute(() -> answers.add(sbatch(claim)));
            }
            for (JobStore.Claim claim : claims) {
                if (!wonKeys.contains(key(claim.planned()))) {
                    release(claim.planned()); // someone else claimed it, or it moved on: no sbatch here
                }
            }
            return true;
        }

        /** On an sbatch thread: runs sbatch for a claimed job, unless the cycle has stopped. Never throws. */
        private Answer sbatch(JobStore.Claim claim) {
            if (stopped.get()) {
                return new Answer(claim, null, null);
            }
            try {
                JobDirectory dir = new JobDirectory(Path.of(claim.planned().jobDir()));
                SubmitOutcome outcome = slurm.submit(dir.script(), claim.jobName(), JobRetries.excludedNodes(dir)
                        .map(nodes -> List.of("--exclude=" + nodes)).orElse(List.of()));
                if (outcome instanceof SubmitOutcome.Transient) {
                    stopped.set(true); // here, not when the answer is recorded: the other threads start nothing more
                }
                return new Answer(claim, outcome, null);
            } catch (RuntimeException e) {
                stopped.set(true);
                return new Answer(claim, null, e);
            }
        }

        /**
         * The next answer. An interrupt or {@link #stop} starts no further sbatch, but the calls already running still
         * answer (each bounded by its timeout) and are recorded, so none is left SUBMITTING for no reason; after a
         * {@link #stop}, only until its deadline.
         *
         * @return null when the stop's deadline passed first
         */
        private Answer take() {
            while (true) {
                try {
                    Answer answer = answers.poll(STOP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                    if (answer != null) {
                        running.remove(answer.claim());
                        return answer;
                    }
                    if (stopping) {
                        stopped.set(true);
                        if (System.nanoTime() - stopDeadline >= 0) {
                            return null;
                        }
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    stopped.set(true);
                }
            }
        }

        /**
         * The stop's wait is over with sbatch calls still running: they are left to finish (never killed), their jobs
         * SUBMITTING; the next start finds each by its attempt's name.
         */
        private void abandonRunning() {
            record();
            for (JobStore.Claim claim : running) {
                inFlight.remove(key(claim.planned()));
                LOG.warn("run {} job {}: sbatch still running as the daemon stops; the job stays SUBMITTING and is"
                        + " found by its name {} at the next start", claim.planned().runId(), claim.planned().jobKey(),
                        claim.jobName());
            }
            unanswered = 0;
            running.clear();
        }

        /** What one answer means, kept for the next {@link #record()}; the slots and the cycle's course follow at once. */
        private void collect(Answer answer) {
            toRecord.add(answer);
            JobRecord job = answer.job();
            if (answer.notStarted()) {
                notStarted.add(answer.claim());
                if (slots != null) {
                    slots.withdraw(job.profile());
                }
                return;
            }
            if (answer.failure() != null) {
                // Not sbatch's answer but sweepd's own failure (the job directory, a bug): said with the job's ids,
                // and the cycle ends, since what broke here likely breaks the next job too. The job stays SUBMITTING
                // and the tracker reconciles it by name.
                RuntimeException e = answer.failure();
                if (slots != null) {
                    slots.answered(job.profile(), new SubmitOutcome.Transient(e.toString(), true));
                }
                stop(waiting -> LOG.warn("run {} job {}: submitting failed ({}); {} job(s) wait for the next cycle",
                        job.runId(), job.jobKey(), e.toString(), waiting + 1, e));
                return;
            }
            if (slots != null) {
                slots.answered(job.profile(), answer.outcome());
            }
            collect(answer.claim(), answer.outcome());
        }

        /** Writes the answers collected so far in a few ledger transactions, then lets the tracker see the jobs again. */
        private void record() {
            if (toRecord.isEmpty()) {
                return;
            }
            try {
                jobs.submitted(accepted);
                jobs.refused(refusals);
                withdrawn += jobs.withdrawClaims(notStarted, "the cycle stopped before this job's sbatch ran");
            } catch (RuntimeException e) {
                // The ledger failed: jobs whose answer is not recorded stay SUBMITTING, and the tracker finds them by
                // name once they are no longer in flight.
                int answered = toRecord.size();
                stop(waiting -> LOG.warn("recording {} sbatch answer(s) in the ledger failed ({}); the tracker looks"
                        + " the jobs up by name; {} job(s) wait for the next cycle", answered, e.toString(), waiting,
                        e));
            } finally {
                toRecord.forEach(answer -> inFlight.remove(key(answer.job())));
                toRecord.clear();
                accepted.clear();
                refusals.clear();
                notStarted.clear();
            }
        }

        /** What one sbatch answer means for its job: into the batches to write, with its log line. */
        private void collect(JobStore.Claim claim, SubmitOutcome outcome) {
            JobRecord job = claim.planned();
            int attempt = claim.attempt();
            if (outcome instanceof SubmitOutcome.Submitted ok) {
                slurmAnswers = true;
                notBefore.remove(key(job));
                accepted.add(new JobStore.Submission(job.runId(), job.jobKey(), ok.jobId()));
                submitted.add(job);
                LOG.debug("job {} of run {} submitted as Slurm job {}", job.jobKey(), job.runId(), ok.jobId());
                return;
            }
            if (outcome instanceof SubmitOutcome.Transient refusal) {
                if (refusal.mayHaveSubmitted()) {
                    // sbatch may have created the job: leave it SUBMITTING for the tracker to find by name.
                    stop(waiting -> LOG.warn("job {}: sbatch gave no clear answer ({}); looking for it by name{}",
                            job.jobKey(), refusal.message(), others(waiting)));
                    return;
                }
                if (attempt >= MAX_TRANSIENT_ATTEMPTS) {
                    refusals.add(new JobStore.Refusal(job.runId(), job.jobKey(), JobState.SUBMIT_FAILED,
                            "gave up after " + attempt + " transient sbatch refusals; last: " + refusal.message()));
                    stop(waiting -> LOG.error("job {} of run {}: gave up after {} transient sbatch refusals; last: {}{}",
                            job.jobKey(), job.runId(), attempt, refusal.message(), others(waiting)));
                    return;
                }
                Duration delay = backoff(attempt);
                notBefore.put(key(job), clock.instant().plus(delay));
                refusals.add(new JobStore.Refusal(job.runId(), job.jobKey(), JobState.PLANNED,
                        "sbatch refused for now (" + refusal.message() + "); retrying in " + delay.toSeconds() + " s"));
                stop(waiting -> LOG.warn("job {}: sbatch refused for now ({}); retrying in {} s{}", job.jobKey(),
                        refusal.message(), delay.toSeconds(), others(waiting)));
                return;
            }
            SubmitOutcome.Permanent refusal = (SubmitOutcome.Permanent) outcome;
            slurmAnswers = true; // the controller answered, it just will not take this job
            refusals.add(new JobStore.Refusal(job.runId(), job.jobKey(), JobState.SUBMIT_FAILED,
                    "sbatch refused the job: " + refusal.message()));
            LOG.error("job {} of run {}: sbatch refused it: {}", job.jobKey(), job.runId(), refusal.message());
        }

        /**
         * No further sbatch starts this cycle. The first reason is said once the cycle is over, when it is known how
         * many jobs wait; a later one (another call that was already running) is said at once.
         */
        private void stop(IntConsumer line) {
            stopped.set(true);
            if (stopLine == null) {
                stopLine = line;
            } else {
                line.accept(0);
            }
        }

        private void release(JobRecord job) {
            inFlight.remove(key(job));
            if (slots != null) {
                slots.withdraw(job.profile());
            }
        }

        private void writeHolds() {
            if (holds.isEmpty()) {
                return;
            }
            Map<String, Integer> newlyHeld = new LinkedHashMap<>();
            try {
                for (JobStore.Hold hold : jobs.holdPlanned(holds)) {
                    newlyHeld.merge(hold.reason(), 1, Integer::sum);
                }
            } catch (RuntimeException e) {
                LOG.warn("recording why {} planned job(s) wait for a slot failed ({}); they are held all the same",
                        holds.size(), e.toString(), e);
            }
            newlyHeld.forEach((reason, count) -> LOG.info("{} planned job(s) {}", count, reason));
        }

        /** One line per run, rather than one per job: a cycle may submit hundreds. */
        private void logSubmitted(long startedNanos) {
            if (submitted.isEmpty()) {
                return;
            }
            Map<String, Integer> perRun = new LinkedHashMap<>();
            submitted.forEach(job -> perRun.merge(job.runId(), 1, Integer::sum));
            long millis = (System.nanoTime() - startedNanos) / 1_000_000;
            perRun.forEach((run, count) -> LOG.info("run {}: {} job(s) submitted to Slurm ({} ms for the cycle)", run,
                    count, millis));
        }
    }

    private static String others(int waiting) {
        return waiting == 0 ? "" : "; " + waiting + " more planned job(s) wait for the next cycle";
    }

    /**
     * One cycle's view of the profiles' slots: counted from the ledger when the cycle starts, then kept up to date
     * with this cycle's own calls. A call takes its slots before it starts (one submission, one queued job), so calls
     * running at once never add up to more than the limits; a refusal gives the queue slot back once it is known.
     */
    private static final class Slots {

        private final Map<String, Integer> queued;
        private final Map<String, Integer> recentSubmissions;
        private final Map<String, Integer> unanswered = new HashMap<>();

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
            if (profile == null) {
                return null;
            }
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

        /** Calls of this profile started (or about to) whose answer is not known yet. */
        int unanswered(String profile) {
            return profile == null ? 0 : unanswered.getOrDefault(profile, 0);
        }

        /** A call for a job of this profile is about to start: it counts as a submission and as a queued job. */
        void take(String profile) {
            if (profile != null) {
                recentSubmissions.merge(profile, 1, Integer::sum);
                queued.merge(profile, 1, Integer::sum);
                unanswered.merge(profile, 1, Integer::sum);
            }
        }

        /** The call answered: still a submission; still queued unless it was refused. */
        void answered(String profile, SubmitOutcome outcome) {
            if (profile == null) {
                return;
            }
            unanswered.merge(profile, -1, Integer::sum);
            boolean maybeInQueue = outcome instanceof SubmitOutcome.Submitted
                    || outcome instanceof SubmitOutcome.Transient refusal && refusal.mayHaveSubmitted();
            if (!maybeInQueue) {
                queued.merge(profile, -1, Integer::sum);
            }
        }

        /** The call never started: both slots are given back. */
        void withdraw(String profile) {
            if (profile != null) {
                unanswered.merge(profile, -1, Integer::sum);
                recentSubmissions.merge(profile, -1, Integer::sum);
                queued.merge(profile, -1, Integer::sum);
            }
        }
    }

    /** Holds a job back for a while (a retry's backoff). */
    public void delay(JobRecord job, Duration backoff) {
        notBefore.put(key(job), clock.instant().plus(backoff));
    }

    /**
     * Whether this process has claimed the job for sbatch and not yet recorded sbatch's answer: the tracker leaves
     * such a job alone instead of reconciling it as one a crash left SUBMITTING.
     */
    public boolean inFlight(JobRecord job) {
        return inFlight.contains(key(job));
    }

    /** The most sbatch calls this submitter runs at once. */
    public int parallelism() {
        return parallelism;
    }

    static Duration backoff(int attempt) {
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 16));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private static String key(JobRecord job) {
        return job.runId() + "/" + job.jobKey();
    }
}
