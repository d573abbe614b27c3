package io.sweepd.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sweepd's questions to Slurm, each one command through {@link CommandRunner}. Parsing lives in the *Parser
 * classes so it can be tested on recorded output.
 *
 * <p>Output shapes were checked against Slurm 22.05 (see src/test/resources/slurm/). squeue -t all shows finished
 * jobs until slurmctld purges them (MinJobAge); after that only sacct knows them.
 *
 * <p>squeue is read through {@code --json} (Slurm 21.08 and later). sacct and scontrol stay text, measured on
 * 22.05.8: {@code sacct --json} reports a job that exited 3 as {@code {"status": "SUCCESS", "return_code": 0}} and
 * {@code sacct -c --json} asks slurmdbd instead of reading the jobcomp file, and scontrol has no {@code --json}
 * before 23.02 (src/test/resources/slurm/json/sacct, json/scontrol).
 */
public class SlurmClient {

    private static final Logger LOG = LoggerFactory.getLogger(SlurmClient.class);

    /** How far back findByName asks sacct: a crash between ledger write and sbatch is found within this. */
    public static final Duration FIND_BY_NAME_LOOKBACK = Duration.ofDays(7);
    /** Job names sweepd gives: letters, digits and . _ - only (no comma: squeue/sacct --name splits on it). */
    private static final Pattern EXCLUDE = Pattern.compile("--exclude=[A-Za-z0-9._\\[\\],-]+");
    private static final Pattern JOB_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    /** Job ids per scancel call: far below any argv limit, and one call still covers a large sweep. */
    static final int CANCEL_IDS_PER_CALL = 500;

    /** Job ids as sweepd passes them on: plain, array ("12_3") or het ("12+1"); nothing that could be an option. */
    private static final Pattern JOB_ID = Pattern.compile("\\d+(?:[_+]\\d+)?");

    private final CommandRunner runner;
    private final SlurmTimeouts timeouts;
    private final String user;
    private final Clock clock;
    private final SacctParser sacctParser;
    private final ZoneId zone;

    public SlurmClient(CommandRunner runner, SlurmTimeouts timeouts) {
        this(runner, timeouts, System.getProperty("user.name"), Clock.systemDefaultZone());
    }

    /**
     * @param user  whose jobs squeue and sacct list; the daemon's own user
     * @param clock snapshot times, and the zone Slurm's zone-less timestamps are read in
     */
    public SlurmClient(CommandRunner runner, SlurmTimeouts timeouts, String user, Clock clock) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.user = Objects.requireNonNull(user, "user");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = clock.getZone();
        this.sacctParser = new SacctParser(zone);
    }

    /**
     * {@code sbatch --parsable SCRIPT}, run in the script's directory. Every option is a #SBATCH line in the script,
     * so the argv carries nothing from the sweep file.
     */
    public SubmitOutcome submit(Path scriptFile) {
        return sbatch(scriptFile, List.of());
    }

    /**
     * As {@link #submit(Path)}, naming this attempt: the name given here overrides the script's #SBATCH
     * --job-name, so every attempt of a job can be found by its own name after a crash.
     */
    public SubmitOutcome submit(Path scriptFile, String jobName) {
        return submit(scriptFile, jobName, List.of());
    }

    /** As {@link #submit(Path, String)}, with {@code --exclude=NODES} options for a retry that avoids nodes. */
    public SubmitOutcome submit(Path scriptFile, String jobName, List<String> options) {
        if (!JOB_NAME.matcher(jobName).matches()) {
            throw new IllegalArgumentException("not a job name sweepd submits: " + jobName);
        }
        for (String option : options) {
            if (!EXCLUDE.matcher(option).matches()) {
                throw new IllegalArgumentException("not an option sweepd passes to sbatch: " + option);
            }
        }
        List<String> all = new ArrayList<>(options);
        all.add(0, "--job-name=" + jobName);
        return sbatch(scriptFile, all);
    }

    private SubmitOutcome sbatch(Path scriptFile, List<String> options) {
        Path script = scriptFile.toAbsolutePath().normalize();
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable"));
        argv.addAll(options);
        argv.add(script.toString());
        CommandResult result = runner.run(new CommandSpec(argv, timeouts.submit(), script.getParent()));
        return SbatchParser.parse(result);
    }

    /**
     * All of this user's jobs in ONE squeue call, narrowed to names starting with {@code jobNamePrefix} here (squeue
     * matches whole names only). A failure (controller down, timeout) is returned in the snapshot, not thrown.
     */
    public QueueSnapshot queue(String jobNamePrefix) {
        Objects.requireNonNull(jobNamePrefix, "jobNamePrefix");
        QueueSnapshot all = squeue();
        if (!all.ok()) {
            return all;
        }
        List<SlurmJobInfo> rows = all.jobs().values().stream()
                .filter(job -> job.jobName().startsWith(jobNamePrefix))
                .toList();
        return QueueSnapshot.of(all.takenAt(), rows);
    }

    /**
     * {@code squeue --json --states=all --me [filters]}: 22.05 ignores the filters (the parser narrows to this user),
     * Slurm 24.05.1 and later apply them, where --states=all keeps finished jobs in the answer. An unreachable
     * controller is an {@code errors} entry after exit 0 on 22.05, and "slurm_load_jobs error: ..." on stderr with
     * exit 1 on 24.05 (src/squeue/squeue.c), as in text mode.
     */
    private QueueSnapshot squeue(String... filters) {
        List<String> argv = new ArrayList<>(List.of("squeue", "--json", "--states=all", "--me"));
        argv.addAll(List.of(filters));
        // The answer goes to a file and is read from it as a stream: on 22.05 it is every user's jobs, which on a
        // busy cluster is more than the daemon's heap (SqueueParser#parse(Path, ...)).
        Path answer;
        try {
            answer = Files.createTempFile("sweepd-squeue-", ".json");
        } catch (IOException e) {
            return QueueSnapshot.failed(clock.instant(), new SlurmFailure(FailureKind.TRANSIENT,
                    "cannot create a file for squeue's answer: " + e.getMessage()));
        }
        try {
            CommandResult result = runner.run(new CommandSpec(argv, timeouts.query(), null).withStdoutTo(answer));
            if (!result.succeeded()) {
                return QueueSnapshot.failed(clock.instant(), SlurmErrors.failure(result));
            }
            return SqueueParser.parse(answer, user, clock.instant());
        } finally {
            try {
                Files.deleteIfExists(answer);
            } catch (IOException e) {
                LOG.warn("cannot delete {}: {}", answer, e.getMessage());
            }
        }
    }

    /**
     * The job's record from slurmdbd; when slurmdbd cannot be asked, does not know the job, or still shows it live,
     * from the jobcomp file ({@code sacct -c}), which holds finished jobs even without a database.
     *
     * @return empty when the sources that answered do not know the job
     * @throws SlurmUnavailableException when neither source could be asked
     */
    public Optional<SlurmJobInfo> accounting(String jobId) {
        requireJobId(jobId);
        CommandResult db = runner.run(CommandSpec.of(timeouts.query(), "sacct", "--jobs=" + jobId, "--allocations",
                "--noheader", "--parsable2", "--format=" + SacctParser.FIELDS));
        Optional<SlurmJobInfo> fromDb = db.succeeded() ? latest(sacctParser.parse(db.stdout()), jobId)
                : Optional.empty();
        if (fromDb.isPresent() && fromDb.get().state().ended()) {
            return fromDb;
        }
        // The database is down, or lags behind the controller (a job that left the queue still RUNNING there):
        // the jobcomp file only ever holds finished jobs.
        CommandResult jobcomp = runner.run(CommandSpec.of(timeouts.query(), "sacct", "--completion",
                "--jobs=" + jobId, "--allocations", "--noheader", "--parsable2", "--format=" + SacctParser.FIELDS));
        Optional<SlurmJobInfo> fromJobcomp = jobcomp.succeeded() ? latest(sacctParser.parse(jobcomp.stdout()), jobId)
                : Optional.empty();
        if (fromJobcomp.isPresent()) {
            return fromJobcomp;
        }
        if (db.succeeded() || jobcomp.succeeded()) {
            return fromDb; // a source answered; empty means nothing knows the job
        }
        throw new SlurmUnavailableException(SlurmErrors.failure(db));
    }

    /**
     * The raw {@code scontrol show job} text, kept as evidence; parse it with {@link ScontrolParser}.
     *
     * @return empty when slurmctld does not know the job (never did, or purged it after MinJobAge)
     * @throws SlurmUnavailableException when slurmctld could not be asked
     */
    public Optional<String> showJob(String jobId) {
        requireJobId(jobId);
        CommandResult result = runner.run(CommandSpec.of(timeouts.query(), "scontrol", "show", "job", jobId));
        if (result.succeeded()) {
            return Optional.of(result.stdout());
        }
        if (SlurmErrors.isInvalidJobId(result)) {
            return Optional.empty();
        }
        throw new SlurmUnavailableException(SlurmErrors.failure(result));
    }

    /** {@link #showJob} parsed into a {@link SlurmJobInfo}. */
    public Optional<SlurmJobInfo> showJobInfo(String jobId) {
        return showJob(jobId).flatMap(text -> ScontrolParser.toJobInfo(ScontrolParser.parse(text), zone));
    }

    /**
     * Every job of this user with exactly this name: squeue first (live and recently finished), then sacct over the
     * last {@link #FIND_BY_NAME_LOOKBACK} (the jobcomp file when slurmdbd cannot be asked). Used after a crash
     * between the ledger write and sbatch's answer, to find the job sbatch may have created. A refused sbatch also
     * leaves a job (FAILED, reason BadConstraints), which this returns too. Ordered by job id.
     *
     * @throws SlurmUnavailableException when squeue, or both sacct sources, could not be asked
     */
    public List<SlurmJobInfo> findByName(String jobName) {
        requireJobName(jobName);
        QueueSnapshot queued = squeue("--name=" + jobName);
        if (!queued.ok()) {
            throw new SlurmUnavailableException(queued.failure());
        }
        Map<String, SlurmJobInfo> byId = new LinkedHashMap<>();
        for (SlurmJobInfo job : queued.jobs().values()) {
            if (job.jobName().equals(jobName)) {
                byId.put(job.jobId(), job);
            }
        }
        String since = "now-" + FIND_BY_NAME_LOOKBACK.toDays() + "days";
        CommandResult db = runner.run(CommandSpec.of(timeouts.query(), "sacct", "--name=" + jobName,
                "--user=" + user, "--starttime=" + since, "--allocations", "--noheader", "--parsable2",
                "--format=" + SacctParser.FIELDS));
        CommandResult accounted = db;
        if (!db.succeeded()) {
            // sacct -c ignores --name (measured on 22.05): the name filter below does the narrowing.
            accounted = runner.run(CommandSpec.of(timeouts.query(), "sacct", "--completion", "--user=" + user,
                    "--starttime=" + since, "--allocations", "--noheader", "--parsable2",
                    "--format=" + SacctParser.FIELDS));
            if (!accounted.succeeded()) {
                throw new SlurmUnavailableException(SlurmErrors.failure(db));
            }
        }
        for (SlurmJobInfo job : sacctParser.parse(accounted.stdout())) {
            if (job.jobName().equals(jobName)) {
                byId.putIfAbsent(job.jobId(), job); // squeue's view of a job it still holds is the fresher one
            }
        }
        List<SlurmJobInfo> jobs = new ArrayList<>(byId.values());
        jobs.sort(Comparator.comparing(SlurmJobInfo::jobId, SlurmClient::compareJobIds));
        return List.copyOf(jobs);
    }

    /** Names per squeue/sacct {@code --name} call: a few kB of argv, far below any limit. */
    static final int NAMES_PER_CALL = 200;
    private static final java.time.format.DateTimeFormatter SACCT_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /**
     * {@link #findByName} for many names at once, for the submitter's check before sbatch: ONE squeue call for all of
     * them, then ONE sacct call for the names squeue does not hold (per {@value #NAMES_PER_CALL} names), looking back
     * to {@code since} only (no job of a name sweepd gives can have started before the ledger row that named it).
     * When slurmdbd cannot be asked, the jobcomp file is read instead ({@code sacct -c}, which ignores --name).
     *
     * @return the jobs found per name, each list ordered by job id; names with no job are absent
     * @throws SlurmUnavailableException when squeue, or both sacct sources, could not be asked: whether a job of one
     *                                   of the names exists is then unknown
     */
    public Map<String, List<SlurmJobInfo>> findByNames(Collection<String> jobNames, java.time.Instant since) {
        List<String> names = List.copyOf(new LinkedHashSet<>(jobNames));
        names.forEach(SlurmClient::requireJobName);
        Map<String, Map<String, SlurmJobInfo>> found = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return Map.of();
        }
        java.util.Set<String> wanted = java.util.Set.copyOf(names);
        // One squeue whatever the count: with more names than fit one --name, all of this user's jobs (what 22.05
        // answers anyway, ignoring --name), narrowed here.
        QueueSnapshot queued = names.size() <= NAMES_PER_CALL ? squeue("--name=" + String.join(",", names)) : squeue();
        if (!queued.ok()) {
            throw new SlurmUnavailableException(queued.failure());
        }
        for (SlurmJobInfo job : queued.jobs().values()) {
            if (wanted.contains(job.jobName())) {
                found.computeIfAbsent(job.jobName(), name -> new LinkedHashMap<>()).put(job.jobId(), job);
            }
        }
        List<String> rest = names.stream().filter(name -> !found.containsKey(name)).toList();
        String start = SACCT_TIME.format(java.time.LocalDateTime.ofInstant(since, zone));
        for (int from = 0; from < rest.size(); from += NAMES_PER_CALL) {
            List<String> chunk = rest.subList(from, Math.min(rest.size(), from + NAMES_PER_CALL));
            CommandResult db = runner.run(CommandSpec.of(timeouts.query(), "sacct", "--name=" + String.join(",", chunk),
                    "--user=" + user, "--starttime=" + start, "--allocations", "--noheader", "--parsable2",
                    "--format=" + SacctParser.FIELDS));
            CommandResult accounted = db;
            if (!db.succeeded()) {
                accounted = runner.run(CommandSpec.of(timeouts.query(), "sacct", "--completion", "--user=" + user,
                        "--starttime=" + start, "--allocations", "--noheader", "--parsable2",
                        "--format=" + SacctParser.FIELDS));
                if (!accounted.succeeded()) {
                    throw new SlurmUnavailableException(SlurmErrors.failure(db));
                }
            }
            java.util.Set<String> inChunk = java.util.Set.copyOf(chunk);
            for (SlurmJobInfo job : sacctParser.parse(accounted.stdout())) {
                if (inChunk.contains(job.jobName())) {
                    found.computeIfAbsent(job.jobName(), name -> new LinkedHashMap<>()).putIfAbsent(job.jobId(), job);
                }
            }
        }
        Map<String, List<SlurmJobInfo>> byName = new LinkedHashMap<>();
        found.forEach((name, jobs) -> {
            List<SlurmJobInfo> sorted = new ArrayList<>(jobs.values());
            sorted.sort(Comparator.comparing(SlurmJobInfo::jobId, SlurmClient::compareJobIds));
            byName.put(name, List.copyOf(sorted));
        });
        return byName;
    }

    /** {@code scontrol ping}: whether slurmctld answers, for the daemon's start-up check. Never throws. */
    public ControllerPing ping() {
        return ControllerPing.parse(runner.run(CommandSpec.of(timeouts.query(), "scontrol", "ping")));
    }

    /** {@code scancel ID}. Slurm 22.05 exits 0 for a job that already ended or that it does not know. */
    public CommandResult cancel(String jobId) {
        return cancel(List.of(jobId)).get(0);
    }

    /**
     * {@code scancel ID ID ...}: many jobs in one call (a call per {@value #CANCEL_IDS_PER_CALL} ids), since each call
     * costs a process and a round trip to slurmctld. Slurm 22.05 cancels every job it can and exits 0 also when one of
     * them already ended or is unknown (measured on the local cluster).
     *
     * @return one result per call, in order; each call's ids are its argv after {@code scancel}
     */
    public List<CommandResult> cancel(Collection<String> jobIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(jobIds));
        ids.forEach(SlurmClient::requireJobId);
        List<CommandResult> results = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CANCEL_IDS_PER_CALL) {
            List<String> argv = new ArrayList<>(List.of("scancel"));
            argv.addAll(ids.subList(from, Math.min(ids.size(), from + CANCEL_IDS_PER_CALL)));
            results.add(runner.run(new CommandSpec(argv, timeouts.cancel(), null)));
        }
        return List.copyOf(results);
    }

    /** sacct lists a requeued job once per run with -D; without it, the last row for the id is the current one. */
    private static Optional<SlurmJobInfo> latest(List<SlurmJobInfo> rows, String jobId) {
        SlurmJobInfo found = null;
        for (SlurmJobInfo row : rows) {
            if (row.jobId().equals(jobId)) {
                found = row;
            }
        }
        return Optional.ofNullable(found);
    }

    private static int compareJobIds(String a, String b) {
        String[] x = a.split("[_+]", 2);
        String[] y = b.split("[_+]", 2);
        int byNumber = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return byNumber != 0 ? byNumber : a.compareTo(b);
    }

    private static void requireJobId(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("Not a Slurm job id: '" + jobId + "'");
        }
    }

    private static void requireJobName(String jobName) {
        // --name takes a comma-separated list; a comma would silently turn one name into two.
        if (jobName == null || jobName.isBlank() || jobName.contains(",") || jobName.contains("\n")) {
            throw new IllegalArgumentException("Not a usable job name for --name: '" + jobName + "'");
        }
    }
}
