package io.sweepd.cli;

import io.sweepd.InMemoryLedger;
import io.sweepd.LogLines;
import io.sweepd.core.JobState;
import io.sweepd.jobs.JobRetries;
import io.sweepd.ledger.JobDetails;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.PointRecord;
import io.sweepd.ledger.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sweepd cancel} and {@code sweepd retry} in-process against a recorded ledger: each says what it did once,
 * and its exit status tells "done" from "nothing to do", "no such name" and "Slurm cannot be reached".
 */
class CancelAndRetryCommandTest {

    private static final String RUN = "quickstart-20261202-120000";

    @TempDir
    Path home;

    private final String url = InMemoryLedger.url();
    private Ledger ledger;
    private Path config;

    @BeforeEach
    void recordARun() throws Exception {
        ledger = Ledger.open(url, "sa", "");
        // A slurm.conf no Slurm command can use: scancel and scontrol fail at once, and no real cluster is touched.
        Path unusableSlurmConf = Files.writeString(home.resolve("slurm.conf"), "not a slurm configuration = =\n");
        config = Files.writeString(home.resolve("sweepd.properties"), "sweepd.ledger.jdbc-url=" + url
                + "\nsweepd.ledger.user=sa\nsweepd.slurm.conf=" + unusableSlurmConf + "\n");
        List<JobRecord> jobs = new ArrayList<>();
        List<PointRecord> points = new ArrayList<>();
        for (String key : List.of("job-a", "job-b")) {
            Path dir = Files.createDirectories(home.resolve("outputs").resolve(RUN).resolve(key));
            jobs.add(JobRecord.planned(RUN, key, "local", dir.toString(), 60, 120, 600));
            points.add(PointRecord.of(RUN, key + "-c4", key, "{\"conc\":4}", null));
        }
        ledger.runs().recordRun(RunRecord.planned(RUN, "quickstart", "quickstart.yaml", home.toString(), null, "{}"),
                jobs, points);
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    private void submitted(String key, String slurmId) {
        ledger.jobs().beginSubmit(RUN, key, "sweepd-" + key);
        ledger.jobs().submitted(RUN, key, slurmId);
    }

    private void end(String key, String slurmId, JobState state) {
        submitted(key, slurmId);
        ledger.jobs().transition(RUN, key, JobState.PENDING, state, state == JobState.FAILED ? "exit code 1" : null,
                Map.of(JobDetails.ENDED_AT, Instant.now()));
    }

    private record Ran(int exit, String out, String err) {
    }

    private Ran sweepd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--home", home.toString(), "--config", config.toString()));
        all.addAll(List.of(args));
        return new Ran(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void retryPrintsEachJobOnceAndLogsNothingThatRepeatsIt() {
        end("job-a", "100", JobState.COMPLETED);
        end("job-b", "101", JobState.FAILED);

        Ran retry;
        try (LogLines logs = LogLines.of(JobRetries.class)) {
            retry = sweepd("retry", "quickstart");
            assertThat(logs.events()).as("the command's own line says it; no log line repeats it").isEmpty();
        }

        assertThat(retry.exit()).isEqualTo(ExitCodes.OK);
        assertThat(retry.out()).startsWith("job-b: planned again (retry requested by ").hasLineCount(1);
        assertThat(retry.err()).isEmpty();
        assertThat(LoggerFactory.getLogger(JobRetries.class).isInfoEnabled())
                .as("the log level is back once the command ended").isTrue();
    }

    @Test
    void retryWithNothingFailedExitsNothingToDo() {
        end("job-a", "100", JobState.COMPLETED);

        Ran retry = sweepd("retry", "quickstart");
        Ran unknownPoint = sweepd("retry", "quickstart", "--point", "nosuch");
        Ran unknownRun = sweepd("retry", "nosuch");

        assertThat(retry.exit()).isEqualTo(ExitCodes.NOTHING_TO_DO);
        assertThat(retry.out()).isEmpty();
        assertThat(retry.err()).isEqualTo("sweepd retry: no failed job in " + RUN + "; completed points are never"
                + " rerun" + System.lineSeparator());
        assertThat(unknownPoint.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknownRun.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknownRun.err()).contains("no sweep or run named nosuch");
    }

    @Test
    void cancelOfAJobKeyTwoRunsHaveNeedsTheRunAndThenCancelsOnlyThatRunsJob() throws Exception {
        String other = "quickstart-20261203-120000";
        Path dir = Files.createDirectories(home.resolve("outputs").resolve(other).resolve("job-a"));
        ledger.runs().recordRun(RunRecord.planned(other, "quickstart", "quickstart.yaml", home.toString(), null,
                "{}"), List.of(JobRecord.planned(other, "job-a", "local", dir.toString(), 60, 120, 600)),
                List.of(PointRecord.of(other, "job-a-c4", "job-a", "{\"conc\":4}", null)));

        Ran ambiguous = sweepd("cancel", "job-a");
        Ran one = sweepd("cancel", RUN, "job-a");

        assertThat(ambiguous.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(ambiguous.err()).contains(RUN).contains(other).contains("name the run").hasLineCount(1);
        assertThat(one.exit()).isEqualTo(ExitCodes.OK);
        assertThat(one.out()).isEqualTo(RUN + " job-a: cancelled before submission" + System.lineSeparator());
        assertThat(ledger.jobs().job(other, "job-a").orElseThrow().state()).isEqualTo(JobState.PLANNED);
        assertThat(ledger.jobs().job(RUN, "job-b").orElseThrow().state()).isEqualTo(JobState.PLANNED);
    }

    @Test
    void cancelTellsAnUnknownNameFromARunWithNothingLeftToCancel() {
        end("job-a", "100", JobState.COMPLETED);
        end("job-b", "101", JobState.FAILED);

        Ran finished = sweepd("cancel", "quickstart");
        Ran unknown = sweepd("cancel", "nosuch");

        assertThat(finished.exit()).isEqualTo(ExitCodes.NOTHING_TO_DO);
        assertThat(finished.err()).contains("nothing to cancel: every job of quickstart already ended");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("no sweep, run or unfinished job named nosuch");
    }

    @Test
    void cancelOfJobsNotYetSubmittedNeedsNoSlurm() {
        Ran cancel = sweepd("cancel", "quickstart");

        assertThat(cancel.exit()).isEqualTo(ExitCodes.OK);
        assertThat(cancel.out().lines().toList()).containsExactly(
                RUN + " job-a: cancelled before submission", RUN + " job-b: cancelled before submission");
    }

    @Test
    void cancelOfASubmittedJobWhenSlurmCannotBeReachedExitsSlurmUnavailable() {
        submitted("job-a", "999999991");

        Ran cancel = sweepd("cancel", "quickstart");

        assertThat(cancel.exit()).isEqualTo(ExitCodes.SLURM_UNAVAILABLE);
        assertThat(cancel.out()).contains(RUN + " job-b: cancelled before submission")
                .contains(RUN + " job-a: scancel 999999991 failed (");
        assertThat(cancel.err()).startsWith("sweepd cancel: Slurm cannot be reached (")
                .endsWith("; the jobs above marked failed are not cancelled" + System.lineSeparator());
    }
}
