package io.sweepd.sweep;

import java.util.List;

/**
 * Which of the generator's entry points builds the matrix, and its flags, as a sweep file's {@code sweep:} block
 * ({@code generate:} and {@code filters:}) or {@code sweepd plan}'s options give them. Empty lists and null values
 * mean "no filter". {@code seqLens} uses the generator's names (1k1k, 8k1k).
 *
 * @param mode             the generator's subcommand: full-sweep (default), runner-model-sweep or test-config
 * @param configKeys       test-config: the config keys (glob patterns allowed) to expand in full
 * @param conc             test-config: only these concurrencies; runner-model-sweep: one value that replaces the
 *                         lowest concurrency the generator would pick
 * @param stepSize         full-sweep: the factor between concurrencies of a conc-start..conc-end range (default 2)
 * @param runnerNodeFilter expand each point onto every runner node (runners.yaml) whose name contains this text
 * @param scenarioType     fixed-seq-len and/or agentic-coding; empty: both
 * @param evals            all (mark evals, keep every point), only (the generator's --evals-only), exclude (drop the
 *                         points marked for eval), none (the generator's --no-evals: mark nothing)
 */
public record SweepFilters(
        Mode mode,
        List<String> configKeys,
        List<String> modelPrefix,
        List<String> precision,
        List<String> framework,
        List<String> runnerType,
        List<String> seqLens,
        List<String> scenarioType,
        Integer minConc,
        Integer maxConc,
        Integer maxTp,
        Integer maxEp,
        List<Integer> conc,
        Integer stepSize,
        String runnerNodeFilter,
        boolean singleNode,
        boolean multiNode,
        EvalSelection evals) {

    public enum EvalSelection { ALL, ONLY, EXCLUDE, NONE }

    /** The generator's subcommands, by the names it gives them. */
    public enum Mode {
        FULL_SWEEP("full-sweep"), RUNNER_MODEL_SWEEP("runner-model-sweep"), TEST_CONFIG("test-config");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static List<String> labels() {
            return java.util.Arrays.stream(values()).map(Mode::label).toList();
        }

        public static Mode of(String label) {
            return java.util.Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown mode " + label));
        }
    }

    /** The generator's default --step-size. */
    public static final int DEFAULT_STEP_SIZE = 2;

    public static final List<String> SCENARIO_TYPES = List.of("fixed-seq-len", "agentic-coding");

    public static final SweepFilters NONE = new SweepFilters(Mode.FULL_SWEEP, List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), null, null, null, null, List.of(), null, null, true, true,
            EvalSelection.ALL);

    public SweepFilters {
        mode = mode == null ? Mode.FULL_SWEEP : mode;
        configKeys = copy(configKeys);
        modelPrefix = copy(modelPrefix);
        precision = copy(precision);
        framework = copy(framework);
        runnerType = copy(runnerType);
        seqLens = copy(seqLens);
        scenarioType = copy(scenarioType);
        conc = copy(conc);
        evals = evals == null ? EvalSelection.ALL : evals;
    }

    /** The pre-generator-modes shape: full-sweep with these flags. */
    public SweepFilters(List<String> modelPrefix, List<String> precision, List<String> framework,
                        List<String> runnerType, List<String> seqLens, Integer minConc, Integer maxConc, Integer maxTp,
                        Integer maxEp, boolean singleNode, boolean multiNode, EvalSelection evals) {
        this(Mode.FULL_SWEEP, List.of(), modelPrefix, precision, framework, runnerType, seqLens, List.of(), minConc,
                maxConc, maxTp, maxEp, List.of(), null, null, singleNode, multiNode, evals);
    }

    public int step() {
        return stepSize == null ? DEFAULT_STEP_SIZE : stepSize;
    }

    public boolean includesScenario(String type) {
        return scenarioType.isEmpty() || scenarioType.contains(type);
    }

    private static <T> List<T> copy(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
