package io.sweepd.cli;

import io.sweepd.app.SweepdSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a command's home is: --home, else SWEEPD_HOME, else the XDG data directory; never the current directory.
 * A read-only command in a home without a ledger says so and leaves the home as it found it.
 */
class HomeResolutionTest {

    @TempDir
    Path dir;

    private record Ran(int exit, String out, String err) {
    }

    private Ran sweepd(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SweepdCli.commandLine();
        ((SweepdCli) cli.getCommand()).environment = environment;
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Ran(cli.execute(args), out.toString(), err.toString());
    }

    private static Path home(Map<String, String> environment, Map<String, String> overrides) {
        return SweepdSettings.load(null, environment, overrides).home();
    }

    @Test
    void theHomeOptionWinsOverTheEnvironment() {
        Path chosen = home(Map.of("SWEEPD_HOME", dir.resolve("env").toString(),
                "XDG_DATA_HOME", dir.resolve("xdg").toString()), Map.of("sweepd.home", dir.resolve("opt").toString()));

        assertThat(chosen).isEqualTo(dir.resolve("opt"));
    }

    @Test
    void sweepdHomeWinsOverTheXdgDirectory() {
        Path chosen = home(Map.of("SWEEPD_HOME", dir.resolve("env").toString(),
                "XDG_DATA_HOME", dir.resolve("xdg").toString()), Map.of());

        assertThat(chosen).isEqualTo(dir.resolve("env"));
    }

    @Test
    void withoutEitherTheHomeIsSweepdInTheXdgDataDirectory() {
        assertThat(home(Map.of("XDG_DATA_HOME", dir.resolve("xdg").toString(), "HOME", dir.toString()), Map.of()))
                .isEqualTo(dir.resolve("xdg").resolve("sweepd"));
        assertThat(home(Map.of("HOME", dir.toString()), Map.of()))
                .as("XDG's default").isEqualTo(dir.resolve(".local/share/sweepd"));
        assertThat(home(Map.of("XDG_DATA_HOME", "relative/xdg", "HOME", dir.toString()), Map.of()))
                .as("a relative XDG_DATA_HOME is ignored, as the XDG spec says")
                .isEqualTo(dir.resolve(".local/share/sweepd"));
    }

    @Test
    void neverTheCurrentDirectoryByDefault() {
        Path chosen = home(Map.of("HOME", dir.toString()), Map.of());

        assertThat(chosen).isNotEqualTo(Path.of("").toAbsolutePath());
    }

    @Test
    void readOnlyCommandsInAHomeWithoutALedgerCreateNothingAndNameTheHome() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Map<String, String> environment = Map.of("HOME", dir.toString(), "SWEEPD_HOME", empty.toString());

        for (List<String> command : List.of(List.of("status"), List.of("runs"), List.of("show", "abc"),
                List.of("report", "quickstart"), List.of("runs", "--home", empty.toString()))) {
            Ran ran = sweepd(environment, command.toArray(String[]::new));

            assertThat(ran.exit()).as(command + ": " + ran.err()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(ran.out()).isEmpty();
            assertThat(ran.err()).as(command.toString()).hasLineCount(1)
                    .contains("no ledger in home " + empty, "--home DIR or SWEEPD_HOME");
        }
        try (Stream<Path> left = Files.list(empty)) {
            assertThat(left).as("nothing created in the home").isEmpty();
        }
        assertThat(dir.resolve(".local")).as("nor in the XDG default").doesNotExist();
    }

    @Test
    void aReadOnlyCommandWithNoHomeAtAllLooksInTheXdgDirectoryAndCreatesNothing() throws Exception {
        Path xdg = dir.resolve("xdg");

        Ran ran = sweepd(Map.of("HOME", dir.toString(), "XDG_DATA_HOME", xdg.toString()), "status");

        assertThat(ran.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ran.err()).contains("no ledger in home " + xdg.resolve("sweepd"));
        assertThat(xdg).doesNotExist();
    }
}
