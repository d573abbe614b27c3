package io.sweepd.sweep;

import java.util.List;

/**
 * The generator's full-sweep filter flags, as a sweep file's {@code sweep.filters} block.
 * Empty lists and null bounds mean "no filter". {@code seqLens} uses the generator's names
 * (1k1k, 1k8k, 8k1k). {@code evals} is one of all (default), only, exclude.
 */
public record SweepFilters(
        List<String> modelPrefix,
        List<String> precision,
        List<String> framework,
        List<String> runnerType,
        List<String> seqLens,
        Integer minConc,
        Integer maxConc,
        Integer maxTp,
        Integer maxEp,
        boolean singleNode,
        boolean multiNode,
        EvalSelection evals) {

    public enum EvalSelection { ALL, ONLY, EXCLUDE }

    public static final SweepFilters NONE = new SweepFilters(
            List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null, null, true, true, EvalSelection.ALL);

    public SweepFilters {
        modelPrefix = modelPrefix == null ? List.of() : List.copyOf(modelPrefix);
        precision = precision == null ? List.of() : List.copyOf(precision);
        framework = framework == null ? List.of() : List.copyOf(framework);
        runnerType = runnerType == null ? List.of() : List.copyOf(runnerType);
        seqLens = seqLens == null ? List.of() : List.copyOf(seqLens);
        evals = evals == null ? EvalSelection.ALL : evals;
    }
}
