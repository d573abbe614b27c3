package io.sweepd.ledger;

import io.sweepd.core.JobState;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The job state machine and its audit trail. Every change is compare-and-set on the job's current state
 * ({@code UPDATE ... WHERE state = :from}, the database re-checking the state after any row lock it waited for),
 * so two pollers, a poller and a cancel, or the daemon and a CLI command cannot both move the same job: exactly
 * one caller gets {@code true}. Each change appends its event in the same transaction, so the trail never
 * misses a change nor records one that did not happen. Thread-safe.
 */
public final class JobStore {

    private static final List<String> LIVE_STATES =
            Arrays.stream(JobState.values()).filter(JobState::live).map(Enum::name).toList();
    /** States whose job has not ended: live, or not yet handed to sbatch. */
    private static final List<String> OPEN_STATES =
            Arrays.stream(JobState.values()).filter(s -> !s.terminal()).map(Enum::name).toList();

    /**
     * How the reason of a SUBMITTING job starts once someone asked to cancel it while its sbatch ran: the job stays
     * SUBMITTING (so a restart still finds its Slurm job by name), keeps the mark when sbatch's id is recorded, and
     * the tracker cancels it then; a refused or withdrawn submission ends CANCELLED instead of planned again.
     */
    public static final String CANCEL_REQUESTED = "cancel requested";
    /** Keeps a cancel request through the move to PENDING; clears any other reason. */
    private static final String REASON_AFTER_SUBMIT =
            "reason = CASE WHEN reason LIKE '" + CANCEL_REQUESTED + "%' THEN reason ELSE NULL END";

    /** A new attempt's end has not been handled yet. */
    private static final String NOT_SETTLED =
            "settled_at = NULL, settle_attempts = 0, settle_after = NULL, settle_error = NULL";

    private final Jdbi jdbi;
    private final Clock clock;
    private final Owner owner;

    JobStore(Jdbi jdbi, Clock clock, Owner owner) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * Claims a PLANNED job for submission: PLANNED -> SUBMITTING, attempt + 1, the Slurm job name recorded. Call
     * it before running sbatch and run sbatch only when it returns true. The previous attempt's Slurm id and
     * times are cleared (they stay in the audit trail). To retry a job that ended, move it back to PLANNED first
     * with {@link #transition}, so the retry and its reason are on record.
     *
     * @return false when the job is not PLANNED, because another thread claimed it or it has moved on
     * @throws IllegalArgumentException when the run has no such job
     */
    public boolean beginSubmit(String runId, String jobKey, String jobName) {
        Objects.requireNonNull(jobName, "jobName");
        return jdbi.inTransaction(h -> {
            Instant now = now();
            int changed = h.createUpdate("UPDATE jobs SET state = :submitting, job_name = :name, "
                            + "attempt = attempt + 1, submit_started_at = :now, submitted_at = NULL, "
                            + "slurm_job_id = NULL, started_at = NULL, ended_at = NULL, exit_code = NULL, "
                            + "reason = NULL, updated_at = :now, " + NOT_SETTLED
                            + " WHERE run_id = :run AND job_key = :job AND state = :planned")
                    .bind("submitting", JobState.SUBMITTING.name()).bind("name", jobName)
                    .bind("now", Rows.instant(now)).bind("run", runId).bind("job", jobKey)
                    .bind("planned", JobState.PLANNED.name())
                    .execute();
            JobRecord job = JobStore.require(h, runId, jobKey);
            if (changed == 0) {
                return false;
            }
            Events.write(h, runId, jobKey, now, EventKind.STATE, JobState.PLANNED, JobState.SUBMITTING,
                    "attempt " + job.attempt() + " as " + jobName, null);
            return true;
        });
    }

    /**
     * sbatch accepted the job: SUBMITTING -> PENDING with its Slurm id. Replaying the same report is harmless.
     * When the job had already moved on (reconciliation or a cancel won), its state is kept, but the id is never
     * dropped: it is stored if the job had none, and always written to the audit trail.
     *
     * @return true when the job is now tracked under this Slurm id
     */
    public boolean submitted(String runId, String jobKey, String slurmJobId) {
        Objects.requireNonNull(slurmJobId, "slurmJobId");
        return jdbi.inTransaction(h -> {
            Instant now = now();
            Map<String, Object> details = Map.of(JobDetails.SLURM_JOB_ID, slurmJobId);
            int changed = h.createUpdate("UPDATE jobs SET state = :pending, slurm_job_id = :slurm, "
                            + "submitted_at = :now, " + REASON_AFTER_SUBMIT + ", updated_at = :now "
                            + "WHERE run_id = :run AND job_key = :job AND state = :submitting")
                    .bind("pending", JobState.PENDING.name()).bind("slurm", slurmJobId)
                    .bind("now", Rows.instant(now)).bind("run", runId).bind("job", jobKey)
                    .bind("submitting", JobState.SUBMITTING.name())
                    .execute();
            if (changed == 1) {
                Events.write(h, runId, jobKey, now, EventKind.STATE, JobState.SUBMITTING, JobState.PENDING,
                        "submitted as Slurm job " + slurmJobId, details);
                return true;
            }
            return lateSubmission(h, now, runId, jobKey, slurmJobId);
        });
    }

    /**
     * sbatch's id for a job no longer SUBMITTING: kept if the job had none, on record either way.
     *
     * @return true when the job is tracked under this id
     */
    private static boolean lateSubmission(Handle h, Instant now, String runId, String jobKey, String slurmJobId) {
        Map<String, Object> details = Map.of(JobDetails.SLURM_JOB_ID, slurmJobId);
        JobRecord job = JobStore.require(h, runId, jobKey);
        if (slurmJobId.equals(job.slurmJobId())) {
            return true;
        }
        if (job.slurmJobId() == null) {
            h.createUpdate("UPDATE jobs SET slurm_job_id = :slurm, submitted_at = :now, updated_at = :now "
                            + "WHERE run_id = :run AND job_key = :job")
                    .bind("slurm", slurmJobId).bind("now", Rows.instant(now)).bind("run", runId)
                    .bind("job", jobKey)
                    .execute();
            Events.write(h, runId, jobKey, now, EventKind.LATE_REPORT, job.state(), job.state(),
                    "Slurm accepted the job as " + slurmJobId + " after it had moved to " + job.state()
                            + "; the id is kept so the job can be found and cancelled", details);
        } else {
            Events.write(h, runId, jobKey, now, EventKind.DUPLICATE_SUBMISSION, job.state(), job.state(),
                    "Slurm job " + slurmJobId + " was reported for a job already submitted as "
                            + job.slurmJobId(), details);
        }
        return false;
    }

    /**
     * sbatch refused the job for good: SUBMITTING -> SUBMIT_FAILED with Slurm's message as the reason.
     *
     * @return false when the job had already moved on (the report is kept in the audit trail)
     */
    public boolean submitFailed(String runId, String jobKey, String message) {
        return endSubmit(runId, jobKey, JobState.SUBMIT_FAILED, message);
    }

    /**
     * sbatch refused the job for now (a transient error, a submit limit): SUBMITTING -> PLANNED, to be claimed
     * again by {@link #beginSubmit} later. The attempt count stays, so retries are visible.
     *
     * @return false when the job had already moved on (the report is kept in the audit trail)
     */
    public boolean backToPlanned(String runId, String jobKey, String reason) {
        return endSubmit(runId, jobKey, JobState.PLANNED, reason);
    }

    private boolean endSubmit(String runId, String jobKey, JobState to, String reason) {
        return jdbi.inTransaction(h -> endSubmit(h, runId, jobKey, to, reason));
    }

    private boolean endSubmit(Handle h, String runId, String jobKey, JobState to, String reason) {
        Optional<JobRecord> current = find(h, runId, jobKey);
        if (current.isPresent() && current.get().state() == JobState.SUBMITTING && cancelRequested(current.get())) {
            // Someone cancelled it while sbatch ran, and sbatch did not submit it: cancelled, never planned again.
            return cancelSubmitting(h, current.get(), current.get().reason() + "; sbatch did not submit it ("
                    + reason + ")");
        }
        String text = Rows.clamp(reason);
        Instant now = now();
        int changed = h.createUpdate("UPDATE jobs SET state = :to, reason = :reason, updated_at = :now "
                        + "WHERE run_id = :run AND job_key = :job AND state = :submitting")
                .bind("to", to.name()).bind("reason", text).bind("now", Rows.instant(now))
                .bind("run", runId).bind("job", jobKey).bind("submitting", JobState.SUBMITTING.name())
                .execute();
        if (changed == 1) {
            Events.write(h, runId, jobKey, now, EventKind.STATE, JobState.SUBMITTING, to, text, null);
            return true;
        }
        JobRecord job = JobStore.require(h, runId, jobKey);
        if (job.state() == to) {
            return true;
        }
        Events.write(h, runId, jobKey, now, EventKind.LATE_REPORT, job.state(), job.state(),
                "submit outcome " + to + " arrived after the job had moved to " + job.state() + ": " + text, null);
        return false;
    }

    /**
     * Records why a PLANNED job is held back (a profile's limit), with an event, only when the reason differs from
     * the one on record: a submitter that checks every few seconds leaves one event per change, not one per cycle.
     * {@link #beginSubmit} clears it.
     *
     * @return true when the reason was written; false when it was already on record or the job is not PLANNED
     */
    public boolean holdPlanned(String runId, String jobKey, String reason) {
        String text = Rows.clamp(Objects.requireNonNull(reason, "reason"));
        return jdbi.inTransaction(h -> {
            Instant now = now();
            int changed = h.createUpdate("UPDATE jobs SET reason = :reason, updated_at = :now "
                            + "WHERE run_id = :run AND job_key = :job AND state = :planned "
                            + "AND (reason IS NULL OR reason <> :reason)")
                    .bind("reason", text).bind("now", Rows.instant(now)).bind("run", runId).bind("job", jobKey)
                    .bind("planned", JobState.PLANNED.name())
                    .execute();
            if (changed == 0) {
                JobStore.require(h, runId, jobKey);
                return false;
            }
            Events.write(h, runId, jobKey, now, EventKind.STATE, JobState.PLANNED, JobState.PLANNED, text, null);
            return true;
        });
    }

    /**
     * How many jobs of each profile had sbatch started for them after {@code since} (any attempt, whatever sbatch
     * answered: each call was a request to the controller). Jobs without a profile are left out.
     */
    public Map<String, Integer> submissionsStartedAfter(Instant since) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT profile, COUNT(*) AS n FROM jobs "
                        + "WHERE submit_started_at > :since AND profile IS NOT NULL" + owner.ownsRun("run_id")
                        + " GROUP BY profile"))
                .bind("since", Rows.instant(Rows.micros(since)))
                .map((rs, ctx) -> Map.entry(rs.getString("profile"), rs.getInt("n")))
                .list().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    // ---------------------------------------------------------------- jobs: submitting many at once

    /**
     * A claim on a PLANNED job, as the caller read it, for sbatch to run as {@code jobName}: the attempt it claims is
     * the one after the attempt read, so a job that moved on since (claimed, cancelled, retried) is not claimed.
     */
    public record Claim(JobRecord planned, String jobName) {
        public Claim {
            Objects.requireNonNull(planned, "planned");
            Objects.requireNonNull(jobName, "jobName");
        }

        /** The attempt this claim starts. */
        public int attempt() {
            return planned.attempt() + 1;
        }
    }

    /** sbatch accepted a claimed job: Slurm knows it under this id. */
    public record Submission(String runId, String jobKey, String slurmJobId) {
        public Submission {
            Objects.requireNonNull(slurmJobId, "slurmJobId");
        }
    }

    /** sbatch refused a claimed job: back to PLANNED (for now) or SUBMIT_FAILED (for good), with the reason. */
    public record Refusal(String runId, String jobKey, JobState to, String reason) {
        public Refusal {
            if (to != JobState.PLANNED && to != JobState.SUBMIT_FAILED) {
                throw new IllegalArgumentException("a refused submission ends PLANNED or SUBMIT_FAILED, not " + to);
            }
        }
    }

    /** Why a PLANNED job is held back ({@link #holdPlanned}). */
    public record Hold(String runId, String jobKey, String reason) {
        public Hold {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * {@link #beginSubmit} for many jobs in one transaction: each claimed job is SUBMITTING with its attempt's name
     * (and its event written) before this returns, so sbatch may run for it. A job is claimed only if it is still
     * PLANNED at the attempt its claim was read at; a job the run does not have is not claimed either.
     *
     * @return the claims that won, in the order given
     */
    public List<Claim> beginSubmits(List<Claim> claims) {
        if (claims.isEmpty()) {
            return List.of();
        }
        return jdbi.inTransaction(h -> {
            Instant now = now();
            PreparedBatch batch = h.prepareBatch("UPDATE jobs SET state = :submitting, job_name = :name, "
                    + "attempt = :attempt, submit_started_at = :now, submitted_at = NULL, "
                    + "slurm_job_id = NULL, started_at = NULL, ended_at = NULL, exit_code = NULL, "
                    + "reason = NULL, updated_at = :now, " + NOT_SETTLED
                    + " WHERE run_id = :run AND job_key = :job AND state = :planned AND attempt = :previous");
            for (Claim claim : claims) {
                batch.bind("submitting", JobState.SUBMITTING.name()).bind("name", claim.jobName())
                        .bind("attempt", claim.attempt()).bind("now", Rows.instant(now))
                        .bind("run", claim.planned().runId()).bind("job", claim.planned().jobKey())
                        .bind("planned", JobState.PLANNED.name()).bind("previous", claim.planned().attempt())
                        .add();
            }
            int[] changed = batch.execute();
            List<Claim> won = new ArrayList<>();
            Events.Batch events = Events.batch(h);
            for (int i = 0; i < claims.size(); i++) {
                if (changed[i] == 1) {
                    Claim claim = claims.get(i);
                    won.add(claim);
                    events.add(claim.planned().runId(), claim.planned().jobKey(), now, EventKind.STATE,
                            JobState.PLANNED, JobState.SUBMITTING,
                            "attempt " + claim.attempt() + " as " + claim.jobName(), null);
                }
            }
            events.execute();
            return List.copyOf(won);
        });
    }

    /**
     * Takes claims back whose sbatch never ran (the cycle stopped before it got to them): SUBMITTING -> PLANNED with
     * the row as the claim read it (attempt, job name, reason, times), so the job is as if it had not been claimed
     * and the submission does not count against a profile's limit. The claim and its withdrawal stay in the audit
     * trail. Compare-and-set on the claim's own attempt and name: a job that moved on is left alone.
     *
     * @return how many claims were withdrawn
     */
    public int withdrawClaims(List<Claim> claims, String why) {
        if (claims.isEmpty()) {
            return 0;
        }
        String text = Rows.clamp(Objects.requireNonNull(why, "why"));
        return jdbi.inTransaction(h -> {
            Instant now = now();
            PreparedBatch batch = h.prepareBatch("UPDATE jobs SET state = :planned, job_name = :oldName, "
                    + "attempt = :oldAttempt, reason = :oldReason, slurm_job_id = :oldSlurm, "
                    + "submit_started_at = :oldSubmitStarted, submitted_at = :oldSubmitted, "
                    + "started_at = :oldStarted, ended_at = :oldEnded, exit_code = :oldExit, "
                    + "settled_at = :oldSettled, settle_attempts = :oldSettleAttempts, "
                    + "settle_after = :oldSettleAfter, settle_error = :oldSettleError, updated_at = :now "
                    + "WHERE run_id = :run AND job_key = :job AND state = :submitting AND attempt = :attempt "
                    + "AND job_name = :name AND (reason IS NULL OR reason NOT LIKE '" + CANCEL_REQUESTED + "%')");
            for (Claim claim : claims) {
                JobRecord old = claim.planned();
                batch.bind("planned", JobState.PLANNED.name()).bind("oldName", old.jobName())
                        .bind("oldAttempt", old.attempt()).bind("oldReason", old.reason())
                        .bind("oldSlurm", old.slurmJobId())
                        .bind("oldSubmitStarted", Rows.instant(old.submitStartedAt()))
                        .bind("oldSubmitted", Rows.instant(old.submittedAt()))
                        .bind("oldStarted", Rows.instant(old.startedAt()))
                        .bind("oldEnded", Rows.instant(old.endedAt()))
                        .bind("oldExit", old.exitCode())
                        .bind("oldSettled", Rows.instant(old.settledAt()))
                        .bind("oldSettleAttempts", old.settleAttempts())
                        .bind("oldSettleAfter", Rows.instant(old.settleAfter()))
                        .bind("oldSettleError", old.settleError())
                        .bind("now", Rows.instant(now)).bind("run", old.runId()).bind("job", old.jobKey())
                        .bind("submitting", JobState.SUBMITTING.name()).bind("attempt", claim.attempt())
                        .bind("name", claim.jobName())
                        .add();
            }
            int[] changed = batch.execute();
            Events.Batch events = Events.batch(h);
            int withdrawn = 0;
            for (int i = 0; i < claims.size(); i++) {
                if (changed[i] == 1) {
                    withdrawn++;
                    Claim claim = claims.get(i);
                    events.add(claim.planned().runId(), claim.planned().jobKey(), now, EventKind.STATE,
                            JobState.SUBMITTING, JobState.PLANNED, "claim for attempt " + claim.attempt()
                                    + " withdrawn before sbatch ran: " + text, null);
                }
            }
            events.execute();
            return withdrawn;
        });
    }

    /**
     * {@link #submitted(String, String, String)} for many jobs in one transaction, with the same rules for a job
     * that had already moved on (its id is kept, and the late report is in the audit trail).
     *
     * @return how many of the jobs are now tracked under the id reported for them
     */
    public int submitted(List<Submission> submissions) {
        if (submissions.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            Instant now = now();
            PreparedBatch batch = h.prepareBatch("UPDATE jobs SET state = :pending, slurm_job_id = :slurm, "
                    + "submitted_at = :now, " + REASON_AFTER_SUBMIT + ", updated_at = :now "
                    + "WHERE run_id = :run AND job_key = :job AND state = :submitting");
            for (Submission s : submissions) {
                batch.bind("pending", JobState.PENDING.name()).bind("slurm", s.slurmJobId())
                        .bind("now", Rows.instant(now)).bind("run", s.runId()).bind("job", s.jobKey())
                        .bind("submitting", JobState.SUBMITTING.name())
                        .add();
            }
            int[] changed = batch.execute();
            Events.Batch events = Events.batch(h);
            int tracked = 0;
            for (int i = 0; i < submissions.size(); i++) {
                Submission s = submissions.get(i);
                if (changed[i] == 1) {
                    tracked++;
                    events.add(s.runId(), s.jobKey(), now, EventKind.STATE, JobState.SUBMITTING, JobState.PENDING,
                            "submitted as Slurm job " + s.slurmJobId(), Map.of(JobDetails.SLURM_JOB_ID, s.slurmJobId()));
                } else if (lateSubmission(h, now, s.runId(), s.jobKey(), s.slurmJobId())) {
                    tracked++;
                }
            }
            events.execute();
            return tracked;
        });
    }

    /**
     * {@link #submitFailed} and {@link #backToPlanned} for many jobs in one transaction, with the same rules for a
     * job that had already moved on.
     *
     * @return how many of the jobs are now in the state their refusal asked for
     */
    public int refused(List<Refusal> refusals) {
        if (refusals.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            int done = 0;
            for (Refusal refusal : refusals) {
                if (endSubmit(h, refusal.runId(), refusal.jobKey(), refusal.to(), refusal.reason())) {
                    done++;
                }
            }
            return done;
        });
    }

    /**
     * {@link #holdPlanned(String, String, String)} for many jobs in one transaction: a reason is written (with its
     * event) only where it differs from the one on record.
     *
     * @return the holds that were written
     */
    public List<Hold> holdPlanned(List<Hold> holds) {
        if (holds.isEmpty()) {
            return List.of();
        }
        return jdbi.inTransaction(h -> {
            Instant now = now();
            PreparedBatch batch = h.prepareBatch("UPDATE jobs SET reason = :reason, updated_at = :now "
                    + "WHERE run_id = :run AND job_key = :job AND state = :planned "
                    + "AND (reason IS NULL OR reason <> :reason)");
            for (Hold hold : holds) {
                batch.bind("reason", Rows.clamp(hold.reason())).bind("now", Rows.instant(now))
                        .bind("run", hold.runId()).bind("job", hold.jobKey())
                        .bind("planned", JobState.PLANNED.name())
                        .add();
            }
            int[] changed = batch.execute();
            List<Hold> written = new ArrayList<>();
            Events.Batch events = Events.batch(h);
            for (int i = 0; i < holds.size(); i++) {
                if (changed[i] == 1) {
                    Hold hold = holds.get(i);
                    written.add(hold);
                    events.add(hold.runId(), hold.jobKey(), now, EventKind.STATE, JobState.PLANNED,
                            JobState.PLANNED, Rows.clamp(hold.reason()), null);
                }
            }
            events.execute();
            return List.copyOf(written);
        });
    }

    // ---------------------------------------------------------------- jobs: cancelling while sbatch runs

    /** Whether someone asked to cancel this job while its sbatch ran ({@link #requestCancel}). */
    public static boolean cancelRequested(JobRecord job) {
        return job.reason() != null && job.reason().startsWith(CANCEL_REQUESTED) && !job.state().terminal();
    }

    /**
     * Marks a SUBMITTING job to be cancelled as soon as its sbatch answers (the tracker then cancels the Slurm job;
     * a refused submission ends CANCELLED). Its state stays SUBMITTING, so a daemon that dies meanwhile still finds
     * the Slurm job by name at its next start, and cancels it then.
     *
     * @return false when the job is not SUBMITTING (any more)
     */
    public boolean requestCancel(String runId, String jobKey, String who) {
        String text = Rows.clamp(CANCEL_REQUESTED + " by " + who + " while sbatch ran");
        return jdbi.inTransaction(h -> {
            Instant now = now();
            int changed = h.createUpdate("UPDATE jobs SET reason = :reason, updated_at = :now "
                            + "WHERE run_id = :run AND job_key = :job AND state = :submitting")
                    .bind("reason", text).bind("now", Rows.instant(now)).bind("run", runId).bind("job", jobKey)
                    .bind("submitting", JobState.SUBMITTING.name())
                    .execute();
            if (changed == 0) {
                JobStore.require(h, runId, jobKey);
                return false;
            }
            Events.write(h, runId, jobKey, now, EventKind.STATE, JobState.SUBMITTING, JobState.SUBMITTING, text, null);
            return true;
        });
    }

    /**
     * A cancel-requested SUBMITTING job that Slurm never got (sbatch refused it, or no job of its name exists):
     * SUBMITTING -> CANCELLED.
     *
     * @return false when the job had moved on
     */
    public boolean cancelSubmitting(String runId, String jobKey, String reason) {
        return jdbi.inTransaction(h -> {
            JobRecord job = require(h, runId, jobKey);
            return job.state() == JobState.SUBMITTING && cancelSubmitting(h, job, reason);
        });
    }

    private boolean cancelSubmitting(Handle h, JobRecord job, String reason) {
        String text = Rows.clamp(reason);
        Instant now = now();
        int changed = h.createUpdate("UPDATE jobs SET state = :cancelled, reason = :reason, ended_at = :now, "
                        + "updated_at = :now WHERE run_id = :run AND job_key = :job AND state = :submitting")
                .bind("cancelled", JobState.CANCELLED.name()).bind("reason", text).bind("now", Rows.instant(now))
                .bind("run", job.runId()).bind("job", job.jobKey()).bind("submitting", JobState.SUBMITTING.name())
                .execute();
        if (changed == 1) {
            Events.write(h, job.runId(), job.jobKey(), now, EventKind.STATE, JobState.SUBMITTING, JobState.CANCELLED,
                    text, null);
        }
        return changed == 1;
    }

    // ---------------------------------------------------------------- jobs: tracking

    /**
     * Compare-and-set state change: moves the job from {@code from} to {@code to} only if it is in {@code from},
     * sets the reason, applies the {@link JobDetails} keys present in {@code details} to the job's columns, and
     * appends an event carrying all of {@code details}.
     *
     * @return false when the job was not in {@code from}; nothing is changed then
     * @throws IllegalArgumentException when the run has no such job, when {@code to} is SUBMITTING (only
     *                                  {@link #beginSubmit} claims a job), or when a job Slurm may still run
     *                                  would go back to PLANNED (it would be submitted twice)
     */
    public boolean transition(String runId, String jobKey, JobState from, JobState to, String reason,
                              Map<String, Object> details) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to == JobState.SUBMITTING && from != JobState.SUBMITTING) {
            throw new IllegalArgumentException("only beginSubmit moves a job to SUBMITTING");
        }
        if (to == JobState.PLANNED && from.live() && from != JobState.SUBMITTING) {
            throw new IllegalArgumentException("a " + from + " job is still Slurm's; moving it back to PLANNED "
                    + "would submit it twice (cancel it and wait for the end first)");
        }
        Map<String, Object> given = details == null ? Map.of() : details;
        String slurmJobId = JobDetails.text(given, JobDetails.SLURM_JOB_ID);
        Instant submittedAt = Rows.micros(JobDetails.instant(given, JobDetails.SUBMITTED_AT));
        Instant startedAt = Rows.micros(JobDetails.instant(given, JobDetails.STARTED_AT));
        Instant endedAt = Rows.micros(JobDetails.instant(given, JobDetails.ENDED_AT));
        Integer exitCode = JobDetails.integer(given, JobDetails.EXIT_CODE);
        String text = Rows.clamp(reason);
        return jdbi.inTransaction(h -> {
            Instant now = now();
            StringBuilder sql = new StringBuilder("UPDATE jobs SET state = :to, reason = :reason, updated_at = :now");
            if (slurmJobId != null) {
                sql.append(", slurm_job_id = :slurm");
                sql.append(submittedAt != null ? ", submitted_at = :submitted"
                        : ", submitted_at = COALESCE(submitted_at, :now)");
            } else if (submittedAt != null) {
                sql.append(", submitted_at = :submitted");
            }
            if (startedAt != null) {
                sql.append(", started_at = :started");
            }
            if (endedAt != null) {
                sql.append(", ended_at = :ended");
            }
            if (exitCode != null) {
                sql.append(", exit_code = :exit");
            }
            sql.append(" WHERE run_id = :run AND job_key = :job AND state = :from");
            Update update = h.createUpdate(sql.toString())
                    .bind("to", to.name()).bind("reason", text).bind("now", Rows.instant(now))
                    .bind("run", runId).bind("job", jobKey).bind("from", from.name());
            if (slurmJobId != null) {
                update.bind("slurm", slurmJobId);
            }
            if (submittedAt != null) {
                update.bind("submitted", Rows.instant(submittedAt));
            }
            if (startedAt != null) {
                update.bind("started", Rows.instant(startedAt));
            }
            if (endedAt != null) {
                update.bind("ended", Rows.instant(endedAt));
            }
            if (exitCode != null) {
                update.bind("exit", exitCode);
            }
            if (update.execute() == 0) {
                JobStore.require(h, runId, jobKey);
                return false;
            }
            Events.write(h, runId, jobKey, now, EventKind.STATE, from, to, text, given);
            return true;
        });
    }

    /** Every job Slurm may still change (SUBMITTING, PENDING, RUNNING, REQUEUED), across all runs. */
    public List<JobRecord> liveJobs() {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT * FROM jobs WHERE state IN (<states>)"
                        + owner.ownsRun("run_id") + " ORDER BY created_at, run_id, plan_index"))
                .bindList("states", LIVE_STATES)
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    public List<JobRecord> jobsInState(JobState state) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT * FROM jobs WHERE state = :state"
                        + owner.ownsRun("run_id") + " ORDER BY created_at, run_id, plan_index"))
                .bind("state", state.name())
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    /** The run's jobs in plan order. */
    public List<JobRecord> jobs(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM jobs WHERE run_id = :run ORDER BY plan_index")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    /**
     * How many of the run's jobs are in each state (states with none are absent): a summary's counts without reading
     * every job (what {@code sweepd status} draws for each run).
     */
    public Map<JobState, Integer> countByState(String runId) {
        return jdbi.withHandle(h -> {
            Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
            h.createQuery("SELECT state, COUNT(*) AS n FROM jobs WHERE run_id = :run GROUP BY state")
                    .bind("run", runId)
                    .map((rs, ctx) -> Map.entry(JobState.valueOf(rs.getString("state")), rs.getInt("n")))
                    .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
            return counts;
        });
    }

    /** The reasons of the run's jobs in one state (nulls left out), in no particular order. */
    public List<String> reasons(String runId, JobState state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT reason FROM jobs WHERE run_id = :run AND state = :state "
                        + "AND reason IS NOT NULL")
                .bind("run", runId).bind("state", state.name())
                .mapTo(String.class).list());
    }

    /**
     * How many of the run's jobs are left to settle ({@link JobRecord#settled()} false): 0 means the run can
     * finish. A count, so the poll cycle does not read every job of every active run.
     */
    public int unsettledCount(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE run_id = :run "
                        + "AND (state IN (<open>) OR (settled_at IS NULL AND reused_from_run IS NULL))")
                .bind("run", runId).bindList("open", OPEN_STATES)
                .mapTo(Integer.class).one());
    }

    public Optional<JobRecord> job(String runId, String jobKey) {
        return jdbi.withHandle(h -> JobStore.find(h, runId, jobKey));
    }

    /**
     * The job Slurm knows under this id. Ids are not unique across clusters sharing one database or across a
     * rebuilt controller, so a live job wins, then the most recently submitted.
     */
    public Optional<JobRecord> bySlurmJobId(String slurmJobId) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT * FROM jobs WHERE slurm_job_id = :slurm"
                        + owner.ownsRun("run_id") + " ORDER BY CASE WHEN state IN (<live>) THEN 0 ELSE 1 END, "
                        + "submitted_at DESC, updated_at DESC LIMIT 1"))
                .bind("slurm", slurmJobId).bindList("live", LIVE_STATES)
                .map((rs, ctx) -> Rows.job(rs)).findOne());
    }

    /** Every job of this owner's runs with this key (a sweep's job recurs in each of its runs), oldest first. */
    public List<JobRecord> jobsWithKey(String jobKey) {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT * FROM jobs WHERE job_key = :job"
                        + owner.ownsRun("run_id") + " ORDER BY created_at, run_id"))
                .bind("job", jobKey)
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    /**
     * Every job that was ever submitted under this Slurm id: its current attempt's, or an earlier attempt's that a
     * retry replaced on the job's row and that only the audit trail still holds. Oldest first.
     */
    public List<JobRecord> jobsEverSubmittedAs(String slurmJobId) {
        // The trail's details are compact JSON written by the ledger itself, so the id is found as text. An array
        // job's '_' matches any character in LIKE: at worst a neighbour's id matches too, and the caller checks.
        String inDetails = "%\"" + JobDetails.SLURM_JOB_ID + "\":\"" + slurmJobId.replace("%", "") + "\"%";
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT * FROM jobs j WHERE (j.slurm_job_id = :slurm "
                        + "OR EXISTS (SELECT 1 FROM events e WHERE e.run_id = j.run_id AND e.job_key = j.job_key "
                        + "AND e.details_json LIKE :details))" + owner.ownsRun("j.run_id")
                        + " ORDER BY j.created_at, j.run_id"))
                .bind("slurm", slurmJobId).bind("details", inDetails)
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    // ---------------------------------------------------------------- jobs: settling an end

    /**
     * Jobs whose end still needs handling, across all runs, oldest first: ended, not settled, not reused from an
     * earlier run, and past the backoff of a failed attempt.
     */
    public List<JobRecord> unsettled() {
        return jdbi.withHandle(h -> owner.bind(h.createQuery("SELECT * FROM jobs WHERE state NOT IN (<open>) "
                        + "AND settled_at IS NULL AND reused_from_run IS NULL "
                        + "AND (settle_after IS NULL OR settle_after <= :now)" + owner.ownsRun("run_id")
                        + " ORDER BY created_at, run_id, plan_index"))
                .bindList("open", OPEN_STATES).bind("now", Rows.instant(now()))
                .map((rs, ctx) -> Rows.job(rs)).list());
    }

    /**
     * The job's end was handled: records it once. Compare-and-set on the attempt whose end it was, so a late or
     * repeated call (a restart that handled the end again) changes nothing and writes no second event.
     *
     * @return true for the one call that settled this attempt
     */
    public boolean settled(String runId, String jobKey, int attempt, String summary) {
        String text = Rows.clamp(summary);
        return jdbi.inTransaction(h -> {
            Instant now = now();
            int changed = h.createUpdate("UPDATE jobs SET settled_at = :now, settle_after = NULL, settle_error = NULL "
                            + "WHERE run_id = :run AND job_key = :job AND attempt = :attempt AND settled_at IS NULL")
                    .bind("now", Rows.instant(now)).bind("run", runId).bind("job", jobKey).bind("attempt", attempt)
                    .execute();
            if (changed == 0) {
                JobStore.require(h, runId, jobKey);
                return false;
            }
            JobRecord job = JobStore.require(h, runId, jobKey);
            Events.write(h, runId, jobKey, now, EventKind.SETTLED, job.state(), job.state(), text, null);
            return true;
        });
    }

    /** Handling the job's end threw: counted, and not tried again before {@code retryAt}. */
    public void settleFailed(String runId, String jobKey, int attempt, String error, Instant retryAt) {
        String text = Rows.clamp(error);
        jdbi.useTransaction(h -> {
            Instant now = now();
            int changed = h.createUpdate("UPDATE jobs SET settle_attempts = settle_attempts + 1, "
                            + "settle_after = :after, settle_error = :error "
                            + "WHERE run_id = :run AND job_key = :job AND attempt = :attempt AND settled_at IS NULL")
                    .bind("after", Rows.instant(Rows.micros(retryAt))).bind("error", text).bind("run", runId)
                    .bind("job", jobKey).bind("attempt", attempt)
                    .execute();
            JobRecord job = JobStore.require(h, runId, jobKey);
            if (changed == 1) {
                Events.write(h, runId, jobKey, now, EventKind.SETTLE_FAILED, job.state(), job.state(), text,
                        Map.of("retryAt", Rows.micros(retryAt).toString()));
            }
        });
    }

    // ---------------------------------------------------------------- the audit trail

    /** The run's audit trail, oldest first. */
    public List<EventRecord> events(String runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM events WHERE run_id = :run ORDER BY id")
                .bind("run", runId)
                .map((rs, ctx) -> Rows.event(rs)).list());
    }

    /** One job's history, oldest first. */
    public List<EventRecord> events(String runId, String jobKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM events WHERE run_id = :run AND job_key = :job "
                        + "ORDER BY id")
                .bind("run", runId).bind("job", jobKey)
                .map((rs, ctx) -> Rows.event(rs)).list());
    }

    // ---------------------------------------------------------------- attempts

    /**
     * Every attempt of every job of the run that sbatch was run for, read from the audit trail (see
     * {@link AttemptRecord}), by job key; a job this run reused or never submitted has none.
     */
    public Map<String, List<AttemptRecord>> attempts(String runId) {
        Attempts attempts = new Attempts();
        jdbi.useHandle(h -> h.createQuery("SELECT * FROM events WHERE run_id = :run AND job_key IS NOT NULL "
                        + "AND kind IN (<kinds>) ORDER BY id")
                .bind("run", runId).bindList("kinds", List.of(EventKind.STATE.name(), EventKind.LATE_REPORT.name()))
                .map((rs, ctx) -> Rows.event(rs)).forEach(attempts::add));
        return attempts.attempts();
    }

    /** One job's attempts, oldest first (empty when it has none). */
    public List<AttemptRecord> attempts(String runId, String jobKey) {
        Attempts attempts = new Attempts();
        events(runId, jobKey).forEach(attempts::add);
        return attempts.attempts().getOrDefault(jobKey, List.of());
    }

    // ---------------------------------------------------------------- inside another store's transaction

    /** Package-private so that {@link ResultStore} checks the job in the same transaction as its writes. */
    static Optional<JobRecord> find(Handle h, String runId, String jobKey) {
        return h.createQuery("SELECT * FROM jobs WHERE run_id = :run AND job_key = :job")
                .bind("run", runId).bind("job", jobKey)
                .map((rs, ctx) -> Rows.job(rs)).findOne();
    }

    static JobRecord require(Handle h, String runId, String jobKey) {
        return find(h, runId, jobKey)
                .orElseThrow(() -> new IllegalArgumentException("no job " + jobKey + " in run " + runId));
    }

    private Instant now() {
        return Rows.micros(clock.instant());
    }
}
