package io.sweepd.app;

import io.sweepd.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * application.properties and the README's configuration reference list exactly the settings sweepd reads: every
 * {@code "sweepd.…"} string in the main code and every {@code {{sweepd.…}}} placeholder in the routes is in both,
 * and neither lists a key nothing reads. A helper who adds a setting and forgets to document it fails here.
 */
class ConfigurationReferenceTest {

    private static final Pattern JAVA_KEY = Pattern.compile("\"(sweepd\\.[a-z0-9][a-z0-9.-]*[a-z0-9])\"");
    private static final Pattern ROUTE_KEY = Pattern.compile("\\{\\{(sweepd\\.[a-z0-9][a-z0-9.-]*[a-z0-9])");
    private static final Pattern PROPERTIES_KEY = Pattern.compile("(?m)^(sweepd\\.[a-z0-9.-]+)\\s*=");
    private static final Pattern README_KEY = Pattern.compile("`(sweepd\\.[a-z0-9][a-z0-9.-]*[a-z0-9])`");

    private static final Path PROJECT = Fixtures.fixtures().getParent();

    /** The keys the code and routes read, less those SweepdSettings derives itself ({@code sweepd.inbox}...). */
    private static Set<String> keysRead() throws IOException {
        Set<String> read = new TreeSet<>();
        read.addAll(keysIn(PROJECT.resolve("src/main/java"), ".java", JAVA_KEY));
        read.addAll(keysIn(PROJECT.resolve("routes"), ".yaml", ROUTE_KEY));
        read.removeAll(derivedKeys());
        return read;
    }

    /** What {@link SweepdSettings#asProperties()} adds to the defaults: resolved paths, not settings. */
    private static Set<String> derivedKeys() throws IOException {
        Set<String> derived = new TreeSet<>(SweepdSettings.load(null, Map.of(), Map.of()).asProperties()
                .stringPropertyNames());
        derived.removeAll(defaults().stringPropertyNames());
        return derived;
    }

    private static Properties defaults() throws IOException {
        Properties defaults = new Properties();
        try (Reader reader = Files.newBufferedReader(PROJECT.resolve("src/main/resources/application.properties"))) {
            defaults.load(reader);
        }
        return defaults;
    }

    private static Set<String> keysIn(Path root, String suffix, Pattern key) throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            // SweepdMetrics names its meters sweepd.* too (sweepd.jobs...): Prometheus names, not settings.
            for (Path file : files.filter(f -> f.toString().endsWith(suffix))
                    .filter(f -> !f.getFileName().toString().equals("SweepdMetrics.java")).toList()) {
                Matcher m = key.matcher(Files.readString(file));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    private static Set<String> documentedInProperties() throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher m = PROPERTIES_KEY.matcher(
                Files.readString(PROJECT.resolve("src/main/resources/application.properties")));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    /** The keys in the first column of the README's "Configuration reference" table. */
    private static Set<String> documentedInReadme() throws IOException {
        String readme = Files.readString(PROJECT.resolve("README.md"));
        int start = readme.indexOf("\n## Configuration reference");
        assertThat(start).as("README has a Configuration reference section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> keys = new TreeSet<>();
        for (String line : section.split("\n")) {
            if (line.startsWith("| `sweepd.")) {
                Matcher m = README_KEY.matcher(line.split("\\|")[1]);
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    @Test
    void theScanFindsTheSettingsEveryoneKnows() throws IOException {
        // Guards the scan itself: a pattern that found nothing would make the tests below pass vacuously.
        assertThat(keysRead()).contains("sweepd.home", "sweepd.inbox-dir", "sweepd.poll.interval-ms",
                "sweepd.log-dir").doesNotContain("sweepd.inbox", "sweepd.outputs");
        assertThat(documentedInReadme()).contains("sweepd.ledger.user", "sweepd.ledger.password");
    }

    @Test
    void everySettingTheCodeReadsHasADefaultInApplicationProperties() throws IOException {
        assertThat(documentedInProperties()).containsAll(keysRead());
    }

    @Test
    void everySettingTheCodeReadsIsInTheReadmesConfigurationReference() throws IOException {
        assertThat(documentedInReadme()).containsAll(keysRead());
    }

    @Test
    void noDocumentedSettingIsDead() throws IOException {
        Set<String> read = keysRead();
        assertThat(documentedInProperties()).as("application.properties keys nothing reads").isSubsetOf(read);
        assertThat(documentedInReadme()).as("README keys nothing reads").isSubsetOf(read);
    }
}
