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
}
