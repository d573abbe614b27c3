package io.sweepd.workarounds;

import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placeholders a {@code refuse:} message may use, so one rule can state the numbers of the point it refuses:
 * <ul>
 *   <li>{@code {tp}}: the largest tensor-parallel size of any worker of the point</li>
 *   <li>{@code {profile}}: the cluster profile's name</li>
 *   <li>{@code {gpus-per-node}}, {@code {gpu}}, {@code {gpu-memory-gb}}: the profile's hardware</li>
 *   <li>{@code {model}}, {@code {model-prefix}}, {@code {framework}}, {@code {runner}}, {@code {precision}}:
 *       the point's fields</li>
 * </ul>
 * Anything else in braces is a load error, so a typo never reaches a plan as literal text.
 */
final class RefusalTemplate {

    static final Set<String> NAMES = Set.of("tp", "profile", "gpus-per-node", "gpu", "gpu-memory-gb",
            "model", "model-prefix", "framework", "runner", "precision");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private RefusalTemplate() {
    }

    /** Placeholders in the message that are not in {@link #NAMES}. */
    static List<String> unknownPlaceholders(String message) {
        List<String> unknown = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(message);
        while (matcher.find()) {
            if (!NAMES.contains(matcher.group(1))) {
                unknown.add(matcher.group());
            }
        }
        return unknown;
    }

    static String fill(String message, MatrixPoint point, ClusterProfile profile) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("tp", String.valueOf(RuleConditions.maxWorkerTp(point)));
        values.put("model", point.model());
        values.put("model-prefix", point.modelPrefix());
        values.put("framework", point.framework());
        values.put("runner", point.runner());
        values.put("precision", point.precision());
        values.put("profile", profile.name());
        if (profile.hardware() != null) {
            values.put("gpus-per-node", String.valueOf(profile.hardware().gpusPerNode()));
            values.put("gpu", profile.hardware().gpu());
            values.put("gpu-memory-gb", number(profile.hardware().gpuMemoryGb()));
        }
        Matcher matcher = PLACEHOLDER.matcher(message);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
