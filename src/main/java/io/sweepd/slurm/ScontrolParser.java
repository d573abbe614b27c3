package io.sweepd.slurm;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * Reads {@code scontrol show job} text into its Key=Value pairs. Pure.
 *
 * <p>Pairs are separated by whitespace, but some values contain spaces ("Reason=ReqNodeNotAvail,
 * UnavailableNodes:gpu-node1", a JobName or a path with a space). So a new pair starts only where whitespace is
 * followed by something shaped like a key and '='; anything else continues the previous value. A few keys
 * (names, paths, comments) always run to the end of their line, whatever they contain.
 */
public final class ScontrolParser {

    /** Keys whose value is the rest of the line: free text that may itself contain " Word=". */
    private static final Set<String> REST_OF_LINE = Set.of("JobName", "Command", "WorkDir", "StdErr", "StdIn",
            "StdOut", "Comment", "AdminComment", "SystemComment");

    /** Keys as scontrol prints them: JobId, AllocNode:Sid, Socks/Node, ReqB:S:C:T, MCS_label. */
    private static final Pattern PAIR_START = Pattern.compile("(?:^|(?<=\\s))([A-Za-z][A-Za-z0-9_:/]*)=");

    private ScontrolParser() {
    }

    /** The first job record's pairs, in output order; empty for empty text. */
    public static Map<String, String> parse(String text) {
        List<Map<String, String>> all = parseAll(text);
        return all.isEmpty() ? Map.of() : all.get(0);
    }

    /** One map per job record (records are separated by blank lines; arrays and het jobs print several). */
    public static List<Map<String, String>> parseAll(String text) {
        List<Map<String, String>> records = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    records.add(current);
                    current = new LinkedHashMap<>();
                }
                continue;
            }
            parseLine(line.strip(), current);
        }
        if (!current.isEmpty()) {
            records.add(current);
        }
        return records;
    }

    private static void parseLine(String line, Map<String, String> into) {
        Matcher m = PAIR_START.matcher(line);
        String key = null;
        int valueStart = 0;
        while (m.find()) {
            if (key != null) {
                into.put(key, line.substring(valueStart, m.start()).strip());
            }
            key = m.group(1);
            valueStart = m.end();
            if (REST_OF_LINE.contains(key)) {
                break;
            }
        }
        if (key != null) {
            into.put(key, line.substring(valueStart).strip());
        }
    }

    /** The job as a {@link SlurmJobInfo}, when the pairs name one. */
    public static Optional<SlurmJobInfo> toJobInfo(Map<String, String> pairs, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        String jobId = pairs.get("JobId");
        String slurmState = pairs.get("JobState");
        if (jobId == null || slurmState == null) {
            return Optional.empty();
        }
        SlurmState state = SlurmStates.fromSlurm(slurmState);
        return Optional.of(new SlurmJobInfo(jobId, pairs.get("JobName"), state, slurmState,
                SlurmText.orEmpty(pairs.get("Reason")), pairs.getOrDefault("ExitCode", ""),
                SlurmText.orEmpty(pairs.get("NodeList")), SlurmText.elapsed(pairs.get("RunTime")),
                state.started() ? SlurmText.instant(pairs.get("StartTime"), zone) : null,
                state.ended() ? SlurmText.instant(pairs.get("EndTime"), zone) : null));
    }
}
