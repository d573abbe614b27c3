package io.sweepd.report;

import io.sweepd.core.SweepCounts;
import io.sweepd.ledger.AttemptRecord;
import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The report worked out once (groups, frontiers, comparison) so the four renderers show the same thing and
 * only differ in syntax.
 */
record ReportModel(
        ReportInput input,
        Map<Outcome, Integer> counts,
        List<String> hardware,
        int minGpus,
        int maxGpus,
        int jobs,
        List<TableGroup> tables,
        List<ChartGroup> charts,
        List<PointResult> problems,
        Map<String, List<String>> workarounds,
        BaselineComparison comparison,
        SweepCounts sweepCounts,
        List<JobAttempts> attempts,
        List<RetryRule> retryRules) {

    /**
     * The attempts of one job that was submitted more than once or failed, with the points it runs: what the
     * report's attempts section lists, so a failure a retry fixed stays on the page.
     */
    record JobAttempts(String jobKey, List<String> pointIds, List<AttemptRecord> attempts) {
        long failed() {
            return attempts.stream().filter(AttemptRecord::failed).count();
        }
    }

    /**
     * A workaround rule a retry added to a job (it is not in the plan's workarounds).
     *
     * @param configuration the series the job's points belong to (the workarounds section's key)
     * @param after         the attempt whose failure the retry answered
     */
    record RetryRule(String configuration, String rule, String jobKey, AttemptRecord after) {
        /** {@code mem-headroom (added by retry of job K after attempt 1, Slurm job 101, failed: OOM)}. */
        String describe() {
            return rule + " (added by retry of job " + jobKey + " after attempt " + after.attempt()
                    + (after.slurmJobId() == null ? "" : ", Slurm job " + after.slurmJobId()) + ", "
                    + after.state().name() + ")";
        }
    }

    /** Rows of one table: one model on one kind of hardware at one sequence-length pair. */
    record TableGroup(String model, String hardware, int isl, int osl, List<PointResult> rows) {
        String title() {
            return model + " · " + hardware + " · " + Format.seqLen(isl, osl);
        }
    }

    /** One line on a chart: a configuration across its concurrencies. */
    record Series(String name, List<PointResult> points) {
    }

    /**
     * The charts of one model at one sequence-length pair, every hardware together (that is the comparison
     * people open the report for). Mixing sequence lengths or models on one chart would compare nothing.
     */
    record ChartGroup(int index, String model, int isl, int osl, List<Series> series, List<PointResult> frontier) {
        String title() {
            return model + " · " + Format.seqLen(isl, osl);
        }
    }

    /** Rows in a table and points in a series: configuration, then concurrency. */
    static final Comparator<PointResult> ROW_ORDER = Comparator
            .comparing((PointResult p) -> nz(p.configKey()))
            .thenComparing(p -> nz(p.shape()))
            .thenComparing(p -> nz(p.specDecoding()))
            .thenComparingInt(PointResult::conc)
            .thenComparing(p -> nz(p.pointId()));

    /** Points in the order the tables show them: model, hardware, sequence lengths, then {@link #ROW_ORDER}. */
    static final Comparator<PointResult> REPORT_ORDER = Comparator
            .comparing(ReportModel::model)
            .thenComparing(p -> nz(p.hardware()))
            .thenComparingInt(PointResult::isl)
            .thenComparingInt(PointResult::osl)
            .thenComparing(ROW_ORDER);

    static ReportModel of(ReportInput input) {
        List<PointResult> points = input.points();

        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        points.forEach(p -> counts.merge(Outcome.of(p.state()), 1, Integer::sum));

        List<String> hardware = points.stream().map(p -> nz(p.hardware())).filter(h -> !h.isEmpty())
                .distinct().sorted().toList();
        int minGpus = points.stream().mapToInt(PointResult::totalGpus).filter(g -> g > 0).min().orElse(0);
        int maxGpus = points.stream().mapToInt(PointResult::totalGpus).filter(g -> g > 0).max().orElse(0);
        // One row is one point (a configuration at one concurrency): counted as plan and status count.
        SweepCounts sweepCounts = ReportCounts.of(points);
        // Refused points were never submitted: they hold no job.
        int jobs = sweepCounts.jobs();

        List<TableGroup> tables = new ArrayList<>();
        groupBy(points, p -> List.of(model(p), nz(p.hardware()), p.isl(), p.osl())).forEach((key, rows) ->
                tables.add(new TableGroup((String) key.get(0), (String) key.get(1), (Integer) key.get(2),
                        (Integer) key.get(3), rows)));

        List<ChartGroup> charts = new ArrayList<>();
        List<PointResult> charted = points.stream()
                .filter(p -> Outcome.of(p.state()) == Outcome.COMPLETED && ReportMetric.TPUT_PER_GPU.of(p) != null)
                .toList();
        groupBy(charted, p -> List.of(model(p), p.isl(), p.osl())).forEach((key, rows) -> {
            List<Series> series = new ArrayList<>();
            Map<String, List<PointResult>> bySeries = new TreeMap<>();
            rows.forEach(p -> bySeries.computeIfAbsent(p.seriesKey(), k -> new ArrayList<>()).add(p));
            bySeries.forEach((name, ps) -> series.add(new Series(name, List.copyOf(ps))));
            charts.add(new ChartGroup(charts.size() + 1, (String) key.get(0), (Integer) key.get(1),
                    (Integer) key.get(2), series, Pareto.frontier(rows)));
        });

        List<PointResult> problems = points.stream().filter(p -> Outcome.of(p.state()).unsuccessful())
                .sorted(Comparator.comparing((PointResult p) -> Outcome.of(p.state()))
                        .thenComparing(p -> model(p)).thenComparingInt(PointResult::isl)
                        .thenComparingInt(PointResult::osl).thenComparing(ROW_ORDER))
                .toList();

        // Per configuration in the order the rules were applied: order matters when two rules touch one setting.
        Map<String, LinkedHashSet<String>> applied = new TreeMap<>();
        points.stream().sorted(ROW_ORDER).forEach(p -> {
            if (!p.workarounds().isEmpty()) {
                applied.computeIfAbsent(p.seriesKey(), k -> new LinkedHashSet<>()).addAll(p.workarounds());
            }
        });
        List<JobAttempts> attempts = jobAttempts(input);
        List<RetryRule> retryRules = retryRules(input);
        retryRules.forEach(r -> applied.computeIfAbsent(r.configuration(), k -> new LinkedHashSet<>())
                .add(r.describe()));
        Map<String, List<String>> workarounds = new LinkedHashMap<>();
        applied.forEach((k, v) -> workarounds.put(k, List.copyOf(v)));

        BaselineComparison comparison = input.hasBaseline()
                ? BaselineComparison.compare(points, input.baseline(), input.tolerance())
                : null;
        return new ReportModel(input, counts, hardware, minGpus, maxGpus, jobs, tables, charts, problems,
                workarounds, comparison, sweepCounts, attempts, retryRules);
    }

    /** Jobs with more than one attempt or a failed one, in the order their points appear in the report. */
    private static List<JobAttempts> jobAttempts(ReportInput input) {
        Map<String, LinkedHashSet<String>> pointsByJob = new LinkedHashMap<>();
        input.points().stream().sorted(REPORT_ORDER).forEach(p -> {
            List<AttemptRecord> attempts = input.attemptsOf(p);
            if (attempts.size() > 1 || attempts.stream().anyMatch(AttemptRecord::failed)) {
                pointsByJob.computeIfAbsent(p.jobKey(), k -> new LinkedHashSet<>()).add(p.pointId());
            }
        });
        List<JobAttempts> out = new ArrayList<>();
        pointsByJob.forEach((job, ids) -> out.add(new JobAttempts(job, List.copyOf(ids),
                input.attempts().get(job))));
        return out;
    }

    /** Rules retries added, once per job and rule, under the configuration of the job's points. */
    private static List<RetryRule> retryRules(ReportInput input) {
        Map<String, String> configurationOfJob = new LinkedHashMap<>();
        input.points().stream().sorted(ROW_ORDER)
                .forEach(p -> configurationOfJob.putIfAbsent(nz(p.jobKey()), p.seriesKey()));
        List<RetryRule> out = new ArrayList<>();
        configurationOfJob.forEach((job, configuration) -> input.attempts().getOrDefault(job, List.of()).stream()
                .filter(a -> a.addedWorkaround() != null)
                .forEach(a -> out.add(new RetryRule(configuration, a.addedWorkaround(), job, a))));
        return out;
    }

    /** Attempts that ended without success across the run's jobs, a retried point's earlier failures included. */
    int failedAttempts() {
        return input.points().stream().map(PointResult::jobKey).filter(Objects::nonNull).distinct()
                .mapToInt(job -> (int) input.attempts().getOrDefault(job, List.of()).stream()
                        .filter(AttemptRecord::failed).count())
                .sum();
    }

    /** Of those, the ones the job was retried after. */
    int retriedFailures() {
        return input.points().stream().map(PointResult::jobKey).filter(Objects::nonNull).distinct()
                .mapToInt(job -> (int) input.attempts().getOrDefault(job, List.of()).stream()
                        .filter(a -> a.failed() && a.retriedBecause() != null).count())
                .sum();
    }

    int count(Outcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    /** "8", "8–32" or "—". */
    String gpuRange() {
        if (maxGpus == 0) {
            return Format.NONE;
        }
        return minGpus == maxGpus ? Integer.toString(maxGpus) : minGpus + "–" + maxGpus;
    }

    static String model(PointResult p) {
        if (p.model() != null && !p.model().isBlank()) {
            return p.model();
        }
        return p.modelPrefix() != null && !p.modelPrefix().isBlank() ? p.modelPrefix() : nz(p.configKey());
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Groups sorted by key (strings, then numbers, element by element), rows in {@link #ROW_ORDER}. */
    private static Map<List<Object>, List<PointResult>> groupBy(List<PointResult> points,
            Function<PointResult, List<Object>> key) {
        Map<List<Object>, List<PointResult>> groups = new TreeMap<>(ReportModel::compareKeys);
        points.stream().sorted(ROW_ORDER).forEach(p -> groups.computeIfAbsent(key.apply(p), k -> new ArrayList<>()).add(p));
        groups.replaceAll((k, v) -> List.copyOf(v));
        return groups.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                (a, b) -> a, LinkedHashMap::new));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
