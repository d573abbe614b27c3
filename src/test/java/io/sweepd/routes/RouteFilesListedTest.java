package io.sweepd.routes;

import io.sweepd.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * application.properties names every route file instead of a wildcard (a wildcard makes Camel read the whole fat jar
 * to find them): a route file added to routes/ but not to the list would silently never load.
 */
class RouteFilesListedTest {

    private static final Path PROJECT = Fixtures.fixtures().getParent();

    @Test
    void everyRouteFileIsNamedInTheIncludePatternAndNothingElse() throws IOException {
        Properties app = new Properties();
        try (Reader reader = Files.newBufferedReader(PROJECT.resolve("src/main/resources/application.properties"))) {
            app.load(reader);
        }
        String pattern = app.getProperty("camel.main.routes-include-pattern");
        assertThat(pattern).as("no wildcard: Camel would scan the jar").doesNotContain("*");

        try (Stream<Path> routes = Files.list(PROJECT.resolve("routes"))) {
            assertThat(Arrays.stream(pattern.split(",")).map(String::strip).toList())
                    .containsExactlyInAnyOrderElementsOf(routes.map(p -> p.getFileName().toString())
                            .filter(name -> name.endsWith(".camel.yaml"))
                            .map(name -> "classpath:routes/" + name).toList());
        }
    }
}
