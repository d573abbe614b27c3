package io.sweepd.routes;

import io.sweepd.app.ScheduleRoutes;
import io.sweepd.app.SweepdBeans;
import io.sweepd.app.SweepdSettings;
import io.sweepd.core.JobState;
import io.sweepd.ledger.JobRecord;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.RunRecord;
import io.sweepd.ledger.ScheduleRecord;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schedules survive a restart: a daemon registers a schedule from a dropped sweep and stops; a new daemon (a new
 * Camel context on the same ledger, the sweep file long gone from the inbox) arms it from the ledger, and its
 * firing makes a run from the text the ledger kept.
 */
class ScheduleRestartTest {

    private static final long GENEROUS_SECONDS = 90;

    @TempDir
    Path home;

    /** Kept between the two daemons, as the H2 file or PostgreSQL would be: no database closes with a ledger. */
    private final String ledgerUrl = "jdbc:h2:mem:restart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    private final List<Main> daemons = new ArrayList<>();
    private final List<SweepdBeans> wirings = new ArrayList<>();

    /** Starts the daemon's routes and wiring as SweepdDaemon does, without Slurm (timers quiet). */
    private SweepdBeans start() throws Exception {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), Map.of(
                "sweepd.home", home.toString(),
                "sweepd.ledger.jdbc-url", ledgerUrl, "sweepd.ledger.user", "sa",
                "sweepd.intake.poll-delay-ms", "100", "sweepd.intake.read-lock-check-interval-ms", "300",
                "sweepd.schedules.scan-interval-ms", "200",
                "sweepd.submit.interval-ms", "3600000", "sweepd.poll.interval-ms", "3600000",
                "sweepd.submit.after-record", "false"));
        Files.createDirectories(settings.inbox());
        SweepdBeans beans = new SweepdBeans(settings);
        wirings.add(beans);
        Main main = new Main();
        main.setOverrideProperties(settings.asProperties());
        main.configure().addConfiguration(beans);
        daemons.add(main);
        main.start();
        return beans;
    }

    private void stop(Main main) {
        main.stop();
        main.shutdown();
    }

    @AfterEach
    void stopAll() {
        daemons.forEach(this::stop);
        wirings.forEach(SweepdBeans::close);
    }

    @Test
    void aNewDaemonOnTheSameLedgerArmsTheScheduleAndItsFiringMakesARun() throws Exception {
        SweepdBeans first = start();
        Files.writeString(home.resolve("inbox").resolve("nightly.yaml"),
                ScheduleRouteTest.sweep("nightly", ScheduleRouteTest.FAR_AWAY));
        await("the schedule registered").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> first.ledger().schedules().schedule("nightly").isPresent()
                        && daemons.get(0).getCamelContext().getRoute(ScheduleRoutes.routeId("nightly")) != null);
        stop(daemons.get(0));
        await("the inbox file moved away").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> !Files.exists(home.resolve("inbox").resolve("nightly.yaml")));

        // While no daemon runs, someone makes it fire every second (as an edited schedules file would).
        Ledger ledger = first.ledger();
        ScheduleRecord kept = ledger.schedules().schedule("nightly").orElseThrow();
        ledger.schedules().register(ScheduleRecord.of(kept.name(), ScheduleRouteTest.EVERY_SECOND, kept.source(),
                kept.sourceFile(), kept.sourceDir(), kept.profileOverride(), kept.sweepText()));
        RunRecord dropped = ledger.runs().latestRun("nightly").orElseThrow();
        ledger.runs().finishRun(dropped.runId(), Instant.now());
        for (JobRecord job : ledger.jobs().jobs(dropped.runId())) {
            ledger.jobs().beginSubmit(dropped.runId(), job.jobKey(), "sweepd-" + job.jobKey());
            ledger.jobs().submitted(dropped.runId(), job.jobKey(), "7");
            ledger.jobs().transition(dropped.runId(), job.jobKey(), JobState.PENDING,
                    JobState.COMPLETED, "exit 0", null);
        }

        SweepdBeans second = start();
        await("armed from the ledger").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> daemons.get(1).getCamelContext().getRoute(ScheduleRoutes.routeId("nightly")) != null);
        await("a scheduled run").atMost(GENEROUS_SECONDS, TimeUnit.SECONDS)
                .until(() -> second.ledger().runs().runs().size() >= 2);
        RunRecord scheduled = second.ledger().runs().latestRun("nightly").orElseThrow();
        assertThat(scheduled.runId()).isNotEqualTo(dropped.runId()).matches("nightly-\\d{8}-\\d{6}");
        assertThat(second.ledger().jobs().jobs(scheduled.runId())).isNotEmpty()
                .noneMatch(job -> job.reused());
    }
}
