package io.sweepd.ledger;

import io.sweepd.core.JobState;
import io.sweepd.core.SweepCounts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            assertThat(applied).containsExactlyElementsOf(shippedVersions());
        }
        assertThat(jobs().jobs("r1")).hasSize(2);
    }

    @Test
    void aLedgerMissingAShippedMigrationGetsItWhenOpened() throws Exception {
        recordR1();
        String plan = runs().run("r1").orElseThrow().planJson();
        ledger.close();
        // As if V7 to V10, the latest, were scripts added after this database was last opened: their changes and
        // history rows gone, the plans back in a TEXT column (CHARACTER VARYING on H2).
        execute("DROP TABLE run_headlines",
                "DROP TABLE run_comparison_rows",
                "DROP TABLE run_counts",
                "ALTER TABLE run_plans ALTER COLUMN plan_json SET DATA TYPE TEXT",
                "DELETE FROM \"flyway_schema_history\" WHERE \"script\" IN ('V7__run_headlines.sql', "
                        + "'V8__plans_out_of_row.sql', 'V9__run_comparison_rows.sql', 'V10__run_counts.sql')");
        assertThat(appliedVersions()).doesNotContain("7", "8", "9", "10");
        assertThat(planColumnType()).isIn("CHARACTER VARYING", "text");

        ledger = open(clock);

        assertThat(appliedVersions()).containsExactlyElementsOf(shippedVersions());
        assertThat(planColumnType()).as("a plan lives out of its row (H2) or stays TEXT (PostgreSQL, TOAST)")
                .isIn("CHARACTER LARGE OBJECT", "text");
        assertThat(runs().run("r1")).as("the plan reads back whole").hasValueSatisfying(run ->
                assertThat(run.planJson()).isEqualTo(plan));
        runs().recordHeadline("r1", "{}");
        assertThat(runs().headline("r1")).as("the headlines table is back").contains("{}");
        String seen = runs().jobsSeen("r1");
        runs().recordComparisonRows("r1", seen, "{}");
        assertThat(runs().comparisonRows("r1", seen)).as("the comparison rows table is back").contains("{}");
        assertThat(runs().counts("r1").points()).as("r1 has no kept counts: worked out from its points").isEqualTo(3);
        runs().recordRun(run("r2", "dsr1"), List.of(), List.of());
        assertThat(runs().counts("r2")).as("the counts table is back").isEqualTo(new SweepCounts(0, 0, 0, 0, 0));
    }

    private String planColumnType() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT data_type FROM information_schema.columns"
                     + " WHERE LOWER(table_name) = 'run_plans' AND LOWER(column_name) = 'plan_json'")) {
            assertThat(rs.next()).as("run_plans.plan_json exists").isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void aLedgerWithEveryShippedMigrationAppliedOpensWithoutFlyway() throws Exception {
        recordR1();
        ledger.close();
        // Flyway's validation refuses an applied script whose checksum changed; a ledger already current is opened
        // without Flyway (one query of its history), so this edit goes unnoticed: proof that Flyway did not run.
        execute("UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1"
                + " WHERE \"script\" = 'V1__initial.sql'");

        ledger = open(clock);

        assertThat(jobs().jobs("r1")).hasSize(2);
        ledger.close();
        execute("DELETE FROM \"flyway_schema_history\" WHERE \"script\" = 'V5__owners.sql'");
        assertThatThrownBy(() -> open(clock)).as("not current: Flyway runs, and validates")
                .hasStackTraceContaining("checksum");
        ledger = null;
    }

    private void execute(String... sql) throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private List<String> appliedVersions() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\""
                     + " WHERE \"version\" IS NOT NULL AND \"success\" ORDER BY \"installed_rank\"")) {
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
            return applied;
        }
    }

    @Test
    void twoOwnersSharingALedgerEachActOnlyOnTheirOwnRunsAndAnUnownedRunIsAdoptedOnce() {
        // Recorded before owners existed (this handle has none): the first owner to open the ledger adopts it.
        runs().recordRun(run("old", "dsr1"), List.of(job("old", "o")), List.of());
        clock.advance(java.time.Duration.ofMinutes(1));
        try (Ledger east = database.open(clock, "east"); Ledger west = database.open(clock, "west")) {
            east.runs().recordRun(run("e1", "dsr1"), List.of(job("e1", "a"), job("e1", "b")), List.of());
            west.runs().recordRun(run("w1", "dsr1"), List.of(job("w1", "a")), List.of());
            for (Ledger side : List.of(east, west)) {
                String runId = side == east ? "e1" : "w1";
                side.jobs().beginSubmit(runId, "a", "sweepd-a-" + runId);
                side.jobs().submitted(runId, "a", "7"); // the same Slurm id on both clusters
            }
            east.jobs().transition("e1", "a", JobState.PENDING, JobState.FAILED, "exit 1", null);
            west.jobs().transition("w1", "a", JobState.PENDING, JobState.FAILED, "exit 1", null);

            assertThat(east.runs().runs()).extracting(RunRecord::runId).containsExactly("old", "e1");
            assertThat(west.runs().runs()).extracting(RunRecord::runId).containsExactly("w1");
            assertThat(east.runs().activeRuns()).extracting(RunRecord::runId).containsExactly("old", "e1");
            assertThat(west.runs().latestRun("dsr1")).map(RunRecord::runId).contains("w1");
            assertThat(east.jobs().jobsInState(JobState.PLANNED)).extracting(j -> j.runId() + "/" + j.jobKey())
                    .containsExactly("old/o", "e1/b");
            assertThat(west.jobs().jobsInState(JobState.PLANNED)).isEmpty();
            assertThat(east.jobs().unsettled()).extracting(JobRecord::runId).containsExactly("e1");
            assertThat(west.jobs().unsettled()).extracting(JobRecord::runId).containsExactly("w1");
            assertThat(west.jobs().bySlurmJobId("7")).map(JobRecord::runId).contains("w1");
            assertThat(east.jobs().submissionsStartedAfter(START.minusSeconds(1))).containsEntry("local", 1);
            assertThat(east.jobCounts().byState()).containsEntry(JobState.PLANNED, 2L)
                    .containsEntry(JobState.FAILED, 1L);
            // A handle without an owner (tests, tools) still sees everything, by id too.
            assertThat(runs().runs()).extracting(RunRecord::runId).containsExactlyInAnyOrder("old", "e1", "w1");
            assertThat(west.runs().run("e1")).as("an exact run id is found whoever owns it").isPresent();
        }
        try (Ledger west = database.open(clock, "west")) {
            assertThat(west.runs().runs()).as("adopted once, by the first owner").extracting(RunRecord::runId)
                    .containsExactly("w1");
        }
    }

    /** The versions of the migration scripts in the source tree, in order: every one must be applied. */
    static List<String> shippedVersions() {
        try (Stream<Path> scripts =
                     Files.list(Path.of("src/main/resources/db/migration"))) {
            List<String> versions = scripts.map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")))
                    .sorted(Comparator.comparingInt(Integer::parseInt))
                    .toList();
            assertThat(versions).as("migration scripts").isNotEmpty();
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
