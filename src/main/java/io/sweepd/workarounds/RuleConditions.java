package io.sweepd.workarounds;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;

import java.util.List;
import java.util.stream.Stream;

/**
 * A rule's {@code when:}. Every condition given must hold; a condition left out (null here) matches anything.
 * A list is any-of (compared ignoring case), except {@code recipe-has}, whose paths must all exist.
 *
 * @param gpu               any-of the profile's {@code hardware.gpu}
 * @param architecture      any-of the profile's {@code hardware.architecture}
 * @param gpuMemoryGbBelow  the profile's nominal GPU memory ({@code hardware.gpu-memory-gb}) is below this
 * @param crossNodeTp       whether some worker's tp exceeds the profile's GPUs per node
 * @param headlessMultinode the profile's {@code features.headless-multinode}
 * @param recipeHas         paths that must all exist in the server configuration as given to the engine
 * @param masterSchema      any-of the master-config schema generation of the point's entry ({@code seq-len-configs}
 *                          or {@code scenarios}); only eval exclusions may use it, since they tie a generator
 *                          behaviour to the InferenceMAX generation that had it
 * @param specDecoding      any-of the point's {@code spec-decoding} ({@code none}, {@code mtp}...)
 * @param scenarioType      any-of the point's scenario: {@code fixed-seq-len} or {@code agentic-coding}
 * @param pointIf           holds for the single-node point's numbers ({@link PointExpression}); never for a
 *                          multinode point (the reader requires {@code multinode: false} beside it)
 */
public record RuleConditions(
        List<String> modelPrefix,
        List<String> model,
        List<String> framework,
        List<String> runner,
        List<String> precision,
        List<String> gpu,
        List<String> architecture,
        Boolean multinode,
        Boolean disagg,
        Double gpuMemoryGbBelow,
        Boolean crossNodeTp,
        Boolean headlessMultinode,
        List<DottedPath> recipeHas,
        List<String> masterSchema,
        List<String> specDecoding,
        List<String> scenarioType,
        PointExpression pointIf) {

    /** The two values of {@code scenario-type}, as the generator writes them. */
    public static final List<String> SCENARIO_TYPES = List.of("fixed-seq-len", MatrixPoint.AGENTIC_CODING);

    /** No conditions: matches every point. */
    public static final RuleConditions ANY =
            new RuleConditions(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null);

    public RuleConditions {
        modelPrefix = copy(modelPrefix);
        model = copy(model);
        framework = copy(framework);
        runner = copy(runner);
        precision = copy(precision);
        gpu = copy(gpu);
        architecture = copy(architecture);
        recipeHas = copy(recipeHas);
        masterSchema = copy(masterSchema);
        specDecoding = copy(specDecoding);
        scenarioType = copy(scenarioType);
    }

    /** Whether the master-config schema condition holds for an entry written in {@code schema}. */
    public boolean matchesSchema(String schema) {
        return anyOf(masterSchema, schema);
    }

    /**
     * Whether the rule needs only the matrix point: eval exclusions are decided while the matrix is expanded,
     * before any profile or recipe is known.
     */
    public boolean usesPointOnly() {
        return gpu == null && architecture == null && gpuMemoryGbBelow == null && crossNodeTp == null
                && headlessMultinode == null && recipeHas == null;
    }

    /**
     * @param profile null only when {@link #usesPointOnly()}; a profile condition never matches without one
     * @param config  the server configuration, or null when there is none yet
     */
    public boolean matches(MatrixPoint point, ClusterProfile profile, JsonNode config) {
        if (!anyOf(modelPrefix, point.modelPrefix()) || !anyOf(model, point.model())
                || !anyOf(framework, point.framework()) || !anyOf(runner, point.runner())
                || !anyOf(precision, point.precision())) {
            return false;
        }
        if ((multinode != null && multinode != point.multinode()) || (disagg != null && disagg != point.disagg())) {
            return false;
        }
        if (!anyOf(specDecoding, point.specDecoding())
                || !anyOf(scenarioType, point.isAgentic() ? MatrixPoint.AGENTIC_CODING : SCENARIO_TYPES.get(0))) {
            return false;
        }
        if (pointIf != null && (point.multinode() || !pointIf.holdsFor(point))) {
            return false;
        }
        if (!usesPointOnly() && (profile == null || profile.hardware() == null)) {
            return false;
        }
        if (!anyOf(gpu, profile == null ? null : profile.hardware().gpu())
                || !anyOf(architecture, profile == null ? null : profile.hardware().architecture())) {
            return false;
        }
        if (gpuMemoryGbBelow != null && !(profile.hardware().gpuMemoryGb() < gpuMemoryGbBelow)) {
            return false;
        }
        if (crossNodeTp != null && crossNodeTp != (maxWorkerTp(point) > profile.hardware().gpusPerNode())) {
            return false;
        }
        if (headlessMultinode != null && headlessMultinode != profile.features().headlessMultinode()) {
            return false;
        }
        return recipeHas == null || (config != null && recipeHas.stream().allMatch(path -> path.existsIn(config)));
    }

    /** The largest tensor-parallel size of any worker of the point (its tp for a single-node point). */
    public static int maxWorkerTp(MatrixPoint point) {
        return Stream.of(point.prefill(), point.decode())
                .filter(worker -> worker != null)
                .mapToInt(worker -> worker.tp())
                .max()
                .orElse(point.tp() == null ? 1 : point.tp());
    }

    private static boolean anyOf(List<String> allowed, String actual) {
        return allowed == null || (actual != null && allowed.stream().anyMatch(actual::equalsIgnoreCase));
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }
}
