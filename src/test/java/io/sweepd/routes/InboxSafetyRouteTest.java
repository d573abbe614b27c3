package io.sweepd.routes;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.sweepd.Fixtures;
import io.sweepd.LogLines;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import io.sweepd.ledger.RunRecord;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the inbox takes and what it refuses unread: links, fifos, odd names; a file still being written is taken
 * once, whole; what it writes about them is the owner's alone.
 */
class InboxSafetyRouteTest extends RouteTestSupport {

    private static final Duration GENEROUS = Duration.ofSeconds(60);
    private static final String SECRET = "root:$6$canary-shadow-line:19000:0:99999:7:::";

    @TempDir
    Path home;

    private LogLines logs;

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        // Long enough that a writer's pause below is inside it, short enough for a quick test.
        return Map.of("sweepd.inbox.stable-ms", "2500");
    }

    @BeforeEach
    void captureLogs() {
        logs = LogLines.all();
    }

    @AfterEach
    void detachLogs() {
        logs.close();
    }

    private Path inbox() {
        return home.resolve("inbox");
    }

    @Test
    void aSymlinkToAFileOutsideIsRefusedAndItsTargetNeverAppearsInErrorOrLog() throws IOException {
        Path outside = Files.writeString(Files.createDirectories(home.resolve("private")).resolve("shadow"),
                SECRET + "\n");
        Files.createSymbolicLink(inbox().resolve("link.yaml"), outside);

        List<Path> errors = errorFiles(2);

        assertThat(errors).extracting(p -> p.getFileName().toString())
                .anySatisfy(name -> assertThat(name).matches("link-\\d{8}-\\d{6}-\\d{3}\\.yaml"));
        Path moved = errors.stream().filter(p -> p.toString().endsWith(".yaml")).findFirst().orElseThrow();
        assertThat(Files.isSymbolicLink(moved)).as("the link itself was moved, not its target").isTrue();
        assertThat(outside).as("the target is untouched").hasContent(SECRET + "\n");
        Path message = errors.stream().filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
        assertThat(Files.readString(message)).contains("symbolic link").doesNotContain("canary-shadow-line");
        assertThat(Files.getPosixFilePermissions(message)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("canary-shadow-line"));
        assertThat(beans.ledger().runs().runs()).isEmpty();
    }

    @Test
    void aFifoIsRefusedWithoutBlockingAndTheNextFileIsStillPlanned() throws IOException {
        new CommandRunner(Map.of()).run(CommandSpec.of(Duration.ofSeconds(30), "mkfifo", inbox().resolve("pipe.yaml").toString()));
        assertThat(inbox().resolve("pipe.yaml")).exists();

        List<Path> errors = errorFiles(2);
        Path message = errors.stream().filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
        assertThat(Files.readString(message)).contains("pipe.yaml").contains("not a regular file");

        NotifyBuilder planned = new NotifyBuilder(context).fromRoute("sweep-intake")
                .filter(RouteTestSupport::wholeFile).whenCompleted(1).create();
        Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), inbox().resolve("good.yaml"));
        assertThat(planned.matches(GENEROUS.toSeconds(), TimeUnit.SECONDS)).as("intake goes on").isTrue();
    }

    @Test
    void oddNamesGetAMessageUnderASanitisedName() throws IOException {
        Files.writeString(inbox().resolve("two\nlines.yaml"), "x: {}\n");
        Files.writeString(inbox().resolve("-dash.yaml"), "x: {}\n");
        Files.writeString(inbox().resolve(".hidden.yaml"), "x: {}\n");

        List<Path> errors = errorFiles(6);

        assertThat(errors).extracting(p -> p.getFileName().toString())
                .allSatisfy(name -> assertThat(name).matches("[A-Za-z0-9._-]+"))
                .anySatisfy(name -> assertThat(name).matches("two_lines-\\d{8}-\\d{6}-\\d{3}\\.yaml\\.error\\.txt"))
                .anySatisfy(name -> assertThat(name).matches("_dash-\\d{8}-\\d{6}-\\d{3}\\.yaml\\.error\\.txt"))
                .anySatisfy(name -> assertThat(name).matches("_hidden-\\d{8}-\\d{6}-\\d{3}\\.yaml\\.error\\.txt"));
        String messages = String.join("\n", errors.stream().filter(p -> p.toString().endsWith(".error.txt"))
                .map(InboxSafetyRouteTest::read).toList());
        assertThat(messages).contains("control characters").contains("starts with '-'").contains("starts with '.'");
        assertThat(inbox().resolve("two\nlines.yaml")).doesNotExist();
        assertThat(beans.ledger().runs().runs()).isEmpty();
    }

    @Test
    void aFileWrittenInTwoPiecesWithAPauseIsReadOnceWhole() throws IOException {
        String text = Files.readString(Fixtures.fixture("inferencemax/master-excerpt.yaml"));
        int cut = text.indexOf("\n", text.length() / 2) + 1;
        Path file = inbox().resolve("pieces.yaml");
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("sweep-intake")
                .filter(RouteTestSupport::wholeFile).whenDone(1).create();
        Files.writeString(file, text.substring(0, cut));

        // The writer pauses longer than the file consumer's read-lock check, shorter than stable-ms: nothing is
        // taken meanwhile (neither half a run nor an error about half a file).
        await("the half-written file to be left alone").during(Duration.ofMillis(1500)).atMost(GENEROUS)
                .until(() -> Files.exists(file) && beans.ledger().runs().runs().isEmpty() && !Files.exists(inbox().resolve(".error")));
        Files.writeString(file, text.substring(cut), StandardOpenOption.APPEND);

        assertThat(done.matches(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(beans.ledger().runs().runs()).singleElement().satisfies(run ->
                assertThat(beans.ledger().runs().points(run.runId())).hasSize(85));
        assertThat(inbox().resolve(".error")).doesNotExist();
    }

    @Test
    void aSubmitRecordForOneFileIsNotAppliedToAHandDroppedFileOfTheSameName() throws IOException {
        Path aliceDir = Files.createDirectories(home.resolve("alice"));
        Path alices = Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), aliceDir.resolve("x.yaml"));
        new io.sweepd.app.Inbox(inbox()).submit(alices, "local");
        // Conditions on the ledger and the inbox, not on exchange events: intake hands a file to a worker thread, so
        // the consumer's events and the run's recording need not come in one order.
        await("alice's run").atMost(GENEROUS).until(() -> beans.ledger().runs().runs().size() == 1
                && !Files.exists(inbox().resolve("x.yaml")));
        RunRecord alicesRun = beans.ledger().runs().runs().get(0);
        assertThat(alicesRun.profileOverride()).isEqualTo("local");
        assertThat(alicesRun.sourceDir()).isEqualTo(aliceDir.toString());
        assertThat(inbox().resolve(".meta/x.yaml.json")).as("alice's record is still there").exists();

        Files.writeString(inbox().resolve("x.yaml"), Files.readString(alices) + "# bob's copy\n");
        await("bob's run").atMost(GENEROUS).until(() -> beans.ledger().runs().runs().size() >= 2);

        assertThat(beans.ledger().runs().runs()).hasSize(2).filteredOn(run -> !run.runId().equals(alicesRun.runId()))
                .singleElement().satisfies(bobs -> {
                    assertThat(bobs.profileOverride()).isNull();
                    assertThat(bobs.sourceDir()).isEqualTo(inbox().toString());
                });
    }

    private List<Path> errorFiles(int count) throws IOException {
        Path dir = inbox().resolve(".error");
        await(dir + " to hold " + count + " files").atMost(GENEROUS).until(() -> list(dir).size() >= count);
        return list(dir);
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
