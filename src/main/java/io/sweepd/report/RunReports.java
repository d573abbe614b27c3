package io.sweepd.report;

import io.sweepd.json.Json;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.results.PointResult;
import io.sweepd.results.PointResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A run's report, rebuilt from the ledger whenever one of its jobs ends and final when the last one has:
 * {@code reports/<run-id>/report.{md,csv,json,html}}. The baseline is the previous finished run of the same
 * sweep unless one is named.
 */
public final class RunReports {

    private static final Logger LOG = LoggerFactory.getLogger(RunReports.class);

    private final Ledger ledger;
    private final Path reportsDir;
    private final Function<String, String> gpuOfProfile;
    private final double tolerance;
    private final Clock clock;

    public RunReports(Ledger ledger, Path reportsDir, Function<String, String> gpuOfProfile, double tolerance,
                      Clock clock) {
        this.ledger = ledger;
        this.reportsDir = reportsDir;
        this.gpuOfProfile = gpuOfProfile;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * Rewrites the report of the job's run while the run goes on (not final: the run finishes in
     * {@link #finishSettledRuns}, once every job's end has been handled).
     */
    public ReportWriter.WrittenReport update(JobRecord job) {
        RunRecord run = ledger.runs().run(job.runId()).orElseThrow();
        return write(run, run.finished(), namedBaseline(run));
    }

    /**
     * Finishes every active run none of whose jobs is left to settle: its final report is written first, then the
     * run is marked finished, then it is announced, so whoever sees it finished (a log reader, {@code sweepd wait},
     * a notification) finds the final report. Safe to repeat: a crash between the report and the mark leaves the
     * run active, and the next call writes the report again and finishes it. A run whose points were all refused
     * (no job) finishes here too.
     *
     * @return the ids of the runs finished by this call
     */
    public List<String> finishSettledRuns() {
        List<String> finished = new ArrayList<>();
        for (RunRecord run : ledger.runs().activeRuns()) {
            if (!ledger.jobs().jobs(run.runId()).stream().allMatch(JobRecord::settled)) {
                continue;
            }
            ReportWriter.WrittenReport written = write(run, true, namedBaseline(run));
            ledger.runs().finishRun(run.runId(), clock.instant());
            LOG.info("run {} finished; report at {}", run.runId(), written.html());
            finished.add(run.runId());
        }
        return finished;
    }

    /** Writes a run's report now (final when the run has finished), against the given or the default baseline. */
    public ReportWriter.WrittenReport write(RunRecord run, boolean finalReport, Optional<String> baselineRunId) {
        Optional<RunRecord> baseline = baselineRunId.flatMap(ledger.runs()::run)
                .or(() -> baselineRunId.isPresent() ? Optional.empty() : previousRun(run));
        if (baselineRunId.isPresent() && baseline.isEmpty()) {
            throw new IllegalArgumentException("no run named " + baselineRunId.get() + " to compare against");
        }
        List<PointResult> points = PointResults.of(ledger, run.runId(), gpuOfProfile);
        List<PointResult> baselinePoints = baseline.map(b -> PointResults.of(ledger, b.runId(), gpuOfProfile))
                .orElse(null);
        ReportInput input = new ReportInput(run.sweepName(), run.runId(), clock.instant(), finalReport, points,
                baselinePoints, baseline.map(RunRecord::runId).orElse(null), tolerance);
        try {
            return ReportWriter.write(input, reportsDir.resolve(run.runId()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + run.runId(), e);
        }
    }

    /**
     * The baseline the sweep file names ({@code sweep.baseline}: a run id), when it names one that exists;
     * "previous" or nothing means the previous finished run of the same sweep.
     */
    private Optional<String> namedBaseline(RunRecord run) {
        try {
            String named = Json.MAPPER.readTree(run.planJson()).path("baseline").asText("");
            if (named.isBlank() || named.equals("previous")) {
                return Optional.empty();
            }
            if (ledger.runs().run(named).isEmpty()) {
                LOG.warn("run {}: baseline run {} named by the sweep does not exist; comparing with the previous run",
                        run.runId(), named);
                return Optional.empty();
            }
            return Optional.of(named);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The latest finished run of the same sweep before this one. */
    private Optional<RunRecord> previousRun(RunRecord run) {
        return ledger.runs().runs().stream()
                .filter(r -> r.sweepName().equals(run.sweepName()) && r.finished()
                        && r.createdAt().isBefore(run.createdAt()))
                .max(Comparator.comparing(RunRecord::createdAt));
    }
}
