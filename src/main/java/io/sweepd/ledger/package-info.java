/**
 * The ledger: the crash-safe record of every sweep run, job and point. Plain JDBC (Jdbi over one HikariCP pool,
 * Flyway for the schema), no Camel: the routes reach it through the beans in {@code app}.
 *
 * <h2>Shape</h2>
 * <ul>
 *   <li>{@link io.sweepd.ledger.Ledger} — the database handle: opens the pool (the embedded H2 file by default,
 *       any JDBC URL such as PostgreSQL otherwise), migrates, and hands out the stores below, which share the
 *       pool; closing it closes them.</li>
 *   <li>{@link io.sweepd.ledger.RunStore} — {@code sweep_runs} and {@code points}: records a run with its jobs
 *       and points in one transaction, finds and finishes runs.</li>
 *   <li>{@link io.sweepd.ledger.JobStore} — {@code jobs} and {@code events}: the job state machine. Every change
 *       is compare-and-set ({@code UPDATE ... WHERE state = :from}; the caller learns whether it won) and writes
 *       its event in the same transaction.</li>
 *   <li>{@link io.sweepd.ledger.ResultStore} — {@code results}: a job's collected results, replaced as a
 *       whole.</li>
 *   <li>{@link io.sweepd.ledger.ScheduleStore} — {@code schedules}: cron schedules with their sweep text and
 *       what their last firing did.</li>
 * </ul>
 * Values are records ({@link io.sweepd.ledger.RunRecord}, {@link io.sweepd.ledger.JobRecord},
 * {@link io.sweepd.ledger.PointRecord}, {@link io.sweepd.ledger.ResultRecord},
 * {@link io.sweepd.ledger.EventRecord}). Each store has a contract test that runs on in-memory H2 (unit layer)
 * and on PostgreSQL ({@code *PostgresIT}).
 *
 * <h2>Schema</h2> (db/migration/V1__initial.sql and V2__results.sql, one SQL text for H2 and PostgreSQL)
 * <ul>
 *   <li>{@code sweep_runs} — one row per planned run: id {@code <sweep>-<yyyyMMdd-HHmmss>}, sweep name, source
 *       file and directory, profile override, the whole plan as JSON, state ({@link io.sweepd.ledger.RunState}),
 *       created / finished times.</li>
 *   <li>{@code jobs} — one row per Slurm allocation, key (run_id, job_key): profile, state
 *       ({@link io.sweepd.core.JobState}), reason, Slurm id and job name of the current attempt, attempt count,
 *       job directory, the run it was reused from, deadlines, and the submit / start / end times and exit code.</li>
 *   <li>{@code points} — one row per matrix point, key (run_id, point_id): job key, matrix JSON, state
 *       ({@link io.sweepd.core.PointState}) and the refusal reason of a refused point.</li>
 *   <li>{@code events} — the append-only audit trail: every state change, with from / to state, reason and the
 *       details the caller reported, in the same transaction as the change.</li>
 *   <li>{@code results} — one row per (run_id, point_id, conc): job key, state
 *       ({@link io.sweepd.ledger.ResultState}), reason, metrics and eval JSON, the result file, recorded time.</li>
 *   <li>{@code schedules} (V4) — one row per scheduled sweep, key name: cron, source
 *       ({@link io.sweepd.ledger.ScheduleSource}), source file and directory, profile override, the sweep text,
 *       last firing / run / skip and why, and a schedules-folder file's current problem.</li>
 * </ul>
 *
 * <h2>How a job moves</h2>
 * {@code RunStore.recordRun} (PLANNED, or COMPLETED when an earlier run of the sweep completed the job key and
 * the run is not {@link io.sweepd.ledger.JobReuse#FRESH}) ->
 * {@code JobStore.beginSubmit} (SUBMITTING, written before sbatch runs; only the caller that gets {@code true}
 * runs sbatch) -> {@code submitted} (PENDING) / {@code submitFailed} (SUBMIT_FAILED) / {@code backToPlanned} (a
 * transient refusal) -> {@code transition} as the poller sees Slurm move it. The submitter does the same for many
 * jobs per transaction: {@code beginSubmits}, then {@code submitted(list)} and {@code refused}, and
 * {@code withdrawClaims} for claims whose sbatch never ran (back to PLANNED as the claim found the job). After a restart, {@code liveJobs}
 * lists what to reconcile: a SUBMITTING job found in squeue or sacct by its job name becomes PENDING (or
 * whatever Slurm says) with {@link io.sweepd.ledger.JobDetails#SLURM_JOB_ID}; one Slurm never saw goes back to
 * PLANNED.
 */
package io.sweepd.ledger;

import io.sweepd.core.PointState;
