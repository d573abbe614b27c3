package io.sweepd.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real single-host Slurm that scripts/local-slurm.sh starts (scripts/test.sh exports SLURM_CONF). Tests use
 * Slurm's own commands here only to check what sweepd did, never to stand in for it.
 */
final class LocalSlurm {

    private LocalSlurm() {
    }

    static String conf() {
        String conf = System.getenv("SLURM_CONF");
        assumeTrue(conf != null && !conf.isBlank(),
                "SLURM_CONF is not set: start the local cluster with scripts/local-slurm.sh (scripts/test.sh does)");
        return conf;
    }

    /** Runs a Slurm client command; returns its stdout (stderr appended), whatever the exit code. */
    static String run(String... argv) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(argv)).redirectErrorStream(true);
        builder.environment().put("SLURM_CONF", conf());
        Path out = Files.createTempFile("slurm", ".out");
        try {
            Process process = builder.redirectOutput(out.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not answer in 60 s");
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Every job (finished ones included) sacct knows whose name contains the text. */
    static List<String> accountedJobsNamed(String nameFragment) throws IOException, InterruptedException {
        String out = run("sacct", "--allocations", "--noheader", "--parsable2", "--starttime=now-1days",
                "--format=JobID,JobName,State");
        return out.lines().filter(line -> line.contains(nameFragment)).toList();
    }

    /** Whether slurmctld has forgotten the job (MinJobAge passed). */
    static boolean purged(String jobId) throws IOException, InterruptedException {
        return run("scontrol", "show", "job", jobId).contains("Invalid job id");
    }
}
