package io.sweepd.app;

import io.sweepd.plan.PlanWriter;
import io.sweepd.plan.Planner;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;

/**
 * The daemon's wiring: every bean the routes call, by the name the routes use. Settings come resolved from
 * {@link SweepdSettings}, so the CLI and the daemon build the same objects the same way.
 */
@Configuration
public class SweepdBeans implements CamelConfiguration {

    private final SweepdSettings settings;

    public SweepdBeans(SweepdSettings settings) {
        this.settings = settings;
    }

    @BindToRegistry("intake")
    public IntakeSteps intake() {
        return new IntakeSteps(settings.inbox());
    }

    @BindToRegistry("planner")
    public Planner planner() {
        return PlannerFactory.create(settings);
    }

    @BindToRegistry("plans")
    public PlanWriter plans() {
        return new PlanWriter(settings.outputs());
    }
}
