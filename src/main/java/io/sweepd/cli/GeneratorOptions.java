package io.sweepd.cli;

import io.sweepd.sweep.RunnerConfig;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepFilters;
import io.sweepd.sweep.SweepFilters.EvalSelection;
import io.sweepd.sweep.SweepFilters.Mode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * InferenceMAX generator's subcommands and flags as options of {@code sweepd plan}, with the generator's names.
 * A flag given here replaces the same filter of the sweep file's {@code sweep:} block; the rest of the block
 * stays as written.
 */
final class GeneratorOptions {

    @Option(names = "--generate", paramLabel = "MODE", converter = ModeConverter.class,
            description = "The generator's subcommand: full-sweep (default), runner-model-sweep, test-config.")
    Mode mode;

    @Option(names = "--config-keys", arity = "1..*", paramLabel = "KEY",
            description = "test-config: config keys (glob patterns allowed) to expand in full.")
    List<String> configKeys;

    @Option(names = "--model-prefix", arity = "1..*", paramLabel = "PREFIX", description = "Config keys starting so.")
    List<String> modelPrefix;

    @Option(names = "--precision", arity = "1..*", paramLabel = "P", description = "e.g. fp4 fp8.")
    List<String> precision;

    @Option(names = "--framework", arity = "1..*", paramLabel = "F", description = "e.g. vllm sglang trt.")
    List<String> framework;

    @Option(names = "--runner-type", arity = "1..*", paramLabel = "LABEL",
            description = "Runner labels (runner-model-sweep: exactly one).")
    List<String> runnerType;

    @Option(names = "--seq-lens", arity = "1..*", paramLabel = "NAME", description = "1k1k, 8k1k.")
    List<String> seqLens;

    @Option(names = "--scenario-type", arity = "1..*", paramLabel = "TYPE",
            description = "fixed-seq-len and/or agentic-coding (default: both).")
    List<String> scenarioType;

    @Option(names = "--min-conc", paramLabel = "N") Integer minConc;

    @Option(names = "--max-conc", paramLabel = "N") Integer maxConc;

    @Option(names = "--max-tp", paramLabel = "N", description = "Single-node items with a larger tp are left out.")
    Integer maxTp;

    @Option(names = "--max-ep", paramLabel = "N", description = "Single-node ep above this is clamped to it.")
    Integer maxEp;

    @Option(names = "--conc", arity = "1..*", paramLabel = "N",
            description = "test-config: only these concurrencies; runner-model-sweep: the one concurrency to run.")
    List<Integer> conc;

    @Option(names = "--step-size", paramLabel = "N", description = "Factor between range concurrencies (default 2).")
    Integer stepSize;

    @Option(names = "--runner-node-filter", paramLabel = "TEXT",
            description = "Run each point on every runner node (runners.yaml) whose name contains TEXT.")
    String runnerNodeFilter;

    @Option(names = "--runner-config", paramLabel = "FILE",
            description = "InferenceMAX's runners.yaml (default: runners.yaml beside the sweep file, if any).")
    Path runnerConfig;

    @Option(names = "--single-node", description = "Single-node configs (alone: only those; with --multi-node: both).")
    boolean singleNode;

    @Option(names = "--multi-node", description = "Multinode configs (alone: only those; with --single-node: both).")
    boolean multiNode;

    @ArgGroup(exclusive = true)
    Evals evals;

    static final class Evals {
        @Option(names = "--no-evals", required = true, description = "Mark no point for eval.")
        boolean none;

        @Option(names = "--evals-only", required = true, description = "Only the points marked for eval.")
        boolean only;
    }

    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            try {
                return Mode.of(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected one of "
                        + String.join(", ", Mode.labels()) + ", got '" + value + "'");
            }
        }
    }

    /** The sweep with these options laid over its filters (and runners file). */
    SweepFile applyTo(SweepFile sweep) {
        SweepFilters f = sweep.settings().filters();
        SweepFilters merged = new SweepFilters(
                or(mode, f.mode()), or(configKeys, f.configKeys()), or(modelPrefix, f.modelPrefix()),
                or(precision, f.precision()), or(framework, f.framework()), or(runnerType, f.runnerType()),
                or(seqLens, f.seqLens()), or(scenarioType, f.scenarioType()), or(minConc, f.minConc()),
                or(maxConc, f.maxConc()), or(maxTp, f.maxTp()), or(maxEp, f.maxEp()), or(conc, f.conc()),
                or(stepSize, f.stepSize()), or(runnerNodeFilter, f.runnerNodeFilter()),
                // As the generator reads them: neither flag (or both) means both kinds.
                singleNode || multiNode ? singleNode : f.singleNode(),
                singleNode || multiNode ? multiNode : f.multiNode(),
                evals == null ? f.evals() : evals.none ? EvalSelection.NONE : EvalSelection.ONLY);
        SweepFile result = sweep.withSettings(sweep.settings().withFilters(merged));
        return runnerConfig == null ? result : result.withRunners(RunnerConfig.read(runnerConfig));
    }

    private static <T> T or(T given, T otherwise) {
        return given != null ? given : otherwise;
    }
}
