package io.sweepd.slurm;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Slurm's spellings of times, durations and "nothing", shared by the parsers. */
final class SlurmText {

    private static final Logger LOG = LoggerFactory.getLogger(SlurmText.class);

    /** What squeue, sacct and scontrol print where there is no value. */
    private static final Set<String> NOTHING = Set.of("", "N/A", "Unknown", "None", "(null)", "None assigned");

    /** [days-][hours:]minutes:seconds, as squeue %M ("0:05", "1:02:03", "2-01:02:03") and sacct Elapsed print it. */
    private static final Pattern ELAPSED = Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d+):(\\d+)");

    private SlurmText() {
    }

    /**
     * The rows of a {@code --parsable}/{@code --format} listing split on '|' into exactly {@code columns} cells (the
     * last, a name, may contain '|'). A row that cannot be read is skipped with a warning, not fatal: the job then
     * looks absent and is resolved another way.
     */
    static List<String[]> rows(String stdout, int columns, String command) {
        List<String[]> rows = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\\|", columns);
            if (cells.length < columns || cells[0].isBlank()) {
                LOG.warn("Skipping unreadable {} row: {}", command, line);
                continue;
            }
            rows.add(cells);
        }
        return rows;
    }

    static boolean isNothing(String value) {
        return value == null || NOTHING.contains(value.strip());
    }

    static String orEmpty(String value) {
        return isNothing(value) ? "" : value.strip();
    }

    /**
     * Slurm prints local wall-clock time without a zone ("2026-11-27T22:44:41"), in the client's time zone, which is
     * the daemon's: the commands run with its environment.
     */
    static Instant instant(String value, ZoneId zone) {
        if (isNothing(value)) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip()).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Unparsable values ("INVALID", "UNLIMITED") give zero: elapsed time is informative, never decisive. */
    static Duration elapsed(String value) {
        if (value == null) {
            return Duration.ZERO;
        }
        Matcher m = ELAPSED.matcher(value.strip());
        if (!m.matches()) {
            return Duration.ZERO;
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long hours = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        return Duration.ofDays(days).plusHours(hours).plusMinutes(Long.parseLong(m.group(3)))
                .plusSeconds(Long.parseLong(m.group(4)));
    }
}
