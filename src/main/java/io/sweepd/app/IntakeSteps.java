package io.sweepd.app;

import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepOrigin;
import io.sweepd.sweep.SweepParser;
import io.sweepd.yaml.YamlFieldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** The intake route's steps: where a sweep came from, read it, or record why it could not be used. */
public final class IntakeSteps {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeSteps.class);

    private final Inbox inbox;
    private final SweepParser parser;

    public IntakeSteps(Path inbox) {
        this(inbox, new SweepParser());
    }

    /** @param parser reads with the configured limits (sweepd.intake.max-*) */
    public IntakeSteps(Path inbox, SweepParser parser) {
        this.inbox = new Inbox(inbox);
        this.parser = parser;
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
        return Files.readString(file.toPath(), StandardCharsets.UTF_8);
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
        try {
            Files.createDirectories(errorDir);
            Files.writeString(report, describe(fileName, failure), StandardCharsets.UTF_8);
            LOG.warn("sweep file {} refused: {} (details in {})", fileName, failure.getMessage(), report);
        } catch (IOException | RuntimeException e) {
            LOG.error("sweep file {} refused: {}; could not write {}: {}", fileName, failure.getMessage(), report,
                    e.getMessage());
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

    static String describe(String fileName, Throwable failure) {
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
            text.append("  problem: ").append(format.problem()).append('\n');
        } else {
            text.append("  problem: ").append(failure.getClass().getSimpleName()).append(": ")
                    .append(failure.getMessage()).append('\n');
        }
        return text.append("Nothing from this file was submitted. Fix it and drop it into the inbox again.\n")
                .toString();
    }
}
