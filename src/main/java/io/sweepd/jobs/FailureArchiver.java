package io.sweepd.jobs;

import io.sweepd.files.TarGz;
import io.sweepd.ledger.JobRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Packs the evidence of a job that did not succeed into {@code failure.tar.gz} in its job directory: the
 * sbatch script, plan and recipe, whatever logs exist (none, when the job died before its log existed), the
 * final Slurm record and the job's own markers. Written in process ({@link TarGz}); symbolic links in the job
 * directory are archived as links, never followed.
 */
public final class FailureArchiver {

    private static final Logger LOG = LoggerFactory.getLogger(FailureArchiver.class);
    public static final String ARCHIVE = "failure.tar.gz";
    /** What goes in, when present; attempts of earlier submissions are in logs/ too. */
    static final List<String> EVIDENCE = List.of("job.sbatch", "plan.json", "recipe.yaml", "slurm.json", "started",
            "exit-code", "logs", "results", "triage.json");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** Returns the archive's path. */
    public Path archive(JobRecord job) {
        Path dir = Path.of(job.jobDir());
        Path partial = dir.resolve(ARCHIVE + ".tmp");
        Path archive = dir.resolve(ARCHIVE);
        try {
            // A job cancelled a moment ago may still be writing its last log lines: a file is archived with the
            // size it had when its entry began, which is still the evidence.
            TarGz.write(dir, EVIDENCE, partial, TIMEOUT);
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the failure below is the one worth reporting
            }
            throw new IllegalStateException("cannot archive the evidence of job " + job.jobKey() + ": "
                    + e.getMessage(), e);
        }
        LOG.info("job {} ({}): evidence archived in {}", job.jobKey(), job.state(), archive);
        return archive;
    }
}
