package io.sweepd.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sweepd.core.JobState;
import io.sweepd.json.Json;
import io.sweepd.ledger.RunRecord;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code sweepd status} draws: summary lines (or, with {@code --points}, the per-point table), as text or
 * JSON, for one run or the newest runs. {@code --watch} draws it again and again, so each drawing re-reads the
 * ledger.
 */
public final class StatusView {

    /** How many runs {@code sweepd status} lists unless told otherwise: months of nightly runs must not flood. */
    public static final int DEFAULT_LIMIT = 20;

    /**
     * Which runs a drawing shows.
     *
     * @param runId one run (a name is resolved once, so a later run of the sweep does not replace it), or null
     *              for the newest runs
     * @param limit how many of the newest runs; 0 or less: every run
     */
    public record Selection(String runId, int limit) {

        public static Selection run(String runId) {
            return new Selection(runId, 0);
        }

        public static Selection newest(int limit) {
            return new Selection(null, limit);
        }
    }

    /**
     * How to draw it.
     *
     * @param points       the per-point table instead of summary lines
     * @param json         JSON instead of text
     * @param summaryAbove with {@code points} as text, the summary lines above the table ({@code --watch})
     */
    public record Style(boolean points, boolean json, boolean summaryAbove) {
    }

    private final SweepStatus status;
    private final Clock clock;

    public StatusView(SweepStatus status, Clock clock) {
        this.status = status;
        this.clock = clock;
    }

    /** The run a SWEEP argument names (a run id, or a sweep's latest run). */
    public Optional<RunRecord> resolve(String sweepOrRun) {
        return status.resolveRun(sweepOrRun);
    }

    public RunFollower.Frame frame(Selection selection, Style style) {
        List<RunRecord> all = selection.runId() != null
                ? status.resolveRun(selection.runId()).stream().toList()
                : status.runsNewestFirst();
        List<RunRecord> shown = selection.limit() > 0 && all.size() > selection.limit()
                ? all.subList(0, selection.limit()) : all;
        Instant now = clock.instant();
        List<SweepStatus.RunSummary> summaries = shown.stream().map(status::summary).toList();
        List<SweepStatus.Row> rows = style.points()
                ? shown.stream().flatMap(run -> status.rows(run).stream()).toList() : List.of();

        String text;
        if (style.json()) {
            text = json(style.points() ? rows.stream().map(StatusText::pointJson).toList()
                    : summaries.stream().map(s -> StatusText.summaryJson(s, now)).toList());
        } else {
            List<String> lines = new ArrayList<>();
            if (!style.points() || style.summaryAbove()) {
                lines.addAll(StatusText.summaryLines(summaries, now));
                if (shown.size() < all.size()) {
                    lines.add("(the newest " + shown.size() + " of " + all.size()
                            + " runs; --limit N or --all for more)");
                }
            }
            if (style.points()) {
                if (!lines.isEmpty()) {
                    lines.add("");
                }
                lines.add(StatusText.pointsTable(rows));
            } else if (summaries.isEmpty()) {
                lines.add("no sweeps yet");
            }
            text = String.join("\n", lines);
        }
        return new RunFollower.Frame(text, signature(summaries, rows),
                summaries.stream().allMatch(s -> s.run().finished()),
                summaries.stream().allMatch(s -> s.count(JobState.COMPLETED) == s.jobs()));
    }

    /** What changes when the runs change, without what changes on its own (ages, elapsed seconds). */
    private static List<Object> signature(List<SweepStatus.RunSummary> summaries, List<SweepStatus.Row> rows) {
        List<Object> signature = new ArrayList<>();
        summaries.forEach(s -> signature.add(List.of(s.run().runId(), s.run().finished(), s.jobsByState(),
                s.counts())));
        rows.forEach(r -> signature.add(new SweepStatus.Row(r.sweep(), r.point(), r.jobKey(), r.slurmJobId(),
                r.state(), r.reason(), null, r.attempts())));
        return signature;
    }

    private static String json(Object value) {
        try {
            return Json.PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
