package io.sweepd.triage;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tries one signature against one job's evidence as read so far. */
final class SignatureMatcher {

    /** vLLM's {@code INFO 04-24 ...}, uvicorn's {@code INFO:}, a tracing timestamp then a level, NCCL's. */
    private static final Pattern INFORMATIONAL = Pattern.compile(
            "^(?:INFO|DEBUG)\\b|^\\S+\\s+(?:INFO|DEBUG)\\s|\\bNCCL INFO\\b");

    private final LogScan scan;
    private final JobEvidence job;
    private final Map<Signature, Optional<List<String>>> needles = new IdentityHashMap<>();

    SignatureMatcher(LogScan scan, JobEvidence job) {
        this.scan = scan;
        this.job = job;
    }

    /** The job's exit:signal: Slurm's, else the one its script wrote. */
    String exitCode() {
        if (job.slurm() != null && !job.slurm().exitCode().isEmpty()) {
            return job.slurm().exitCode();
        }
        return job.exitCode();
    }

    /**
     * @param onlyFresh look for the log line only among the lines the last round added: when the previous
     *                  rounds found nothing, an older line can only match now through its context, which may
     *                  be in the new lines, so signatures with a context still look everywhere
     */
    Optional<Hit> match(Signature signature, boolean onlyFresh) {
        Signature.Match m = signature.match();
        SlurmRecord slurm = job.slurm();
        // Cheap conditions on the job first: most signatures fail here without reading a line.
        if (!m.slurmStates().isEmpty() && (slurm == null || !m.slurmStates().contains(slurm.state()))) {
            return Optional.empty();
        }
        if (m.exitCode() != null && !m.exitCode().equals(exitCode())) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        if (m.reason() != null) {
            if (job.verdict() == null) {
                return Optional.empty();
            }
            Matcher r = m.reason().matcher(job.verdict());
            if (!r.find()) {
                return Optional.empty();
            }
            values.putAll(Regexes.groups(m.reason(), r));
        }
        int slurmLine = -1;
        if (m.slurm() != null) {
            slurmLine = slurm == null ? -1 : findSlurmLine(m.slurm(), slurm, values);
            if (slurmLine < 0) {
                return Optional.empty();
            }
        }
        if (m.noLog() && scan.hasWorkloadLine()) {
            return Optional.empty();
        }
        if (m.anchoredInLog()) {
            return matchLogLine(signature, values, onlyFresh && m.context() == null);
        }
        if (m.context() != null) {
            Optional<Found> context = lastInAnyFile(m.context(), null);
            if (context.isEmpty()) {
                return Optional.empty();
            }
            values.putAll(context.get().groups());
        }
        if (m.ratio() != null && !ratio(m.ratio(), values)) {
            return Optional.empty();
        }
        return Optional.of(nonLogHit(signature, slurmLine, values));
    }

    private Optional<Hit> matchLogLine(Signature signature, Map<String, String> jobValues, boolean onlyFresh) {
        Signature.Match m = signature.match();
        Matcher anchor = m.log() == null ? null : m.log().matcher("");
        Matcher unless = m.unless() == null ? null : m.unless().matcher("");
        List<String> needles = this.needles
                .computeIfAbsent(signature, s -> Optional.ofNullable(Needles.of(s.match().log()))).orElse(null);
        for (LogFile file : scan.files()) {
            List<LogLine> lines = file.lines();
            int end = onlyFresh ? file.fresh() : lines.size();
            for (int i = 0; i < end; i++) {
                LogLine line = lines.get(i);
                if (anchor != null
                        ? !Needles.mayMatch(needles, line.text()) || !anchor.reset(line.text()).find()
                        : !line.text().contains(m.literal())) {
                    continue;
                }
                if (unless != null && unless.reset(line.text()).find() || informational(line)
                        || TracebackLines.isSource(lines, i)) {
                    continue;
                }
                Map<String, String> values = new HashMap<>(jobValues);
                if (anchor != null) {
                    values.putAll(Regexes.groups(m.log(), anchor));
                }
                if (m.context() != null) {
                    Optional<Found> context = context(m, file, i, line.rank());
                    if (context.isEmpty()) {
                        continue;
                    }
                    values.putAll(context.get().groups());
                }
                if (m.ratio() != null && !ratio(m.ratio(), values)) {
                    continue;
                }
                if (line.rank() != null) {
                    values.put("rank", line.rank());
                }
                return Optional.of(new Hit(signature, line.display(), file.name(), file.lineNumber(line), values));
            }
        }
        return Optional.empty();
    }

    /** An INFO or DEBUG line reports progress; it is a context at most, never the failure itself. */
    static boolean informational(LogLine line) {
        return INFORMATIONAL.matcher(line.text()).find();
    }

    /**
     * The context line for an anchor at {@code index} of {@code file}: the nearest earlier line of the same rank,
     * else of any rank; within {@code context-within-lines} lines (of that rank) when given, else anywhere before
     * it in the file, else the last matching line of another file.
     */
    private Optional<Found> context(Signature.Match m, LogFile file, int index, String rank) {
        List<LogLine> lines = file.lines();
        Matcher matcher = m.context().matcher("");
        if (m.contextWithinLines() != null) {
            int counted = 0;
            for (int j = index - 1; j >= 0 && counted < m.contextWithinLines(); j--) {
                LogLine line = lines.get(j);
                if (rank != null && !rank.equals(line.rank())) {
                    continue;
                }
                counted++;
                if (matcher.reset(line.text()).find()) {
                    return Optional.of(new Found(Regexes.groups(m.context(), matcher)));
                }
            }
            return Optional.empty();
        }
        if (rank != null) {
            for (int j = index - 1; j >= 0; j--) {
                LogLine line = lines.get(j);
                if (rank.equals(line.rank()) && matcher.reset(line.text()).find()) {
                    return Optional.of(new Found(Regexes.groups(m.context(), matcher)));
                }
            }
        }
        for (int j = index - 1; j >= 0; j--) {
            if (matcher.reset(lines.get(j).text()).find()) {
                return Optional.of(new Found(Regexes.groups(m.context(), matcher)));
            }
        }
        return lastInAnyFile(m.context(), file);
    }

    /** The last matching line of the last file (in search order) that has one, {@code except} left out. */
    private Optional<Found> lastInAnyFile(Pattern pattern, LogFile except) {
        Matcher matcher = pattern.matcher("");
        List<LogFile> files = scan.files();
        for (int f = files.size() - 1; f >= 0; f--) {
            LogFile file = files.get(f);
            if (file == except) {
                continue;
            }
            List<LogLine> lines = file.lines();
            for (int j = lines.size() - 1; j >= 0; j--) {
                if (matcher.reset(lines.get(j).text()).find()) {
                    return Optional.of(new Found(Regexes.groups(pattern, matcher)));
                }
            }
        }
        return Optional.empty();
    }

    private static int findSlurmLine(Pattern pattern, SlurmRecord slurm, Map<String, String> values) {
        Matcher matcher = pattern.matcher("");
        List<String> lines = slurm.lines();
        for (int i = 0; i < lines.size(); i++) {
            if (matcher.reset(lines.get(i)).find()) {
                values.putAll(Regexes.groups(pattern, matcher));
                return i;
            }
        }
        return -1;
    }

    /** Evidence for a signature that matched no log line: the verdict, else the Slurm record's line. */
    private Hit nonLogHit(Signature signature, int slurmLine, Map<String, String> values) {
        Signature.Match m = signature.match();
        if (m.reason() != null) {
            return new Hit(signature, job.verdict(), null, 0, values);
        }
        SlurmRecord slurm = job.slurm();
        if (slurm == null) {
            // Only exit-code can match without a record: the job's own exit-code file said it.
            return new Hit(signature, "exit-code " + exitCode(), "exit-code", 1, values);
        }
        int index = slurmLine;
        if (index < 0 && m.exitCode() != null) {
            index = slurm.lineWith("ExitCode=" + m.exitCode());
        }
        if (index < 0) {
            index = slurm.lineWith("JobState=" + slurm.state());
        }
        if (index < 0) {
            index = slurm.lineWith("JobState=");
        }
        if (index < 0) {
            String summary = "JobState=" + slurm.stateText() + " Reason=" + slurm.reason() + " ExitCode="
                    + slurm.exitCode();
            return new Hit(signature, summary, slurm.source(), 0, values);
        }
        return new Hit(signature, slurm.lines().get(index), slurm.source(), slurm.numbered() ? index + 1 : 0,
                values);
    }

    /** Checks the ratio and, when it holds, adds {@code ratio-percent} and {@code remainder} for the diagnosis. */
    private static boolean ratio(Signature.Ratio ratio, Map<String, String> values) {
        Double of = number(values.get(ratio.of()));
        Double to = number(values.get(ratio.to()));
        if (of == null || to == null || to == 0) {
            return false;
        }
        double quotient = of / to;
        if (!ratio.holds(quotient)) {
            return false;
        }
        values.put("ratio-percent", String.valueOf(Math.round(quotient * 100)));
        values.put("remainder", String.format(Locale.ROOT, "%.2f", to - of));
        return true;
    }

    private static Double number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private record Found(Map<String, String> groups) {
    }
}
