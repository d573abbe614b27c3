package io.sweepd.app;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Runs sweepd's Camel routes until the JVM is asked to stop (SIGTERM or Ctrl-C), then shuts them down
 * gracefully: in-flight exchanges finish, the inbox consumer stops first, the ledger closes last.
 */
public final class SweepdDaemon {

    private static final Logger LOG = LoggerFactory.getLogger(SweepdDaemon.class);

    private final SweepdSettings settings;

    public SweepdDaemon(SweepdSettings settings) {
        this.settings = settings;
    }

    public void run() throws Exception {
        prepareHome();
        try (SweepdBeans beans = new SweepdBeans(settings)) {
            Main main = new Main();
            // Resolved settings win over the jar's application.properties, so {{sweepd.inbox}} is the real path.
            main.setOverrideProperties(settings.asProperties());
            main.configure().addConfiguration(beans);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport started) {
                    LOG.info("sweepd daemon running: {} routes; inbox {}, outputs {}, reports {}",
                            started.getCamelContext().getRoutes().size(), settings.inbox(), settings.outputs(),
                            settings.reports());
                }
            });
            main.run();
        }
    }

    private void prepareHome() throws IOException {
        Files.createDirectories(settings.inbox());
        Files.createDirectories(settings.outputs());
        Files.createDirectories(settings.state());
        Files.createDirectories(settings.reports());
    }
}
