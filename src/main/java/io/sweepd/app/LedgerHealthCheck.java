package io.sweepd.app;

import io.sweepd.ledger.WriteCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness: does the ledger take a write now ({@link WriteCheck}: an insert rolled back)? A daemon whose ledger
 * refuses writes cannot record a submission before sbatch, so it submits nothing. Not a liveness check.
 */
final class LedgerHealthCheck extends AbstractHealthCheck {

    static final String ID = "sweepd-ledger";

    private final WriteCheck writeCheck;

    LedgerHealthCheck(WriteCheck writeCheck) {
        super("sweepd", ID);
        this.writeCheck = writeCheck;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            writeCheck.check();
            builder.up();
        } catch (RuntimeException e) {
            builder.message("the ledger refused a write: " + e.getMessage());
            builder.down();
        }
    }
}
