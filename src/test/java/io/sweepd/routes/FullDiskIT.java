package io.sweepd.routes;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import io.sweepd.ledger.LedgerBackups;
import io.sweepd.ledger.LedgerCheck;
import io.sweepd.render.RenderFixtures;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The outputs directory on a full filesystem: a 2 MB tmpfs mounted as the home's {@code outputs/}, the ledger (an
 * embedded H2 file, as a daemon keeps it) on the ordinary disk. The real routes and wiring take sweeps until the
 * disk is full; the sweep that cannot be written ends in {@code .error/} saying "No space left on device" and where,
 * the ledger stays whole (checked in place, and reopened from its file after the daemon stops), the daemon keeps
 * taking files, and once space is freed the next sweep is planned and recorded. No Slurm: the route tests stop at
 * the ledger. Needs root (to mount); skipped otherwise.
 */
class FullDiskIT extends RouteTestSupport {

    private static final CommandRunner RUNNER = new CommandRunner(Map.of());
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Far more than the few sweeps 2 MB holds: the test fails rather than loops if the disk never fills. */
    private static final int MAX_DROPS = 40;

    private static Path home;
    private static Path outputs;
    private static boolean mounted;

    @BeforeAll
    static void mountASmallTmpfsAsOutputs() throws IOException {
        CommandResult id = RUNNER.run(CommandSpec.of(COMMAND_TIMEOUT, "id", "-u"));
        assumeTrue(id.succeeded() && id.stdout().trim().equals("0"),
                "FullDiskIT mounts a tmpfs and needs root; skipped (id -u: " + id.stdout().trim() + ")");
        home = Files.createTempDirectory("sweepd-full-disk");
        outputs = Files.createDirectories(home.resolve("outputs"));
        CommandResult mount = RUNNER.run(CommandSpec.of(COMMAND_TIMEOUT, "mount", "-t", "tmpfs", "-o", "size=2m",
                "tmpfs", outputs.toString()));
        assumeTrue(mount.succeeded(), "FullDiskIT could not mount a tmpfs at " + outputs + "; skipped: "
                + mount.firstErrorLine());
        mounted = true;
    }

    @AfterAll
    static void ledgerReopensThenUnmount() throws IOException {
        try {
            if (home != null && mounted) {
                // The daemon has stopped (its ledger closed): the file opens as a new daemon would open it.
                Path ledgerFile = LedgerBackups.ledgerFile(home.resolve("state"));
                assertThat(ledgerFile).exists();
                assertThat(LedgerCheck.headerProblem(ledgerFile)).isEmpty();
                assertThat(LedgerCheck.openProblem(ledgerFile)).isEmpty();
            }
        } finally {
            if (mounted) {
                CommandResult umount = RUNNER.run(CommandSpec.of(COMMAND_TIMEOUT, "umount", outputs.toString()));
                if (!umount.succeeded()) {
                    RUNNER.run(CommandSpec.of(COMMAND_TIMEOUT, "umount", "-l", outputs.toString()));
                }
            }
            if (home != null) {
                try (Stream<Path> files = Files.walk(home)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        // An empty JDBC URL: the embedded H2 ledger file under state/, as a daemon keeps it (not the in-memory one).
        return Map.of("sweepd.ledger.jdbc-url", "", "sweepd.profile", "local", "sweepd.inbox.stable-ms", "200",
                "sweepd.intake.io-retries", "2", "sweepd.intake.io-retry-delay-ms", "50");
    }

    @Test
    void aFullOutputsDiskRefusesTheSweepItCannotWriteAndRecoversWhenSpaceIsFreed() throws IOException {
        Path filler = outputs.resolve("filler");
        // Most of the 2 MB taken at once, so a handful of sweeps fills the rest.
        fill(filler, Files.getFileStore(outputs).getUsableSpace() - 96 * 1024);

        String failed = null;
        int planned = 0;
        for (int drop = 1; drop <= MAX_DROPS && failed == null; drop++) {
            String name = String.format(Locale.ROOT, "full-%02d.yaml", drop);
            if (dropAndWait(name)) {
                planned++;
            } else {
                failed = name;
            }
        }

        assertThat(planned).as("sweeps were planned and written before the disk filled").isPositive();
        assertThat(failed).as("the disk filled up within " + MAX_DROPS + " sweeps").isNotNull();
        String explanation = Files.readString(errorText(failed).orElseThrow());
        assertThat(explanation).contains(failed).containsIgnoringCase("no space left on device")
                .contains(outputs.toString());
        assertThat(context.getStatus()).isEqualTo(ServiceStatus.Started);
        assertThat(context.getRouteController().getRouteStatus("sweep-intake")).isEqualTo(ServiceStatus.Started);
        assertThat(beans.ledger().runs().runs()).as("a run for each sweep planned, none for the refused one")
                .hasSize(planned);
        LedgerCheck.Result check = LedgerCheck.verify(beans.ledger(), LedgerCheck.Depth.FULL, Optional.empty());
        assertThat(check.problems()).isEmpty();

        Files.delete(filler);
        assertThat(dropAndWait("after-space-freed.yaml")).as("the next sweep is planned once space is freed").isTrue();
        assertThat(beans.ledger().runs().runs()).hasSize(planned + 1);
        assertThat(LedgerCheck.verify(beans.ledger(), LedgerCheck.Depth.FULL, Optional.empty()).problems()).isEmpty();
    }

    /** Drops a sweep (unique content, so none is a re-drop) and waits until intake is done with it. */
    private boolean dropAndWait(String name) throws IOException {
        String sweep = "# " + name + "\n" + Files.readString(RenderFixtures.resource("gptoss-single-node.yaml"));
        Path partial = home.resolve(name + ".part");
        Files.writeString(partial, sweep);
        Files.move(partial, settings.inbox().resolve(name));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> done(name) || errorText(name).isPresent());
        return done(name);
    }

    private boolean done(String name) throws IOException {
        return listed(settings.inbox().resolve(".done"), name.substring(0, name.length() - ".yaml".length()));
    }

    private Optional<Path> errorText(String name) throws IOException {
        Path errors = settings.inbox().resolve(".error");
        if (!Files.isDirectory(errors)) {
            return Optional.empty();
        }
        String stem = name.substring(0, name.length() - ".yaml".length());
        try (Stream<Path> files = Files.list(errors)) {
            return files.filter(p -> p.getFileName().toString().startsWith(stem)
                    && p.getFileName().toString().endsWith(".error.txt")).findFirst();
        }
    }

    private static boolean listed(Path dir, String stem) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith(stem));
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += block.length) {
                out.write(block, 0, (int) Math.min(block.length, bytes - written));
            }
        }
    }
}
