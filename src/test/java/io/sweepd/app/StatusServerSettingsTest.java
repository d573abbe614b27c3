package io.sweepd.app;

import io.sweepd.InMemoryLedger;
import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
        assertThat(camel).doesNotContainKey("camel.main.routes-exclude-pattern");
    }

    @Test
    void theEnvironmentMovesThePortAndSwitchingItOffDropsTheStatusRoutes() {
        Properties moved = SweepdSettings.load(null, Map.of("SWEEPD_HTTP_PORT", "18123"), Map.of()).asProperties();
        Properties off = SweepdSettings.load(null, Map.of(), Map.of("sweepd.http.enabled", "false")).asProperties();

        assertThat(moved).contains(Map.entry("camel.server.port", "18123"), Map.entry("camel.management.port", "18123"));
        assertThat(off).contains(Map.entry("camel.server.enabled", "false"),
                Map.entry("camel.management.enabled", "false"), Map.entry("camel.metrics.enabled", "false"),
                Map.entry("camel.main.routes-exclude-pattern", "**/status-http.camel.yaml"));
    }

    @Test
    void theDaemonsWiringWithTheServerOffStartsWithoutTheStatusRoutes(@TempDir Path home) throws Exception {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString(),
                "sweepd.ledger.jdbc-url", InMemoryLedger.url(), "sweepd.ledger.user", "sa",
                "sweepd.http.enabled", "false",
                "sweepd.submit.interval-ms", "3600000", "sweepd.poll.interval-ms", "3600000"));
        Files.createDirectories(settings.inbox());
        Main main = new Main();
        try (SweepdBeans beans = new SweepdBeans(settings, LedgerFactory.open(settings),
                new CommandRunner(spec -> new CommandResult(spec, 1, "", "no Slurm here", false, Duration.ZERO)))) {
            main.setOverrideProperties(settings.asProperties());
            main.configure().addConfiguration(beans);
            main.start();
            assertThat(main.getCamelContext().getRoutes()).extracting(Route::getRouteId)
                    .contains("job-poll", "sweep-intake").noneMatch(id -> id.startsWith("status-http"));
        } finally {
            main.stop();
        }
    }
}
