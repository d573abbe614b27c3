package io.sweepd.app;

import io.sweepd.files.Excerpt;
import io.sweepd.files.FileModes;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepOrigin;
import io.sweepd.sweep.SweepParser;
import io.sweepd.yaml.YamlFieldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The intake route's steps: where a sweep came from, read it, or record why it could not be used. */
public final class IntakeSteps {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeSteps.class);

    private final Inbox inbox;
    private final SweepParser parser;
    private final FileModes modes;

    public IntakeSteps(Path inbox) {
        this(new Inbox(inbox));
    }

    public IntakeSteps(Inbox inbox) {
        this(inbox, FileModes.OWNER_ONLY, new SweepParser());
    }

    /** @param parser reads with the configured limits (sweepd.intake.max-*) */
    public IntakeSteps(Inbox inbox, FileModes modes, SweepParser parser) {
        this.inbox = inbox;
        this.modes = modes;
        this.parser = parser;
    }

    /** The file consumer's filter (see {@link InboxGate}): the file is whole and may be a sweep. */
    public boolean ready(Path file) {
        return inbox.ready(file);
    }

    /** Refuses what was dropped into the inbox but can never be a sweep (links, fifos, odd names). */
    public void screen() {
        inbox.screen();
    }

    /** When the sweep file was written: it names the run, so re-reading the same file names the same run. */
    public Instant writtenAt(long lastModifiedMillis) {
        return Instant.ofEpochMilli(lastModifiedMillis);
    }

    public SweepOrigin origin(String fileName) {
        inbox.forgetProcessed(Duration.ofHours(1));
        return inbox.origin(fileName);
    }

    /** The file's text, as read once: parsed, and kept as a schedule's definition when it has one. */
    public String text(File file) throws IOException {
        // NOFOLLOW: the inbox looked at this entry before taking it; should it have been swapped for a link since,
        // opening fails instead of reading what the link points at.
        try (InputStream in = Files.newInputStream(file.toPath(), LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Parses a file from the inbox. Recipes named in it resolve against the directory it was submitted from
     * (the inbox itself for a file dropped there); a profile given at submission places every point.
     */
    public SweepFile read(String text, String fileName, SweepOrigin origin) {
        SweepFile sweep = parser.parse(text, fileName, Path.of(origin.sourceDir()));
        if (origin.profileOverride() == null) {
            return sweep;
        }
        return sweep.withSettings(sweep.settings().withProfile(origin.profileOverride()));
    }

    /**
     * Writes {@code .error/<moved name>.error.txt} next to where the file consumer moves the failed file.
     * Never throws: failing here would hide the original error.
     */
    public void recordFailure(String fileName, String arrival, Exception caught) {
        if (fileName == null) {
            return; // a scheduled firing, not an inbox file: its route records the failure with the schedule
        }
        Throwable failure = rootCause(caught);
        Path errorDir = inbox.dir().resolve(".error");
        Path report = errorDir.resolve(movedName(fileName, arrival) + ".error.txt");
        String summary = Excerpt.of(failure instanceof YamlFieldException ? failure.getMessage() : explanation(caught));
        try {
            modes.createDirectories(errorDir);
            modes.write(report, describe(fileName, caught));
            LOG.warn("sweep file {} refused: {} (details in {})", fileName, summary, report);
        } catch (IOException | RuntimeException e) {
            LOG.error("sweep file {} refused: {}; could not write {}: {}", fileName, summary, report, e.getMessage());
        }
    }

    /** The name the file consumer gives the file in .error/ (see sweep-intake's moveFailed). */
    static String movedName(String fileName, String arrival) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? fileName + "-" + arrival : fileName.substring(0, dot) + "-" + arrival + fileName.substring(dot);
    }

    /**
     * The exception that says what is wrong: a YamlFieldException wherever it sits in the chain (Camel wraps
     * what a bean throws), else the innermost cause.
     */
    static Throwable rootCause(Throwable caught) {
        Throwable innermost = caught;
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof YamlFieldException) {
                return t;
            }
            innermost = t;
        }
        return innermost;
    }

    /**
     * What went wrong, from sweepd's own words down to the system's: an unwritable outputs directory is "cannot
     * write job directory ..." and then "AccessDeniedException: ...", not only the latter. Camel's wrappers are
     * left out, and so is a cause whose message the line above already says.
     */
    static String explanation(Throwable caught) {
        List<String> lines = new ArrayList<>();
        String said = "";
        for (Throwable t = caught; t != null && lines.size() < 4; t = t.getCause()) {
            if (t.getClass().getName().startsWith("org.apache.camel.")) {
                continue;
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (!message.isEmpty() && said.contains(message)) {
                continue;
            }
            lines.add(t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message));
            said = said + "\n" + message;
        }
        return lines.isEmpty() ? caught.toString() : String.join("\n  cause:   ", lines);
    }

    static String describe(String fileName, Throwable caught) {
        Throwable failure = rootCause(caught);
        StringBuilder text = new StringBuilder("sweepd could not use ").append(fileName).append('\n');
        if (failure instanceof YamlFieldException format) {
            text.append("  file:    ").append(format.file()).append('\n');
            if (format.line() > 0) {
                text.append("  line:    ").append(format.line());
                if (format.column() > 0) {
                    text.append(", column ").append(format.column());
                }
                text.append('\n');
            }
            if (format.field() != null && !format.field().isEmpty()) {
                text.append("  field:   ").append(format.field()).append('\n');
            }
            text.append("  problem: ").append(Excerpt.of(format.problem())).append('\n');
        } else {
            text.append("  problem: ").append(Excerpt.of(explanation(caught))).append('\n');
        }
        return text.append("Nothing from this file was submitted. Fix it and drop it into the inbox again.\n")
                .toString();
    }
}
