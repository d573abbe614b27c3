package io.sweepd.app;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** sweepd.http.* becomes Camel's server and management settings, so the configuration reference stays sweepd's. */
class StatusServerSettingsTest {

    @Test
    void byDefaultOneServerOnLoopbackServesTheStatusRoutesHealthAndMetrics() {
        Properties camel = SweepdSettings.load(null, Map.of(), Map.of()).asProperties();

        assertThat(camel).contains(Map.entry("camel.server.enabled", "true"),
                Map.entry("camel.server.host", "127.0.0.1"), Map.entry("camel.server.port", "7744"),
                Map.entry("camel.management.enabled", "true"), Map.entry("camel.management.host", "127.0.0.1"),
                Map.entry("camel.management.port", "7744"), Map.entry("camel.management.healthCheckEnabled", "true"),
                Map.entry("camel.management.metricsEnabled", "true"), Map.entry("camel.metrics.enabled", "true"));
        assertThat(camel).doesNotContainKey("camel.main.routesExcludePattern");
    }

    @Test
    void theEnvironmentMovesThePortAndSwitchingItOffDropsTheStatusRoutes() {
        Properties moved = SweepdSettings.load(null, Map.of("SWEEPD_HTTP_PORT", "18123"), Map.of()).asProperties();
        Properties off = SweepdSettings.load(null, Map.of(), Map.of("sweepd.http.enabled", "false")).asProperties();

        assertThat(moved).contains(Map.entry("camel.server.port", "18123"), Map.entry("camel.management.port", "18123"));
        assertThat(off).contains(Map.entry("camel.server.enabled", "false"),
                Map.entry("camel.management.enabled", "false"), Map.entry("camel.metrics.enabled", "false"),
                Map.entry("camel.main.routesExcludePattern", "classpath:routes/status-http.camel.yaml"));
    }
}
