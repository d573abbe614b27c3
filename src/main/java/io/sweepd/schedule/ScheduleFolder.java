package io.sweepd.schedule;

import io.sweepd.ledger.ScheduleRecord;
import io.sweepd.ledger.ScheduleSource;
import io.sweepd.ledger.ScheduleStore;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepParser;
import io.sweepd.yaml.YamlFieldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The schedules folder: one sweep file per schedule ({@code *.yaml} / {@code *.yml}, with {@code sweep.schedule}).
 * Each scan makes the ledger say what the folder says: a new file registers its schedule, a changed file reloads
 * it, a deleted file removes it. A broken file is reported as a broken inbox file is, in
 * {@code .error/<file>.error.txt} naming file, line and field, and its schedule keeps the last good definition
 * until the file is fixed. Files are read once they have stopped changing, so an editor's save is read whole.
 */
public final class ScheduleFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleFolder.class);

    private final Path dir;
    private final Duration settle;
    private final Clock clock;
    private final SweepParser parser = new SweepParser();
    /** The text of each broken file already reported, so a scan reports a problem once, not every time. */
    private final Map<Path, String> reported = new HashMap<>();

    /**
     * @param settle how long a file must stay unmodified before it is read
     */
    public ScheduleFolder(Path dir, Duration settle, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.settle = settle;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    /** One scan: register, reload and remove the folder's schedules in {@code store}. */
    public synchronized void sync(ScheduleStore store) {
        List<Path> files = files();
        Map<String, ScheduleRecord> byFile = store.schedules().stream()
                .filter(s -> s.source() == ScheduleSource.FOLDER)
                .collect(Collectors.toMap(ScheduleRecord::sourceFile, s -> s, (a, b) -> a));
        for (Path file : files) {
            if (!settled(file)) {
                continue;
            }
            Optional<ScheduleRecord> current = Optional.ofNullable(byFile.get(file.toString()));
            try {
                syncFile(store, file, current);
            } catch (YamlFieldException e) {
                broken(store, file, current, e);
            }
        }
        for (Path file : List.copyOf(reported.keySet())) {
            if (!files.contains(file)) {
                reported.remove(file);
                deleteReport(file); // a broken file deleted before it ever registered
            }
        }
        for (ScheduleRecord gone : byFile.values()) {
            Path file = Path.of(gone.sourceFile());
            if (!files.contains(file)) {
                store.remove(gone.name());
                reported.remove(file);
                deleteReport(file);
                LOG.info("schedule {} removed: {} was deleted", gone.name(), file);
            }
        }
    }

    private void syncFile(ScheduleStore store, Path file, Optional<ScheduleRecord> current) {
        String text = read(file);
        if (current.isPresent() && current.get().sweepText().equals(text) && current.get().fileProblem() == null) {
            return;
        }
        if (text.equals(reported.get(file))) {
            return;
        }
        SweepFile sweep = parser.parse(text, file.toString(), dir);
        String cron = sweep.settings().schedule();
        if (cron == null) {
            throw new YamlFieldException(file.toString(), 1, 0, "sweep.schedule",
                    "a file in the schedules folder must say when it runs: add sweep.schedule, a Quartz cron"
                            + " expression such as '0 0 2 * * ?' (or drop the file into the inbox to run it once)");
        }
        Optional<ScheduleRecord> sameName = store.schedule(sweep.name());
        if (sameName.isPresent() && sameName.get().source() == ScheduleSource.FOLDER
                && !sameName.get().sourceFile().equals(file.toString())
                && Files.exists(Path.of(sameName.get().sourceFile()))) {
            throw new YamlFieldException(file.toString(), 1, 0, "sweep.name", "schedule " + sweep.name()
                    + " is already defined by " + sameName.get().sourceFile() + "; give this sweep another name");
        }
        if (current.isPresent() && !current.get().name().equals(sweep.name())) {
            store.remove(current.get().name());
            LOG.info("schedule {} removed: {} now defines sweep {}", current.get().name(), file, sweep.name());
        }
        boolean changed = store.register(ScheduleRecord.of(sweep.name(), cron, ScheduleSource.FOLDER,
                file.toString(), dir.toString(), null, text));
        if (reported.remove(file) != null) {
            deleteReport(file);
        }
        if (changed) {
            LOG.info("schedule {} {} from {}: '{}'", sweep.name(), current.isPresent() ? "reloaded" : "registered",
                    file, cron);
        }
    }

    private void broken(ScheduleStore store, Path file, Optional<ScheduleRecord> current, YamlFieldException e) {
        String text = readQuietly(file);
        if (text != null && text.equals(reported.get(file))) {
            return;
        }
        reported.put(file, text);
        Path report = reportFile(file);
        String kept = current.map(s -> "The schedule " + s.name() + " keeps running as it was ('" + s.cron() + "').\n")
                .orElse("No schedule was registered from it.\n");
        try {
            Files.createDirectories(report.getParent());
            Files.writeString(report, describe(file, e) + kept + "Fix the file; it is read again when it changes.\n",
                    StandardCharsets.UTF_8);
        } catch (IOException io) {
            LOG.error("cannot write {}: {}", report, io.getMessage());
        }
        current.ifPresent(s -> store.fileProblem(s.name(), e.getMessage()));
        LOG.warn("schedule file {} refused: {} (details in {}){}", file, e.getMessage(), report,
                current.map(s -> "; schedule " + s.name() + " keeps its last good definition").orElse(""));
    }

    static String describe(Path file, YamlFieldException e) {
        StringBuilder text = new StringBuilder("sweepd could not use ").append(file).append('\n');
        text.append("  file:    ").append(e.file()).append('\n');
        if (e.line() > 0) {
            text.append("  line:    ").append(e.line());
            if (e.column() > 0) {
                text.append(", column ").append(e.column());
            }
            text.append('\n');
        }
        if (e.field() != null && !e.field().isEmpty()) {
            text.append("  field:   ").append(e.field()).append('\n');
        }
        return text.append("  problem: ").append(e.problem()).append('\n').toString();
    }

    /** {@code .error/<file name>.error.txt} in the folder. */
    Path reportFile(Path file) {
        return dir.resolve(".error").resolve(file.getFileName() + ".error.txt");
    }

    private void deleteReport(Path file) {
        try {
            Files.deleteIfExists(reportFile(file));
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", reportFile(file), e.getMessage());
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches("[^.].*\\.ya?ml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the schedules folder " + dir, e);
        }
    }

    private boolean settled(Path file) {
        try {
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            return !modified.plus(settle).isAfter(clock.instant());
        } catch (IOException e) {
            return false; // deleted while listing: the next scan sees it gone
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new YamlFieldException(file.toString(), 0, 0, "", "the file is not UTF-8 text");
        } catch (IOException e) {
            throw new YamlFieldException(file.toString(), 0, 0, "", "cannot read the file: " + e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
