package io.sweepd.ledger;

import io.sweepd.core.JobState;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@link Ledger} handle must do on every database: migrate once, and give a restarted daemon back
 * everything its stores had committed. {@link LedgerH2Test} (the embedded H2 file, as the daemon opens it) and
 * {@link PostgresLedgerIT} run these same tests.
 */
abstract class LedgerContract extends StoreContract {

    @Test
    void reopeningAfterCloseKeepsEveryRunJobPointAndEvent() {
        recordR1();
        submit("r1", "a", "300");
        jobs().transition("r1", "a", JobState.PENDING, JobState.RUNNING, null,
                Map.of(JobDetails.STARTED_AT, START.plusSeconds(9)));
        jobs().beginSubmit("r1", "b", "sweepd-b");   // the daemon dies between this row and sbatch
        List<RunRecord> runs = runs().runs();
        List<JobRecord> jobs = jobs().jobs("r1");
        List<PointRecord> points = runs().points("r1");
        List<EventRecord> events = jobs().events("r1");
        List<JobRecord> live = jobs().liveJobs();

        ledger.close();
        ledger = open(clock);

        assertThat(runs().runs()).isEqualTo(runs);
        assertThat(jobs().jobs("r1")).isEqualTo(jobs);
        assertThat(runs().points("r1")).isEqualTo(points);
        assertThat(jobs().events("r1")).isEqualTo(events);
        assertThat(jobs().liveJobs()).isEqualTo(live)
                .extracting(JobRecord::jobKey, JobRecord::state).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", JobState.RUNNING),
                        org.assertj.core.groups.Tuple.tuple("b", JobState.SUBMITTING));
        assertThat(jobs().bySlurmJobId("300")).map(JobRecord::jobKey).contains("a");
    }

    @Test
    void migrationsRunOnceAndReopeningDoesNotApplyThemAgain() throws Exception {
        recordR1();
        ledger.close();
        ledger = open(clock);
        ledger.close();
        ledger = open(clock);

        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     // Flyway quotes its names on H2, so quote them here too; PostgreSQL folds them the same way.
                     "SELECT \"version\", \"success\" FROM \"flyway_schema_history\" "
                             + "WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                assertThat(rs.getBoolean("success")).isTrue();
                applied.add(rs.getString("version"));
            }
            assertThat(applied).containsExactly("1", "2", "4");
        }
        assertThat(jobs().jobs("r1")).hasSize(2);
    }
}
