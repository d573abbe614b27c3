package io.sweepd.jobs;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import io.sweepd.ledger.JobRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs the evidence of a job that did not succeed into {@code failure.tar.gz} in its job directory: the
 * sbatch script, plan and recipe, whatever logs exist (none, when the job died before its log existed), the
 * final Slurm record and the job's own markers. Runs tar through the one command runner.
 */
public final class FailureArchiver {

    private static final Logger LOG = LoggerFactory.getLogger(FailureArchiver.class);
    public static final String ARCHIVE = "failure.tar.gz";
    /** What goes in, when present; attempts of earlier submissions are in logs/ too. */
    static final List<String> EVIDENCE = List.of("job.sbatch", "plan.json", "recipe.yaml", "slurm.json", "started",
            "exit-code", "logs", "results", "triage.json");

    private final CommandRunner runner;

    public FailureArchiver(CommandRunner runner) {
        this.runner = runner;
    }

    /** Returns the archive's path. */
    public Path archive(JobRecord job) {
        Path dir = Path.of(job.jobDir());
        // A job cancelled a moment ago may still be writing its last log lines: GNU tar then exits 1 ("file
        // changed as we read it") although the archive holds everything read; that is still the evidence.
        List<String> argv = new ArrayList<>(List.of("tar", "--warning=no-file-changed", "-czf", ARCHIVE + ".tmp", "--"));
        EVIDENCE.stream().filter(name -> Files.exists(dir.resolve(name))).forEach(argv::add);
        CommandResult result = runner.run(new CommandSpec(argv, Duration.ofMinutes(5), dir));
        Path archive = dir.resolve(ARCHIVE);
        boolean written = result.succeeded() || (result.exitCode() == 1 && Files.exists(dir.resolve(ARCHIVE + ".tmp")));
        if (!written) {
            throw new IllegalStateException("tar failed for job " + job.jobKey() + ": " + result.firstErrorLine());
        }
        try {
            Files.move(dir.resolve(ARCHIVE + ".tmp"), archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        LOG.info("job {} ({}): evidence archived in {}", job.jobKey(), job.state(), archive);
        return archive;
    }
}
