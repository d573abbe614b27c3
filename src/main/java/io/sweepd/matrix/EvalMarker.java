package io.sweepd.matrix;

import io.sweepd.sweep.WorkerSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * Chooses the points that also run an accuracy eval, as the generator's eval marking does: only 8k1k
 * points, only concurrencies of at least {@link #MIN_EVAL_CONC}, a few representative points per group so
 * evals cover each serving configuration family without running at every concurrency.
 */
final class EvalMarker {

    static final int EVAL_ISL = 8192;
    static final int EVAL_OSL = 1024;
    static final int MIN_EVAL_CONC = 16;

    private EvalMarker() {
    }

    private record SingleNodeGroup(String model, String runner, String framework, String precision, int isl, int osl,
                                   String specDecoding, Boolean dpAttn) {
    }

    private record MultinodeGroup(String model, String runner, String framework, String precision,
                                  String specDecoding, boolean prefillDpAttn, boolean decodeDpAttn) {
    }

    /**
     * A copy of {@code points} (same order) with run-eval and eval-conc set. Agentic-coding points are never
     * marked (their trace replay has no eval).
     *
     * @param exclusions whether the point at an index belongs to an excluded eval group
     */
    static List<MatrixPoint> mark(List<MatrixPoint> points, IntPredicate exclusions) {
        List<MatrixPoint> out = new ArrayList<>(points);
        markSingleNode(out, exclusions);
        markMultinode(out, exclusions);
        return out;
    }

    /** Per group: every point at the highest and at the median distinct eligible concurrency. */
    private static void markSingleNode(List<MatrixPoint> points, IntPredicate exclusions) {
        Map<SingleNodeGroup, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            MatrixPoint p = points.get(i);
            if (!p.multinode() && !p.isAgentic() && is8k1k(p) && p.singleConc() >= MIN_EVAL_CONC) {
                groups.computeIfAbsent(new SingleNodeGroup(p.model(), p.runner(), p.framework(), p.precision(),
                        p.isl(), p.osl(), p.specDecoding(), p.dpAttn()), k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> members : groups.values()) {
            if (excluded(members, exclusions)) {
                continue;
            }
            List<Integer> concs = new ArrayList<>(new TreeSet<>(members.stream().map(i -> points.get(i).singleConc()).toList()));
            Set<Integer> chosen = new HashSet<>(List.of(concs.get(concs.size() - 1), concs.get(concs.size() / 2)));
            for (int i : members) {
                if (chosen.contains(points.get(i).singleConc())) {
                    points.set(i, points.get(i).withEval(true, null));
                }
            }
        }
    }

    /**
     * Per group: the first point (file order) with the highest maximum concurrency, evaluated at the upper
     * median of its eligible concurrencies.
     */
    private static void markMultinode(List<MatrixPoint> points, IntPredicate exclusions) {
        Map<MultinodeGroup, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            MatrixPoint p = points.get(i);
            if (p.multinode() && !p.isAgentic() && is8k1k(p) && p.conc().stream().anyMatch(c -> c >= MIN_EVAL_CONC)) {
                groups.computeIfAbsent(new MultinodeGroup(p.model(), p.runner(), p.framework(), p.precision(),
                        p.specDecoding(), dpAttn(p.prefill()), dpAttn(p.decode())), k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> members : groups.values()) {
            if (excluded(members, exclusions)) {
                continue;
            }
            int best = members.get(0);
            for (int i : members) {
                if (maxConc(points.get(i)) > maxConc(points.get(best))) {
                    best = i;  // strictly greater: ties keep the earlier point
                }
            }
            List<Integer> eligible = points.get(best).conc().stream().filter(c -> c >= MIN_EVAL_CONC).sorted().toList();
            points.set(best, points.get(best).withEval(true, eligible.get(eligible.size() / 2)));
        }
    }

    /** A group is left unmarked when the exclusions match any of its points (they are group-level rules). */
    private static boolean excluded(List<Integer> members, IntPredicate exclusions) {
        return members.stream().anyMatch(exclusions::test);
    }

    private static boolean is8k1k(MatrixPoint p) {
        return p.isl() == EVAL_ISL && p.osl() == EVAL_OSL;
    }

    private static boolean dpAttn(WorkerSpec worker) {
        return worker != null && worker.dpAttn();
    }

    private static int maxConc(MatrixPoint p) {
        return p.conc().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
