package io.sweepd.ledger;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ScheduleStore} must do on every database: register, replace, remove a schedule, keep its text
 * across a restart, and record what its firings did. {@link ScheduleStoreH2Test} (unit layer) and
 * {@link ScheduleStorePostgresIT} run these same tests.
 */
abstract class ScheduleStoreContract extends StoreContract {

    private static final String TEXT = "sweep:\n  schedule: '0 0 2 * * ?'\nentry: {}\n";

    ScheduleStore schedules() {
        return ledger.schedules();
    }

    static ScheduleRecord nightly(String cron, String text) {
        return ScheduleRecord.of("nightly", cron, ScheduleSource.INBOX, "/inbox/nightly.yaml", "/sweeps", "local",
                text);
    }

    @Test
    void aRegisteredScheduleIsReadBackWholeAndSurvivesARestart() {
        assertThat(schedules().register(nightly("0 0 2 * * ?", TEXT))).isTrue();

        ledger.close();
        ledger = open(clock);
        ScheduleRecord stored = schedules().schedule("nightly").orElseThrow();
        assertThat(stored.cron()).isEqualTo("0 0 2 * * ?");
        assertThat(stored.source()).isEqualTo(ScheduleSource.INBOX);
        assertThat(stored.sourceFile()).isEqualTo("/inbox/nightly.yaml");
        assertThat(stored.sourceDir()).isEqualTo("/sweeps");
        assertThat(stored.profileOverride()).isEqualTo("local");
        assertThat(stored.sweepText()).isEqualTo(TEXT);
        assertThat(stored.registeredAt()).isEqualTo(START_MICROS);
        assertThat(stored.lastFiredAt()).isNull();
        assertThat(stored.lastRunId()).isNull();
        assertThat(stored.lastSkippedAt()).isNull();
        assertThat(stored.fileProblem()).isNull();
        assertThat(schedules().schedules()).containsExactly(stored);
        assertThat(schedules().schedule("other")).isEmpty();
    }

    @Test
    void registeringAgainReplacesTheDefinitionAndKeepsWhatItsFiringsDid() {
        schedules().register(nightly("0 0 2 * * ?", TEXT));
        Instant fired = START.plusSeconds(3600);
        schedules().fired("nightly", fired, "nightly-20250601-090000");
        clock.advance(Duration.ofDays(1));

        assertThat(schedules().register(nightly("0 0 2 * * ?", TEXT))).as("the same definition").isFalse();
        assertThat(schedules().schedule("nightly").orElseThrow().registeredAt()).isEqualTo(START_MICROS);

        assertThat(schedules().register(ScheduleRecord.of("nightly", "0 30 3 * * ?", ScheduleSource.FOLDER,
                "/home/schedules/nightly.yaml", "/home/schedules", null, TEXT + "# changed\n"))).isTrue();
        ScheduleRecord replaced = schedules().schedule("nightly").orElseThrow();
        assertThat(replaced.cron()).isEqualTo("0 30 3 * * ?");
        assertThat(replaced.source()).isEqualTo(ScheduleSource.FOLDER);
        assertThat(replaced.sourceFile()).isEqualTo("/home/schedules/nightly.yaml");
        assertThat(replaced.profileOverride()).isNull();
        assertThat(replaced.sweepText()).endsWith("# changed\n");
        assertThat(replaced.registeredAt()).isEqualTo(Rows.micros(clock.instant()));
        assertThat(replaced.lastRunId()).isEqualTo("nightly-20250601-090000");
        assertThat(replaced.lastFiredAt()).isEqualTo(Rows.micros(fired));
        assertThat(schedules().schedules()).hasSize(1);
    }

    @Test
    void firingsAndSkipsAreRecordedWithTheirTimesAndReason() {
        schedules().register(nightly("0 0 2 * * ?", TEXT));
        Instant first = Instant.parse("2025-06-02T02:00:00Z");
        schedules().fired("nightly", first, "nightly-20250602-020000");
        Instant second = first.plus(Duration.ofDays(1));
        schedules().skipped("nightly", second, "previous run nightly-20250602-020000 still active");

        ScheduleRecord stored = schedules().schedule("nightly").orElseThrow();
        assertThat(stored.lastFiredAt()).isEqualTo(second);
        assertThat(stored.lastRunId()).as("the last run made").isEqualTo("nightly-20250602-020000");
        assertThat(stored.lastSkippedAt()).isEqualTo(second);
        assertThat(stored.lastSkipReason()).isEqualTo("previous run nightly-20250602-020000 still active");
    }

    @Test
    void aFileProblemIsKeptUntilTheDefinitionIsGoodAgain() {
        schedules().register(nightly("0 0 2 * * ?", TEXT));
        schedules().fileProblem("nightly", "nightly.yaml:3: unknown key 'shedule'");
        ScheduleRecord broken = schedules().schedule("nightly").orElseThrow();
        assertThat(broken.fileProblem()).contains("shedule");
        assertThat(broken.cron()).as("the last good definition stays").isEqualTo("0 0 2 * * ?");

        assertThat(schedules().register(nightly("0 0 2 * * ?", TEXT))).as("nothing to re-arm").isFalse();
        assertThat(schedules().schedule("nightly").orElseThrow().fileProblem()).isNull();
    }

    @Test
    void aRemovedScheduleIsGone() {
        schedules().register(nightly("0 0 2 * * ?", TEXT));
        assertThat(schedules().remove("nightly")).isTrue();
        assertThat(schedules().remove("nightly")).isFalse();
        assertThat(schedules().schedules()).isEmpty();
    }

    @Test
    void aLargeSweepTextIsStoredWhole() {
        // More than H2 allows in a VARCHAR: the InferenceMAX master configs are megabytes.
        String text = TEXT + ("# " + "x".repeat(1000) + "\n").repeat(2000);
        schedules().register(nightly("0 0 2 * * ?", text));
        assertThat(schedules().schedule("nightly").orElseThrow().sweepText()).isEqualTo(text);
    }
}
