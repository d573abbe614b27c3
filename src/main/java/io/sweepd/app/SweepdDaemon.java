package io.sweepd.app;

import io.sweepd.exec.StopWait;
import io.sweepd.ledger.Ledger;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;


/**
 * Runs sweepd's Camel routes until the JVM is asked to stop (SIGTERM or Ctrl-C), then shuts them down
 * gracefully: in-flight exchanges finish, the inbox consumer stops first, the ledger closes last. Before any route
 * starts, {@link StartupChecks} checks the directories, takes the home's {@link DaemonLock} (one daemon per home),
 * and checks Slurm and the ledger. From the start to the end it also logs to the rolling file in
 * {@link SweepdSettings#logDir()}.
 */
public final class SweepdDaemon {

    private static final Logger LOG = LoggerFactory.getLogger(SweepdDaemon.class);
    /** How often a standby daemon tries the home's lock: it takes over at most this long after the first dies. */
    public static final Duration STANDBY_POLL = Duration.ofSeconds(5);

    private final SweepdSettings settings;

    public SweepdDaemon(SweepdSettings settings) {
        this.settings = settings;
    }

    /**
     * @throws StartupCheckFailed when a start-up check finds the daemon cannot run (before any route starts)
     */
    public void run() throws Exception {
        run(false);
    }

    /**
     * @param standby when another daemon runs on this home, wait for it to stop and take over instead of refusing
     * @throws StartupCheckFailed when a start-up check finds the daemon cannot run (before any route starts)
     */
    public void run(boolean standby) throws Exception {
        // Before the first check, so its lines are in the file too; one-shot commands never open it.
        try (DaemonLogFile logFile = DaemonLogFile.open(settings.logDir())) {
            checkAndRun(standby);
        }
    }

    private void checkAndRun(boolean standby) throws Exception {
        StartupChecks checks = new StartupChecks(settings, System.getenv());
        checks.directories();
        // Held until the JVM ends: released by the OS on any exit, kill -9 included.
        try (DaemonLock home = standby ? checks.standbyForHome(STANDBY_POLL) : checks.exclusiveHome()) {
            runHolding(home, checks);
        }
    }

    private void runHolding(DaemonLock home, StartupChecks checks) throws Exception {
        checks.slurm(new SlurmClient(CommandRunnerFactory.runner(settings), SlurmTimeouts.defaults()));
        Ledger ledger = checks.ledger(() -> LedgerFactory.openForDaemon(settings));
        SweepdBeans wiring;
        try {
            wiring = new SweepdBeans(settings, ledger);
        } catch (RuntimeException e) {
            ledger.close(); // the wiring owns the ledger only once it exists
            throw e;
        }
        Duration stopWait = Duration.ofMillis(settings.getLong("sweepd.submit.stop-wait-ms"));
        StopWait.set(stopWait);
        try (SweepdBeans beans = wiring) {
            Main main = new Main();
            // Resolved settings win over the jar's application.properties, so {{sweepd.inbox}} is the real path.
            main.setOverrideProperties(settings.asProperties());
            main.configure().addConfiguration(beans);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport started) {
                    LOG.info("sweepd daemon running: version {}, {} routes; inbox {}, outputs {}, reports {}, log {};"
                            + " home locked by {}", BuildInfo.current().describe(),
                            started.getCamelContext().getRoutes().size(), settings.inbox(), settings.outputs(),
                            settings.reports(), settings.logDir(), home.file());
                }

                @Override
                public void beforeStop(BaseMainSupport stopping) {
                    // Before the routes stop: no sbatch starts any more, and those running are waited for (bounded).
                    wiring.submitter().stop(stopWait);
                }
            });
            main.run();
        }
    }
}
