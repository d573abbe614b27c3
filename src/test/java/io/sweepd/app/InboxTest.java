package io.sweepd.app;

import io.sweepd.MutableClock;
import io.sweepd.files.FileModes;
import io.sweepd.sweep.SweepOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxTest {

    @TempDir
    Path home;

    private Path inboxDir() {
        return home.resolve("inbox");
    }

    private Path sweep(String name, String text) throws IOException {
        Path dir = home.resolve("work/sweeps");
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aSubmittedSweepIsInTheInboxWholeAndNothingIsLeftInStaging() throws IOException {
        Path source = sweep("nightly.yaml", "gptoss: {}\n");
        Inbox inbox = new Inbox(inboxDir());

        Path target = inbox.submit(source, "local");

        assertThat(target).isEqualTo(inboxDir().resolve("nightly.yaml")).hasContent("gptoss: {}\n");
        assertThat(source).as("the user's file stays").hasContent("gptoss: {}\n");
        assertThat(inboxDir().resolve(".incoming")).isEmptyDirectory();
        assertThat(inboxDir().resolve(".meta/nightly.yaml.json")).isRegularFile();
    }

    @Test
    void theOriginOfASubmittedSweepIsWhereItWasSubmittedFromWithItsProfile() throws IOException {
        Path source = sweep("nightly.yml", "x: {}\n");
        Inbox inbox = new Inbox(inboxDir());
        inbox.submit(source, "h100-dgxc-slurm");

        SweepOrigin origin = new Inbox(inboxDir()).origin("nightly.yml");

        assertThat(origin).isEqualTo(new SweepOrigin(source.toAbsolutePath().toString(),
                source.getParent().toAbsolutePath().toString(), "h100-dgxc-slurm"));
    }

    @Test
    void aRelativePathIsRecordedAbsoluteAndNormalized() throws IOException {
        Path source = sweep("nightly.yaml", "x: {}\n");
        Path relative = Path.of("").toAbsolutePath().relativize(source.getParent().resolve("../sweeps/nightly.yaml"));
        Inbox inbox = new Inbox(inboxDir());

        inbox.submit(relative, null);

        SweepOrigin origin = inbox.origin("nightly.yaml");
        assertThat(origin.sourceFile()).isEqualTo(source.toString());
        assertThat(origin.sourceDir()).isEqualTo(source.getParent().toString());
        assertThat(origin.profileOverride()).isNull();
    }

    @Test
    void aFileDroppedIntoTheInboxComesFromTheInboxItself() throws IOException {
        Files.createDirectories(inboxDir());
        Files.writeString(inboxDir().resolve("dropped.yaml"), "x: {}\n");

        SweepOrigin origin = new Inbox(inboxDir()).origin("dropped.yaml");

        assertThat(origin).isEqualTo(new SweepOrigin(inboxDir().resolve("dropped.yaml").toString(),
                inboxDir().toString(), null));
    }

    @Test
    void onlyYamlFilesCanBeSubmitted() throws IOException {
        Path source = sweep("nightly.txt", "x: {}\n");

        assertThatThrownBy(() -> new Inbox(inboxDir()).submit(source, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".yaml or .yml");
        assertThat(inboxDir()).doesNotExist();
    }

    @Test
    void aSweepOfTheSameNameStillWaitingIsNeitherReplacedNorReattributed() throws IOException {
        Path first = sweep("nightly.yaml", "first: {}\n");
        Inbox inbox = new Inbox(inboxDir());
        inbox.submit(first, "local");
        Path otherDir = home.resolve("other");
        Files.createDirectories(otherDir);
        Path second = Files.writeString(otherDir.resolve("nightly.yaml"), "second: {}\n");

        assertThatThrownBy(() -> inbox.submit(second, "h100-dgxc-slurm"))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("still waiting in the inbox");

        assertThat(inboxDir().resolve("nightly.yaml")).hasContent("first: {}\n");
        assertThat(inbox.origin("nightly.yaml").sourceFile()).isEqualTo(first.toString());
        assertThat(inbox.origin("nightly.yaml").profileOverride()).isEqualTo("local");
    }

    @Test
    void processedSubmissionRecordsAreForgottenOnceOldEnough() throws IOException {
        Inbox inbox = new Inbox(inboxDir());
        inbox.submit(sweep("done.yaml", "x: {}\n"), null);
        inbox.submit(sweep("waiting.yaml", "x: {}\n"), null);
        inbox.submit(sweep("young.yaml", "x: {}\n"), null);
        Files.delete(inboxDir().resolve("done.yaml"));
        Files.delete(inboxDir().resolve("young.yaml"));
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Files.setLastModifiedTime(inboxDir().resolve(".meta/done.yaml.json"), old);
        Files.setLastModifiedTime(inboxDir().resolve(".meta/waiting.yaml.json"), old);

        inbox.forgetProcessed(Duration.ofHours(1));

        assertThat(inboxDir().resolve(".meta/done.yaml.json")).doesNotExist();
        assertThat(inboxDir().resolve(".meta/waiting.yaml.json")).as("its file is still in the inbox").exists();
        assertThat(inboxDir().resolve(".meta/young.yaml.json")).as("submit may be about to move it in").exists();
    }

    @Test
    void forgettingWithoutAnyRecordDoesNothing() {
        new Inbox(inboxDir()).forgetProcessed(Duration.ZERO);

        assertThat(inboxDir()).doesNotExist();
    }

    @Test
    void anUnreadableSubmissionRecordIsAnErrorNamingIt() throws IOException {
        Files.createDirectories(inboxDir().resolve(".meta"));
        Files.writeString(inboxDir().resolve(".meta/broken.yaml.json"), "{not json");

        assertThatThrownBy(() -> new Inbox(inboxDir()).origin("broken.yaml"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("broken.yaml.json");
    }

    @Test
    void aSubmissionRecordIsNotAppliedToAnotherFileOfTheSameNameDroppedByHand() throws IOException {
        Inbox inbox = new Inbox(inboxDir());
        inbox.submit(sweep("x.yaml", "alice: {}\n"), "local");
        Files.delete(inboxDir().resolve("x.yaml")); // the daemon took alice's file; her record lingers a while

        Files.writeString(inboxDir().resolve("x.yaml"), "bob: {}\n");

        assertThat(inboxDir().resolve(".meta/x.yaml.json")).exists();
        assertThat(inbox.origin("x.yaml")).isEqualTo(new SweepOrigin(inboxDir().resolve("x.yaml").toString(),
                inboxDir().toString(), null));
    }

    @Test
    void aSubmittedFileIsReadyAtOnceAndAHandDroppedOneOnlyOnceItStoppedChanging() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Inbox inbox = new Inbox(inboxDir(), Duration.ofSeconds(5), false, FileModes.OWNER_ONLY, clock);
        Path submitted = inbox.submit(sweep("sub.yaml", "x: {}\n"), null);
        Path dropped = Files.writeString(inboxDir().resolve("hand.yaml"), "x: {}\n");

        assertThat(inbox.look(submitted)).isEqualTo(Inbox.Verdict.READY);
        assertThat(inbox.look(dropped)).isEqualTo(Inbox.Verdict.WAIT);
        clock.advance(Duration.ofSeconds(3));
        Files.writeString(dropped, "x: {}\ny: {}\n"); // still being written: the wait starts again
        assertThat(inbox.look(dropped)).isEqualTo(Inbox.Verdict.WAIT);
        clock.advance(Duration.ofSeconds(4));
        assertThat(inbox.look(dropped)).isEqualTo(Inbox.Verdict.WAIT);
        clock.advance(Duration.ofSeconds(1));
        assertThat(inbox.look(dropped)).isEqualTo(Inbox.Verdict.READY);
    }

    @Test
    void oddNamesAreSanitisedForFileNamesAndLogs() {
        assertThat(Inbox.sanitized("two\nlines.yaml")).isEqualTo("two_lines.yaml");
        assertThat(Inbox.sanitized("-rf.yaml")).isEqualTo("_rf.yaml");
        assertThat(Inbox.sanitized(".hidden.yaml")).isEqualTo("_hidden.yaml");
        assertThat(Inbox.sanitized("caf\u00e9 \u202e.yaml")).isEqualTo("caf___.yaml");
    }

    @Test
    void submitRefusesNamesTheDaemonWouldRefuse() throws IOException {
        Path source = sweep("-x.yaml", "x: {}\n");

        assertThatThrownBy(() -> new Inbox(inboxDir()).submit(source, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain file names");
    }
}
