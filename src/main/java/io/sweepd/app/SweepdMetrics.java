package io.sweepd.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.ledger.JobCounts;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * sweepd's own Prometheus metrics, beside Camel's (routes, exchanges, JVM):
 *
 * <pre>
 * sweepd_jobs{state="RUNNING"}                       jobs in the ledger per state (every state, 0 included)
 * sweepd_submissions_total                           jobs handed to sbatch, retries included (the ledger's trail)
 * sweepd_slurm_command_seconds{command="squeue"}     latency of each Slurm command (count, sum, max)
 * sweepd_slurm_command_errors_total{command, kind}   commands that failed: kind exit (non-zero), timeout, not_started
 * sweepd_poll_interval_seconds                       the wait before the next poll cycle, as the pacer last set it
 * </pre>
 *
 * The ledger counts are read at scrape time, at most once a second ({@link CachedAnswer}), so every gauge of a
 * scrape comes from one query. Command metrics come from {@link io.sweepd.exec.CommandRunner}'s listener: every
 * external command sweepd runs is a Slurm command. The poll cycle's time is Camel's route timer of the job-poll
 * route ({@code camel_route_policy_seconds{routeId="job-poll"}}).
 */
final class SweepdMetrics implements MeterBinder, Consumer<CommandResult> {

    private final CachedAnswer<Map<JobState, Long>> jobsByState;
    private final JobCounts counts;
    private final Supplier<Duration> pollInterval;
    private MeterRegistry registry;

    SweepdMetrics(JobCounts counts, Clock clock, Supplier<Duration> pollInterval) {
        this.counts = Objects.requireNonNull(counts, "counts");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.jobsByState = new CachedAnswer<>(counts::byState, Duration.ofSeconds(1), clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (JobState state : JobState.values()) {
            Gauge.builder("sweepd.jobs", this, metrics -> metrics.jobsIn(state))
                    .description("Jobs in the ledger in this state")
                    .tag("state", state.name())
                    .register(registry);
        }
        FunctionCounter.builder("sweepd.submissions", this, SweepdMetrics::submissions)
                .description("Jobs handed to sbatch (every attempt), as the ledger's audit trail records them")
                .register(registry);
        Gauge.builder("sweepd.poll.interval", this, metrics -> metrics.pollInterval.get().toMillis() / 1000.0)
                .description("The wait before the next poll cycle: short while jobs change, longer while nothing does")
                .baseUnit("seconds")
                .register(registry);
    }

    /** A command ran: its latency, and an error when it did not succeed. */
    @Override
    public void accept(CommandResult result) {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        String command = result.spec().executableName();
        Timer.builder("sweepd.slurm.command")
                .description("Time a Slurm command took, by command")
                .tag("command", command)
                .register(meters)
                .record(result.took());
        if (!result.succeeded()) {
            Counter.builder("sweepd.slurm.command.errors")
                    .description("Slurm commands that exited non-zero, timed out or could not start")
                    .tag("command", command)
                    .tag("kind", errorKind(result))
                    .register(meters)
                    .increment();
        }
    }

    static String errorKind(CommandResult result) {
        if (result.timedOut()) {
            return "timeout";
        }
        return result.exitCode() == CommandResult.NOT_STARTED ? "not_started" : "exit";
    }

    /** NaN (no sample) while the ledger cannot answer, rather than a number that is not true. */
    private double jobsIn(JobState state) {
        try {
            return jobsByState.get().getOrDefault(state, 0L);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private double submissions() {
        try {
            return counts.submissions();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
