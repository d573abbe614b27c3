package io.sweepd.triage;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * For a failure no signature knows: the last line that looks like an error, the best lead a person gets.
 * Exception and error lines ({@code ValueError: ...}, {@code error: ...}, {@code ERROR}) beat lines that only
 * use a worrying word ({@code failed}, {@code cannot}); warnings and informational lines are never chosen,
 * because a benign warning is the classic red herring of a failed job's log.
 */
final class ErrorLines {

    private static final Pattern STRONG = Pattern.compile(
            "(?:^|[\\s:(])[A-Za-z_][\\w.]*(?:Error|Exception)(?::|\\s*$)"
                    + "|\\berror:|\\b(?:ERROR|FATAL|CRITICAL|PANIC)\\b"
                    + "|Segmentation fault|core dumped|Fatal Python error|terminate called|Killed\\b");

    private static final Pattern WEAK = Pattern.compile(
            "(?i)\\b(?:errors?|fail(?:ed|ure|s)?|fatal|exception|abort(?:ed|ing)?|killed|cannot|unable to"
                    + "|refused|timed out|timeout)\\b");

    /** Levels and shapes of lines that report, not fail: vLLM/uvicorn levels, torch's [W...], Python warnings. */
    private static final Pattern NOT_AN_ERROR = Pattern.compile(
            "^(?:(?:INFO|DEBUG|WARN(?:ING)?|NOTICE)\\b|\\[[WI]\\d{3,4}\\b)|\\b\\w*Warning\\b|NCCL INFO"
                    + "|^Traceback \\(most recent call last\\)|^sweepd:|\\b0 (?:errors|failed)\\b");

    /**
     * Lines that end a failure without explaining it: an engine's "see root cause above", a launcher's "task
     * exited", srun's per-task exit lines, and a logger's header with nothing after it (the empty continuation
     * line of a multi-line ERROR message). Never the evidence: the root error is before them.
     */
    private static final Pattern TRAILER = Pattern.compile(
            "(?i)see root cause above|engine core initialization failed|worker failed with error"
                    + "|executor worker returned error|server launch failed|\\btask (?:\\d+ )?exited\\b"
                    + "|: tasks? [\\d,-]+: (?:Exited with exit code|Terminated|Killed)|forcing job termination"
                    + "|failed with return code \\d+|^(?:ERROR|CRITICAL)[\\s:]*(?:\\d{2}-\\d{2} [\\d:.]+)?"
                    + "(?:\\s*\\[[^\\]]*])?\\s*$");

    private ErrorLines() {
    }

    /**
     * The last error-looking line of the logs read: the last strong one, else the last weak one. Files count in
     * search order; the search runs backwards, so a log that ends in an exception is read no further.
     */
    static Optional<Located> last(LogScan scan) {
        Located weak = null;
        List<LogFile> files = scan.files();
        for (int f = files.size() - 1; f >= 0; f--) {
            LogFile file = files.get(f);
            List<LogLine> lines = file.lines();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String text = lines.get(i).text();
                if (NOT_AN_ERROR.matcher(text).find() || TRAILER.matcher(text).find()
                        || TracebackLines.isSource(lines, i)) {
                    continue;
                }
                if (STRONG.matcher(text).find()) {
                    return Optional.of(new Located(file, lines.get(i)));
                }
                if (weak == null && WEAK.matcher(text).find()) {
                    weak = new Located(file, lines.get(i));
                }
            }
        }
        return Optional.ofNullable(weak);
    }

    /** The last line of the logs read, whatever it says. */
    static Optional<Located> lastLine(LogScan scan) {
        Located last = null;
        for (LogFile file : scan.files()) {
            if (!file.lines().isEmpty()) {
                last = new Located(file, file.lines().get(file.lines().size() - 1));
            }
        }
        return Optional.ofNullable(last);
    }

    record Located(LogFile file, LogLine line) {
    }
}
