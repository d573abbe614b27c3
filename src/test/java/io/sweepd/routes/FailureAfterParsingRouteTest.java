package io.sweepd.routes;

import ch.qos.logback.classic.Level;
import io.sweepd.Fixtures;
import io.sweepd.LogLines;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sweep that parses but cannot be recorded (its outputs directory cannot be written) is tried again with
 * backoff, every attempt in the log, and then ends in .error/ with an explanation that says what sweepd could not
 * do and why the system refused.
 */
class FailureAfterParsingRouteTest extends RouteTestSupport {

    @TempDir
    Path home;

    @Override
    protected Path home() {
        return home;
    }

    @Override
    protected Map<String, String> extraSettings() {
        // A file where the outputs directory should be: nothing can be created under it, not even by root.
        try {
            Files.writeString(home.resolve("outputs-is-a-file"), "not a directory\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("sweepd.outputs-dir", "outputs-is-a-file", "sweepd.inbox.stable-ms", "200",
                "sweepd.intake.io-retries", "2", "sweepd.intake.io-retry-delay-ms", "50");
    }

    @Test
    void anUnwritableOutputsDirectoryIsRetriedThenExplainedInError() throws IOException {
        try (LogLines logs = LogLines.all()) {
            NotifyBuilder failed = new NotifyBuilder(context).fromRoute("sweep-intake")
                    .filter(RouteTestSupport::wholeFile).whenFailed(1).create();
            Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), home.resolve("inbox/seed.yaml"));

            assertThat(failed.matches(60, TimeUnit.SECONDS)).isTrue();

            Path message;
            try (Stream<Path> errors = Files.list(home.resolve("inbox/.error"))) {
                message = errors.filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
            }
            assertThat(Files.readString(message)).contains("seed.yaml").contains("cannot write")
                    .contains("outputs-is-a-file").contains("Not a directory");
            assertThat(logs.at(Level.WARN)).as("each retry is logged")
                    .filteredOn(line -> line.contains("On delivery attempt")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(beans.ledger().runs().runs()).isEmpty();
        }
    }
}
