package io.sweepd.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliberate crashes at the instants the crash-safety promises are about, for the end-to-end tests that prove
 * them (a daemon killed right after sbatch must neither lose nor duplicate the job). Off unless the setting
 * {@code sweepd.fault} names a fault; never set it in production.
 */
public final class FaultInjection {

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);

    /** Halt the JVM (as kill -9 would) after sbatch answered, before the ledger records the Slurm job id. */
    public static final String HALT_AFTER_SBATCH = "halt-after-sbatch";

    public static final FaultInjection NONE = new FaultInjection("");

    private final String fault;

    public FaultInjection(String fault) {
        this.fault = fault == null ? "" : fault.trim();
        if (!this.fault.isEmpty() && !this.fault.equals(HALT_AFTER_SBATCH)) {
            throw new IllegalArgumentException("unknown sweepd.fault '" + fault + "' (known: " + HALT_AFTER_SBATCH + ")");
        }
        if (!this.fault.isEmpty()) {
            LOG.warn("fault injection is ON: {}", this.fault);
        }
    }

    void afterSbatch(String jobKey) {
        if (HALT_AFTER_SBATCH.equals(fault)) {
            LOG.warn("fault injection: halting right after sbatch for job {}", jobKey);
            Runtime.getRuntime().halt(137);
        }
    }
}
