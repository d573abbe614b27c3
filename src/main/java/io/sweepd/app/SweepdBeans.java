package io.sweepd.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.sweepd.exec.CommandRunner;
import io.sweepd.jobs.CompletedJobHandler;
import io.sweepd.json.Json;
import io.sweepd.jobs.FailureArchiver;
import io.sweepd.jobs.FailureHandler;
import io.sweepd.jobs.JobRetries;
import io.sweepd.jobs.JobSettling;
import io.sweepd.jobs.JobSubmitter;
import io.sweepd.jobs.JobPhases;
import io.sweepd.jobs.JobTracker;
import io.sweepd.jobs.PollPacer;
import io.sweepd.jobs.SweepStatus;
import io.sweepd.files.FileModes;
import io.sweepd.jobs.RunRecorder;
import io.sweepd.ledger.Ledger;
import io.sweepd.notify.Notifier;
import io.sweepd.plan.Planner;
import io.sweepd.sweep.SweepParser;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.report.BaselineComparison;
import io.sweepd.report.RunReports;
import io.sweepd.results.EvalThresholds;
import io.sweepd.results.JobResultsCollector;
import io.sweepd.schedule.ScheduleFolder;
import io.sweepd.schedule.Schedules;
import io.sweepd.slurm.SlurmClient;
import io.sweepd.slurm.SlurmTimeouts;
import io.sweepd.triage.SignatureCatalog;
import io.sweepd.triage.Triage;
import io.sweepd.web.ServedFiles;
import io.sweepd.web.StatusEndpoints;
import io.sweepd.web.StatusViews;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.Configuration;

import java.time.Clock;
import java.time.Duration;

/**
 * The daemon's wiring: every bean the routes call, by the name the routes use. Settings come resolved from
 * {@link SweepdSettings}, so the CLI and the daemon build the same objects the same way.
 */
@Configuration
public class SweepdBeans implements CamelConfiguration, AutoCloseable {

    private final SweepdSettings settings;
    private final Clock clock = Clock.systemDefaultZone();
    private final ProfileCatalog profiles;
    private final Ledger ledger;
    private final CommandRunner commands;
    private final SlurmClient slurm;
    private final JobSubmitter submitter;
    private final Schedules schedules;
    private final ScheduleRoutes scheduleRoutes;
    private final SweepdMetrics metrics;
    private final PollPacer pollPacer;
    private final Inbox inbox;

    public SweepdBeans(SweepdSettings settings) {
        this(settings, LedgerFactory.open(settings));
    }

    /** Wiring around a ledger already opened (the daemon's start-up check opens it); closed with this. */
    public SweepdBeans(SweepdSettings settings, Ledger ledger) {
        this(settings, ledger, CommandRunnerFactory.runner(settings));
    }

    /** Wiring whose Slurm commands run through the given runner (route tests pass canned Slurm answers). */
    public SweepdBeans(SweepdSettings settings, Ledger ledger, CommandRunner commands) {
        this.settings = settings;
        this.profiles = PlannerFactory.profiles(settings);
        this.ledger = ledger;
        this.commands = commands;
        this.slurm = new SlurmClient(commands, SlurmTimeouts.defaults());
        this.submitter = new JobSubmitter(ledger.jobs(), slurm, clock, profile -> profiles.byName(profile)
                .map(ClusterProfile::limits).orElse(ClusterProfile.Limits.UNLIMITED),
                Math.toIntExact(settings.getLong("sweepd.submit.parallelism")));
        // A schedules file is read once it has stayed unchanged as long as an inbox file must.
        this.schedules = new Schedules(ledger, new ScheduleFolder(settings.schedules(),
                Duration.ofMillis(settings.getLong("sweepd.intake.read-lock-check-interval-ms")), clock));
        this.scheduleRoutes = new ScheduleRoutes(ledger.schedules());
        this.pollPacer = new PollPacer(Duration.ofMillis(settings.getLong("sweepd.poll.interval-ms")),
                Duration.ofMillis(settings.getLong("sweepd.poll.idle-interval-ms")), clock);
        this.metrics = new SweepdMetrics(ledger.jobCounts(), clock, pollPacer::interval);
        // One inbox for the file filter and the intake steps: it remembers how long each hand-dropped file has
        // stayed unchanged.
        this.inbox = new Inbox(settings.inbox(), Duration.ofMillis(settings.getLong("sweepd.inbox.stable-ms")),
                Boolean.parseBoolean(settings.get("sweepd.inbox.allow-other-owners")), fileModes(), clock);
        commands.addListener(metrics);
    }

    @BindToRegistry("intake")
    public IntakeSteps intake() {
        return new IntakeSteps(inbox, fileModes(), sweepParser());
    }

    /** sweep-intake's file filter: whole, plain sweep files only (the inbox refuses links, fifos, odd names). */
    @BindToRegistry("inboxGate")
    public InboxGate inboxGate() {
        return new InboxGate(inbox);
    }

    private FileModes fileModes() {
        return settings.fileModes();
    }

    /** Reads sweeps within the sweepd.intake.max-* limits; intake asks it about a file's size before reading it. */
    @BindToRegistry("sweepParser")
    public SweepParser sweepParser() {
        return new SweepParser(PlannerFactory.sweepLimits(settings));
    }

    @BindToRegistry("planner")
    public Planner planner() {
        return PlannerFactory.create(settings, profiles);
    }

    /** The planning routes' split gathers its points back with this, in matrix order. */
    @BindToRegistry("inMatrixOrder")
    public InMatrixOrder inMatrixOrder() {
        return new InMatrixOrder();
    }

    @BindToRegistry("runs")
    public RunRecorder runs() {
        return new RunRecorder(ledger, profiles, settings.outputs(), fileModes());
    }

    /** Cron schedules: registration, the schedules folder, and what a firing does. */
    @BindToRegistry("schedules")
    public Schedules schedules() {
        return schedules;
    }

    /** One Quartz route per schedule in the ledger, kept in line with it. */
    @BindToRegistry("scheduleRoutes")
    public ScheduleRoutes scheduleRoutes() {
        return scheduleRoutes;
    }

    @BindToRegistry("submitter")
    public JobSubmitter submitter() {
        return submitter;
    }

    @BindToRegistry("tracker")
    public JobTracker tracker() {
        return new JobTracker(ledger.jobs(), slurm, submitter, clock);
    }

    /** When the next poll cycle is due (routes/job-poll.camel.yaml asks it on every tick). */
    @BindToRegistry("pollPacer")
    public PollPacer pollPacer() {
        return pollPacer;
    }

    @BindToRegistry("failures")
    public FailureHandler failures() {
        return new FailureHandler(ledger.jobs(), new Triage(SignatureCatalog.shipped()), new FailureArchiver(),
                new JobRetries(ledger.jobs()), submitter, profiles::byName);
    }

    @BindToRegistry("settling")
    public JobSettling settling() {
        return new JobSettling(ledger.jobs(), clock,
                Duration.ofMillis(Long.parseLong(settings.get("sweepd.settle.backoff-ms"))));
    }

    @BindToRegistry("collector")
    public CompletedJobHandler collector() {
        return new CompletedJobHandler(ledger,
                new JobResultsCollector(EvalThresholds.parse(settings.get("sweepd.eval.thresholds"))));
    }

    @BindToRegistry("reports")
    public RunReports reports() {
        return new RunReports(ledger, settings.reports(), profile -> profiles.byName(profile)
                .map(p -> p.hardware().gpu()).orElse(null), BaselineComparison.DEFAULT_TOLERANCE, clock,
                Duration.ofMillis(Long.parseLong(settings.get("sweepd.report.interim-interval-ms"))), fileModes());
    }

    /** What routes/notify.camel.yaml calls: the sweepd.notify.* targets (none by default). */
    @BindToRegistry("notifier")
    public Notifier notifier() {
        return NotifierFactory.create(settings, ledger, commands, clock, System.getenv());
    }

    /**
     * The JSON a route writes (triage.json): camel-jackson with sweepd's one mapper ({@link Json#MAPPER}, copied
     * so the data format's start-up settings cannot touch the shared instance), indented like every JSON file
     * people read ({@link Json#PRETTY}).
     */
    @BindToRegistry("prettyJson")
    public JacksonDataFormat prettyJson() {
        JacksonDataFormat format = new JacksonDataFormat();
        format.setObjectMapper(Json.MAPPER.copy());
        format.setPrettyPrint(true);
        format.setUseDefaultObjectMapper(false);
        format.setAutoDiscoverObjectMapper(false);
        return format;
    }

    /** What the status server's routes ask (routes/status-http.camel.yaml). */
    @BindToRegistry("status")
    public StatusEndpoints status() {
        ServedFiles files = new ServedFiles(ledger, settings.reports());
        return new StatusEndpoints(new StatusViews(new SweepStatus(ledger, clock), new JobPhases(ledger.results()),
                files), files, clock);
    }

    /** Readiness: a Slurm controller answers (cached, so probes cost one scontrol ping per period). */
    @BindToRegistry("slurmHealth")
    public SlurmHealthCheck slurmHealth() {
        return new SlurmHealthCheck(new CachedAnswer<>(slurm::ping,
                Duration.ofMillis(settings.getLong("sweepd.http.slurm-check-cache-ms")), clock));
    }

    /** Readiness: the ledger takes a write. */
    @BindToRegistry("ledgerHealth")
    public LedgerHealthCheck ledgerHealth() {
        return new LedgerHealthCheck(ledger.writeCheck());
    }

    /**
     * sweepd's own meters ({@link SweepdMetrics}) join the registry Camel's Prometheus support
     * (camel-micrometer-prometheus, on when the status server is) creates and binds as {@code metricsRegistry}
     * while the context starts, so they share one scrape at /observe/metrics. Without it they are not recorded.
     */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        camelContext.addStartupListener((context, alreadyStarted) -> {
            MeterRegistry registry = context.getRegistry().lookupByNameAndType("metricsRegistry",
                    MeterRegistry.class);
            if (registry != null) {
                metrics.bindTo(registry);
            }
        });
    }

    /** The ledger this wiring opened (the CLI and tests read it; no route needs it). */
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public void close() {
        ledger.close();
    }
}
