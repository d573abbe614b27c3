package io.sweepd.app;

import io.sweepd.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The example systemd user unit keeps the promises README's "Running it for months" makes about it. */
class SystemdUnitTest {

    private static final Path PROJECT = Fixtures.fixtures().getParent();
    private static final Path UNIT = PROJECT.resolve("examples/systemd/sweepd.service");

    /** section -> key -> values in order (systemd keys may repeat, e.g. Environment=). */
    private static Map<String, Map<String, List<String>>> parse(Path unit) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (String raw : Files.readAllLines(unit)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
                continue;
            }
            assertThat(current).as("a key before any section: " + line).isNotNull();
            int eq = line.indexOf('=');
            assertThat(eq).as("not key=value: " + line).isPositive();
            current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(line.substring(eq + 1).strip());
        }
        return sections;
    }

    private static String single(Map<String, List<String>> section, String key) {
        assertThat(section).containsKey(key);
        assertThat(section.get(key)).as(key).hasSize(1);
        return section.get(key).get(0);
    }

    private static long shutdownTimeoutSeconds() throws IOException {
        Properties app = new Properties();
        try (Reader reader = Files.newBufferedReader(PROJECT.resolve("src/main/resources/application.properties"))) {
            app.load(reader);
        }
        return Long.parseLong(app.getProperty("camel.main.shutdown-timeout"));
    }

    @Test
    void theUnitRunsTheJarThroughTheLauncherWithSettingsFromAnEnvironmentFile() throws IOException {
        Map<String, List<String>> service = parse(UNIT).get("Service");

        String exec = single(service, "ExecStart");
        // The launcher (the checkout's ./sweepd, copied beside the jar) picks the JVM options and the class-data
        // archive and runs ${SWEEPD_JAR}; it execs the JVM, so the stop signal reaches the JVM.
        assertThat(exec).contains("bash ${SWEEPD_LAUNCHER}").endsWith(" daemon").doesNotContain("sh -c");
        assertThat(service.get("Environment")).anyMatch(e -> e.startsWith("SWEEPD_JAR="))
                .anyMatch(e -> e.startsWith("SWEEPD_LAUNCHER=")).anyMatch(e -> e.startsWith("SWEEPD_HOME="));
        assertThat(Files.readString(PROJECT.resolve("sweepd"))).contains("SWEEPD_JAR").contains("SWEEPD_JAVA_OPTS")
                .contains("exec \"$java\"");
        assertThat(single(service, "EnvironmentFile")).endsWith("/.config/sweepd/sweepd.env");
        assertThat(parse(UNIT).get("Install").get("WantedBy")).containsExactly("default.target");
    }

    @Test
    void aFailureRestartsItWithinAStartLimit() throws IOException {
        Map<String, Map<String, List<String>>> unit = parse(UNIT);

        assertThat(single(unit.get("Service"), "Restart")).isEqualTo("on-failure");
        assertThat(Long.parseLong(single(unit.get("Unit"), "StartLimitBurst"))).isPositive();
        assertThat(Long.parseLong(single(unit.get("Unit"), "StartLimitIntervalSec"))).isPositive();
    }

    @Test
    void aStopIsSigtermToTheJvmWithMoreTimeThanCamelsShutdownTimeout() throws IOException {
        Map<String, List<String>> service = parse(UNIT).get("Service");

        assertThat(single(service, "KillSignal")).isEqualTo("SIGTERM");
        assertThat(single(service, "KillMode")).isEqualTo("mixed");
        assertThat(Long.parseLong(single(service, "TimeoutStopSec"))).isGreaterThan(shutdownTimeoutSeconds());
        assertThat(single(service, "SuccessExitStatus").split("\\s+")).contains("143");
    }

    @Test
    void systemdItselfFindsNothingToComplainAbout() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")))
                .as("systemd-analyze is not installed here: the unit's syntax is only checked by the tests above")
                .isTrue();
        String user = verify("--user");
        // A container has no user manager: `--user` cannot start, so fall back to the system manager's checks
        // (the same parser: unknown keys, bad values, missing executables).
        String output = user.contains("Failed to initialize manager") || user.contains("Failed to connect")
                ? verify() : user;
        assumeThat(output).as("systemd-analyze cannot run here at all: " + output)
                .doesNotContain("Failed to initialize manager");
        assertThat(output).as("systemd-analyze verify found problems").isEmpty();
    }

    private static String verify(String... mode) throws Exception {
        List<String> argv = new ArrayList<>(List.of("systemd-analyze", "verify"));
        argv.addAll(List.of(mode));
        argv.add(UNIT.toString());
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("systemd-analyze finished").isTrue();
        return new String(process.getInputStream().readAllBytes()).strip();
    }
}
