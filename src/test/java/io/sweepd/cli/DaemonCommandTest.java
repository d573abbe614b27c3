package io.sweepd.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import io.sweepd.app.HoldDaemonLock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonCommandTest {

    @TempDir
    Path home;

    @Test
    void aFailedSlurmStartupCheckExitsSlurmUnavailableWithOneLineAndNoStackTrace() throws IOException {
        // The slurm.conf check fails before any Slurm command runs, so no cluster is needed.
        Path missing = home.resolve("no-such/slurm.conf");
        Path config = Files.writeString(home.resolve("sweepd.properties"), "sweepd.slurm.conf=" + missing + "\n");
        StringWriter err = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("--home", home.toString(), "--config", config.toString(), "daemon");

        assertThat(exit).isEqualTo(ExitCodes.SLURM_UNAVAILABLE);
        assertThat(err.toString()).isEqualTo("sweepd daemon cannot start: the slurm.conf " + missing
                + " (from sweepd.slurm.conf) does not exist or is not a file; point sweepd.slurm.conf at the"
                + " cluster's slurm.conf, or leave it empty for Slurm's default" + System.lineSeparator());
        assertThat(home.resolve("state/ledger.mv.db")).as("the ledger is not opened after a failed check")
                .doesNotExist();
    }

    @Test
    void aSecondDaemonOnTheSameHomeExitsCannotStartNamingTheFirstBeforeItTouchesSlurmOrTheLedger() throws Exception {
        Process first = HoldDaemonLock.start(home.resolve("state"));
        try {
            assertThat(new BufferedReader(new InputStreamReader(first.getInputStream())).readLine()).isEqualTo("held");
            // A slurm.conf that would fail its check: the lock is checked first, so this message never shows.
            Path config = Files.writeString(home.resolve("sweepd.properties"),
                    "sweepd.slurm.conf=" + home.resolve("no-such/slurm.conf") + "\n");
            StringWriter err = new StringWriter();
            CommandLine cli = SweepdCli.commandLine();
            cli.setErr(new PrintWriter(err, true));

            int exit = cli.execute("--home", home.toString(), "--config", config.toString(), "daemon");

            assertThat(exit).isEqualTo(ExitCodes.CANNOT_START);
            assertThat(err.toString()).startsWith("sweepd daemon cannot start: another sweepd daemon runs on this"
                    + " home: pid " + first.pid() + " on host ").endsWith("to take over when it stops"
                    + System.lineSeparator());
            assertThat(err.toString().lines()).hasSize(1);
            assertThat(home.resolve("state/ledger.mv.db")).as("the ledger is not opened").doesNotExist();
        } finally {
            first.destroyForcibly();
            first.waitFor(1, TimeUnit.MINUTES);
        }
    }
}
