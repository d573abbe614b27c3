package io.sweepd.results;

import io.sweepd.core.Beside;
import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultRecord;
import io.sweepd.ledger.ResultState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything a report shows about a run, built from the ledger alone: one {@link PointResult} per concurrency of
 * every point, in plan order, so refused and failed points are on the page beside the measured ones.
 * <ul>
 *   <li>a point with collected results: one row per recorded concurrency, COMPLETED with metrics or INVALID with
 *       the collector's reason;</li>
 *   <li>a point of a job that was not collected: one row per planned concurrency in the job's state (FAILED,
 *       TIMEOUT, DEADLINE, CANCELLED, SUBMIT_FAILED, LOST, PENDING, RUNNING, PLANNED ...) with the job's reason; a
 *       job that ended COMPLETED but whose results are not recorded yet is {@value #COLLECTING}, an in-progress
 *       state, so it is never counted as a success without numbers;</li>
 *   <li>a refused point: one row per planned concurrency, REFUSED, with the refusal.</li>
 * </ul>
 * A job this run reused from an earlier run of the sweep (it was not submitted again) shows the results recorded
 * under the run that ran it, unless this run recorded its own.
 *
 * <p>Diagnosis: every row that is not COMPLETED takes its job's triage verdict ({@link TriageNote}) when triage has
 * written one; otherwise it stays null.
 */
public final class PointResults {

    /** The state of a row whose job ended but whose results are not recorded yet. */
    public static final String COLLECTING = "COLLECTING";

    private PointResults() {
    }

    /** Hardware is named after the runner label ("h200-multinode" -> "h200"). */
    public static List<PointResult> of(Ledger ledger, String runId) {
        return of(ledger, runId, profile -> null);
    }

    /**
     * @param gpuOfProfile the GPU model of a cluster profile (e.g. from the profile catalog), or null when unknown,
     *                     in which case the runner label names the hardware
     * @throws IllegalArgumentException when the ledger has no such run
     */
    public static List<PointResult> of(Ledger ledger, String runId, Function<String, String> gpuOfProfile) {
        return of(ledger, runId, gpuOfProfile, null);
    }

    /**
     * As {@link #of(Ledger, String, Function)}, keeping of each row's metrics only the named keys and no eval: what a
     * baseline run needs for the comparison, at a fraction of the memory of every metric of every row.
     *
     * @param metricKeys the metric keys to keep, or null for all of them (and the eval)
     */
    public static List<PointResult> of(Ledger ledger, String runId, Function<String, String> gpuOfProfile,
                                       Set<String> metricKeys) {
        if (!ledger.runs().exists(runId)) {
            throw new IllegalArgumentException("no run " + runId);
        }
        Map<String, JobRecord> jobs = ledger.jobs().jobs(runId).stream()
                .collect(Collectors.toMap(JobRecord::jobKey, j -> j, (a, b) -> a, LinkedHashMap::new));
        // Results here and points beside them, each read as a stream and kept only in the form the rows hold: never
        // the run's whole JSON text at once. The points are parsed on a thread of their own while this one reads the
        // results: the two are most of a report's reading, and a login node has a second core.
        Build build = new Build(runId, jobs, gpuOfProfile, metricKeys);
        CompletableFuture<List<ParsedPoint>> points = Beside.start("sweepd-points-" + runId, () -> {
            List<ParsedPoint> parsed = new ArrayList<>();
            ledger.runs().forEachPoint(runId, (record, planIndex) -> parsed.add(ParsedPoint.of(record, planIndex)));
            return parsed;
        });
        try {
            ledger.results().forEachResult(runId, build::addResult);
        } finally {
            Beside.awaitEnd(points);
        }
        Map<String, Map<String, List<Recorded>>> reusedRuns = new HashMap<>();
        build.reusedResults = job -> reusedRuns.computeIfAbsent(job.reusedFromRun(), r -> {
            Map<String, List<Recorded>> byPoint = new HashMap<>();
            ledger.results().forEachResult(r, result -> build.add(byPoint, result));
            return byPoint;
        });
        Beside.joined(points).forEach(build::addPoint);
        return build.inPlanOrder();
    }

    /** A point record with its matrix entry parsed; the JSON text itself is not kept (megabytes for a large run). */
    private record ParsedPoint(PointRecord record, int planIndex, PointSpec spec) {
        static ParsedPoint of(PointRecord read, int planIndex) {
            return new ParsedPoint(new PointRecord(read.runId(), read.pointId(), read.jobKey(), "",
                    read.refusedReason(), read.state()), planIndex, PointSpec.fromJson(read.matrixJson()));
        }
    }

    /**
     * The rows of one job's points only, as {@link #of(Ledger, String, Function)} shows them: what changes in a
     * run's report when that job ends. Reads that job, its points and its results; nothing else of the run.
     */
    public static List<PointResult> ofJob(Ledger ledger, String runId, String jobKey,
                                          Function<String, String> gpuOfProfile) {
        Map<String, JobRecord> jobs = new HashMap<>();
        ledger.jobs().job(runId, jobKey).ifPresent(job -> jobs.put(jobKey, job));
        Build build = new Build(runId, jobs, gpuOfProfile, null);
        ledger.results().results(runId, jobKey).forEach(build::addResult);
        build.reusedResults = job -> {
            Map<String, List<Recorded>> byPoint = new HashMap<>();
            ledger.results().results(job.reusedFromRun(), jobKey).forEach(result -> build.add(byPoint, result));
            return byPoint;
        };
        List<PointRecord> points = ledger.runs().points(runId, jobKey);
        for (int i = 0; i < points.size(); i++) {
            build.addPoint(ParsedPoint.of(points.get(i), i));
        }
        return build.inPlanOrder();
    }

    private record PlannedRows(int planIndex, List<PointResult> rows) {
    }

    /** A result row as the report keeps it: its JSON read once, compactly. */
    private record Recorded(int conc, ResultState state, String reason, Map<String, Object> metrics,
                            Map<String, Object> eval) {
    }

    /** One report build: the rows so far, and what they share (texts, metric keys, triage notes). */
    private static final class Build {
        private final String runId;
        private final Map<String, JobRecord> jobs;
        private final Function<String, String> gpuOfProfile;
        private final Set<String> metricKeys;
        private final StoredMaps maps = new StoredMaps();
        private final Map<String, List<Recorded>> results = new HashMap<>();
        // Read only for rows that show a diagnosis: most jobs completed and have no triage file to look for.
        private final Map<String, Optional<String>> diagnoses = new HashMap<>();
        private Function<JobRecord, Map<String, List<Recorded>>> reusedResults;
        /** Each point's rows by its plan index: points come in the order the ledger reads them. */
        private final List<PlannedRows> points = new ArrayList<>();

        Build(String runId, Map<String, JobRecord> jobs, Function<String, String> gpuOfProfile,
              Set<String> metricKeys) {
            this.runId = runId;
            this.jobs = jobs;
            this.gpuOfProfile = gpuOfProfile;
            this.metricKeys = metricKeys;
        }

        void addResult(ResultRecord result) {
            add(results, result);
        }

        void add(Map<String, List<Recorded>> byPoint, ResultRecord r) {
            byPoint.computeIfAbsent(r.pointId(), k -> new ArrayList<>()).add(new Recorded(r.conc(), r.state(),
                    maps.text(r.reason()), maps.read(r.metricsJson(), metricKeys),
                    metricKeys == null ? maps.read(r.evalJson(), null) : null));
        }

        List<PointResult> inPlanOrder() {
            points.sort(Comparator.comparingInt(PlannedRows::planIndex));
            List<PointResult> rows = new ArrayList<>();
            points.forEach(p -> rows.addAll(p.rows()));
            return rows;
        }

        void addPoint(ParsedPoint parsed) {
            PointRecord record = parsed.record();
            List<PointResult> out = new ArrayList<>(1);
            points.add(new PlannedRows(parsed.planIndex(), out));
            PointSpec point = parsed.spec();
            Row row = new Row(runId, record, point, hardware(point, gpuOfProfile), maps);
            List<Integer> planned = point.conc().isEmpty() ? List.of(0)
                    : List.copyOf(new LinkedHashSet<>(point.conc()));
            if (record.refused()) {
                planned.forEach(c -> out.add(row.build(c, "REFUSED", record.refusedReason(), null, null, null)));
                return;
            }
            JobRecord job = jobs.get(record.jobKey());
            List<Recorded> recorded = results.getOrDefault(record.pointId(), List.of());
            if (recorded.isEmpty() && job != null && job.reused()) {
                recorded = reusedResults.apply(job).getOrDefault(record.pointId(), List.of());
            }
            // Read in no particular order: a concurrency the plan does not list comes after those it does, lowest first.
            Map<Integer, Recorded> byConc = new TreeMap<>();
            recorded.forEach(r -> byConc.put(r.conc(), r));
            Set<Integer> concs = new LinkedHashSet<>(planned);
            concs.addAll(byConc.keySet());
            for (int conc : concs) {
                Recorded result = byConc.get(conc);
                if (result != null) {
                    boolean completed = result.state() == ResultState.COMPLETED;
                    out.add(row.build(conc, result.state().name(), result.reason(),
                            completed || job == null ? null : diagnosis(diagnoses, job), result.metrics(),
                            result.eval()));
                } else if (job == null) {
                    out.add(row.build(conc, JobState.PLANNED.name(), "the ledger has no job " + record.jobKey()
                            + " for this point", null, null, null));
                } else if (job.state() == JobState.COMPLETED || job.state() == JobState.INVALID) {
                    // The job ended but this concurrency has no verdict yet: still on its way, not a success.
                    out.add(row.build(conc, COLLECTING, "job " + job.state() + "; "
                            + (recorded.isEmpty() ? "results not collected yet"
                            : "no result recorded for concurrency " + conc), null, null, null));
                } else {
                    // A live job's directory may still hold the triage of an earlier attempt: not this one's.
                    out.add(row.build(conc, job.state().name(), job.reason(),
                            job.state().terminal() ? diagnosis(diagnoses, job) : null, null, null));
                }
            }
        }
    }

    private static String diagnosis(Map<String, Optional<String>> diagnoses, JobRecord job) {
        return diagnoses.computeIfAbsent(job.jobKey(), k -> diagnosis(job)).orElse(null);
    }

    private static Optional<String> diagnosis(JobRecord job) {
        return job.jobDir() == null ? Optional.empty() : TriageNote.diagnosis(Path.of(job.jobDir()));
    }

    /** The profile's GPU when known, else the runner label up to its first '-' (InferenceMAX labels: h200-cw). */
    private static String hardware(PointSpec point, Function<String, String> gpuOfProfile) {
        String gpu = point.profile() == null ? null : gpuOfProfile.apply(point.profile());
        if (gpu != null) {
            return gpu;
        }
        String runner = point.runner();
        return runner == null ? null : runner.split("-", 2)[0];
    }

    /** The fields every row of one point shares. */
    private record Row(String runId, PointRecord record, PointSpec point, String hardware, StoredMaps maps) {

        /** Texts and lists shared by many rows (model, framework, workarounds...) are one object each across the build. */
        PointResult build(int conc, String state, String reason, String diagnosis, Map<String, Object> metrics,
                          Map<String, Object> eval) {
            PointSpec.PlanTopology t = point.topology();
            int prefill = t == null ? 0 : t.prefillGpus();
            int decode = t == null ? 0 : t.decodeGpus();
            int total = t == null ? 0 : t.gpus();
            return new PointResult(runId, record.pointId(), maps.text(record.jobKey()), maps.text(point.configKey()),
                    maps.text(point.model()), maps.text(point.modelPrefix()), maps.text(point.precision()),
                    maps.text(point.framework()), maps.text(hardware), maps.text(point.profile()),
                    maps.text(point.runner()), point.isl(), point.osl(), conc, point.disagg(),
                    maps.text(point.specDecoding()), maps.text(point.shape()), state, maps.text(reason),
                    maps.text(diagnosis), prefill, decode, total, metrics, eval, maps.list(point.workarounds()));
        }
    }
}
