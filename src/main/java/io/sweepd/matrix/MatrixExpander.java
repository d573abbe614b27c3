package io.sweepd.matrix;

import io.sweepd.sweep.AgenticConfig;
import io.sweepd.sweep.ConfigEntry;
import io.sweepd.sweep.ConfigKeyPattern;
import io.sweepd.sweep.RunnerConfig;
import io.sweepd.sweep.SearchSpaceItem;
import io.sweepd.sweep.SeqLenConfig;
import io.sweepd.sweep.SeqLenNames;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepFilters;
import io.sweepd.sweep.SweepFilters.EvalSelection;
import io.sweepd.sweep.WorkerSpec;
import io.sweepd.yaml.YamlFieldException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Expands a sweep file into matrix points with the semantics of InferenceMAX's {@code generate_sweep_configs.py}:
 * its three subcommands ({@code full-sweep}, {@code runner-model-sweep}, {@code test-config}) as the sweep's
 * {@code generate:} setting, their flags as its filters, both master-config schemas (seq-len-configs, and
 * scenarios with fixed-seq-len and agentic-coding). Entries, scenarios and search-space items come in file order;
 * single-node items give one point per concurrency, fixed-seq-len multinode items one point carrying the whole
 * concurrency list, agentic-coding items one point per concurrency; eval marking runs on the generated matrix
 * ({@link EvalMarker}) unless evals are off, and the evals filter is applied last, so it selects points without
 * changing which ones are marked.
 */
public final class MatrixExpander {

    /** Headroom the generator adds to isl + osl for the server's max-model-len. */
    static final int MAX_MODEL_LEN_HEADROOM = 256;

    /** runner-model-sweep runs every config once, at 1k1k, with this max-model-len. */
    private static final int RUNNER_CHECK_MAX_MODEL_LEN = 2048;
    private static final int RUNNER_CHECK_SEQ_LEN = 1024;

    private static final String FIXED_SEQ_LEN = SweepFilters.SCENARIO_TYPES.get(0);
    private static final String AGENTIC = SweepFilters.SCENARIO_TYPES.get(1);

    /** test-config expands ranges by doubling whatever --step-size says (it has no such flag). */
    private static final int TEST_CONFIG_STEP = 2;

    private final int maxPoints;

    /** Without a limit on the number of points. */
    public MatrixExpander() {
        this(Integer.MAX_VALUE);
    }

    /**
     * @param maxPoints a sweep that expands to more points is refused as soon as its expansion passes the limit,
     *                  before the points are enriched (setting {@code sweepd.intake.max-points})
     */
    public MatrixExpander(int maxPoints) {
        this.maxPoints = maxPoints;
    }

    /** Expands with no eval exclusions. */
    public List<MatrixPoint> expand(SweepFile sweep) {
        return expand(sweep, EvalExclusions.NONE);
    }

    public List<MatrixPoint> expand(SweepFile sweep, EvalExclusions exclusions) {
        SweepFilters filters = sweep.settings().filters();
        Matrix matrix = new Matrix(sweep, maxPoints);
        switch (filters.mode()) {
            case FULL_SWEEP -> fullSweep(sweep, filters, matrix);
            case RUNNER_MODEL_SWEEP -> runnerModelSweep(sweep, filters, matrix);
            case TEST_CONFIG -> testConfig(sweep, filters, matrix);
        }
        if (filters.evals() == EvalSelection.NONE) {
            return matrix.points;
        }
        List<MatrixPoint> marked = EvalMarker.mark(matrix.points,
                i -> exclusions.excludes(matrix.points.get(i), matrix.schemas.get(i).key()));
        return switch (filters.evals()) {
            case ONLY -> marked.stream().filter(MatrixPoint::runEval).map(MatrixPoint::asEvalOnly).toList();
            case EXCLUDE -> marked.stream().filter(p -> !p.runEval()).toList();
            default -> marked;
        };
    }

    /** The points in generation order, with the schema of the entry each came from (eval exclusions need it). */
    private static final class Matrix {
        final List<MatrixPoint> points = new ArrayList<>();
        final List<ConfigEntry.Schema> schemas = new ArrayList<>();
        private final SweepFile sweep;
        private final int maxPoints;

        Matrix(SweepFile sweep, int maxPoints) {
            this.sweep = sweep;
            this.maxPoints = maxPoints;
        }

        void add(ConfigEntry entry, MatrixPoint point) {
            if (points.size() == maxPoints) {
                throw new YamlFieldException(String.valueOf(sweep.source()), 0, 0, entry.key(), "the sweep expands"
                        + " to more than " + maxPoints + " points (reached in config entry '" + entry.key()
                        + "'); split it into smaller sweeps, narrow it with sweep.filters, or raise"
                        + " sweepd.intake.max-points");
            }
            points.add(point);
            schemas.add(entry.schema());
        }
    }

    // ---- full-sweep ----

    private static void fullSweep(SweepFile sweep, SweepFilters filters, Matrix out) {
        RunnerConfig runners = sweep.runners();
        if (!filters.runnerType().isEmpty() && runners.isKnown()) {
            List<String> unknown = filters.runnerType().stream().filter(r -> !runners.nodes().containsKey(r)).toList();
            if (!unknown.isEmpty()) {
                throw filterError(sweep, "runner-type", "unknown runner type(s) " + unknown + "; " + runners.file()
                        + " has: " + String.join(", ", runners.nodes().keySet().stream().sorted().toList()));
            }
        }
        for (ConfigEntry entry : sweep.entries()) {
            if (!selected(entry, filters)) {
                continue;
            }
            List<String> runnerValues = runnerValues(sweep, entry, filters, false);
            if (runnerValues.isEmpty()) {
                continue;
            }
            // The node-type flags select search-space items of fixed-seq-len scenarios only.
            boolean nodeTypeSelected = entry.multinode() ? filters.multiNode() : filters.singleNode();
            forEachFixedItem(entry, filters, (seqLen, item) -> {
                if (!nodeTypeSelected) {
                    return;
                }
                if (entry.multinode()) {
                    List<Integer> concs = clampedList(concValues(item, filters.step()), filters);
                    for (String runner : concs.isEmpty() ? List.<String>of() : runnerValues) {
                        out.add(entry, fixedMultinode(entry, seqLen, item, concs, runner));
                    }
                } else {
                    singleNodePoints(entry, seqLen, item, filters, runnerValues, out);
                }
            });
            if (filters.includesScenario(AGENTIC)) {
                agenticPoints(entry, filters.step(), concs -> boundedList(concs, filters), runnerValues, out);
            }
        }
    }

    private static boolean selected(ConfigEntry entry, SweepFilters filters) {
        // The generator matches model-prefix against the config key, not the entry's model-prefix field.
        if (!filters.modelPrefix().isEmpty() && filters.modelPrefix().stream().noneMatch(entry.key()::startsWith)) {
            return false;
        }
        if (!filters.precision().isEmpty() && !filters.precision().contains(entry.precision())) {
            return false;
        }
        if (!filters.framework().isEmpty() && !filters.framework().contains(entry.framework())) {
            return false;
        }
        return filters.runnerType().isEmpty() || filters.runnerType().contains(entry.runner());
    }

    private static boolean seqLenSelected(SeqLenConfig seqLen, SweepFilters filters) {
        return filters.seqLens().isEmpty()
                || SeqLenNames.name(seqLen.isl(), seqLen.osl()).map(filters.seqLens()::contains).orElse(false);
    }

    private static void singleNodePoints(ConfigEntry entry, SeqLenConfig seqLen, SearchSpaceItem item,
                                         SweepFilters filters, List<String> runners, Matrix out) {
        if (filters.maxTp() != null && item.tp() > filters.maxTp()) {
            return;
        }
        int ep = item.ep() == null ? 1 : item.ep();
        if (filters.maxEp() != null && item.ep() != null && ep > filters.maxEp()) {
            ep = filters.maxEp();  // the generator clamps ep rather than skipping the item
        }
        List<Integer> concs;
        if (item.concList() != null) {
            // The generator's full-sweep has no single-node conc-list path (it fails on one); sweepd treats the
            // list like a multinode one.
            concs = clampedList(item.concList(), filters);
        } else {
            int start = item.concStart();
            int end = item.concEnd();
            if (filters.minConc() != null) {
                if (end < filters.minConc()) {
                    return;
                }
                start = Math.max(start, filters.minConc());
            }
            if (filters.maxConc() != null) {
                if (start > filters.maxConc()) {
                    start = filters.maxConc();
                    end = filters.maxConc();
                } else {
                    end = Math.min(end, filters.maxConc());
                }
            }
            concs = steps(start, end, filters.step());
        }
        for (int conc : concs) {
            for (String runner : runners) {
                out.add(entry, fixedSingleNode(entry, seqLen, item, ep, conc, runner));
            }
        }
    }

    /**
     * min-conc / max-conc on a fixed-seq-len list, as the generator does for multinode lists: drop values below
     * the minimum (nothing left: no point), drop values above the maximum (nothing left: run at the maximum).
     */
    private static List<Integer> clampedList(List<Integer> values, SweepFilters filters) {
        List<Integer> concs = values;
        if (filters.minConc() != null) {
            int min = filters.minConc();
            concs = concs.stream().filter(c -> c >= min).toList();
            if (concs.isEmpty()) {
                return concs;
            }
        }
        if (filters.maxConc() != null) {
            int max = filters.maxConc();
            List<Integer> below = concs.stream().filter(c -> c <= max).toList();
            concs = below.isEmpty() ? List.of(max) : below;
        }
        return concs;
    }

    /** min-conc / max-conc on an agentic-coding list: plain filters (nothing left: no point). */
    private static List<Integer> boundedList(List<Integer> values, SweepFilters filters) {
        return values.stream()
                .filter(c -> filters.minConc() == null || c >= filters.minConc())
                .filter(c -> filters.maxConc() == null || c <= filters.maxConc())
                .toList();
    }

    // ---- runner-model-sweep ----

    /**
     * Every config of one runner label once, at 1k1k, on each of that label's nodes: the highest-tp single-node
     * item at its lowest concurrency, or the multinode item with the lowest listed concurrency.
     */
    private static void runnerModelSweep(SweepFile sweep, SweepFilters filters, Matrix out) {
        String runnerType = filters.runnerType().get(0);
        RunnerConfig runners = requireRunners(sweep, "runner-type", "runner-model-sweep");
        List<String> nodes = runners.nodes().get(runnerType);
        if (nodes == null) {
            throw filterError(sweep, "runner-type", "runner '" + runnerType + "' does not exist in "
                    + runners.file() + "; it has: " + String.join(", ", runners.nodes().keySet()));
        }
        if (filters.runnerNodeFilter() != null) {
            nodes = nodes.stream().filter(n -> n.contains(filters.runnerNodeFilter())).toList();
            if (nodes.isEmpty()) {
                throw filterError(sweep, "runner-node-filter", "no runner nodes of '" + runnerType
                        + "' contain '" + filters.runnerNodeFilter() + "'");
            }
        }
        Integer concOverride = filters.conc().isEmpty() ? null : filters.conc().get(0);
        for (ConfigEntry entry : sweep.entries()) {
            if (!entry.runner().equals(runnerType) || !selected(entry, filters)) {
                continue;
            }
            if (entry.multinode() ? !filters.multiNode() : !filters.singleNode()) {
                continue;
            }
            SeqLenConfig oneK = entry.seqLenConfigs().stream()
                    .filter(s -> s.isl() == RUNNER_CHECK_SEQ_LEN && s.osl() == RUNNER_CHECK_SEQ_LEN)
                    .findFirst().orElse(null);
            if (oneK == null || oneK.searchSpace().isEmpty()) {
                continue;
            }
            String expName = entry.modelPrefix() + "_test";
            if (entry.multinode()) {
                SearchSpaceItem item = lowestListedConc(oneK.searchSpace());
                int conc = concOverride != null ? concOverride
                        : item.concList() != null ? min(item.concList())
                        : item.concStart() != null ? item.concStart() : 1;
                for (String node : nodes) {
                    out.add(entry, new MatrixPoint(entry.key(), entry.image(), entry.model(), entry.modelPrefix(),
                            entry.precision(), entry.framework(), node, RUNNER_CHECK_SEQ_LEN, RUNNER_CHECK_SEQ_LEN,
                            null, null, null, specDecoding(item), withSettingsList(item.prefill()),
                            withSettingsList(item.decode()), List.of(conc), RUNNER_CHECK_MAX_MODEL_LEN, expName,
                            entry.disagg(), true, false, null));
                }
            } else {
                SearchSpaceItem item = highestTp(oneK.searchSpace());
                int conc = concOverride != null ? concOverride
                        : item.concStart() != null ? item.concStart() : min(item.concList());
                for (String node : nodes) {
                    out.add(entry, new MatrixPoint(entry.key(), entry.image(), entry.model(), entry.modelPrefix(),
                            entry.precision(), entry.framework(), node, RUNNER_CHECK_SEQ_LEN, RUNNER_CHECK_SEQ_LEN,
                            item.tp(), item.ep() == null ? 1 : item.ep(), item.dpAttn() != null && item.dpAttn(),
                            specDecoding(item), null, null, List.of(conc), RUNNER_CHECK_MAX_MODEL_LEN, expName,
                            entry.disagg(), false, false, null));
                }
            }
        }
    }

    /** The first item whose conc-list has the lowest value; items given as a range never win over a list. */
    private static SearchSpaceItem lowestListedConc(List<SearchSpaceItem> items) {
        SearchSpaceItem best = items.get(0);
        long bestConc = Long.MAX_VALUE;
        for (SearchSpaceItem item : items) {
            long conc = item.concList() == null ? Long.MAX_VALUE : min(item.concList());
            if (conc < bestConc) {
                best = item;
                bestConc = conc;
            }
        }
        return best;
    }

    /** The first item with the highest tp. */
    private static SearchSpaceItem highestTp(List<SearchSpaceItem> items) {
        SearchSpaceItem best = items.get(0);
        for (SearchSpaceItem item : items) {
            if (item.tp() > best.tp()) {
                best = item;
            }
        }
        return best;
    }

    /** runner-model-sweep writes both workers out with their additional-settings, an empty list when none. */
    private static WorkerSpec withSettingsList(WorkerSpec worker) {
        return worker.additionalSettings() != null ? worker
                : new WorkerSpec(worker.numWorker(), worker.tp(), worker.ep(), worker.dpAttn(), List.of());
    }

    // ---- test-config ----

    /** The named configs (glob patterns allowed) in full, narrowed only by seq-lens, scenario type and conc. */
    private static void testConfig(SweepFile sweep, SweepFilters filters, Matrix out) {
        Map<String, ConfigEntry> byKey = sweep.entries().stream()
                .collect(Collectors.toMap(ConfigEntry::key, Function.identity(), (a, b) -> a,
                        java.util.LinkedHashMap::new));
        Set<String> keys = new LinkedHashSet<>();
        for (String wanted : filters.configKeys()) {
            if (ConfigKeyPattern.isPattern(wanted)) {
                ConfigKeyPattern pattern = ConfigKeyPattern.of(wanted);
                byKey.keySet().stream().filter(pattern::matches).forEach(keys::add);
            } else if (byKey.containsKey(wanted)) {
                keys.add(wanted);
            }
        }
        Function<List<Integer>, List<Integer>> concFilter = concs -> filters.conc().isEmpty() ? concs
                : concs.stream().filter(filters.conc()::contains).toList();
        for (String key : keys) {
            ConfigEntry entry = byKey.get(key);
            List<String> runnerValues = runnerValues(sweep, entry, filters, true);
            if (runnerValues.isEmpty()) {
                continue;
            }
            forEachFixedItem(entry, filters, (seqLen, item) -> {
                List<Integer> concs = concFilter.apply(concValues(item, TEST_CONFIG_STEP));
                if (concs.isEmpty()) {
                    return;
                }
                if (entry.multinode()) {
                    for (String runner : runnerValues) {
                        out.add(entry, fixedMultinode(entry, seqLen, item, concs, runner));
                    }
                    return;
                }
                int ep = item.ep() == null ? 1 : item.ep();
                for (int conc : concs) {
                    for (String runner : runnerValues) {
                        out.add(entry, fixedSingleNode(entry, seqLen, item, ep, conc, runner));
                    }
                }
            });
            if (filters.includesScenario(AGENTIC)) {
                agenticPoints(entry, TEST_CONFIG_STEP, concFilter, runnerValues, out);
            }
        }
    }

    // ---- shared by the subcommands ----

    /** Every search-space item of the entry's fixed-seq-len scenarios that the scenario and seq-lens filters keep. */
    private static void forEachFixedItem(ConfigEntry entry, SweepFilters filters,
                                         BiConsumer<SeqLenConfig, SearchSpaceItem> action) {
        if (!filters.includesScenario(FIXED_SEQ_LEN)) {
            return;
        }
        for (SeqLenConfig seqLen : entry.seqLenConfigs()) {
            if (seqLenSelected(seqLen, filters)) {
                seqLen.searchSpace().forEach(item -> action.accept(seqLen, item));
            }
        }
    }

    /**
     * The runner values a config's points get: its runner label, or with a runner-node filter every node of that
     * label whose name contains the filter text (test-config also keeps the label itself when it matches).
     * Empty: the config has no matching node and gives no points.
     */
    private static List<String> runnerValues(SweepFile sweep, ConfigEntry entry, SweepFilters filters,
                                             boolean labelMayMatch) {
        String filter = filters.runnerNodeFilter();
        if (filter == null) {
            return List.of(entry.runner());
        }
        RunnerConfig runners = requireRunners(sweep, "runner-node-filter", "runner-node-filter");
        Set<String> matches = new LinkedHashSet<>();
        if (labelMayMatch && entry.runner().contains(filter)) {
            matches.add(entry.runner());
        }
        runners.nodes().getOrDefault(entry.runner(), List.of()).stream().filter(n -> n.contains(filter))
                .forEach(matches::add);
        return List.copyOf(matches);
    }

    private static void agenticPoints(ConfigEntry entry, int step, Function<List<Integer>, List<Integer>> concFilter,
                                      List<String> runners, Matrix out) {
        for (AgenticConfig agentic : entry.agenticCoding()) {
            for (SearchSpaceItem item : agentic.searchSpace()) {
                String offloading = item.offloading() == null ? "none" : item.offloading();
                MatrixPoint.Agentic scenario = new MatrixPoint.Agentic(agentic.duration(), offloading);
                for (int conc : concFilter.apply(concValues(item, step))) {
                    for (String runner : runners) {
                        out.add(entry, agenticPoint(entry, item, scenario, conc, runner));
                    }
                }
            }
        }
    }

    private static MatrixPoint agenticPoint(ConfigEntry entry, SearchSpaceItem item, MatrixPoint.Agentic scenario,
                                            int conc, String runner) {
        if (entry.multinode()) {
            WorkerSpec p = item.prefill();
            WorkerSpec d = item.decode();
            String expName = entry.modelPrefix() + "_p" + p.numWorker() + "x" + p.tp() + "_d" + d.numWorker() + "x"
                    + d.tp() + "_conc" + conc;
            return new MatrixPoint(entry.key(), entry.image(), entry.model(), entry.modelPrefix(), entry.precision(),
                    entry.framework(), runner, 0, 0, null, null, null, specDecoding(item), p, d, List.of(conc), 0,
                    expName, entry.disagg(), true, false, null, false, scenario);
        }
        String expName = entry.modelPrefix() + "_tp" + item.tp() + "_conc" + conc + "_offload" + scenario.offloading();
        return new MatrixPoint(entry.key(), entry.image(), entry.model(), entry.modelPrefix(), entry.precision(),
                entry.framework(), runner, 0, 0, item.tp(), item.ep() == null ? 1 : item.ep(),
                item.dpAttn() != null && item.dpAttn(), specDecoding(item), null, null, List.of(conc), 0, expName,
                entry.disagg(), false, false, null, false, scenario);
    }

    private static MatrixPoint fixedSingleNode(ConfigEntry entry, SeqLenConfig seqLen, SearchSpaceItem item, int ep,
                                               int conc, String runner) {
        return new MatrixPoint(entry.key(), entry.image(), entry.model(), entry.modelPrefix(), entry.precision(),
                entry.framework(), runner, seqLen.isl(), seqLen.osl(), item.tp(), ep,
                item.dpAttn() != null && item.dpAttn(), specDecoding(item), null, null, List.of(conc),
                maxModelLen(seqLen), expName(entry, seqLen), entry.disagg(), false, false, null);
    }

    private static MatrixPoint fixedMultinode(ConfigEntry entry, SeqLenConfig seqLen, SearchSpaceItem item,
                                              List<Integer> concs, String runner) {
        return new MatrixPoint(entry.key(), entry.image(), entry.model(), entry.modelPrefix(), entry.precision(),
                entry.framework(), runner, seqLen.isl(), seqLen.osl(), null, null, null, specDecoding(item),
                item.prefill(), item.decode(), concs, maxModelLen(seqLen), expName(entry, seqLen), entry.disagg(),
                true, false, null);
    }

    /** An item's concurrencies: its list, or its range stepped by {@code step}. */
    private static List<Integer> concValues(SearchSpaceItem item, int step) {
        return item.concList() != null ? item.concList() : steps(item.concStart(), item.concEnd(), step);
    }

    /**
     * start, start*step, start*step^2 ... while below end, then end itself: a range whose end is not a step of
     * its start still benchmarks the end (4..48 by 2 gives 4 8 16 32 48).
     */
    static List<Integer> steps(int start, int end, int step) {
        List<Integer> values = new ArrayList<>();
        long conc = start;
        while (conc <= end) {
            values.add((int) conc);
            if (conc == end) {
                break;
            }
            conc = Math.min(conc * step, end);
        }
        return values;
    }

    static List<Integer> doubling(int start, int end) {
        return steps(start, end, SweepFilters.DEFAULT_STEP_SIZE);
    }

    private static RunnerConfig requireRunners(SweepFile sweep, String field, String what) {
        if (!sweep.runners().isKnown()) {
            throw filterError(sweep, field, what + " needs InferenceMAX's runners.yaml: put it beside the sweep file,"
                    + " name it with sweep.runner-config, or pass --runner-config");
        }
        return sweep.runners();
    }

    private static YamlFieldException filterError(SweepFile sweep, String filter, String problem) {
        return new YamlFieldException(String.valueOf(sweep.source()), 0, 0, "sweep.filters." + filter, problem);
    }

    private static int min(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    private static String specDecoding(SearchSpaceItem item) {
        return item.specDecoding() == null ? "none" : item.specDecoding();
    }

    private static int maxModelLen(SeqLenConfig seqLen) {
        return seqLen.isl() + seqLen.osl() + MAX_MODEL_LEN_HEADROOM;
    }

    private static String expName(ConfigEntry entry, SeqLenConfig seqLen) {
        return entry.modelPrefix() + "_" + SeqLenNames.label(seqLen.isl(), seqLen.osl());
    }
}
