package io.sweepd.app;

import io.sweepd.slurm.ControllerPing;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness: does a Slurm controller answer ({@code scontrol ping})? The answer is cached for
 * {@code sweepd.http.slurm-check-cache-ms}, so a prober cannot make sweepd hammer slurmctld. Not a liveness check:
 * a controller outage is something the daemon rides out (jobs wait), not a reason to restart it.
 */
final class SlurmHealthCheck extends AbstractHealthCheck {

    static final String ID = "sweepd-slurm";

    private final CachedAnswer<ControllerPing> ping;

    SlurmHealthCheck(CachedAnswer<ControllerPing> ping) {
        super("sweepd", ID);
        this.ping = ping;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ControllerPing answer = ping.get();
        builder.detail("reach", answer.reach().name());
        builder.message(answer.message());
        if (answer.reach() == ControllerPing.Reach.UP) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
