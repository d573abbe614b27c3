package io.sweepd.routes;

import io.sweepd.Fixtures;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.sweep.SweepParser;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The planning routes split a sweep into points, enrich and preflight each on its own, and gather them back. */
class PlanningRoutesTest extends RouteTestSupport {

    @TempDir
    Path home;

    PlanningRoutesTest() {
        testConfiguration().withUseAdviceWith(true);
    }

    @Override
    protected Path home() {
        return home;
    }

    private List<MatrixPoint> matrix(String text) {
        return beans.planner().expand(new SweepParser().parse(text, "excerpt.yaml", home.resolve("inbox")));
    }

    @Test
    void eachPointIsEnrichedAndPreflightedInItsOwnExchangeAndGatheredBackInMatrixOrder() throws Exception {
        AdviceWith.adviceWith(context, "sweep-preflight", route -> route.weaveAddLast().to("mock:point"));
        AdviceWith.adviceWith(context, "sweep-plan", route -> route.weaveAddFirst().to("mock:gathered"));
        context.start();
        MockEndpoint point = getMockEndpoint("mock:point");
        MockEndpoint gathered = getMockEndpoint("mock:gathered");
        NotifyBuilder recorded = new NotifyBuilder(context).fromRoute("sweep-intake")
                .filter(RouteTestSupport::wholeFile).whenCompleted(1).create();
        point.expectedMessageCount(85);
        gathered.expectedMessageCount(1);
        String text = Files.readString(Fixtures.fixture("inferencemax/master-excerpt.yaml"));

        Files.writeString(home.resolve("inbox/excerpt.yaml"), text);

        MockEndpoint.assertIsSatisfied(context, 60, TimeUnit.SECONDS);
        List<Exchange> perPoint = point.getReceivedExchanges();
        assertThat(perPoint).allSatisfy(e -> assertThat(e.getMessage().getBody()).isInstanceOf(EnrichedPoint.class));
        assertThat(perPoint).extracting(e -> e.getProperty(Exchange.SPLIT_INDEX, Integer.class))
                .containsExactlyElementsOf(IntStream.range(0, 85).boxed().toList());
        List<?> points = gathered.getReceivedExchanges().get(0).getMessage().getBody(List.class);
        assertThat(points).map(p -> ((EnrichedPoint) p).point()).containsExactlyElementsOf(matrix(text));
        assertThat(recorded.matches(60, TimeUnit.SECONDS)).as("the gathered plan was recorded").isTrue();
    }

    @Test
    void aPointThatCannotBePlannedStopsItsSweepAndTheFileGoesToErrorWithNothingRecorded() throws Exception {
        AdviceWith.adviceWith(context, "sweep-enrich", route -> {
            route.weaveAddFirst().process(exchange -> {
                if (exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class) == 3) {
                    throw new IllegalStateException("point 3 cannot be enriched");
                }
            });
            route.weaveAddLast().to("mock:enriched");
        });
        AdviceWith.adviceWith(context, "sweep-plan", route -> route.weaveAddFirst().to("mock:gathered"));
        context.start();
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute("sweep-intake")
                .filter(RouteTestSupport::wholeFile).whenFailed(1).create();

        Files.copy(Fixtures.fixture("inferencemax/master-excerpt.yaml"), home.resolve("inbox/excerpt.yaml"));

        assertThat(failed.matches(60, TimeUnit.SECONDS)).as("the sweep failed").isTrue();
        assertThat(getMockEndpoint("mock:enriched").getReceivedCounter()).as("points enriched before the failure")
                .isEqualTo(3);
        assertThat(getMockEndpoint("mock:gathered").getReceivedCounter()).isZero();
        assertThat(beans.ledger().runs().runs()).isEmpty();
        try (Stream<Path> errors = Files.list(home.resolve("inbox/.error"))) {
            Path report = errors.filter(p -> p.toString().endsWith(".error.txt")).findFirst().orElseThrow();
            assertThat(Files.readString(report)).contains("excerpt.yaml").contains("point 3 cannot be enriched");
        }
    }
}
