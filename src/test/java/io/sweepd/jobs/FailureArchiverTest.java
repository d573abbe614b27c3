package io.sweepd.jobs;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import io.sweepd.ledger.JobRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The archiver, with GNU tar reading what it wrote: the archive must stay what `tar -czf` made. */
class FailureArchiverTest {

    @TempDir
    Path outputs;

    private final CommandRunner runner = new CommandRunner(Map.of());
    private final FailureArchiver archiver = new FailureArchiver();

    private Path jobDir() throws IOException {
        Path dir = outputs.resolve("nightly-20261127-220000").resolve(Runs.key(0));
        Files.createDirectories(dir);
        return dir;
    }

    private static JobRecord job(Path dir) {
        return JobRecord.planned("nightly-20261127-220000", Runs.key(0), "local", dir.toString(), 60, 120, 600);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private List<String> entries(Path archive) {
        CommandResult list = runner.run(CommandSpec.of(Duration.ofSeconds(30), "tar", "-tzf", archive.toString()));
        assertThat(list.succeeded()).as(list.toString()).isTrue();
        assertThat(list.stderr()).as("GNU tar has nothing to say about the archive").isEmpty();
        return list.stdout().lines().toList();
    }

    private String member(Path archive, String name) {
        CommandResult read = runner.run(CommandSpec.of(Duration.ofSeconds(30), "tar", "-xOzf", archive.toString(),
                name));
        assertThat(read.succeeded()).as(read.toString()).isTrue();
        return read.stdout();
    }

    @Test
    void theArchiveHoldsEveryPieceOfEvidenceThatExistsAndNothingElse() throws IOException {
        Path dir = jobDir();
        write(dir.resolve("job.sbatch"), "#!/bin/bash\n#SBATCH --job-name=sweepd-x\n");
        write(dir.resolve("plan.json"), "{}\n");
        write(dir.resolve("recipe.yaml"), "model: openai/gpt-oss-120b\n");
        write(dir.resolve("slurm.json"), "{\"slurm-job-id\":\"7\"}\n");
        write(dir.resolve("started"), "job_id=7\n");
        write(dir.resolve("exit-code"), "1\n");
        write(dir.resolve("logs/slurm-7.out"), "sweepd: job started\nRuntimeError: CUDA out of memory\n");
        write(dir.resolve("logs/server-0.log"), "INFO loading\n");
        write(dir.resolve("results/results_concurrency_4_gpus_2.json"), "{}\n");
        write(dir.resolve("notes-of-someone-else.txt"), "not evidence\n");

        Path archive = archiver.archive(job(dir));

        assertThat(archive).isEqualTo(dir.resolve(FailureArchiver.ARCHIVE)).isRegularFile();
        assertThat(dir.resolve(FailureArchiver.ARCHIVE + ".tmp")).doesNotExist();
        assertThat(entries(archive)).containsExactlyInAnyOrder("job.sbatch", "plan.json", "recipe.yaml",
                "slurm.json", "started", "exit-code", "logs/", "logs/slurm-7.out", "logs/server-0.log", "results/",
                "results/results_concurrency_4_gpus_2.json");
        assertThat(member(archive, "logs/slurm-7.out")).contains("CUDA out of memory");
        assertThat(runner.invocations("tar")).as("only this test's reads: the archive is written in process")
                .isEqualTo(2);
    }

    @Test
    void aJobThatDiedBeforeItsLogDirectoryExistedIsStillArchived() throws IOException {
        Path dir = jobDir();
        write(dir.resolve("job.sbatch"), "#!/bin/bash\n");
        write(dir.resolve("plan.json"), "{}\n");
        write(dir.resolve("recipe.yaml"), "model: x\n");
        write(dir.resolve("slurm.json"), "{\"final\":{\"exitCode\":\"0:53\"}}\n");

        Path archive = archiver.archive(job(dir));

        assertThat(entries(archive)).containsExactlyInAnyOrder("job.sbatch", "plan.json", "recipe.yaml",
                "slurm.json");
        assertThat(member(archive, "slurm.json")).contains("0:53");
    }

    @Test
    void archivingAgainReplacesTheArchiveWithTheCurrentEvidence() throws IOException {
        Path dir = jobDir();
        write(dir.resolve("job.sbatch"), "#!/bin/bash\n");
        archiver.archive(job(dir));
        write(dir.resolve("triage.json"), "{\"category\":\"oom\"}\n");

        Path archive = archiver.archive(job(dir));

        assertThat(entries(archive)).containsExactlyInAnyOrder("job.sbatch", "triage.json");
        assertThat(entries(archive)).doesNotContain(FailureArchiver.ARCHIVE);
    }

    /**
     * A job that sweepd cancels at a deadline (or that Slurm cancels) is archived in the same poll cycle, while its
     * processes are still shutting down and writing their logs (Slurm's KillWait). When GNU tar wrote the archive it
     * said "file changed as we read it" and exited 1 although the archive was complete, and an archiver that took
     * that for a failure left no failure.tar.gz for exactly the jobs that hit a deadline. The archive must be
     * written, and readable by tar, with the log as it was when its entry began.
     */
    @Test
    void aLogStillBeingWrittenByADyingJobDoesNotPreventTheArchive() throws Exception {
        Path dir = jobDir();
        write(dir.resolve("job.sbatch"), "#!/bin/bash\n");
        byte[] noise = new byte[20 << 20]; // big enough that tar is still reading it while lines are appended
        new Random(1).nextBytes(noise);
        Path log = dir.resolve("logs/server-0.log");
        write(log, "");
        Files.write(log, noise);
        AtomicBoolean archiving = new AtomicBoolean(true);
        Thread dyingJob = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(log, java.nio.file.StandardOpenOption.APPEND)) {
                while (archiving.get()) {
                    out.write("INFO: shutting down after SIGTERM\n".getBytes());
                    out.flush();
                    Thread.sleep(1);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        dyingJob.start();
        try {
            assertThatCode(() -> archiver.archive(job(dir))).doesNotThrowAnyException();
        } finally {
            archiving.set(false);
            dyingJob.join();
        }

        assertThat(dir.resolve(FailureArchiver.ARCHIVE)).isRegularFile();
        assertThat(entries(dir.resolve(FailureArchiver.ARCHIVE))).contains("job.sbatch", "logs/server-0.log");
    }
}
