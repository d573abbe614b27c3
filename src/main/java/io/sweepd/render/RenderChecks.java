package io.sweepd.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.plan.RenderCheck;

import java.util.Optional;

/**
 * The checks {@link JobRenderer} makes of the values a sweep brings (with {@link SafeValues}), for planning to ask
 * before anything is rendered: one list of checks, so {@code sweepd plan} and the daemon refuse exactly what render
 * would.
 */
public final class RenderChecks implements RenderCheck {

    @Override
    public Optional<String> pointRefusal(EnrichedPoint point) {
        try {
            check("", point);
            return Optional.empty();
        } catch (UnsafeValueException e) {
            return Optional.of("render would refuse it: " + e.getMessage());
        }
    }

    /** Throws {@link UnsafeValueException} naming the first value of the point a job may not carry. */
    static void check(String at, EnrichedPoint point) {
        MatrixPoint p = point.point();
        SafeValues.token(at + "config key", p.configKey());
        SafeValues.token(at + "image", p.image());
        SafeValues.token(at + "model", p.model());
        SafeValues.token(at + "model-prefix", p.modelPrefix());
        SafeValues.token(at + "precision", p.precision());
        SafeValues.token(at + "framework", p.framework());
        SafeValues.token(at + "runner", p.runner());
        if (point.profile() != null) {
            SafeValues.name(at + "profile name", point.profile());
        }
        ObjectNode config = point.serverConfig();
        if (config != null) {
            tokenIfText(at + "recipe name", config.get("name"));
            tokenIfText(at + "recipe model.path", config.path("model").get("path"));
            tokenIfText(at + "recipe model.container", config.path("model").get("container"));
        }
    }

    private static void tokenIfText(String what, JsonNode node) {
        if (node != null && node.isTextual()) {
            SafeValues.token(what, node.textValue());
        }
    }
}
