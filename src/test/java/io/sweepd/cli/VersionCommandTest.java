package io.sweepd.cli;

import io.sweepd.app.BuildInfo;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class VersionCommandTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void theVersionOptionNamesTheBuildAndTheJvm() {
        String[] lines = run("--version").split("\\R");

        assertThat(lines[0]).isEqualTo("sweepd " + BuildInfo.current().describe())
                .doesNotContain("version unknown");
        assertThat(lines[1]).startsWith("Java " + System.getProperty("java.version"));
    }

    @Test
    void theVersionCommandSaysTheSame() {
        assertThat(run("version")).isEqualTo(run("--version"));
    }
}
