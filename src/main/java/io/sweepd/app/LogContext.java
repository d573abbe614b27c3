package io.sweepd.app;

import io.sweepd.ledger.JobRecord;
import org.slf4j.MDC;

/**
 * Puts the sweep, run and job an exchange works on into the logging context (SLF4J's MDC), so every line logged
 * while it runs names them ({@link LogIds} prints them). Routes call it once the ids are known.
 *
 * <p>Clearing is Camel's: with {@code camel.main.use-mdc-logging=true} and {@code
 * camel.main.mdc-logging-keys-pattern=sweepd.*}, the unit of work removes these keys when the exchange that put
 * them is done, so a key never leaks into the next file's or the next poll's lines on the same thread. A split's
 * parts are not done in that sense (they share their parent's correlation id): the keys are cleared with the
 * parent, so each part must set all of its own keys, which {@link #job} does.
 */
public final class LogContext {

    /** Every key starts with this, the prefix the Camel setting above names. */
    public static final String PREFIX = "sweepd.";
    public static final String SWEEP = PREFIX + "sweep";
    public static final String RUN = PREFIX + "run";
    public static final String JOB = PREFIX + "job";
    public static final String SLURM_JOB = PREFIX + "slurm";

    private LogContext() {
    }

    /** The sweep file's sweep, once it has been read. */
    public static void sweep(String sweepName) {
        put(SWEEP, sweepName);
    }

    /** The run a sweep file was recorded as. */
    public static void run(String runId) {
        put(RUN, runId);
    }

    /**
     * One job's ids: its run, its job key and its current Slurm job id, so the part of a split before it (another
     * job) leaves nothing behind, such as a Slurm id this job does not have.
     */
    public static void job(JobRecord job) {
        put(RUN, job.runId());
        put(JOB, job.jobKey());
        put(SLURM_JOB, job.slurmJobId());
    }

    /**
     * An id this exchange does not have is set to empty ({@link LogIds} prints nothing for it), never removed: within
     * an exchange Camel restores the sweepd.* keys it saw when a step began once the step ends on its asynchronous
     * path (MDCUnitOfWork's callback; a split's parts take it), which puts a removed key back but overwrites an
     * empty one. LogContextRouteTest shows both.
     */
    private static void put(String key, String value) {
        MDC.put(key, value == null ? "" : value);
    }
}
