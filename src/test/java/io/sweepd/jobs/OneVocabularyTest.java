package io.sweepd.jobs;

import io.sweepd.Fixtures;
import io.sweepd.InMemoryLedger;
import io.sweepd.MutableClock;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.SweepCounts;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.plan.Plan;
import io.sweepd.plan.PlanTable;
import io.sweepd.report.ReportCounts;
import io.sweepd.results.PointResults;
import io.sweepd.sweep.SweepOrigin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plan, status and report count one sweep the same way (README "Glossary"): InferenceMAX's master excerpt has
 * refused configurations and multinode entries that carry several concurrencies, where counting matrix entries
 * and counting points once gave "2 refused" in the plan and "11 refused" in the report.
 */
class OneVocabularyTest {

    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

    @TempDir
    Path home;

    private Ledger ledger;
    private SweepdSettings settings;

    @BeforeEach
    void setUp() {
        ledger = InMemoryLedger.open(new MutableClock(T0));
        settings = SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", home.toString()));
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    @Test
    void planStatusAndReportGiveTheSameCountsForASweepWithRefusedConfigurationsAndMultinodeEntries() {
        Path excerpt = Fixtures.fixture("inferencemax/master-excerpt.yaml");
        Plan plan = PlannerFactory.create(settings).plan(excerpt);
        SweepCounts planned = PlanTable.counts(plan);
        String runId = new RunRecorder(ledger, PlannerFactory.profiles(settings), home.resolve("outputs"))
                .record(plan, new SweepOrigin(excerpt.toString(), excerpt.getParent().toString(), null), T0);
        RunRecord run = ledger.runs().run(runId).orElseThrow();

        SweepCounts status = new SweepStatus(ledger, new MutableClock(T0)).summary(run).counts();
        SweepCounts report = ReportCounts.of(PointResults.of(ledger, runId));

        assertThat(planned.refusedConfigurations()).as("the excerpt has refused configurations").isPositive();
        assertThat(planned.points()).as("multinode entries count each concurrency")
                .isGreaterThan(plan.points().size());
        assertThat(planned.refusedPoints()).isGreaterThan(planned.refusedConfigurations());
        assertThat(status).isEqualTo(planned);
        assertThat(report).isEqualTo(planned);
        assertThat(PlanTable.render(plan)).contains(planned.describe());
    }
}
