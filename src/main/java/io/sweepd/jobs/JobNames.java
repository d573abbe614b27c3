package io.sweepd.jobs;

import io.sweepd.render.JobRenderer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Slurm job names. Every sweepd job's name starts with {@code sweepd-} (one squeue call lists them all) and
 * carries the job key; each submission attempt of each run gets its own name, so after a crash between the
 * ledger write and sbatch's answer the job that sbatch may have created is found by name, never confused
 * with another run's or attempt's.
 */
public final class JobNames {

    /** The script's own #SBATCH --job-name starts the same way, so every sweepd job matches one prefix. */
    public static final String PREFIX = JobRenderer.jobNamePrefix();

    private JobNames() {
    }

    /** {@code sweepd-<job-key>-<6 hex of the run id>-a<attempt>}. */
    public static String attempt(String runId, String jobKey, int attempt) {
        return PREFIX + jobKey + "-" + shortHash(runId) + "-a" + attempt;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
