package io.sweepd.app;

import java.util.Properties;

/**
 * Maps sweepd's {@code sweepd.http.*} settings onto Camel's embedded server ({@code camel.server.*}, the status
 * page and API routes) and its management side ({@code camel.management.*}: health at {@code /observe/health},
 * Prometheus metrics at {@code /observe/metrics}), so the configuration reference stays sweepd's own. Both sides
 * use the same host and port, and Camel then serves them from one Vert.x server. With the server off, the status
 * routes are not loaded at all (a platform-http consumer has no server to attach to).
 */
final class StatusServerSettings {

    /** Camel matches exclusions against the resource's location ({@code classpath:routes/...}) with Ant paths. */
    static final String ROUTES = "**/status-http.camel.yaml";

    private StatusServerSettings() {
    }

    static void addCamelProperties(SweepdSettings settings, Properties camel) {
        boolean enabled = Boolean.parseBoolean(settings.get("sweepd.http.enabled"));
        String host = settings.get("sweepd.http.host");
        String port = settings.get("sweepd.http.port");
        camel.setProperty("camel.server.enabled", String.valueOf(enabled));
        camel.setProperty("camel.server.host", host);
        camel.setProperty("camel.server.port", port);
        camel.setProperty("camel.management.enabled", String.valueOf(enabled));
        camel.setProperty("camel.management.host", host);
        camel.setProperty("camel.management.port", port);
        camel.setProperty("camel.management.healthCheckEnabled", "true");
        camel.setProperty("camel.management.metricsEnabled", "true");
        camel.setProperty("camel.metrics.enabled", String.valueOf(enabled));
        if (!enabled) {
            camel.setProperty("camel.main.routes-exclude-pattern", ROUTES);
        }
    }
}
