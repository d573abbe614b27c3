package io.sweepd.devtools;

import io.sweepd.render.JobDirectory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * DEV/TEST TOOL, shipped in the jar but never part of a real run: a stand-in for the GPU inference engine
 * (vLLM, SGLang, Dynamo) and srt-slurm's in-allocation sweep, for machines without GPUs. The local test
 * cluster's profiles use the {@code simulator} launcher, so everything around it is real: the rendered job
 * directory, sbatch, Slurm's scheduling and states, the exit marker, polling, collection and the report.
 *
 * <p>{@code java -cp sweepd.jar io.sweepd.devtools.EngineSimulator --job-dir DIR} reads {@code DIR/plan.json},
 * {@code DIR/recipe.yaml} and Slurm's environment ({@code SLURM_JOB_ID}, {@code SLURM_JOB_NODELIST},
 * {@code CUDA_VISIBLE_DEVICES}), then, in simulated time scaled down to seconds:
 * <ul>
 *   <li>writes server logs into {@code logs/} (one file per worker: {@code prefill-0.log}, {@code decode-0.log},
 *       {@code server-0.log}; {@code frontend.log} for Dynamo; {@code benchmark.log} for the client) and the
 *       orchestrator's lines on stdout (the job's Slurm output);</li>
 *   <li>writes one sa-bench / {@code vllm bench serve} result JSON per concurrency into {@code results/}, from a
 *       deterministic load model ({@link LoadModel}), and {@code eval_gsm8k.json} when a point runs the eval;</li>
 *   <li>or dies the way the seed PR's jobs died (fixtures/seed-pr) when the configuration carries the setting
 *       that caused it, with the same log lines ({@link Signatures}).</li>
 * </ul>
 *
 * <p>Environment: {@code SWEEPD_SIM_TIME_SCALE} (wall seconds per simulated second, default 0.002),
 * {@code SWEEPD_SIM_GPU} and {@code SWEEPD_SIM_GPU_MEMORY_GIB} (override the profile's hardware recorded in
 * plan.json), {@code SWEEPD_SIM_STORAGE_GBPS} (shared-storage bandwidth for weight loading, default 0.45),
 * {@code SWEEPD_SIM_BEHAVIOUR} (test knobs, see {@link Behaviour}; a recipe's {@code simulator.behaviour} wins).
 *
 * <p>Exit status: 0 success; 1 a simulated failure; 2 a simulated argument error (seed case 3) or a bad
 * invocation.
 */
public final class EngineSimulator {

    /** How the simulator waits; tests pass one that returns at once, or one that stops a hang. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        static Sleeper real() {
            return duration -> Thread.sleep(duration.toMillis());
        }
    }

    private final Map<String, String> env;
    private final Sleeper sleeper;
    private final PrintStream out;

    public EngineSimulator(Map<String, String> env, Sleeper sleeper, PrintStream out) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.out = Objects.requireNonNull(out, "out");
    }

    public static void main(String[] args) {
        int status = new EngineSimulator(System.getenv(), Sleeper.real(), System.out).run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Parses {@code --job-dir DIR} and runs; the process exit status. */
    public int run(String[] args) {
        Path jobDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    out.println(usage());
                    return 0;
                }
                case "--job-dir" -> {
                    if (i + 1 >= args.length) {
                        out.println("sweepd-sim: --job-dir needs a directory\n" + usage());
                        return 2;
                    }
                    jobDir = Path.of(args[++i]);
                }
                default -> {
                    out.println("sweepd-sim: unknown argument '" + args[i] + "'\n" + usage());
                    return 2;
                }
            }
        }
        if (jobDir == null) {
            out.println("sweepd-sim: --job-dir is required\n" + usage());
            return 2;
        }
        return run(jobDir);
    }

    /** Simulates the job rendered in {@code jobDir}; the process exit status. */
    public int run(Path jobDir) {
        JobDirectory dir = new JobDirectory(jobDir);
        if (!Files.isDirectory(dir.root())) {
            out.println("sweepd-sim: job directory " + dir.root() + " does not exist");
            return 2;
        }
        SimJob job;
        try {
            job = SimJob.read(dir, env);
        } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
            out.println("sweepd-sim: cannot read the job: " + e.getMessage());
            return 2;
        }
        if (job.behaviour().kind() == Behaviour.Kind.NO_LOG) {
            return 0;
        }
        SimClock clock = new SimClock(job.timeScale(), sleeper);
        try (EngineLog logs = new EngineLog(dir.logs(), clock)) {
            return new SimulatedRun(job, dir, clock, logs, out).execute();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("sweepd-sim: interrupted");
            return 143;
        } catch (IOException | UncheckedIOException e) {
            out.println("sweepd-sim: " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        return "usage: java -cp sweepd.jar " + EngineSimulator.class.getName() + " --job-dir DIR\n"
                + "DEV/TEST engine simulator: stands in for a GPU inference server in a job directory sweepd rendered.";
    }
}
