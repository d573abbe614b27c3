package io.sweepd.report;

import io.sweepd.ledger.AttemptRecord;
import io.sweepd.results.PointResult;

import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.md: what a reviewer reads in a pull request or a terminal. */
final class MarkdownReport {

    private final ReportOut out;

    private MarkdownReport(Writer writer) {
        this.out = new ReportOut(writer);
    }

    static String render(ReportModel model) {
        StringWriter text = new StringWriter();
        write(model, text);
        return text.toString();
    }

    static void write(ReportModel model, Writer writer) {
        MarkdownReport md = new MarkdownReport(writer);
        md.title(model);
        md.summary(model);
        md.results(model);
        md.problems(model);
        md.attempts(model);
        md.jobs(model);
        md.history(model);
        md.workarounds(model);
        if (model.comparison() != null) {
            md.baseline(model);
        }
        md.out.flush();
    }

    private void title(ReportModel m) {
        ReportInput in = m.input();
        line("# Sweep report: " + esc(Format.orNone(in.sweepName())) + " — run " + esc(Format.orNone(in.runId())));
        line();
        line(in.finalReport() ? "Final report." : "**Interim report:** the run still has points queued or running.");
        line();
    }

    private void summary(ReportModel m) {
        line("## Summary");
        line();
        line("**" + esc(m.sweepCounts().describe()) + ".**");
        line();
        line("| | |");
        line("|---|---:|");
        line("| Points completed | " + m.count(Outcome.COMPLETED) + " |");
        line("| Points invalid | " + m.count(Outcome.INVALID) + " |");
        line("| Points failed | " + m.count(Outcome.FAILED) + " |");
        line("| Failed attempts (retried ones included) | " + failedAttempts(m) + " |");
        line("| Points refused | " + m.count(Outcome.REFUSED) + " |");
        if (m.count(Outcome.PENDING) > 0 || !m.input().finalReport()) {
            line("| Points pending | " + m.count(Outcome.PENDING) + " |");
        }
        line("| Points in total | " + m.input().points().size() + " |");
        line("| GPUs per point | " + m.gpuRange() + " |");
        line("| Hardware | " + esc(m.hardware().isEmpty() ? Format.NONE : String.join(", ", m.hardware())) + " |");
        line("| Configurations | " + m.sweepCounts().configurations() + " |");
        line("| Slurm jobs | " + m.jobs() + " |");
        if (!m.input().jobTimings().isEmpty()) {
            line("| GPU-hours (GPUs × run time, every attempt) | "
                    + Format.number(JobTiming.totalGpuHours(m.input().jobTimings())) + " |");
        }
        line("| Generated | " + Format.when(m.input().generatedAt()) + " |");
        line();
        line("A configuration is one server configuration (everything but the concurrency) and runs as one Slurm job;"
                + " a point is one benchmarked concurrency of one configuration. Points count a job's final attempt;"
                + " failed attempts count every attempt that ended without success, also when a retry then"
                + " succeeded.");
        line();
    }

    private void results(ReportModel m) {
        line("## Results");
        line();
        line(PointTable.GPU_NOTE);
        line();
        if (m.tables().isEmpty()) {
            line("No points.");
            line();
        }
        for (ReportModel.TableGroup group : m.tables()) {
            line("### " + esc(group.title()));
            line();
            table(PointTable.HEADERS, group.rows().stream().map(PointTable::cells).toList(), PointTable.NUMERIC);
            line();
        }
        if (!m.charts().isEmpty()) {
            line("### Pareto frontier (throughput per GPU vs median interactivity)");
            line();
            for (ReportModel.ChartGroup chart : m.charts()) {
                line("**" + esc(chart.title()) + "**");
                line();
                List<List<String>> rows = chart.frontier().stream().map(p -> List.of(
                        Format.orNone(p.configKey()), PointTable.shape(p), Integer.toString(p.conc()),
                        Format.number(ReportMetric.MEDIAN_INTVTY.of(p)), Format.number(ReportMetric.TPUT_PER_GPU.of(p))))
                        .toList();
                table(List.of("Configuration", "Shape", "Conc", "Interactivity median (tok/s/user)", "Tput/GPU (tok/s)"),
                        rows, List.of(2, 3, 4));
                line();
            }
        }
    }

    private void problems(ReportModel m) {
        line("## Failed, refused and invalid points");
        line();
        if (m.problems().isEmpty()) {
            line("None.");
            line();
            return;
        }
        List<List<String>> rows = m.problems().stream().map(p -> List.of(
                Format.orNone(p.state()), PointTable.label(p), Format.orNone(p.reason()), Format.orNone(p.diagnosis())))
                .toList();
        table(List.of("State", "Point", "Reason", "Diagnosis"), rows, List.of());
        line();
    }

    /** {@code 1 (1 retried)}: the attempts behind the points, so a retry does not erase the failure before it. */
    static String failedAttempts(ReportModel m) {
        int failed = m.failedAttempts();
        int retried = m.retriedFailures();
        return retried == 0 ? Integer.toString(failed) : failed + " (" + retried + " retried)";
    }

    private void attempts(ReportModel m) {
        if (m.attempts().isEmpty()) {
            return;
        }
        line("## Attempts");
        line();
        line("Jobs submitted more than once or with a failed attempt, every attempt in order.");
        line();
        List<List<String>> rows = new ArrayList<>();
        for (ReportModel.JobAttempts job : m.attempts()) {
            for (AttemptRecord a : job.attempts()) {
                rows.add(List.of(job.jobKey(), String.join(", ", job.pointIds()), Integer.toString(a.attempt()),
                        Format.orNone(a.slurmJobId()), a.state().name(), Format.orNone(a.nodes()),
                        Format.orNone(a.reason()), Format.orNone(a.diagnosis()), retry(a)));
            }
        }
        table(List.of("Job", "Points", "Attempt", "Slurm job", "State", "Nodes", "Reason", "Diagnosis",
                "Then"), rows, List.of(2));
        line();
    }

    /** One row per Slurm job's current attempt (earlier ones are in Attempts): where, how long, what it cost. */
    private void jobs(ReportModel m) {
        List<JobTiming> jobs = m.input().jobTimings();
        if (jobs.isEmpty()) {
            return;
        }
        line("## Slurm jobs");
        line();
        double earlier = jobs.stream().map(JobTiming::earlierGpuHours).filter(h -> h != null)
                .mapToDouble(Double::doubleValue).sum();
        line("Queue wait: submit to start; run time: start to end; GPU-h: GPUs × run time. The run used "
                + Format.number(JobTiming.totalGpuHours(jobs)) + " GPU-hours"
                + (earlier > 0 ? ", " + Format.number(earlier) + " of them in attempts a retry followed." : "."));
        line();
        List<List<String>> rows = new ArrayList<>();
        for (JobTiming j : jobs) {
            rows.add(List.of(j.jobKey(), Format.orNone(j.label()), Format.orNone(j.slurmJobId()),
                    Integer.toString(j.attempt()), j.state(), Format.orNone(j.nodes()),
                    j.gpus() > 0 ? Integer.toString(j.gpus()) : Format.NONE, duration(j.queueWait()),
                    duration(j.runTime()), duration(j.modelLoad()), duration(j.benchmark()),
                    j.gpuHours() == null ? Format.NONE : Format.number(j.gpuHours())));
        }
        table(List.of("Job", "Configuration", "Slurm job", "Attempt", "State", "Nodes", "GPUs", "Queue wait",
                "Run time", "Model load", "Benchmark", "GPU-h"), rows, List.of(3, 6, 7, 8, 9, 10, 11));
        line();
    }

    /** The headline of the last runs of the same sweep, oldest first. */
    private void history(ReportModel m) {
        RunHistory h = m.input().history();
        if (h.isEmpty()) {
            return;
        }
        line("## History of this sweep");
        line();
        line("The last " + h.runs().size() + " runs, oldest first; per model and sequence lengths, the peak throughput"
                + " per GPU (tok/s/GPU) of the run's completed points.");
        line();
        List<String> headers = new ArrayList<>(List.of("Run", "Created", "Completed", "Failed", "GPU-h"));
        headers.addAll(h.groups());
        List<Integer> numeric = new ArrayList<>();
        for (int i = 2; i < headers.size(); i++) {
            numeric.add(i);
        }
        List<List<String>> rows = new ArrayList<>();
        for (RunHistory.Entry e : h.runs()) {
            List<String> row = new ArrayList<>(List.of(e.runId() + (e.current() ? " (this run)" : ""),
                    e.createdAt() == null ? Format.NONE : Format.when(e.createdAt()), Integer.toString(e.completed()),
                    Integer.toString(e.unsuccessful()), e.gpuHours() == null ? Format.NONE
                            : Format.number(e.gpuHours())));
            for (String g : h.groups()) {
                Double v = e.peakTputPerGpu().get(g);
                row.add(v == null ? Format.NONE : Format.number(v));
            }
            rows.add(row);
        }
        table(headers, rows, numeric);
        line();
    }

    private static String duration(java.time.Duration d) {
        return d == null ? Format.NONE : HtmlReport.duration(d);
    }

    /** What followed an attempt: a retry (with the rule it added), or nothing. */
    static String retry(AttemptRecord a) {
        if (a.addedWorkaround() != null) {
            return "retried, workaround " + a.addedWorkaround() + " added";
        }
        return a.retriedBecause() == null ? Format.NONE : "retried: " + a.retriedBecause();
    }

    private void workarounds(ReportModel m) {
        line("## Workarounds applied");
        line();
        if (m.workarounds().isEmpty()) {
            line("None.");
            line();
            return;
        }
        for (Map.Entry<String, List<String>> e : m.workarounds().entrySet()) {
            line("- " + esc(e.getKey()) + ": " + String.join(", ", e.getValue().stream().map(MarkdownReport::esc).toList()));
        }
        line();
    }

    private void baseline(ReportModel m) {
        BaselineComparison c = m.comparison();
        line("## Compared with baseline run " + esc(Format.orNone(m.input().baselineRunId())));
        line();
        List<PointDelta> regressions = c.regressions();
        line(String.format(Locale.ROOT,
                "Tolerance %.1f%%: a point regresses when its throughput per GPU or median interactivity is lower "
                        + "than the baseline's by more than that.", c.tolerance() * 100));
        line();
        line("%d matched, **%d regressed**, %d newly failed, %d disappeared, %d new.".formatted(c.matched().size(),
                regressions.size(), c.newlyFailed().size(), c.disappeared().size(), c.added().size()));
        line();
        if (!regressions.isEmpty()) {
            line("### Regressions");
            line();
            deltaTable(regressions);
            line();
        }
        if (!c.newlyFailed().isEmpty()) {
            line("### Newly failed");
            line();
            table(List.of("Point", "Baseline", "Now", "Reason", "Diagnosis"), c.newlyFailed().stream().map(s -> List.of(
                    PointTable.label(s.current()), Format.orNone(s.baseline().state()), Format.orNone(s.current().state()),
                    Format.orNone(s.current().reason()), Format.orNone(s.current().diagnosis()))).toList(), List.of());
            line();
        }
        if (!c.disappeared().isEmpty()) {
            line("### Disappeared");
            line();
            for (PointResult p : c.disappeared()) {
                line("- " + esc(PointTable.label(p)) + " (baseline: " + esc(Format.orNone(p.state())) + ")");
            }
            line();
        }
        if (!c.matched().isEmpty()) {
            line("### All matched points");
            line();
            deltaTable(c.matched());
            line();
        }
    }

    private void deltaTable(List<PointDelta> deltas) {
        List<String> headers = new ArrayList<>(List.of("Point"));
        for (ReportMetric metric : BaselineComparison.COMPARED) {
            headers.add(metric.label() + " (" + metric.unit() + ")");
            headers.add("Δ");
        }
        headers.add("Regression");
        List<Integer> numeric = new ArrayList<>();
        for (int i = 1; i < headers.size() - 1; i++) {
            numeric.add(i);
        }
        List<List<String>> rows = new ArrayList<>();
        for (PointDelta d : deltas) {
            List<String> row = new ArrayList<>(List.of(PointTable.label(d.current())));
            for (MetricDelta md : d.deltas()) {
                row.add(Format.number(md.baseline()) + " → " + Format.number(md.current()));
                row.add(Format.percent(md.relative()));
            }
            row.add(String.join(", ", d.regressed().stream().map(ReportMetric::key).toList()));
            rows.add(row);
        }
        table(headers, rows, numeric, headers.size() - 1);
    }

    private void table(List<String> headers, List<List<String>> rows, List<Integer> numeric) {
        table(headers, rows, numeric, -1);
    }

    /** Cells arrive raw and are escaped here; non-empty cells of column {@code bold} are set in bold. */
    private void table(List<String> headers, List<List<String>> rows, List<Integer> numeric, int bold) {
        line("| " + String.join(" | ", headers.stream().map(MarkdownReport::esc).toList()) + " |");
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < headers.size(); i++) {
            rule.append(numeric.contains(i) ? "---:|" : "---|");
        }
        line(rule.toString());
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                String cell = esc(row.get(i));
                cells.add(i == bold && !cell.isEmpty() ? "**" + cell + "**" : cell);
            }
            line("| " + String.join(" | ", cells) + " |");
        }
    }

    /**
     * Sweep-derived text as literal Markdown: no table breaks (|, newlines), no raw HTML (renderers such as
     * GitHub's pass some through), no accidental emphasis, code or links.
     */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '\\', '|', '<', '>', '`', '*', '[', ']', '#' -> sb.append('\\').append(ch);
                case '\r', '\n', '\t' -> sb.append(' ');
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private void line() {
        out.append('\n');
    }
}
