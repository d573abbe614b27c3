package io.sweepd.routes;

import io.sweepd.InMemoryLedger;
import io.sweepd.app.SweepdBeans;
import io.sweepd.app.SweepdSettings;
import org.apache.camel.Exchange;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Route tests start sweepd as the daemon does: Camel Main with the jar's {@code application.properties} (which
 * loads the real YAML routes from {@code routes/}) and the real wiring ({@link SweepdBeans}), in a home that is
 * a temporary directory, with the ledger in memory. Tests that advise routes turn on advice in their
 * constructor and start the context themselves.
 */
abstract class RouteTestSupport extends CamelMainTestSupport {

    protected SweepdSettings settings;
    protected SweepdBeans beans;

    /** The home directory of this test's daemon. */
    protected abstract Path home();

    /** Extra sweepd.* settings for the test. */
    protected Map<String, String> extraSettings() {
        return Map.of();
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        Map<String, String> overrides = new HashMap<>(extraSettings());
        overrides.put("sweepd.home", home().toString());
        // Tests poll fast; the read lock still needs a file to stay unchanged for a while before it is read.
        overrides.putIfAbsent("sweepd.intake.poll-delay-ms", "100");
        overrides.putIfAbsent("sweepd.intake.read-lock-check-interval-ms", "300");
        // Route tests stop at the ledger: the submit and poll timers (which talk to Slurm) stay quiet, and so does the
        // submit cycle a recorded run asks for.
        overrides.putIfAbsent("sweepd.submit.interval-ms", "3600000");
        overrides.putIfAbsent("sweepd.poll.interval-ms", "3600000");
        overrides.putIfAbsent("sweepd.submit.after-record", "false");
        // No status server unless a test asks for one (on a free port: test JVMs run side by side).
        overrides.putIfAbsent("sweepd.http.enabled", "false");
        // The ledger in memory (LedgerFactory's JDBC-URL path): the file ledger is LedgerH2Test's business.
        if (!overrides.containsKey("sweepd.ledger.jdbc-url")) {
            overrides.put("sweepd.ledger.jdbc-url", InMemoryLedger.url());
            overrides.put("sweepd.ledger.user", "sa");
        }
        settings = SweepdSettings.load(null, Map.of(), overrides);
        try {
            Files.createDirectories(settings.inbox());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        beans = wiring(settings);
        configuration.addConfiguration(beans);
        // As SweepdDaemon does: the resolved settings win over the jar's application.properties.
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(settings.asProperties());
    }

    /** The wiring under test; a test may run Slurm commands through canned answers instead. */
    protected SweepdBeans wiring(SweepdSettings settings) {
        return new SweepdBeans(settings);
    }

    /**
     * The inbox file's (or a timer tick's) own exchange, not one of the per-point or per-job exchanges a split makes
     * of it.
     */
    static boolean wholeFile(Exchange exchange) {
        return exchange.getProperty(Exchange.SPLIT_INDEX) == null;
    }

    @Override
    protected void doPostTearDown() throws Exception {
        if (beans != null) {
            beans.close();
        }
        super.doPostTearDown();
    }
}
