package io.sweepd.triage;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.json.Json;
import io.sweepd.slurm.SlurmStates;
import io.sweepd.slurm.ScontrolParser;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What Slurm said about the job at its end, from the tracker's {@code slurm.json} or an {@code scontrol show job}
 * text. {@code lines} is the text signatures' {@code slurm:} regexes search: scontrol's own text, then the sacct
 * and squeue views written as {@code Key=Value} so one regex fits every source.
 *
 * @param source    how results name it (slurm.json, or the file as given)
 * @param numbered  whether an index in {@code lines} is a line of {@code source} (false for slurm.json)
 * @param stateText Slurm's state as printed ("CANCELLED by 1000"), "" when unknown
 * @param exitCode  "exit:signal", "" when unknown
 */
public record SlurmRecord(String source, List<String> lines, boolean numbered, String stateText, String reason,
        String exitCode, String runTime, String stdOut, String nodeList) {

    private static final Pattern JOB_STATE_PAIR = Pattern.compile("(?:^|\\s)JobState=\\S+");

    public SlurmRecord {
        lines = List.copyOf(lines);
        stateText = blankToEmpty(stateText);
        reason = blankToEmpty(reason);
        exitCode = blankToEmpty(exitCode);
        runTime = blankToEmpty(runTime);
        stdOut = blankToEmpty(stdOut);
        nodeList = blankToEmpty(nodeList);
    }

    /** Slurm's base state, upper case: "CANCELLED by 1000" is CANCELLED. */
    public String state() {
        String text = stateText.strip();
        int cut = 0;
        while (cut < text.length() && !Character.isWhitespace(text.charAt(cut)) && text.charAt(cut) != '+') {
            cut++;
        }
        return text.substring(0, cut).toUpperCase(Locale.ROOT);
    }

    /** An {@code scontrol show job} text (possibly with a few other lines, such as srun's, around it). */
    public static SlurmRecord fromScontrol(String source, String text) {
        Map<String, String> pairs = ScontrolParser.parse(text);
        return new SlurmRecord(source, text.lines().toList(), true, pairs.get("JobState"), pairs.get("Reason"),
                pairs.get("ExitCode"), pairs.get("RunTime"), pairs.get("StdOut"), pairs.get("NodeList"));
    }

    /**
     * The tracker's {@code slurm.json}: {@code final} (the view that ended tracking), {@code sacct} and
     * {@code scontrol} (text) when Slurm still had them. The state is the first one that is an outcome, in
     * the order sacct, scontrol, final: after sweepd cancels a job, its final view is still squeue's RUNNING.
     */
    public static SlurmRecord fromSlurmJson(String source, String json) throws IOException {
        JsonNode root = Json.MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        String scontrol = root.path("scontrol").asText("");
        Map<String, String> pairs = ScontrolParser.parse(scontrol);
        JsonNode sacct = root.path("sacct");
        JsonNode last = root.path("final");
        List<String> lines = new ArrayList<>(scontrol.lines().toList());
        for (String view : List.of("sacct", "final")) {
            JsonNode node = root.path(view);
            if (node.isObject()) {
                lines.add(view + ": JobState=" + node.path("slurmState").asText("") + " Reason="
                        + node.path("reason").asText("") + " ExitCode=" + node.path("exitCode").asText("")
                        + " NodeList=" + node.path("nodeList").asText("") + " Elapsed=" + elapsed(node.path("elapsed")));
            }
        }
        if (root.has("unavailable")) {
            lines.add("unavailable: " + root.path("unavailable").asText(""));
        }
        String state = firstOutcome(text(sacct, "slurmState"), pairs.get("JobState"), text(last, "slurmState"));
        String runTime = pairs.containsKey("RunTime") ? pairs.get("RunTime")
                : elapsed(sacct.isObject() ? sacct.path("elapsed") : last.path("elapsed"));
        return new SlurmRecord(source, lines, false, state,
                first(pairs.get("Reason"), text(sacct, "reason"), text(last, "reason")),
                first(text(sacct, "exitCode"), pairs.get("ExitCode"), text(last, "exitCode")),
                runTime, pairs.get("StdOut"),
                first(text(sacct, "nodeList"), pairs.get("NodeList"), text(last, "nodeList")));
    }

    /**
     * Whether a lone file is an scontrol record rather than a log: small, and most of its lines are
     * {@code Key=Value} pairs, one of them JobState. A log that quotes an scontrol dump has far more lines.
     */
    public static boolean looksLikeScontrol(String text) {
        if (text.length() > 64 * 1024 || !JOB_STATE_PAIR.matcher(text).find()) {
            return false;
        }
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        long pairs = lines.stream().filter(line -> line.matches(".*\\b[A-Za-z][\\w:/]*=\\S.*")).count();
        return pairs * 2 > lines.size();
    }

    /** Index of the first line holding {@code text}, -1 when none does. */
    int lineWith(String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static String firstOutcome(String... states) {
        for (String state : states) {
            if (state != null && !state.isBlank() && SlurmStates.known(state) && SlurmStates.fromSlurm(state).ended()) {
                return state;
            }
        }
        return first(states);
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    /** Jackson writes a Duration as seconds or as ISO-8601 text, depending on the mapper: read both. */
    private static String elapsed(JsonNode node) {
        Duration duration = null;
        if (node.isNumber()) {
            duration = Duration.ofMillis((long) (node.asDouble() * 1000));
        } else if (node.isTextual()) {
            try {
                duration = Duration.parse(node.asText());
            } catch (DateTimeParseException e) {
                return node.asText();
            }
        }
        if (duration == null) {
            return "";
        }
        long s = duration.toSeconds();
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
