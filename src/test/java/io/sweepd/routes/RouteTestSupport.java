package io.sweepd.routes;

import io.sweepd.InMemoryLedger;
import io.sweepd.app.SweepdBeans;
import io.sweepd.app.SweepdSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelTestSupport;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Route tests run the real YAML routes from {@code routes/} with the real wiring ({@link SweepdBeans}) in a
 * CamelContext whose home is a temporary directory.
 */
abstract class RouteTestSupport extends CamelTestSupport {

    protected SweepdSettings settings;
    protected SweepdBeans beans;

    /** The home directory of this test's daemon. */
    protected abstract Path home();

    /** Extra sweepd.* settings for the test. */
    protected Map<String, String> extraSettings() {
        return Map.of();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        Map<String, String> overrides = new HashMap<>(extraSettings());
        overrides.put("sweepd.home", home().toString());
        // Tests poll fast; the read lock still needs a file to stay unchanged for a while before it is read.
        overrides.putIfAbsent("sweepd.intake.poll-delay-ms", "100");
        overrides.putIfAbsent("sweepd.intake.read-lock-check-interval-ms", "300");
        // Route tests stop at the ledger: the submit and poll timers (which talk to Slurm) stay quiet.
        overrides.putIfAbsent("sweepd.submit.interval-ms", "3600000");
        overrides.putIfAbsent("sweepd.poll.interval-ms", "3600000");
        // The ledger in memory (LedgerFactory's JDBC-URL path): the file ledger is LedgerH2Test's business.
        if (!overrides.containsKey("sweepd.ledger.jdbc-url")) {
            overrides.put("sweepd.ledger.jdbc-url", InMemoryLedger.url());
            overrides.put("sweepd.ledger.user", "sa");
        }
        settings = SweepdSettings.load(null, Map.of(), overrides);
        java.nio.file.Files.createDirectories(settings.inbox());

        CamelContext context = super.createCamelContext();
        beans = new SweepdBeans(settings);
        context.getPropertiesComponent().setOverrideProperties(beans.placeholders());
        PluginHelper.getBeanPostProcessor(context).postProcessBeforeInitialization(beans, "sweepd");
        Collection<Resource> routes = PluginHelper.getPackageScanResourceResolver(context)
                .findResources("classpath:routes/*.camel.yaml");
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        return context;
    }

    @Override
    protected void doPostTearDown() throws Exception {
        if (beans != null) {
            beans.close();
        }
        super.doPostTearDown();
    }
}
