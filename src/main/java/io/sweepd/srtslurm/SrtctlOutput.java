package io.sweepd.srtslurm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where srtctl leaves results in its output directory (the job directory, through {@code SRTCTL_OUTPUT_DIR}):
 *
 * <pre>
 * logs/                                           srtctl's log_dir (core/runtime.py): worker and sweep logs
 * logs/sa-bench_isl_&lt;isl&gt;_osl_&lt;osl&gt;/          sa-bench's result_dir (benchmarks/scripts/sa-bench/bench.sh)
 *     results_concurrency_&lt;c&gt;_gpus_&lt;t&gt;[_ctx_&lt;p&gt;_gen_&lt;d&gt;].json
 * logs/eval_results/                              lm-eval's artifacts (scripts/lm-eval/bench.sh):
 *     results*.json, meta_env.json, samples*.jsonl
 * </pre>
 *
 * Benchmark result directories are found as InferenceMAX's launchers find them ({@code find logs -maxdepth 1
 * -name "*isl*osl*"}), so other benchmark directories named that way are read too. The file names are already
 * the job directory's result-file contract; nothing is renamed.
 */
public final class SrtctlOutput {

    public static final String LOG_DIR = "logs";
    public static final String EVAL_DIR = "eval_results";
    /** sa-bench writes its files directly in its result directory; one more level tolerates a per-model split. */
    private static final int RESULT_DEPTH = 2;

    private SrtctlOutput() {
    }

    /**
     * Files in the directories of logs/ named like {@code *isl*osl*} whose names {@code isResult} accepts, as '/'-separated paths relative
     * to {@code outputDir}, sorted; empty when srtctl wrote none.
     */
    public static List<String> benchmarkFiles(Path outputDir, Predicate<String> isResult) {
        Path logs = outputDir.resolve(LOG_DIR);
        return list(logs, 1).filter(Files::isDirectory)
                .filter(d -> d.getFileName().toString().matches(".*isl.*osl.*"))
                .flatMap(d -> list(d, RESULT_DEPTH))
                .filter(f -> Files.isRegularFile(f) && isResult.test(f.getFileName().toString()))
                .map(f -> relative(outputDir, f))
                .sorted()
                .toList();
    }

    /** Files directly in {@code logs/eval_results/} whose names {@code isEval} accepts, relative and sorted. */
    public static List<String> evalFiles(Path outputDir, Predicate<String> isEval) {
        return list(outputDir.resolve(LOG_DIR).resolve(EVAL_DIR), 1)
                .filter(f -> Files.isRegularFile(f) && isEval.test(f.getFileName().toString()))
                .map(f -> relative(outputDir, f))
                .sorted()
                .toList();
    }

    private static Stream<Path> list(Path dir, int depth) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.walk(dir, depth)) {
            return files.filter(p -> !p.equals(dir)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list srtctl's output in " + dir, e);
        }
    }

    private static String relative(Path base, Path file) {
        return base.relativize(file).toString().replace('\\', '/');
    }
}
