package io.sweepd.jobs;

import io.sweepd.ledger.RunRecord;
import io.sweepd.sweep.SweepParser;
import io.sweepd.yaml.Yaml;
import io.sweepd.yaml.YamlMap;
import io.sweepd.yaml.YamlNode;
import io.sweepd.yaml.YamlScalar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sweeps the daemon has not picked up yet: files still waiting in its inbox. {@code sweepd submit} returns as
 * soon as the file is in the inbox, so a {@code sweepd wait} right after it must know the sweep is coming before
 * the ledger does, and must notice when the daemon refused the file instead of recording a run.
 */
public final class InboxSweeps {

    /**
     * A sweep file in the inbox.
     *
     * @param sweepName     its {@code sweep.name}, else the file's base name (as the parser names it)
     * @param expectedRunId the run id the daemon will give it: the sweep name and when the file was written
     * @param writtenAt     when the file was written; an error report older than that is about an earlier file
     */
    public record Pending(Path file, String sweepName, String expectedRunId, Instant writtenAt) {
    }

    private static final Pattern SWEEP_FILE = Pattern.compile(".*\\.ya?ml", Pattern.CASE_INSENSITIVE);

    private final Path inbox;

    public InboxSweeps(Path inbox) {
        this.inbox = inbox;
    }

    public Path dir() {
        return inbox;
    }

    /** The file in the inbox that will become this sweep (or this run id), if one is waiting there. */
    public Optional<Pending> pending(String sweepOrRun) {
        if (!Files.isDirectory(inbox)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .filter(file -> SWEEP_FILE.matcher(file.getFileName().toString()).matches())
                    .sorted()
                    .map(this::describe)
                    .flatMap(Optional::stream)
                    .filter(p -> p.sweepName().equals(sweepOrRun) || p.expectedRunId().equals(sweepOrRun))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the inbox " + inbox, e);
        }
    }

    /** The file is still in the inbox: the daemon has not finished reading it (or is not running). */
    public boolean waiting(Pending pending) {
        return Files.exists(pending.file());
    }

    /**
     * What the daemon wrote when it refused the file: the newest {@code .error/<name>-<arrival>.<ext>.error.txt}
     * written since the file was (the arrival stamp is sweep-intake's {@code yyyyMMdd-HHmmss-SSS}).
     */
    public Optional<String> refusal(Pending pending) {
        Path errors = inbox.resolve(".error");
        if (!Files.isDirectory(errors)) {
            return Optional.empty();
        }
        String name = pending.file().getFileName().toString();
        int dot = name.lastIndexOf('.');
        Pattern report = Pattern.compile(Pattern.quote(name.substring(0, dot)) + "-\\d{8}-\\d{6}-\\d{3}"
                + Pattern.quote(name.substring(dot)) + "\\.error\\.txt");
        try (Stream<Path> files = Files.list(errors)) {
            List<Path> reports = files.filter(f -> report.matcher(f.getFileName().toString()).matches())
                    .filter(f -> !modified(f).isBefore(pending.writtenAt()))
                    .sorted(Comparator.comparing(InboxSweeps::modified).reversed())
                    .toList();
            return reports.isEmpty() ? Optional.empty()
                    : Optional.of(Files.readString(reports.get(0), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the inbox's error reports in " + errors, e);
        }
    }

    private Optional<Pending> describe(Path file) {
        try {
            // As sweep-intake stamps it: the file's modification time names the run.
            Instant writtenAt = modified(file);
            String name = sweepName(file);
            return Optional.of(new Pending(file, name, RunRecord.runId(name, writtenAt), writtenAt));
        } catch (UncheckedIOException e) {
            return Optional.empty(); // the daemon took it while we looked
        }
    }

    /**
     * The name the parser will give the sweep: {@code sweep.name} when the file sets one, else the file's base
     * name. Only that key is read; a file the parser would refuse still has a name to wait for (and then the
     * refusal to show).
     */
    static String sweepName(Path file) {
        String fileName = file.getFileName().toString();
        try {
            YamlNode root = Yaml.read(fileName, Files.readString(file, StandardCharsets.UTF_8));
            if (root instanceof YamlMap map
                    && map.find(List.of(SweepParser.SETTINGS_KEY, "name")) instanceof YamlScalar name
                    && !name.isNull()) {
                return name.text();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException unreadable) {
            // Not YAML the parser accepts either; the daemon will refuse it under the file's own name.
        }
        return SweepParser.defaultName(fileName);
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
