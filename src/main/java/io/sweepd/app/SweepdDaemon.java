package io.sweepd.app;

import org.apache.camel.main.Main;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Runs sweepd's Camel routes until the JVM is asked to stop (SIGTERM or Ctrl-C), then shuts them down
 * gracefully: in-flight exchanges finish, the inbox consumer stops first, the ledger closes last.
 */
public final class SweepdDaemon {

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
