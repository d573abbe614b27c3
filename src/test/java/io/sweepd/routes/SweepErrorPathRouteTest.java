package io.sweepd.routes;

import io.sweepd.Fixtures;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.model.LogDefinition;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One error path for every stage a sweep file passes through: whatever throws in intake, expansion, a point's
 * enrichment or preflight, grouping or recording, the file ends in {@code .error/} beside a {@code .error.txt}
 * that names it and says what went wrong, nothing of it is recorded, and the daemon goes on with the next file.
 */
class SweepErrorPathRouteTest extends RouteTestSupport {

    private static final long GENEROUS_SECONDS = 60;

    @TempDir
    Path home;

    SweepErrorPathRouteTest() {
        testConfiguration().withUseAdviceWith(true);
    }

    @Override
    protected Path home() {
        return home;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sweep-intake", "sweep-expand", "sweep-enrich", "sweep-preflight", "sweep-plan",
            "sweep-record"})
    void anExceptionInAnyStageSendsTheFileToErrorWithAMessageAndTheNextFileIsPlanned(String stage) throws Exception {
        AdviceWith.adviceWith(context, stage, route -> failFilesNamedBoom(stage, route));
        context.start();
        Path inbox = home.resolve("inbox");
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute("sweep-intake")
                .filter(RouteTestSupport::wholeFile).whenFailed(1).create();

        Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), inbox.resolve("boom.yaml"));

        assertThat(failed.matches(GENEROUS_SECONDS, TimeUnit.SECONDS)).as("the file failed in " + stage).isTrue();
        List<Path> errors = files(inbox.resolve(".error"), 2);
        assertThat(errors).extracting(p -> p.getFileName().toString())
                .anySatisfy(name -> assertThat(name).matches("boom-\\d{8}-\\d{6}-\\d{3}\\.yaml"))
                .anySatisfy(name -> assertThat(name).matches("boom-\\d{8}-\\d{6}-\\d{3}\\.yaml\\.error\\.txt"));
        Path message = errors.stream().filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
        assertThat(Files.readString(message)).contains("boom.yaml").contains("injected failure in " + stage);
        assertThat(beans.ledger().runs().runs()).as("nothing of the failed file is recorded").isEmpty();

        NotifyBuilder planned = new NotifyBuilder(context).fromRoute("sweep-intake")
                .filter(RouteTestSupport::wholeFile).whenCompleted(1).create();
        Files.copy(Fixtures.fixture("seed-pr/sweep.yaml"), inbox.resolve("good.yaml"));
        assertThat(planned.matches(GENEROUS_SECONDS, TimeUnit.SECONDS)).as("the next file is planned").isTrue();
        assertThat(beans.ledger().runs().runs()).hasSize(1);
    }

    /** The stage throws for the file boom.yaml (and each of its points), after intake has stamped its arrival. */
    private static void failFilesNamedBoom(String stage, AdviceWithRouteBuilder route) {
        var inject = stage.equals("sweep-intake")
                ? route.weaveByType(LogDefinition.class).selectFirst().after()
                : route.weaveAddFirst();
        inject.process(exchange -> {
            if ("boom.yaml".equals(exchange.getMessage().getHeader("CamelFileName"))) {
                throw new IllegalStateException("injected failure in " + stage);
            }
        });
    }

    private static List<Path> files(Path dir, int count) throws IOException {
        org.awaitility.Awaitility.await(dir + " to hold " + count + " files")
                .atMost(GENEROUS_SECONDS, TimeUnit.SECONDS).until(() -> list(dir).size() >= count);
        return list(dir);
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
