package io.sweepd.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonCommandTest {

    @TempDir
    Path home;

    @Test
    void aFailedStartupCheckExitsTwoWithOneLineAndNoStackTrace() throws IOException {
        // The slurm.conf check fails before any Slurm command runs, so no cluster is needed.
        Path missing = home.resolve("no-such/slurm.conf");
        Path config = Files.writeString(home.resolve("sweepd.properties"), "sweepd.slurm.conf=" + missing + "\n");
        StringWriter err = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("--home", home.toString(), "--config", config.toString(), "daemon");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("sweepd daemon cannot start: the slurm.conf " + missing
                + " (from sweepd.slurm.conf) does not exist or is not a file; point sweepd.slurm.conf at the"
                + " cluster's slurm.conf, or leave it empty for Slurm's default" + System.lineSeparator());
        assertThat(home.resolve("state/ledger.mv.db")).as("the ledger is not opened after a failed check")
                .doesNotExist();
    }
}
