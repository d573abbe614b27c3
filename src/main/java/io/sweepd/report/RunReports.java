package io.sweepd.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sweepd.core.Beside;
import io.sweepd.files.FileModes;
import io.sweepd.json.Json;
import io.sweepd.ledger.AttemptRecord;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.results.ComparisonRows;
import io.sweepd.results.PointResult;
import io.sweepd.results.PointResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A run's report, rewritten whenever one of its jobs ends and final when the last one has:
 * {@code reports/<run-id>/report.{md,csv,json,html}}. The baseline is the previous finished run of the same
 * sweep unless one is named.
 *
 * <p>While a run goes on, its rows are kept here (only for active runs; dropped when the run finishes): when a job
 * ends, only that job's rows are read from the ledger again, so the cost of one update does not grow with the size
 * of the run and its history. The rows of other jobs are as their own last end left them (a job's live state,
 * PENDING or RUNNING, shows once it ends or in the final report). The final report is built from the ledger whole,
 * which is the truth.
 */
public final class RunReports {

    private static final Logger LOG = LoggerFactory.getLogger(RunReports.class);

    /** Of a baseline run, the comparison reads only these metrics. */
    private static final Set<String> BASELINE_METRICS = BaselineComparison.COMPARED.stream().map(ReportMetric::key)
            .collect(Collectors.toUnmodifiableSet());

    /** The report's history shows this many runs of the sweep: this one and the latest finished ones before it. */
    static final int HISTORY_RUNS = 8;
    private static final Set<String> HISTORY_METRICS = Set.of(ReportMetric.TPUT_PER_GPU.key());

    private final Ledger ledger;
    private final Path reportsDir;
    private final Function<String, String> gpuOfProfile;
    private final double tolerance;
    private final Clock clock;
    private final Duration interimEvery;
    private final FileModes modes;
    private final Map<String, LiveRun> live = new ConcurrentHashMap<>();

    /** Rewrites the interim report at every job's end. */
    public RunReports(Ledger ledger, Path reportsDir, Function<String, String> gpuOfProfile, double tolerance,
                      Clock clock) {
        this(ledger, reportsDir, gpuOfProfile, tolerance, clock, Duration.ZERO, FileModes.OWNER_ONLY);
    }

    /**
     * @param interimEvery at most one interim rewrite of a run's report this often: a job's end within it updates
     *                     the rows kept for the run, and the next {@link #finishSettledRuns} after it writes them
     *                     (a 10,000-point report is four files of tens of megabytes). Zero: at every job's end.
     * @param modes        what report directories and files are created with (owner-only unless group-readable)
     */
    public RunReports(Ledger ledger, Path reportsDir, Function<String, String> gpuOfProfile, double tolerance,
                      Clock clock, Duration interimEvery, FileModes modes) {
        this.ledger = ledger;
        this.reportsDir = reportsDir;
        this.gpuOfProfile = gpuOfProfile;
        this.tolerance = tolerance;
        this.clock = clock;
        this.interimEvery = interimEvery;
        this.modes = modes;
    }

    /**
     * Rewrites the report of the job's run while the run goes on (not final: the run finishes in
     * {@link #finishSettledRuns}, once every job's end has been handled). The first update of a run in this process
     * reads the run whole; each later one reads only this job's rows.
     */
    public ReportWriter.WrittenReport update(JobRecord job) {
        LiveRun cached = live.get(job.runId());
        if (cached == null) {
            RunRecord run = ledger.runs().run(job.runId()).orElseThrow();
            Optional<String> named = namedBaseline(run);
            if (run.finished()) {
                // A late end of a finished run (nothing left to follow): the report as the ledger has it.
                return write(run, true, named);
            }
            cached = live.computeIfAbsent(run.runId(), id -> {
                List<PointResult> rows = PointResults.of(ledger, id, gpuOfProfile);
                Map<String, List<AttemptRecord>> attempts = ledger.jobs().attempts(id);
                return new LiveRun(run.runId(), run.sweepName(), run.createdAt(), named, rows, attempts,
                        JobTimings.read(ledger, id, rows, attempts, reportsDir.resolve(id)));
            });
        } else {
            List<PointResult> jobRows = PointResults.ofJob(ledger, job.runId(), job.jobKey(), gpuOfProfile);
            List<AttemptRecord> attempts = ledger.jobs().attempts(job.runId(), job.jobKey());
            cached.replace(job.jobKey(), jobRows, attempts,
                    JobTimings.readJob(job, jobRows, attempts, reportsDir.resolve(job.runId())).orElse(null));
        }
        return cached.writeWhenDue();
    }

    /** Whether this process keeps rows for the run (it is active and a job of it ended here). For tests. */
    boolean following(String runId) {
        return live.containsKey(runId);
    }

    /**
     * Finishes every active run none of whose jobs is left to settle: its final report is written first, then the
     * run is marked finished, then it is announced, so whoever sees it finished (a log reader, {@code sweepd wait},
     * a notification) finds the final report. Safe to repeat: a crash between the report and the mark leaves the
     * run active, and the next call writes the report again and finishes it. A run whose points were all refused
     * (no job) finishes here too. Each poll cycle calls this: it reads run ids and counts, and a run's plan and rows
     * only when it finishes.
     *
     * @return the ids of the runs finished by this call
     */
    public List<String> finishSettledRuns() {
        List<String> finished = new ArrayList<>();
        // Interim rewrites a job's end left for later (see interimEvery), now that they are due.
        live.values().forEach(LiveRun::writeWhenDue);
        for (String runId : ledger.runs().activeRunIds()) {
            if (ledger.jobs().unsettledCount(runId) > 0) {
                continue;
            }
            live.remove(runId);
            RunRecord run = ledger.runs().run(runId).orElseThrow();
            ReportWriter.WrittenReport written = write(run, true, namedBaseline(run));
            ledger.runs().finishRun(runId, clock.instant());
            LOG.info("run {} finished; report at {}", runId, written.html());
            finished.add(runId);
        }
        return finished;
    }

    /** Writes a run's report now, from the ledger, against the given or the default baseline. */
    public ReportWriter.WrittenReport write(RunRecord run, boolean finalReport, Optional<String> baselineRunId) {
        Optional<String> baseline = baseline(run.runId(), run.sweepName(), run.createdAt(), baselineRunId);
        // The run's rows and the baseline's are independent reads of the ledger: side by side on the login node's
        // cores, a large run's report waits for the larger of the two only.
        CompletableFuture<List<PointResult>> baselinePoints = baseline
                .map(id -> Beside.start("sweepd-baseline-" + id, () -> baselineRows(id)))
                .orElse(CompletableFuture.completedFuture(null));
        // The attempts too: the run's rows keep this thread and one more busy, and the baseline is read first.
        CompletableFuture<Map<String, List<AttemptRecord>>> attemptsRead = Beside.start("sweepd-attempts-"
                + run.runId(), () -> ledger.jobs().attempts(run.runId()));
        List<PointResult> points;
        Map<String, List<AttemptRecord>> attempts;
        List<JobTiming> timings;
        List<RunHistory.Entry> earlier;
        // Taken before the rows are read: rows kept with it are never newer than it says.
        String jobsSeen = finalReport ? ledger.runs().jobsSeen(run.runId()) : null;
        try {
            points = PointResults.of(ledger, run.runId(), gpuOfProfile);
            attempts = Beside.joined(attemptsRead);
            timings = JobTimings.read(ledger, run.runId(), points, attempts, reportsDir.resolve(run.runId()));
            earlier = earlierRuns(run.sweepName(), run.createdAt());
        } finally {
            Beside.awaitEnd(attemptsRead); // never left reading behind the caller
            Beside.awaitEnd(baselinePoints);
        }
        if (finalReport && !ledger.runs().hasComparisonRows(run.runId(), jobsSeen)) {
            // Kept for the reports of the sweep's later runs, which compare against this one.
            ledger.runs().recordComparisonRows(run.runId(), jobsSeen, ComparisonRows.toJson(points, BASELINE_METRICS));
        }
        return write(run.runId(), run.sweepName(), run.createdAt(), finalReport, points, attempts,
                baseline.orElse(null), Beside.joined(baselinePoints), timings, earlier);
    }

    private ReportWriter.WrittenReport write(String runId, String sweepName, Instant createdAt, boolean finalReport,
                                             List<PointResult> points, Map<String, List<AttemptRecord>> attempts,
                                             String baselineRunId, List<PointResult> baselinePoints,
                                             List<JobTiming> timings, List<RunHistory.Entry> earlier) {
        Path dir = reportsDir.resolve(runId);
        RunHistory.Entry headline = RunHistory.entry(runId, createdAt, true, points, timings.isEmpty() ? null
                : JobTiming.totalGpuHours(timings));
        if (finalReport) {
            // Kept for the history of the sweep's later runs, which then never read this run's rows again.
            ledger.runs().recordHeadline(runId, RunHistory.headlineJson(headline));
        }
        List<RunHistory.Entry> history = new ArrayList<>(earlier);
        history.add(headline);
        ReportInput input = new ReportInput(sweepName, runId, clock.instant(), finalReport, points,
                baselinePoints, baselineRunId, tolerance, attempts, timings, RunHistory.of(history));
        try {
            return ReportWriter.write(input, dir, modes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + runId, e);
        }
    }

    /** The named run, which must exist, or else the latest finished run of the same sweep before this one. */
    private Optional<String> baseline(String runId, String sweepName, Instant createdAt, Optional<String> named) {
        if (named.isPresent()) {
            if (!ledger.runs().exists(named.get())) {
                throw new IllegalArgumentException("no run named " + named.get() + " to compare against");
            }
            return named;
        }
        return ledger.runs().previousFinishedRunId(sweepName, createdAt);
    }

    /**
     * The headline of the latest finished runs of the sweep before this one: as kept when each finished, or, for a
     * run finished without one, worked out from its rows (throughput per GPU only, and the GPU-hours the ledger's job
     * times give, without reading its files) and kept for the next report.
     */
    private List<RunHistory.Entry> earlierRuns(String sweepName, Instant createdAt) {
        if (createdAt == null) {
            return List.of();
        }
        List<RunHistory.Entry> entries = new ArrayList<>();
        for (RunRecord earlier : ledger.runs().previousFinishedRuns(sweepName, createdAt, HISTORY_RUNS - 1)) {
            entries.add(ledger.runs().headline(earlier.runId())
                    .flatMap(kept -> RunHistory.fromHeadline(earlier.runId(), earlier.createdAt(), kept))
                    .orElseGet(() -> headlineFromRows(earlier)));
        }
        return entries;
    }

    private RunHistory.Entry headlineFromRows(RunRecord run) {
        List<PointResult> rows = PointResults.of(ledger, run.runId(), gpuOfProfile, HISTORY_METRICS);
        RunHistory.Entry entry = RunHistory.entry(run.runId(), run.createdAt(), false, rows,
                JobTimings.gpuHours(ledger.jobs().jobs(run.runId()), rows, ledger.jobs().attempts(run.runId())));
        ledger.runs().recordHeadline(run.runId(), RunHistory.headlineJson(entry));
        return entry;
    }

    /**
     * The baseline run's rows as its final report kept them, while they still match the ledger; otherwise worked out
     * from its points and results (and kept, once it is finished, for the next report).
     */
    private List<PointResult> baselineRows(String baselineRunId) {
        String jobsSeen = ledger.runs().jobsSeen(baselineRunId);
        return ledger.runs().comparisonRows(baselineRunId, jobsSeen).flatMap(ComparisonRows::fromJson).orElseGet(() -> {
            List<PointResult> rows = PointResults.of(ledger, baselineRunId, gpuOfProfile, BASELINE_METRICS);
            if (ledger.runs().runWithoutPlan(baselineRunId).map(RunRecord::finished).orElse(false)) {
                ledger.runs().recordComparisonRows(baselineRunId, jobsSeen, ComparisonRows.toJson(rows,
                        BASELINE_METRICS));
            }
            return rows;
        });
    }

    /**
     * The baseline the sweep file names ({@code sweep.baseline}: a run id), when it names one that exists;
     * "previous" or nothing means the previous finished run of the same sweep.
     */
    private Optional<String> namedBaseline(RunRecord run) {
        String named = baselineNamedIn(run.planJson());
        if (named == null || named.isBlank() || named.equals("previous")) {
            return Optional.empty();
        }
        if (!ledger.runs().exists(named)) {
            LOG.warn("run {}: baseline run {} named by the sweep does not exist; comparing with the previous run",
                    run.runId(), named);
            return Optional.empty();
        }
        return Optional.of(named);
    }

    /**
     * The plan's top-level {@code baseline}, read as a stream: the plan renders it second, so the points (megabytes
     * for a large sweep) are never parsed. Null when there is none or the plan is not JSON.
     */
    static String baselineNamedIn(String planJson) {
        try (JsonParser parser = Json.MAPPER.createParser(planJson)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("baseline")) {
                    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * An active run's rows, in plan order by point, and the baseline they were last compared with. One job's end
     * replaces that job's points' rows; every update re-checks which run is the baseline (one indexed row) and
     * re-reads the baseline's rows only when that changed.
     */
    private final class LiveRun {
        private final String runId;
        private final String sweepName;
        private final Instant createdAt;
        private final Optional<String> namedBaseline;
        private final LinkedHashMap<String, List<PointResult>> rowsByPoint = new LinkedHashMap<>();
        private final Map<String, List<AttemptRecord>> attemptsByJob = new LinkedHashMap<>();
        private final LinkedHashMap<String, JobTiming> timingByJob = new LinkedHashMap<>();
        private String baselineRunId;
        private List<PointResult> baselineRows;
        private List<RunHistory.Entry> earlier;
        private Instant lastWritten;
        private boolean changed = true;
        private ReportWriter.WrittenReport written;

        LiveRun(String runId, String sweepName, Instant createdAt, Optional<String> namedBaseline,
                List<PointResult> rows, Map<String, List<AttemptRecord>> attempts, List<JobTiming> timings) {
            this.runId = runId;
            this.sweepName = sweepName;
            this.createdAt = createdAt;
            this.namedBaseline = namedBaseline;
            rows.forEach(this::put);
            attemptsByJob.putAll(attempts);
            timings.forEach(t -> timingByJob.put(t.jobKey(), t));
        }

        private void put(PointResult row) {
            rowsByPoint.computeIfAbsent(row.pointId(), k -> new ArrayList<>()).add(row);
        }

        /** A point's rows are wholly the job's: its job, its results and its triage, nothing of any other job. */
        synchronized void replace(String jobKey, List<PointResult> jobRows, List<AttemptRecord> jobAttempts,
                                  JobTiming timing) {
            attemptsByJob.put(jobKey, jobAttempts);
            if (timing != null) {
                timingByJob.put(jobKey, timing); // an existing key keeps its place in job order
            }
            Map<String, List<PointResult>> byPoint = new LinkedHashMap<>();
            jobRows.forEach(r -> byPoint.computeIfAbsent(r.pointId(), k -> new ArrayList<>()).add(r));
            // Keys already present keep their place, so the rows stay in plan order.
            byPoint.forEach(rowsByPoint::put);
            changed = true;
        }

        /** Writes the rows when they changed since the last write and that was at least interimEvery ago. */
        synchronized ReportWriter.WrittenReport writeWhenDue() {
            Instant now = clock.instant();
            if (changed && (lastWritten == null || !now.isBefore(lastWritten.plus(interimEvery)))) {
                written = write();
                lastWritten = now;
                changed = false;
            }
            return written;
        }

        private ReportWriter.WrittenReport write() {
            Optional<String> baseline = baseline(runId, sweepName, createdAt, namedBaseline);
            if (!Objects.equals(baseline.orElse(null), baselineRunId)) {
                baselineRunId = baseline.orElse(null);
                baselineRows = baseline.map(RunReports.this::baselineRows).orElse(null);
            }
            if (earlier == null) {
                // Earlier runs are finished: their headline does not change while this run goes on.
                earlier = earlierRuns(sweepName, createdAt);
            }
            List<PointResult> points = new ArrayList<>();
            rowsByPoint.values().forEach(points::addAll);
            return RunReports.this.write(runId, sweepName, createdAt, false, points, attemptsByJob, baselineRunId,
                    baselineRows, List.copyOf(timingByJob.values()), earlier);
        }
    }
}
