package io.sweepd.app;

import ch.qos.logback.classic.Level;
import io.sweepd.LogLines;
import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import io.sweepd.ledger.Ledger;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupChecksTest {

    private static final String UP = "Slurmctld(primary) at ctl1 is UP\n";
    private static final String DOWN = "Slurmctld(primary) at ctl1 is DOWN\n";

    @TempDir
    Path home;

    private SweepdSettings settings(String... keyValues) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("sweepd.home", home.toString());
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return SweepdSettings.load(null, Map.of(), overrides);
    }

    /** scontrol answering with that exit status and output; counts its calls. */
    private static SlurmClient scontrol(int exit, String stdout, String stderr, List<CommandSpec> calls) {
        return new SlurmClient(new CommandRunner(spec -> {
            calls.add(spec);
            return new CommandResult(spec, exit, stdout, stderr, false, Duration.ofMillis(2));
        }), SlurmTimeouts.defaults());
    }

    private static SlurmClient scontrol(int exit, String stdout, String stderr) {
        return scontrol(exit, stdout, stderr, new ArrayList<>());
    }

    // ------------------------------------------------------------------ Slurm

    @Test
    void aControllerThatAnswersPassesWithOneLineNamingTheSlurmConfInUse() throws IOException {
        Path conf = Files.writeString(home.resolve("slurm.conf"), "ClusterName=test\n");
        List<CommandSpec> calls = new ArrayList<>();
        StartupChecks checks = new StartupChecks(settings("sweepd.slurm.conf", conf.toString()), Map.of());

        try (LogLines log = LogLines.of(StartupChecks.class)) {
            checks.slurm(scontrol(0, UP, "", calls));

            assertThat(log.at(Level.INFO)).containsExactly("startup check: Slurm ok: Slurmctld(primary) at ctl1 is UP;"
                    + " slurm.conf " + conf + " (from sweepd.slurm.conf)");
        }
        assertThat(calls).extracting(CommandSpec::argv).containsExactly(List.of("scontrol", "ping"));
    }

    @Test
    void withoutAConfiguredSlurmConfTheEnvironmentsIsNamedThenSlurmsDefault() throws IOException {
        Path conf = Files.writeString(home.resolve("env-slurm.conf"), "ClusterName=test\n");

        assertThat(new StartupChecks(settings(), Map.of("SLURM_CONF", conf.toString())).slurmConf())
                .isEqualTo(conf + " (from SLURM_CONF)");
        assertThat(new StartupChecks(settings(), Map.of()).slurmConf()).startsWith("(Slurm's default");
    }

    @Test
    void everyControllerDownIsFatalByDefault() {
        StartupChecks checks = new StartupChecks(settings(), Map.of());

        assertThatThrownBy(() -> checks.slurm(scontrol(1, DOWN, "")))
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessage("no Slurm controller answers (Slurmctld(primary) at ctl1 is DOWN; slurm.conf (Slurm's"
                        + " default: its built-in path, usually /etc/slurm/slurm.conf, or configless)); check that"
                        + " slurmctld runs and is reachable from this node, or set"
                        + " sweepd.startup.require-slurm=false to start anyway");
    }

    @Test
    void everyControllerDownIsOneWarningWhenTheDaemonMayStartWithoutSlurm() {
        StartupChecks checks = new StartupChecks(settings("sweepd.startup.require-slurm", "false"), Map.of());

        try (LogLines log = LogLines.of(StartupChecks.class)) {
            checks.slurm(scontrol(1, DOWN, ""));

            assertThat(log.at(Level.WARN)).singleElement().asString()
                    .startsWith("startup check: Slurm does not answer (Slurmctld(primary) at ctl1 is DOWN;")
                    .endsWith("starting anyway (sweepd.startup.require-slurm=false): jobs wait until slurmctld"
                            + " answers");
        }
    }

    @Test
    void missingSlurmCommandsAreFatalEvenWhenTheDaemonMayStartWithoutSlurm() {
        StartupChecks checks = new StartupChecks(settings("sweepd.startup.require-slurm", "false"), Map.of());

        assertThatThrownBy(() -> checks.slurm(scontrol(CommandResult.NOT_STARTED, "",
                "cannot run scontrol: Cannot run program \"scontrol\": error=2, No such file or directory")))
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessage("Slurm's commands cannot be run (scontrol: cannot run scontrol: Cannot run program"
                        + " \"scontrol\": error=2, No such file or directory); install the Slurm client commands on"
                        + " this node or put them on the daemon's PATH");
    }

    @Test
    void aConfiguredSlurmConfThatDoesNotExistIsFatalBeforeScontrolRuns() {
        Path missing = home.resolve("etc/slurm.conf");
        List<CommandSpec> calls = new ArrayList<>();
        StartupChecks checks = new StartupChecks(settings("sweepd.slurm.conf", missing.toString()), Map.of());

        assertThatThrownBy(() -> checks.slurm(scontrol(0, UP, "", calls)))
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessage("the slurm.conf " + missing + " (from sweepd.slurm.conf) does not exist or is not a file;"
                        + " point sweepd.slurm.conf at the cluster's slurm.conf, or leave it empty for Slurm's"
                        + " default");
        assertThat(calls).isEmpty();
    }

    @Test
    void aConfigurationScontrolCannotUseIsFatalWithScontrolsOwnLine() {
        StartupChecks checks = new StartupChecks(settings(), Map.of());

        assertThatThrownBy(() -> checks.slurm(scontrol(1, "", "scontrol: error: ClusterName needs to be specified\n"
                + "scontrol: fatal: Unable to process configuration file\n")))
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessageStartingWith("scontrol ping failed: scontrol: error: ClusterName needs to be specified;"
                        + " check the Slurm configuration (slurm.conf (Slurm's default");
    }

    // ------------------------------------------------------------------ ledger

    @Test
    void aLedgerThatOpensAndReadsPassesAndIsHandedBack() {
        String url = "jdbc:h2:mem:startup-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        SweepdSettings settings = settings("sweepd.ledger.jdbc-url", url);
        StartupChecks checks = new StartupChecks(settings, Map.of());

        try (LogLines log = LogLines.of(StartupChecks.class);
             Ledger ledger = checks.ledger(() -> LedgerFactory.open(settings))) {
            assertThat(ledger.runs().runs()).isEmpty();
            assertThat(log.at(Level.INFO)).containsExactly("startup check: ledger ok: " + url);
        }
    }

    @Test
    void aLedgerThatCannotOpenIsFatalNamingTheUrlButNeverThePassword() throws IOException {
        // A regular file where the database's directory should be: H2 cannot create its file, even for root.
        Path notADirectory = Files.writeString(home.resolve("db"), "");
        String url = "jdbc:h2:file:" + notADirectory.resolve("ledger");
        SweepdSettings settings = settings("sweepd.ledger.jdbc-url", url, "sweepd.ledger.user", "sweepd",
                "sweepd.ledger.password", "s3cret-pw");
        StartupChecks checks = new StartupChecks(settings, Map.of());

        assertThatThrownBy(() -> checks.ledger(() -> Ledger.open(url, "sweepd", "s3cret-pw", Clock.systemUTC(),
                Duration.ofMillis(1))))
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessageStartingWith("the ledger " + url + " cannot be opened (")
                .hasMessageEndingWith("); check sweepd.ledger.jdbc-url, its user and password, and that the database"
                        + " is up")
                .message().doesNotContain("s3cret-pw");
    }

    // ------------------------------------------------------------------ directories

    @Test
    void missingDirectoriesAreCreatedAndOneLineSaysSo() {
        StartupChecks checks = new StartupChecks(settings(), Map.of());

        try (LogLines log = LogLines.of(StartupChecks.class)) {
            checks.directories();

            assertThat(log.at(Level.INFO)).containsExactly("startup check: directories ok: inbox " + home.resolve("inbox")
                    + ", outputs " + home.resolve("outputs") + ", state " + home.resolve("state") + ", reports "
                    + home.resolve("reports"));
        }
        assertThat(List.of("inbox", "outputs", "state", "reports")).allSatisfy(d ->
                assertThat(home.resolve(d)).isDirectory().isEmptyDirectory());
    }

    @Test
    void createdDirectoriesAreOwnerOnlyUnlessGroupReadableIsSet() throws IOException {
        new StartupChecks(settings(), Map.of()).directories();
        Path groupHome = home.resolve("team");
        new StartupChecks(settings("sweepd.home", groupHome.toString(), "sweepd.files.group-readable", "true"),
                Map.of()).directories();

        for (String d : List.of("inbox", "outputs", "state", "reports")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(d))))
                    .as(d).isEqualTo("rwx------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(groupHome.resolve(d))))
                    .as(d).isEqualTo("rwxr-x---");
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsFatalNamingIt() throws IOException {
        Files.writeString(home.resolve("reports"), "a file where the reports directory belongs\n");
        StartupChecks checks = new StartupChecks(settings(), Map.of());

        assertThatThrownBy(checks::directories)
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessageStartingWith("the reports (sweepd.reports-dir) directory " + home.resolve("reports")
                        + " does not exist and cannot be created (FileAlreadyExistsException")
                .hasMessageEndingWith("); check the path and sweepd.home, or create it");
    }

    @Test
    void aDirectoryThatTakesNoFileIsFatalNamingIt() {
        // procfs takes no new file, not even from root (the tests may run as root, which permission bits don't stop).
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc), "needs Linux's /proc");
        StartupChecks checks = new StartupChecks(settings("sweepd.inbox-dir", proc.toString()), Map.of());

        assertThatThrownBy(checks::directories)
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessageStartingWith("the inbox (sweepd.inbox-dir) directory /proc is not writable (")
                .hasMessageEndingWith("); check its owner and permissions for the user running sweepd");
    }
}
