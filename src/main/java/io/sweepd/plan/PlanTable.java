package io.sweepd.plan;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import io.sweepd.core.SweepCounts;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.enrich.Topology;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.WorkerSpec;
import io.sweepd.workarounds.AppliedWorkaround;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The plan for people: what will run, as which jobs, what was refused and why, and what sweepd changed. */
public final class PlanTable {

    private static final Character[] BORDER = AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS;

    private PlanTable() {
    }

    /**
     * What the eval column's values mean: the InferenceMAX field ({@code run-eval}, {@code eval-conc}) is not
     * something a person reading a plan should have to know.
     */
    static final String EVAL_LEGEND = "lm-eval: \"yes\" = lm-eval runs after this point's benchmark;"
            + " \"at conc N\" = a multinode entry runs it once, at concurrency N; empty = no eval.";

    public static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        long refused = plan.refusedPoints().size();
        out.append(title(plan.sweep())).append(": ").append(counts(plan).describe()).append("\n\n");

        out.append("Matrix entries (a single-node entry is one point; a multinode entry runs each of its"
                + " concurrencies as a point)\n").append(AsciiTable.getTable(BORDER, plan.points(), List.of(
                column("point", PlannedPoint::id),
                column("config", p -> p.enriched().point().configKey()),
                column("seq", p -> p.enriched().point().expName()),
                column("shape", p -> shape(p.enriched().point())),
                column("conc", p -> concText(p.enriched().point().conc())),
                column("lm-eval", p -> evalText(p.enriched().point())),
                column("profile", p -> orDash(p.enriched().profile())),
                column("status", p -> p.refused() ? "REFUSED" : "ok")))).append('\n')
                .append(EVAL_LEGEND).append("\n\n");

        if (!plan.jobs().isEmpty()) {
            out.append("Jobs\n").append(AsciiTable.getTable(BORDER, plan.jobs(), List.of(
                    column("job", PlannedJob::jobKey),
                    column("profile", PlannedJob::profile),
                    column("launch", j -> j.launch() == null ? "-" : j.launch().describe()),
                    column("nodes", j -> j.topology() == null ? "-" : Integer.toString(j.topology().nodes())),
                    column("gpus", j -> gpusText(j.topology())),
                    column("concurrencies", j -> concText(j.concurrencies())),
                    column("points", j -> Integer.toString(plan.pointsOf(j).stream().mapToInt(PlanTable::pointCount).sum()))))).append("\n\n");
        }

        if (refused > 0) {
            out.append("Refused before submission (no job)\n").append(AsciiTable.getTable(BORDER, plan.refusedPoints(), List.of(
                    column("point", PlannedPoint::id),
                    new Column().header("reason").dataAlign(HorizontalAlign.LEFT).maxWidth(110)
                            .with((PlannedPoint p) -> p.enriched().refused())))).append("\n\n");
        }

        // The recipe each configuration runs, with the srt-slurm variant (file.yaml:zip_override_x[i]) it selects.
        Map<String, String> recipes = byConfiguration(plan, EnrichedPoint::recipePath);
        if (!recipes.isEmpty()) {
            out.append("Recipes\n");
            recipes.forEach((config, recipe) -> out.append("  ").append(config).append(": ").append(recipe).append('\n'));
            out.append('\n');
        }

        Map<String, List<AppliedWorkaround>> byConfig = byConfiguration(plan, EnrichedPoint::workarounds);
        if (!byConfig.isEmpty()) {
            out.append("Workarounds applied\n");
            byConfig.forEach((config, rules) -> {
                out.append("  ").append(config).append('\n');
                for (AppliedWorkaround rule : rules) {
                    out.append("    ").append(rule.id()).append('\n');
                    rule.changes().forEach(change -> out.append("      - ").append(change).append('\n'));
                }
            });
        }
        return out.toString();
    }

    /**
     * One entry per configuration and profile, and within it one per distinct value (of its workaround changes,
     * of its recipe): a configuration's seq-lens usually share it, and a person should read it once. Points
     * without a value (no rules applied, no recipe) are left out.
     */
    private static <V> Map<String, V> byConfiguration(Plan plan, Function<EnrichedPoint, V> valueOf) {
        Map<String, Map<V, List<String>>> byConfig = new LinkedHashMap<>();
        for (PlannedPoint p : plan.points()) {
            V value = valueOf.apply(p.enriched());
            if (value == null || value instanceof List<?> list && list.isEmpty()) {
                continue;
            }
            String config = p.enriched().point().configKey() + " on " + orDash(p.enriched().profile());
            List<String> seqs = byConfig.computeIfAbsent(config, k -> new LinkedHashMap<>())
                    .computeIfAbsent(value, k -> new ArrayList<>());
            if (!seqs.contains(p.enriched().point().expName())) {
                seqs.add(p.enriched().point().expName());
            }
        }
        Map<String, V> out = new LinkedHashMap<>();
        byConfig.forEach((config, groups) -> groups.forEach((value, seqs) ->
                out.put(config + " (" + String.join(", ", seqs) + ")", value)));
        return out;
    }

    /** The plan counted as status and the report count it: configurations, jobs, points (README "Glossary"). */
    public static SweepCounts counts(Plan plan) {
        SweepCounts.Tally tally = SweepCounts.tally();
        plan.points().forEach(p -> tally.add(p.jobKey(), pointCount(p), p.refused()));
        return tally.counts();
    }

    /** A matrix entry's points: its distinct concurrencies (an entry without any still stands for one). */
    static int pointCount(PlannedPoint p) {
        return Math.max(1, new HashSet<>(p.enriched().point().conc()).size());
    }

    /**
     * {@code Sweep nightly-dsr1 (nvidia-master.yaml)}, or {@code Sweep file sweep.yaml} when the name is only the
     * file's base name: "Sweep sweep" said nothing.
     */
    static String title(SweepFile sweep) {
        String file = sweep.source() == null || sweep.source().getFileName() == null ? null
                : sweep.source().getFileName().toString();
        if (file == null) {
            return "Sweep " + sweep.name();
        }
        String base = file.replaceFirst("\\.[^.]+$", "");
        return base.equals(sweep.name()) ? "Sweep file " + file : "Sweep " + sweep.name() + " (" + file + ")";
    }

    private static <T> ColumnData<T> column(String header, Function<T, String> value) {
        return new Column().header(header).dataAlign(HorizontalAlign.LEFT).with(value);
    }

    static String shape(MatrixPoint p) {
        if (!p.multinode()) {
            return "tp" + p.tp() + " ep" + p.ep() + (Boolean.TRUE.equals(p.dpAttn()) ? " dpa" : "")
                    + spec(p.specDecoding());
        }
        return worker("P", p.prefill()) + " + " + worker("D", p.decode()) + spec(p.specDecoding());
    }

    private static String worker(String side, WorkerSpec w) {
        return w.numWorker() + side + "(tp" + w.tp() + " ep" + w.ep() + (w.dpAttn() ? " dpa" : "") + ")";
    }

    private static String spec(String specDecoding) {
        return "none".equals(specDecoding) ? "" : " " + specDecoding;
    }

    private static String evalText(MatrixPoint p) {
        if (!p.runEval()) {
            return "";
        }
        return p.evalConc() == null ? "yes" : "at conc " + p.evalConc();
    }

    private static String gpusText(Topology t) {
        if (t == null) {
            return "-";
        }
        return t.disaggregated() ? t.totalGpus() + " (" + t.prefillGpus() + "P/" + t.decodeGpus() + "D)"
                : Integer.toString(t.totalGpus());
    }

    private static String concText(List<Integer> conc) {
        return conc.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }
}
