package io.sweepd.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The job directory contract ({@code outputs/<run-id>/<job-key>/}) in one place, for render, the job
 * script, poll, collect and archive alike:
 *
 * <pre>
 * plan.json      the job's enriched points, job key, profile, concurrencies, topology
 * recipe.yaml    the patched server configuration the launcher runs (for srt-slurm: a recipe srtctl loads)
 * srtslurm.yaml  srt-slurm launcher only: srtctl's cluster configuration (defaults, model and container aliases)
 * job.sbatch     the script sbatch submits
 * logs/          created before sbatch: Slurm's --output (slurm-&lt;id&gt;.out) and the server/benchmark logs;
 *                srtctl's log_dir, holding its sa-bench_isl_*_osl_*&#47; result and eval_results/ directories
 * results/       benchmark result JSONs (results_concurrency_&lt;c&gt;_gpus_&lt;t&gt;[_ctx_&lt;p&gt;_gen_&lt;d&gt;].json)
 * started        written by the script when it starts (job id, host, time)
 * exit-code      written by the script's EXIT trap: its exit status, one line
 * attempts/attempt-&lt;n&gt;/  an earlier attempt's evidence (logs, results, archive, triage, Slurm record), set aside
 *                by a retry
 * </pre>
 */
public record JobDirectory(Path root) {

    public static final String PLAN = "plan.json";
    public static final String RECIPE = "recipe.yaml";
    public static final String SCRIPT = "job.sbatch";
    public static final String SRTSLURM_CONFIG = "srtslurm.yaml";
    public static final String LOGS = "logs";
    public static final String RESULTS = "results";
    public static final String STARTED = "started";
    public static final String EXIT_CODE = "exit-code";
    public static final String ATTEMPTS = "attempts";
    /** Slurm's --output file name; {@code %j} is the job id. */
    public static final String SLURM_OUTPUT = "slurm-%j.out";

    public JobDirectory {
        root = root.toAbsolutePath().normalize();
    }

    public Path plan() { return root.resolve(PLAN); }

    public Path recipe() { return root.resolve(RECIPE); }

    public Path script() { return root.resolve(SCRIPT); }

    public Path srtslurmConfig() { return root.resolve(SRTSLURM_CONFIG); }

    public Path logs() { return root.resolve(LOGS); }

    public Path results() { return root.resolve(RESULTS); }

    public Path startedMarker() { return root.resolve(STARTED); }

    public Path exitCodeFile() { return root.resolve(EXIT_CODE); }

    /** Where a retry sets the evidence of the attempt it follows aside. */
    public Path earlierAttempt(int attempt) { return root.resolve(ATTEMPTS).resolve("attempt-" + attempt); }

    /** The {@code --output} pattern as Slurm is given it. */
    public Path slurmOutputPattern() { return logs().resolve(SLURM_OUTPUT); }

    /** The {@code --output} file of one Slurm job. */
    public Path slurmOutput(String jobId) { return logs().resolve(SLURM_OUTPUT.replace("%j", jobId)); }

    public boolean started() { return Files.isRegularFile(startedMarker()); }

    /**
     * The exit status the job script recorded; empty while it runs, when it never ran, or when it was killed
     * too hard to run its EXIT trap (SIGKILL, node failure), so the caller asks Slurm instead of guessing.
     */
    public OptionalInt exitCode() {
        try {
            String text = Files.readString(exitCodeFile()).strip();
            return text.matches("\\d{1,3}") ? OptionalInt.of(Integer.parseInt(text)) : OptionalInt.empty();
        } catch (IOException absent) {
            return OptionalInt.empty();
        }
    }
}
