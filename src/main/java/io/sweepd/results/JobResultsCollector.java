package io.sweepd.results;

import io.sweepd.core.JobDirectory;
import io.sweepd.core.JobState;
import io.sweepd.core.ResultFileName;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.ResultState;
import io.sweepd.srtslurm.SrtctlOutput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns the results directory of a COMPLETED job into one verdict per planned (point, concurrency).
 *
 * <p>Matching is by file name ({@link ResultFileName}): a file belongs to every accepted point of the job whose
 * concurrency list has the name's concurrency. Its GPU counts must be the point's planned topology; a file for
 * another layout makes that concurrency INVALID with both counts in the reason. A planned concurrency without a
 * file is INVALID ("no result file for concurrency 64"). A matched file is parsed
 * ({@link BenchmarkResultParser}), gated ({@link ValidityGate}) and, when it passes, its metrics derived
 * ({@link Metrics}). Files for concurrencies nobody planned are reported as notes, never silently counted.
 *
 * <p>The results directory is searched a few levels deep: srt-slurm-style launchers write into subdirectories
 * such as {@code sa-bench_isl_8192_osl_1024/}, and the agentic-coding client (aiperf) into
 * {@code aiperf_concurrency_<c>_gpus_<t>/}, whose {@code profile_export_aiperf.json} is read
 * ({@link AiperfResultParser}) and whose other files are aiperf's own artifacts, left alone. srtctl itself writes into the job's {@code logs/} (its log_dir):
 * its benchmark and eval results there are read too ({@link SrtctlOutput}), named relative to the job directory
 * ({@code logs/sa-bench_isl_1024_osl_1024/results_concurrency_4_gpus_16_ctx_8_gen_8.json}).
 *
 * <p><b>Evals.</b> An lm-eval run measures the server configuration, which every point of a job shares, at one
 * concurrency. Its scores, with a verdict per task against {@link EvalThresholds}, go on the rows where the plan
 * asked for an eval: each run-eval point at its eval concurrency (multinode: {@code eval-conc}; single-node: its
 * one concurrency). When the job has eval files but no point asked for one, they go on the job's highest
 * concurrency, so they are still shown. A failed eval does not make the benchmark row INVALID: speed and accuracy
 * are reported side by side, and the report decides how to flag the combination. Unreadable eval files are listed
 * under the eval map's {@code "errors"} key.
 */
public final class JobResultsCollector {

    /** How deep below results/ to look: results/<bench>/<model>/file is the deepest layout seen. */
    static final int SEARCH_DEPTH = 3;

    private final BenchmarkResultParser benchmarks = new BenchmarkResultParser();
    private final AiperfResultParser aiperf = new AiperfResultParser();
    private final EvalResultParser evals = new EvalResultParser();
    private final ValidityGate gate = new ValidityGate();
    private final EvalThresholds thresholds;

    public JobResultsCollector() {
        this(EvalThresholds.defaults());
    }

    public JobResultsCollector(EvalThresholds thresholds) {
        this.thresholds = thresholds;
    }

    /**
     * @param points the run's points; those of other jobs and refused ones are skipped
     * @throws IllegalArgumentException when the job is neither COMPLETED nor INVALID (a completed job whose results
     *                                  were rejected, collected again), or has no job directory
     */
    public JobResults collect(JobRecord job, List<PointRecord> points) {
        if (job.state() != JobState.COMPLETED && job.state() != JobState.INVALID) {
            throw new IllegalArgumentException("job " + job.jobKey() + " is " + job.state()
                    + ": only a COMPLETED job has results to collect");
        }
        if (job.jobDir() == null) {
            throw new IllegalArgumentException("job " + job.jobKey() + " has no job directory");
        }
        List<PointSpec> specs = points.stream()
                .filter(p -> p.jobKey().equals(job.jobKey()) && !p.refused())
                .map(p -> withIds(PointSpec.fromJson(p.matrixJson()), p))
                .toList();
        return collect(job.runId(), job.jobKey(), new JobDirectory(Path.of(job.jobDir())), specs);
    }

    /** The same from the job directory and the job's accepted points, for callers without ledger records. */
    public JobResults collect(String runId, String jobKey, JobDirectory dir, List<PointSpec> points) {
        Path resultsDir = dir.results();
        List<String> notes = new ArrayList<>();
        Map<String, ResultFileName> benchFiles = new LinkedHashMap<>();
        List<String> evalFiles = new ArrayList<>();
        // Every file by the name rows and notes show: relative to results/, or to the job directory for srtctl's.
        Map<String, Path> located = new LinkedHashMap<>();
        if (Files.isDirectory(resultsDir)) {
            for (String relative : jsonFiles(resultsDir)) {
                String name = Path.of(relative).getFileName().toString();
                Optional<ResultFileName> agentic = ResultFileName.parseAgentic(relative);
                if (agentic.isPresent()) {
                    benchFiles.put(relative, agentic.get());
                    located.put(relative, resultsDir.resolve(relative));
                    continue;
                }
                if (ResultFileName.inAgenticDir(relative)) {
                    continue; // aiperf's other artifacts (server metrics, time slices, inputs): evidence, not results
                }
                Optional<ResultFileName> parsed = ResultFileName.parse(name);
                if (parsed.isPresent()) {
                    benchFiles.put(relative, parsed.get());
                } else if (EvalResultParser.isEvalFileName(name)) {
                    evalFiles.add(relative);
                } else {
                    notes.add(relative + ": neither a benchmark result nor an lm-eval file; ignored");
                    continue;
                }
                located.put(relative, resultsDir.resolve(relative));
            }
        }
        // srtctl writes into its log_dir, the job's logs/ (SrtctlOutput); its files already have the contract's names.
        for (String relative : SrtctlOutput.benchmarkFiles(dir.root(), ResultFileName::isResultFile)) {
            benchFiles.put(relative, ResultFileName.parse(Path.of(relative).getFileName().toString()).orElseThrow());
            located.put(relative, dir.root().resolve(relative));
        }
        for (String relative : SrtctlOutput.evalFiles(dir.root(), EvalResultParser::isEvalFileName)) {
            evalFiles.add(relative);
            located.put(relative, dir.root().resolve(relative));
        }
        boolean hasDir = Files.isDirectory(resultsDir) || !located.isEmpty();
        if (!hasDir) {
            notes.add("job " + jobKey + " has no results directory (" + resultsDir + ")");
        }

        List<ConcurrencyResult> rows = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (PointSpec point : points) {
            for (int conc : new LinkedHashSet<>(point.conc())) {
                List<String> candidates = benchFiles.entrySet().stream()
                        .filter(e -> e.getValue().conc() == conc).map(Map.Entry::getKey).toList();
                used.addAll(candidates);
                rows.add(resolve(point, conc, candidates, benchFiles, located, hasDir, notes));
            }
        }
        benchFiles.forEach((relative, name) -> {
            if (!used.contains(relative)) {
                notes.add(relative + ": concurrency " + name.conc() + " is not planned for any point of job " + jobKey
                        + "; ignored");
            }
        });
        attachEvals(rows, points, evalFiles, located, notes);
        return new JobResults(runId, jobKey, rows, notes);
    }

    private ConcurrencyResult resolve(PointSpec point, int conc, List<String> candidates,
                                      Map<String, ResultFileName> names, Map<String, Path> located, boolean hasDir,
                                      List<String> notes) {
        if (candidates.isEmpty()) {
            return ConcurrencyResult.invalid(point.pointId(), conc, "no result file for concurrency " + conc
                    + (hasDir ? "" : " (the job wrote no results directory)"), null);
        }
        List<String> matching = candidates.stream()
                .filter(f -> GpuCount.mismatch(point, names.get(f)).isEmpty()).toList();
        if (matching.isEmpty()) {
            String first = candidates.get(0);
            return ConcurrencyResult.invalid(point.pointId(), conc,
                    GpuCount.mismatch(point, names.get(first)).orElseThrow(), first);
        }
        String file = matching.get(0);
        if (matching.size() > 1) {
            notes.add("point " + point.pointId() + " has " + matching.size() + " result files for concurrency " + conc
                    + " (" + String.join(", ", matching) + "); using " + file);
        }
        return evaluate(point, conc, file, names.get(file), located.get(file));
    }

    private ConcurrencyResult evaluate(PointSpec point, int conc, String relative, ResultFileName name, Path file) {
        ParseOutcome<BenchmarkResult> outcome = ResultFileName.parseAgentic(relative).isPresent()
                ? aiperf.parse(file, name) : benchmarks.parse(file);
        if (outcome instanceof ParseOutcome.Invalid<BenchmarkResult> invalid) {
            return ConcurrencyResult.invalid(point.pointId(), conc, invalid.reason(), relative);
        }
        BenchmarkResult result = ((ParseOutcome.Parsed<BenchmarkResult>) outcome).value();
        ValidityGate.Verdict verdict = gate.check(result);
        if (!verdict.valid()) {
            return ConcurrencyResult.invalid(point.pointId(), conc, name.name() + ": " + verdict.reason(), relative);
        }
        GpuCount gpus = GpuCount.of(point, name).orElseThrow();
        return new ConcurrencyResult(point.pointId(), conc, ResultState.COMPLETED, null,
                Metrics.derive(result, point, gpus), null, relative);
    }

    private void attachEvals(List<ConcurrencyResult> rows, List<PointSpec> points, List<String> evalFiles,
                             Map<String, Path> located, List<String> notes) {
        if (evalFiles.isEmpty()) {
            return;
        }
        Map<String, Object> scores = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (String relative : evalFiles) {
            ParseOutcome<EvalResult> outcome = evals.parse(located.get(relative));
            if (outcome instanceof ParseOutcome.Invalid<EvalResult> invalid) {
                errors.add(invalid.reason());
                continue;
            }
            for (EvalVerdict verdict : thresholds.verdicts(((ParseOutcome.Parsed<EvalResult>) outcome).value())) {
                if (scores.containsKey(verdict.task())) {
                    notes.add(relative + ": task " + verdict.task() + " was already read from another file; ignored");
                } else {
                    scores.put(verdict.task(), verdict.toMap());
                }
            }
        }
        if (!errors.isEmpty()) {
            scores.put("errors", List.copyOf(errors));
        }
        Set<Target> targets = new LinkedHashSet<>();
        for (PointSpec point : points) {
            if (point.runEval() && point.evalConc() != null) {
                targets.add(new Target(point.pointId(), point.evalConc()));
            }
        }
        if (targets.isEmpty()) {
            int highest = rows.stream().mapToInt(ConcurrencyResult::conc).max().orElse(-1);
            rows.stream().filter(r -> r.conc() == highest).forEach(r -> targets.add(new Target(r.pointId(), r.conc())));
        }
        boolean attached = false;
        for (int i = 0; i < rows.size(); i++) {
            ConcurrencyResult row = rows.get(i);
            if (targets.contains(new Target(row.pointId(), row.conc()))) {
                rows.set(i, row.withEval(scores));
                attached = true;
            }
        }
        if (!attached) {
            notes.add("eval results (" + String.join(", ", evalFiles) + ") belong to no planned concurrency; ignored");
        }
    }

    private record Target(String pointId, int conc) {
    }

    /** The ledger's ids are the truth; the JSON's copies could only disagree by a bug elsewhere. */
    private static PointSpec withIds(PointSpec spec, PointRecord record) {
        return new PointSpec(record.pointId(), record.jobKey(), spec.configKey(), spec.profile(), spec.image(),
                spec.model(), spec.modelPrefix(), spec.precision(), spec.framework(), spec.runner(), spec.isl(),
                spec.osl(), spec.specDecoding(), spec.multinode(), spec.disagg(), spec.tp(), spec.ep(), spec.dpAttn(),
                spec.prefill(), spec.decode(), spec.conc(), spec.runEval(), spec.evalConc(), spec.topology(),
                spec.workarounds(), record.refusedReason());
    }

    /** Every *.json below the directory, as '/'-separated paths relative to it, sorted. */
    private static List<String> jsonFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir, SEARCH_DEPTH)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".json"))
                    .map(f -> dir.relativize(f).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the results directory " + dir, e);
        }
    }
}
