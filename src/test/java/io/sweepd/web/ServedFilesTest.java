package io.sweepd.web;

import io.sweepd.InMemoryLedger;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Only a known run's report files and a known job's archive and triage note are served, wherever links lead. */
class ServedFilesTest {

    private static final String RUN = "nightly-20261127-220000";
    private static final String JOB = "gptoss_1k1k-0000000000";

    @TempDir
    Path home;

    private Ledger ledger;
    private ServedFiles files;
    private Path reports;
    private Path jobDir;

    @BeforeEach
    void wire() throws IOException {
        ledger = InMemoryLedger.open();
        reports = Files.createDirectories(home.resolve("reports"));
        jobDir = Files.createDirectories(home.resolve("outputs").resolve(RUN).resolve(JOB));
        ledger.runs().recordRun(RunRecord.planned(RUN, "nightly", "nightly.yaml", home.toString(), null, "{}"),
                List.of(JobRecord.planned(RUN, JOB, "local", jobDir.toString(), null, null, null)),
                List.of(PointRecord.of(RUN, JOB + "-c4", JOB, "{}", null)));
        files = new ServedFiles(ledger, reports);
        Files.createDirectories(reports.resolve(RUN));
        Files.writeString(reports.resolve(RUN).resolve("report.html"), "<html></html>");
        Files.writeString(jobDir.resolve("failure.tar.gz"), "archive");
        Files.writeString(home.resolve("secret.txt"), "secret");
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    @Test
    void aKnownRunsReportAndAKnownJobsArchiveAreServed() {
        assertThat(files.report(RUN, "report.html")).hasValueSatisfying(served -> {
            assertThat(served.file()).hasFileName("report.html");
            assertThat(served.contentType()).isEqualTo("text/html; charset=utf-8");
        });
        assertThat(files.jobFile(RUN, JOB, "failure.tar.gz")).hasValueSatisfying(served -> {
            assertThat(served.contentType()).isEqualTo("application/gzip");
            assertThat(served.disposition()).isEqualTo("attachment; filename=\"" + JOB + "-failure.tar.gz\"");
        });
        assertThat(files.hasReport(RUN)).isTrue();
        assertThat(files.hasJobFile(jobDir.toString(), "failure.tar.gz")).isTrue();
    }

    @Test
    void namesThatClimbOutOrAreNotOnTheListAreRefused() {
        assertThat(files.report(RUN, "../../secret.txt")).isEmpty();
        assertThat(files.report("../" + RUN, "report.html")).as("not a run the ledger has").isEmpty();
        assertThat(files.report(RUN, "report.md")).as("listed but missing").isEmpty();
        assertThat(files.jobFile(RUN, JOB, "../../../secret.txt")).isEmpty();
        assertThat(files.jobFile(RUN, JOB, "job.sbatch")).isEmpty();
        assertThat(files.jobFile(RUN, "../" + JOB, "failure.tar.gz")).isEmpty();
        assertThat(files.hasJobFile(null, "failure.tar.gz")).isFalse();
    }

    @Test
    void aLinkInsideTheDirectoryThatLeadsOutIsNotFollowed() throws IOException {
        Files.delete(reports.resolve(RUN).resolve("report.html"));
        Files.createSymbolicLink(reports.resolve(RUN).resolve("report.html"), home.resolve("secret.txt"));
        Files.delete(jobDir.resolve("failure.tar.gz"));
        Files.createSymbolicLink(jobDir.resolve("failure.tar.gz"), home.resolve("secret.txt"));

        assertThat(files.report(RUN, "report.html")).isEmpty();
        assertThat(files.jobFile(RUN, JOB, "failure.tar.gz")).isEmpty();
    }

    @Test
    void aJobsLogsAndAnEarlierAttemptsFilesAreServedAndListedButOnlyThoseDirectlyInTheirFolder() throws IOException {
        Path logs = Files.createDirectories(jobDir.resolve("logs"));
        Files.writeString(logs.resolve("slurm-7.out"), "log");
        Path aside = Files.createDirectories(jobDir.resolve("attempts/attempt-1/logs"));
        Files.writeString(aside.resolve("slurm-6.out"), "first");
        Files.writeString(aside.getParent().resolve("failure.tar.gz"), "first archive");
        Files.writeString(jobDir.resolve("job.sbatch"), "script");
        Files.createSymbolicLink(logs.resolve("out.log"), home.resolve("secret.txt"));
        Files.createSymbolicLink(logs.resolve("script.log"), jobDir.resolve("job.sbatch"));
        Files.createSymbolicLink(logs.resolve("same.log"), logs.resolve("slurm-7.out"));
        Files.createDirectories(logs.resolve("sub"));
        Files.writeString(logs.resolve("sub/deeper.log"), "deeper");

        assertThat(files.jobLog(RUN, JOB, null, "slurm-7.out")).hasValueSatisfying(served -> {
            assertThat(served.file()).hasFileName("slurm-7.out");
            assertThat(served.contentType()).isEqualTo("text/plain; charset=utf-8");
        });
        assertThat(files.jobLog(RUN, JOB, null, "same.log")).as("a link to a file beside it").isPresent();
        assertThat(files.jobLogNames(RUN, JOB, null)).hasValue(List.of("same.log", "slurm-7.out"));
        assertThat(files.jobLog(RUN, JOB, "1", "slurm-6.out")).isPresent();
        assertThat(files.jobLogNames(RUN, JOB, "1")).hasValue(List.of("slurm-6.out"));
        assertThat(files.earlierAttemptFile(RUN, JOB, "1", "failure.tar.gz")).hasValueSatisfying(served ->
                assertThat(served.disposition()).isEqualTo("attachment; filename=\"" + JOB
                        + "-attempt-1-failure.tar.gz\""));

        for (String name : List.of("out.log", "script.log", "sub/deeper.log", "sub", "../job.sbatch",
                "../../../../secret.txt", "..", ".", "")) {
            assertThat(files.jobLog(RUN, JOB, null, name)).as(name).isEmpty();
        }
        assertThat(files.jobLog(RUN, JOB, "1", "../slurm-6.out")).isEmpty();
        assertThat(files.jobLog(RUN, JOB, "01", "slurm-6.out")).as("attempt numbers as written, no more").isEmpty();
        assertThat(files.jobLog(RUN, JOB, "1/../..", "job.sbatch")).isEmpty();
        assertThat(files.earlierAttemptFile(RUN, JOB, "1", "job.sbatch")).isEmpty();
        assertThat(files.earlierAttemptFile(RUN, JOB, "2", "failure.tar.gz")).isEmpty();
        assertThat(files.jobLogNames(RUN, "no-such-job", null)).isEmpty();
    }

    @Test
    void aLogsFolderThatIsALinkElsewhereIsNeitherServedNorListed() throws IOException {
        Files.createSymbolicLink(jobDir.resolve("logs"), home);

        assertThat(files.jobLog(RUN, JOB, null, "secret.txt")).isEmpty();
        assertThat(files.jobLogNames(RUN, JOB, null)).isEmpty();
    }
}
