package io.sweepd.app;

import io.sweepd.ledger.Ledger;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Runs sweepd's Camel routes until the JVM is asked to stop (SIGTERM or Ctrl-C), then shuts them down
 * gracefully: in-flight exchanges finish, the inbox consumer stops first, the ledger closes last. Before any route
 * starts, {@link StartupChecks} checks the directories, Slurm and the ledger. From the start to the end it also logs
 * to the rolling file in {@link SweepdSettings#logDir()}.
 */
public final class SweepdDaemon {

    private static final Logger LOG = LoggerFactory.getLogger(SweepdDaemon.class);

    private final SweepdSettings settings;

    public SweepdDaemon(SweepdSettings settings) {
        this.settings = settings;
    }

    /**
     * @throws StartupCheckFailed when a start-up check finds the daemon cannot run (before any route starts)
     */
    public void run() throws Exception {
        // Before the first check, so its lines are in the file too; one-shot commands never open it.
        try (DaemonLogFile logFile = DaemonLogFile.open(settings.logDir())) {
            checkAndRun();
        }
    }

    private void checkAndRun() throws Exception {
        StartupChecks checks = new StartupChecks(settings, System.getenv());
        checks.directories();
        checks.slurm(new SlurmClient(CommandRunnerFactory.runner(settings), SlurmTimeouts.defaults()));
        Ledger ledger = checks.ledger(() -> LedgerFactory.open(settings));
        SweepdBeans wiring;
        try {
            wiring = new SweepdBeans(settings, ledger);
        } catch (RuntimeException e) {
            ledger.close(); // the wiring owns the ledger only once it exists
            throw e;
        }
        try (SweepdBeans beans = wiring) {
            Main main = new Main();
            // Resolved settings win over the jar's application.properties, so {{sweepd.inbox}} is the real path.
            main.setOverrideProperties(settings.asProperties());
            main.configure().addConfiguration(beans);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport started) {
                    LOG.info("sweepd daemon running: version {}, {} routes; inbox {}, outputs {}, reports {}, log {}",
                            BuildInfo.current().describe(), started.getCamelContext().getRoutes().size(),
                            settings.inbox(), settings.outputs(), settings.reports(), settings.logDir());
                }
            });
            main.run();
        }
    }
}
