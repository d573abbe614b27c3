package io.sweepd.jobs;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.sweepd.core.JobState;
import io.sweepd.core.SweepCounts;
import io.sweepd.ledger.AttemptRecord;
import io.sweepd.ledger.JobRecord;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * How {@code sweepd status} and {@code sweepd wait} put a run into words: one summary line per run, a progress
 * line with the time, a line per job that ended, the per-point table, and the JSON shapes of both. Pure
 * functions of {@link SweepStatus}'s values, so the text is tested without a terminal.
 */
public final class StatusText {

    /** Characters inside the progress bar's brackets. */
    static final int BAR_WIDTH = 10;

    /**
     * The order counts are listed in: what is moving first (a person watching wants to see RUNNING and PENDING
     * at a glance), then what has not started, then how jobs ended in {@link JobState} order.
     */
    private static final List<JobState> DISPLAY_ORDER = displayOrder();

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private StatusText() {
    }

    private static List<JobState> displayOrder() {
        List<JobState> order = new ArrayList<>(List.of(JobState.RUNNING, JobState.PENDING, JobState.REQUEUED,
                JobState.SUBMITTING, JobState.PLANNED));
        Set<JobState> rest = EnumSet.allOf(JobState.class);
        order.forEach(rest::remove);
        order.addAll(rest);
        return List.copyOf(order);
    }

    /** {@code [###.......]}: ended jobs out of all; full only when every job ended. */
    public static String bar(double progress) {
        int filled = (int) Math.floor(Math.max(0, Math.min(1, progress)) * BAR_WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    /** {@code 2 RUNNING, 1 PENDING, 3 COMPLETED}: only the states that occur. */
    public static String counts(SweepStatus.RunSummary summary) {
        StringJoiner out = new StringJoiner(", ");
        for (JobState state : DISPLAY_ORDER) {
            int count = summary.count(state);
            if (count > 0) {
                out.add(count + " " + state.name());
            }
        }
        return out.toString();
    }

    /**
     * {@code [#####.....] 3/6 jobs ended: 2 RUNNING, 1 PENDING, 3 COMPLETED; 7 configurations → 6 jobs, 20 points;
     * refused: 1 configuration (4 points)}: the counts in the words plan and report use (README "Glossary").
     */
    public static String progress(SweepStatus.RunSummary summary) {
        StringBuilder text = new StringBuilder(bar(summary.progress())).append(' ');
        if (summary.jobs() == 0) {
            text.append("no jobs");
        } else {
            text.append(summary.endedJobs()).append('/').append(summary.jobs()).append(" jobs ended: ")
                    .append(counts(summary));
        }
        if (summary.waitingForSlot() > 0) {
            text.append("; ").append(summary.waitingForSlot())
                    .append(summary.waitingForSlot() == 1 ? " job waiting" : " jobs waiting").append(" for a slot");
        }
        SweepCounts counts = summary.counts();
        // A sweep of one point per job says it all in its job counts; otherwise the counts say what is what.
        if (counts.refusedPoints() > 0 || counts.points() != counts.jobs()) {
            text.append("; ").append(counts.describe());
        }
        return text.toString();
    }

    /** {@code active} or {@code finished}: the daemon's word on the run, not a count of jobs. */
    public static String state(SweepStatus.RunSummary summary) {
        return summary.run().finished() ? "finished" : "active";
    }

    /** {@code 45s}, {@code 12m}, {@code 5h}, {@code 3d}: how long ago, to the largest whole unit. */
    public static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 48 * 3600) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }

    /**
     * One line per run, run ids and states in aligned columns:
     * {@code nightly-20261202-120000  active    [#####.....] 3/6 jobs ended: 2 RUNNING, ...  12m ago}.
     */
    public static List<String> summaryLines(List<SweepStatus.RunSummary> summaries, Instant now) {
        int idWidth = summaries.stream().mapToInt(s -> s.run().runId().length()).max().orElse(0);
        return summaries.stream().map(s -> String.format("%-" + idWidth + "s  %-8s  %s  %s ago", s.run().runId(),
                state(s), progress(s), age(Duration.between(s.run().createdAt(), now)))).toList();
    }

    /** {@code 12:01:05 quickstart-20261202-120000  [#####.....] 3/6 jobs ended: ...}, the time in {@code zone}. */
    public static String progressLine(SweepStatus.RunSummary summary, Instant at, ZoneId zone) {
        return time(at, zone) + " " + summary.run().runId() + "  " + progress(summary);
    }

    /** {@code 12:01:07   job gptoss_1k1k-... FAILED (Slurm job 101): exit code 1}. */
    public static String jobEndedLine(JobRecord job, Instant at, ZoneId zone) {
        StringBuilder text = new StringBuilder(time(at, zone)).append("   job ").append(job.jobKey()).append(' ')
                .append(job.state().name());
        if (job.slurmJobId() != null) {
            text.append(" (Slurm job ").append(job.slurmJobId()).append(')');
        }
        String reason = SweepStatus.reason(job);
        if (reason != null && !reason.isBlank()) {
            text.append(": ").append(reason);
        }
        return text.toString();
    }

    public static String time(Instant at, ZoneId zone) {
        return TIME.format(at.atZone(zone));
    }

    /**
     * The per-point table of {@code status --points}, then the attempts of every job that was submitted more than
     * once or failed: a retry must not hide the failure before it.
     */
    public static String pointsTable(List<SweepStatus.Row> rows) {
        if (rows.isEmpty()) {
            return "no sweeps yet";
        }
        String table = AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, rows, List.of(
                new Column().header("sweep").dataAlign(HorizontalAlign.LEFT).with(SweepStatus.Row::sweep),
                new Column().header("point").dataAlign(HorizontalAlign.LEFT).with(SweepStatus.Row::point),
                new Column().header("slurm").with(r -> r.slurmJobId() == null ? "-" : r.slurmJobId()),
                new Column().header("state").dataAlign(HorizontalAlign.LEFT).with(SweepStatus.Row::state),
                new Column().header("elapsed").with(r -> r.elapsedSeconds() == null ? "-" : r.elapsedSeconds() + " s"),
                new Column().header("attempts").dataAlign(HorizontalAlign.LEFT).with(r -> attemptsText(r.attempts())),
                new Column().header("reason").dataAlign(HorizontalAlign.LEFT).maxWidth(80)
                        .with(r -> r.reason() == null ? "" : r.reason())));
        List<String> attempts = attemptLines(rows);
        return attempts.isEmpty() ? table : table + "\n\nAttempts\n" + String.join("\n", attempts);
    }

    /** {@code 2 (1 failed: oom)}, {@code 1}, or {@code -} before the first sbatch. */
    public static String attemptsText(List<AttemptRecord> attempts) {
        if (attempts.isEmpty()) {
            return "-";
        }
        List<AttemptRecord> failed = attempts.stream().filter(AttemptRecord::failed).toList();
        if (failed.isEmpty()) {
            return Integer.toString(attempts.size());
        }
        StringJoiner why = new StringJoiner(", ");
        failed.stream().map(StatusText::failedAs).distinct().forEach(why::add);
        return attempts.size() + " (" + failed.size() + " failed: " + why + ")";
    }

    /** How a failed attempt is named in short: triage's category, else its state. */
    private static String failedAs(AttemptRecord attempt) {
        return attempt.category() != null ? attempt.category() : attempt.state().name();
    }

    /**
     * One block per job with more than one attempt or a failed one:
     * {@code job K (points a-c4, a-c8)} then {@code   #1 Slurm 101 OUT_OF_MEMORY on gpu01: reason; diagnosis: ...;
     * retried with workaround X}.
     */
    static List<String> attemptLines(List<SweepStatus.Row> rows) {
        Map<String, List<SweepStatus.Row>> byJob = new LinkedHashMap<>();
        rows.forEach(r -> {
            if (r.attempts().size() > 1 || r.attempts().stream().anyMatch(AttemptRecord::failed)) {
                byJob.computeIfAbsent(r.sweep() + " " + r.jobKey(), k -> new ArrayList<>()).add(r);
            }
        });
        List<String> lines = new ArrayList<>();
        byJob.values().forEach(jobRows -> {
            SweepStatus.Row first = jobRows.get(0);
            lines.add("job " + first.jobKey() + " (" + (jobRows.size() == 1 ? "point " : "points ")
                    + String.join(", ", jobRows.stream().map(SweepStatus.Row::point).toList()) + ")");
            first.attempts().forEach(a -> lines.add("  " + attemptLine(a)));
        });
        return lines;
    }

    /** {@code #1 Slurm 101 OUT_OF_MEMORY on gpu[01-02]: exit 137; diagnosis: CUDA OOM; retried, adding workaround X}. */
    public static String attemptLine(AttemptRecord a) {
        StringBuilder text = new StringBuilder("#").append(a.attempt()).append(' ')
                .append(a.slurmJobId() == null ? "(no Slurm id)" : "Slurm " + a.slurmJobId()).append(' ')
                .append(a.state().name());
        if (a.nodes() != null) {
            text.append(" on ").append(a.nodes());
        }
        if (a.reason() != null && !a.reason().isBlank()) {
            text.append(": ").append(a.reason());
        }
        if (a.diagnosis() != null) {
            text.append("; diagnosis: ").append(a.diagnosis());
        }
        if (a.addedWorkaround() != null) {
            text.append("; retried with workaround ").append(a.addedWorkaround()).append(" added");
        } else if (a.retriedBecause() != null) {
            text.append("; retried (").append(a.retriedBecause()).append(')');
        }
        return text.toString();
    }

    /** An attempt as the JSON of {@code status --points} and the report show it. */
    public static Map<String, Object> attemptJson(AttemptRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", a.attempt());
        // The attempt's Slurm job name: what sacct --name finds it by, also after slurmctld forgot it.
        m.put("job-name", a.jobName());
        m.put("slurm-job-id", a.slurmJobId());
        m.put("state", a.state().name());
        m.put("failed", a.failed());
        m.put("nodes", a.nodes());
        m.put("reason", a.reason());
        m.put("exit-code", a.exitCode());
        m.put("diagnosis", a.diagnosis());
        m.put("category", a.category());
        m.put("retried-because", a.retriedBecause());
        m.put("added-workaround", a.addedWorkaround());
        m.put("ended-at", a.endedAt() == null ? null : a.endedAt().toString());
        return m;
    }

    /** A point as {@code status --points --format json} has always shown it. */
    public static Map<String, Object> pointJson(SweepStatus.Row row) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sweep", row.sweep());
        m.put("point", row.point());
        m.put("job-key", row.jobKey());
        m.put("slurm-job-id", row.slurmJobId());
        m.put("state", row.state());
        m.put("reason", row.reason());
        m.put("elapsed-s", row.elapsedSeconds());
        m.put("attempts", row.attempts().stream().map(StatusText::attemptJson).toList());
        return m;
    }

    /** A run as {@code status --format json} shows it: the summary line's facts, as numbers. */
    public static Map<String, Object> summaryJson(SweepStatus.RunSummary summary, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", summary.run().runId());
        m.put("sweep", summary.run().sweepName());
        m.put("state", state(summary));
        m.put("created-at", String.valueOf(summary.run().createdAt()));
        m.put("finished-at", summary.run().finishedAt() == null ? null : summary.run().finishedAt().toString());
        m.put("age-s", Math.max(0, Duration.between(summary.run().createdAt(), now).toSeconds()));
        m.put("jobs", summary.jobs());
        m.put("ended-jobs", summary.endedJobs());
        Map<String, Integer> byState = new LinkedHashMap<>();
        summary.jobsByState().forEach((state, count) -> byState.put(state.name(), count));
        m.put("jobs-by-state", byState);
        m.put("configurations", summary.counts().configurations());
        m.put("points", summary.points());
        m.put("refused-configurations", summary.counts().refusedConfigurations());
        m.put("refused-points", summary.refusedPoints());
        m.put("counts", summary.counts().describe());
        m.put("waiting-for-slot", summary.waitingForSlot());
        m.put("progress", summary.progress());
        return m;
    }
}
