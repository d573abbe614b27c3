package io.sweepd.matrix;

import io.sweepd.sweep.ConfigEntry;
import io.sweepd.sweep.SearchSpaceItem;
import io.sweepd.sweep.SeqLenConfig;
import io.sweepd.sweep.SeqLenNames;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepFilters;
import io.sweepd.sweep.SweepFilters.EvalSelection;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands a sweep file into matrix points with the semantics of InferenceMAX's
 * {@code generate_sweep_configs.py full-sweep}: entries, seq-len configs and search-space items in file
 * order; single-node items give one point per concurrency, multinode items one point carrying the whole
 * concurrency list; the sweep's filters narrow the matrix; eval marking runs on the filtered matrix
 * ({@link EvalMarker}); the evals filter is applied last, so it selects points without changing which
 * ones are marked.
 */
public final class MatrixExpander {

    /** Headroom the generator adds to isl + osl for the server's max-model-len. */
    static final int MAX_MODEL_LEN_HEADROOM = 256;

    /** The generator's --step-size default: concurrency ranges double. */
    private static final int STEP = 2;

    /** Expands with no eval exclusions. */
    public List<MatrixPoint> expand(SweepFile sweep) {
        return expand(sweep, EvalExclusions.NONE);
    }

    public List<MatrixPoint> expand(SweepFile sweep, EvalExclusions exclusions) {
        SweepFilters filters = sweep.settings().filters();
        List<MatrixPoint> points = new ArrayList<>();
        for (ConfigEntry entry : sweep.entries()) {
            if (!selected(entry, filters)) {
                continue;
            }
            for (SeqLenConfig seqLen : entry.seqLenConfigs()) {
                if (!filters.seqLens().isEmpty()
                        && !SeqLenNames.name(seqLen.isl(), seqLen.osl()).map(filters.seqLens()::contains).orElse(false)) {
                    continue;
                }
                for (SearchSpaceItem item : seqLen.searchSpace()) {
                    if (entry.multinode()) {
                        multinodePoint(entry, seqLen, item, filters, points);
                    } else {
                        singleNodePoints(entry, seqLen, item, filters, points);
                    }
                }
            }
        }
        List<MatrixPoint> marked = EvalMarker.mark(points, exclusions);
        if (filters.evals() == EvalSelection.ALL) {
            return marked;
        }
        boolean keepMarked = filters.evals() == EvalSelection.ONLY;
        return marked.stream().filter(p -> p.runEval() == keepMarked).toList();
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
        if (!filters.runnerType().isEmpty() && !filters.runnerType().contains(entry.runner())) {
            return false;
        }
        return entry.multinode() ? filters.multiNode() : filters.singleNode();
    }

    private static void singleNodePoints(ConfigEntry entry, SeqLenConfig seqLen, SearchSpaceItem item,
                                         SweepFilters filters, List<MatrixPoint> out) {
        if (filters.maxTp() != null && item.tp() > filters.maxTp()) {
            return;
        }
        int ep = item.ep() == null ? 1 : item.ep();
        if (filters.maxEp() != null && item.ep() != null && ep > filters.maxEp()) {
            ep = filters.maxEp();  // the generator clamps ep rather than skipping the item
        }
        List<Integer> concs;
        if (item.concList() != null) {
            concs = filterList(item.concList(), filters);
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
            concs = doubling(start, end);
        }
        for (int conc : concs) {
            out.add(new MatrixPoint(entry.key(), entry.image(), entry.model(), entry.modelPrefix(), entry.precision(),
                    entry.framework(), entry.runner(), seqLen.isl(), seqLen.osl(), item.tp(), ep,
                    item.dpAttn() != null && item.dpAttn(), specDecoding(item), null, null, List.of(conc),
                    maxModelLen(seqLen), expName(entry, seqLen), entry.disagg(), false, false, null));
        }
    }

    private static void multinodePoint(ConfigEntry entry, SeqLenConfig seqLen, SearchSpaceItem item,
                                       SweepFilters filters, List<MatrixPoint> out) {
        List<Integer> all = item.concList() != null ? item.concList() : doubling(item.concStart(), item.concEnd());
        List<Integer> concs = filterList(all, filters);
        if (concs.isEmpty()) {
            return;
        }
        out.add(new MatrixPoint(entry.key(), entry.image(), entry.model(), entry.modelPrefix(), entry.precision(),
                entry.framework(), entry.runner(), seqLen.isl(), seqLen.osl(), null, null, null, specDecoding(item),
                item.prefill(), item.decode(), concs, maxModelLen(seqLen), expName(entry, seqLen), entry.disagg(),
                true, false, null));
    }

    /**
     * min-conc / max-conc on an explicit list, as the generator does for multinode lists: drop values
     * below the minimum (nothing left: no point), drop values above the maximum (nothing left: run at
     * the maximum itself).
     */
    private static List<Integer> filterList(List<Integer> values, SweepFilters filters) {
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

    /**
     * start, 2*start, 4*start ... while below end, then end itself: a range whose end is not a doubling of
     * its start still benchmarks the end (4..48 gives 4 8 16 32 48).
     */
    static List<Integer> doubling(int start, int end) {
        List<Integer> values = new ArrayList<>();
        long conc = start;
        while (conc <= end) {
            values.add((int) conc);
            if (conc == end) {
                break;
            }
            conc = Math.min(conc * STEP, end);
        }
        return values;
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
