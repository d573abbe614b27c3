package io.sweepd.jobs;

import io.sweepd.core.JobState;
import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandSpec;
import io.sweepd.exec.ProcessLauncher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Canned Slurm 22.05 for the jobs tests: sbatch, squeue --json, sacct, scontrol and scancel answer in the output
 * shapes recorded from the real cluster (src/test/resources/slurm/), from rows the test sets. Nothing is scheduled
 * here: a job is in squeue or sacct only when the test puts it there. sacct's times are printed in UTC, the tests'
 * clock zone; squeue's are UNIX seconds.
 */
final class FakeSlurm implements ProcessLauncher {

    /** What sbatch prints when the controller is down (recorded): a transient refusal. */
    static final String SBATCH_CONTROLLER_DOWN =
            "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n";
    /** A refusal that no retry fixes (recorded). */
    static final String SBATCH_INVALID_PARTITION = "sbatch: error: invalid partition specified: nope\n"
            + "sbatch: error: Batch job submission failed: Invalid partition name specified\n";
    /** The controller took the request but the answer was lost: the job may exist. */
    static final String SBATCH_SOCKET_TIMEOUT =
            "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation\n";
    /** What squeue --json prints when the controller is down (recorded): exit 0, an errors entry, no jobs. */
    static final String SQUEUE_CONTROLLER_DOWN = "{\"errors\": [{\"description\": \"Failed while looking for jobs\","
            + " \"error_number\": -1, \"error\": \"Unspecified error\", \"source\": \"slurm_load_jobs\"}],"
            + " \"jobs\": []}\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How squeue and sacct print times: local wall clock, no zone. */
    private static final DateTimeFormatter SLURM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final String INVALID_JOB_ID = "slurm_load_jobs error: Invalid job id specified\n";

    private record Reply(int exit, String stdout, String stderr, boolean timedOut) {
    }

    /** One job as sbatch received it. */
    record Submission(String jobId, String jobName, String script) {
    }

    private final Deque<Reply> sbatchReplies = new ArrayDeque<>();
    private final Map<String, ObjectNode> queue = new LinkedHashMap<>();
    private final Map<String, String> accounting = new LinkedHashMap<>();
    private final List<Submission> submissions = Collections.synchronizedList(new ArrayList<>());
    private final List<CommandSpec> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean controllerDown;
    private volatile String scancelError;
    private volatile Consumer<CommandSpec> duringSbatch = spec -> { };
    /** Job ids whose scontrol look-up throws, as an unexpected failure inside sweepd would. */
    private final Set<String> brokenLookups = ConcurrentHashMap.newKeySet();
    private int nextJobId = 100;
    /** sbatch calls running now, and the most that ever ran at once (the submitter runs them in parallel). */
    private final AtomicInteger inSbatch = new AtomicInteger();
    private final AtomicInteger mostInSbatch = new AtomicInteger();

    // ------------------------------------------------------------------ what the test sets

    /** The next sbatch calls exit with this status and stderr (in order); afterwards sbatch accepts jobs again. */
    synchronized FakeSlurm sbatchFails(int exit, String stderr) {
        sbatchReplies.add(new Reply(exit, "", stderr, false));
        return this;
    }

    /** The next sbatch call runs past its timeout. */
    synchronized FakeSlurm sbatchTimesOut() {
        sbatchReplies.add(new Reply(143, "", "", true));
        return this;
    }

    /** Runs while sbatch "runs", before it answers: what another thread could do in that window. */
    FakeSlurm duringSbatch(Consumer<CommandSpec> action) {
        this.duringSbatch = action;
        return this;
    }

    /** scancel exits 1 with this on stderr (null: it cancels again). */
    FakeSlurm scancelFails(String stderr) {
        this.scancelError = stderr;
        return this;
    }

    /** squeue (and sbatch) cannot reach slurmctld, as after the controller died. */
    FakeSlurm controllerDown(boolean down) {
        this.controllerDown = down;
        return this;
    }

    /** A pending job: squeue prints 0 for its start and end. */
    synchronized FakeSlurm pending(String jobId, String name, String reason) {
        queue.put(jobId, row(jobId, name, "PENDING", reason, "", null, null));
        return this;
    }

    /** A running job; its end_time is the expected end (start plus the time limit), not an end. */
    synchronized FakeSlurm running(String jobId, String name, Instant start) {
        queue.put(jobId, row(jobId, name, "RUNNING", "None", "gpu-node1", start, start.plus(Duration.ofMinutes(15))));
        return this;
    }

    /**
     * A finished job that slurmctld still holds (squeue lists it until MinJobAge), with the wait status Slurm
     * recorded for such a job: exit 1 when FAILED, signal 15 when CANCELLED, else 0.
     */
    synchronized FakeSlurm ended(String jobId, String name, String state, String reason, Instant start, Instant end) {
        ObjectNode row = row(jobId, name, state, reason, "gpu-node1", start, end);
        row.put("exit_code", switch (state) {
            case "FAILED" -> 1 << 8;
            case "CANCELLED" -> 15;
            default -> 0;
        });
        queue.put(jobId, row);
        return this;
    }

    /** One job as squeue --json prints it on 22.05 (the fields sweepd reads). */
    private static ObjectNode row(String jobId, String name, String state, String reason, String nodes, Instant start,
                                  Instant end) {
        ObjectNode job = JSON.createObjectNode().put("job_id", Long.parseLong(jobId)).put("name", name)
                .put("user_name", "root").put("job_state", state).put("state_reason", reason).put("nodes", nodes)
                .put("exit_code", 0);
        job.put("start_time", start == null ? 0 : start.getEpochSecond());
        job.put("end_time", end == null ? 0 : end.getEpochSecond());
        return job;
    }

    /** slurmctld forgot the job (MinJobAge passed). */
    synchronized FakeSlurm purged(String jobId) {
        queue.remove(jobId);
        return this;
    }

    /** The job's row in accounting (sacct, slurmdbd and the jobcomp file alike). */
    synchronized FakeSlurm accounted(String jobId, String name, String state, String exitCode, Instant start,
                                     Instant end) {
        accounting.put(jobId, String.join("|", jobId, state, exitCode, "00:00:05", time(start),
                end == null ? "Unknown" : time(end), "gpu-node1", "None", name));
        return this;
    }

    // ------------------------------------------------------------------ what the test reads

    /** Forgets the calls so far: what a test reads next is what came after. */
    void forgetCalls() {
        calls.clear();
    }

    List<CommandSpec> calls() {
        return List.copyOf(calls);
    }

    List<List<String>> argvs(String program) {
        return calls().stream().filter(c -> c.executableName().equals(program)).map(CommandSpec::argv).toList();
    }

    List<Submission> submissions() {
        return List.copyOf(submissions);
    }

    /** Looking up this job with scontrol throws (true) or works again (false). */
    FakeSlurm breakLookup(String jobId, boolean broken) {
        if (broken) {
            brokenLookups.add(jobId);
        } else {
            brokenLookups.remove(jobId);
        }
        return this;
    }

    /** The ids scancel was given, in order, however many each call named. */
    List<String> cancelled() {
        return argvs("scancel").stream().flatMap(argv -> argv.stream().skip(1).filter(a -> !a.startsWith("-")))
                .toList();
    }

    /** sbatch calls running at this moment. */
    int sbatchRunning() {
        return inSbatch.get();
    }

    /** The most sbatch calls that ever ran at once. */
    int mostSbatchAtOnce() {
        return mostInSbatch.get();
    }

    // ------------------------------------------------------------------ the commands

    @Override
    public CommandResult launch(CommandSpec spec) {
        calls.add(spec);
        return switch (spec.executableName()) {
            case "sbatch" -> sbatch(spec);
            case "squeue" -> squeue(spec);
            case "sacct" -> sacct(spec);
            case "scontrol" -> scontrol(spec);
            case "scancel" -> scancelError == null ? result(spec, 0, "", "") : result(spec, 1, "", scancelError);
            default -> throw new AssertionError("unexpected command " + spec.argv());
        };
    }

    private CommandResult sbatch(CommandSpec spec) {
        mostInSbatch.accumulateAndGet(inSbatch.incrementAndGet(), Math::max);
        try {
            return answerSbatch(spec);
        } finally {
            inSbatch.decrementAndGet();
        }
    }

    private CommandResult answerSbatch(CommandSpec spec) {
        duringSbatch.accept(spec);
        Reply reply;
        String jobId;
        synchronized (this) {
            reply = sbatchReplies.poll();
            jobId = String.valueOf(nextJobId++);
        }
        if (reply != null) {
            return new CommandResult(spec, reply.exit(), reply.stdout(), reply.stderr(), reply.timedOut(),
                    Duration.ofMillis(3));
        }
        if (controllerDown) {
            return result(spec, 1, "", SBATCH_CONTROLLER_DOWN);
        }
        String name = option(spec, "--job-name=").orElse("sbatch");
        submissions.add(new Submission(jobId, name, spec.argv().get(spec.argv().size() - 1)));
        return result(spec, 0, jobId + "\n", "");
    }

    /** As 22.05 does: --name (and every other filter) is ignored, the whole queue comes back. */
    private synchronized CommandResult squeue(CommandSpec spec) {
        if (controllerDown) {
            return result(spec, 0, SQUEUE_CONTROLLER_DOWN, "");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.putArray("errors");
        answer.putArray("jobs").addAll(queue.values());
        return result(spec, 0, answer.toPrettyString(), "");
    }

    private synchronized CommandResult sacct(CommandSpec spec) {
        Optional<String> jobs = option(spec, "--jobs=");
        Optional<String> name = option(spec, "--name=");
        String rows = accounting.entrySet().stream()
                .filter(e -> jobs.isEmpty() || e.getKey().equals(jobs.get()))
                .filter(e -> name.isEmpty() || Set.of(name.get().split(",")).contains(
                        e.getValue().substring(e.getValue().lastIndexOf('|') + 1)))
                .map(e -> e.getValue() + "\n").collect(Collectors.joining());
        return result(spec, 0, rows, "");
    }

    private synchronized CommandResult scontrol(CommandSpec spec) {
        String jobId = spec.argv().get(spec.argv().size() - 1);
        if (brokenLookups.contains(jobId)) {
            throw new IllegalStateException("simulated failure looking up job " + jobId);
        }
        ObjectNode row = queue.get(jobId);
        if (row == null) {
            return result(spec, 1, "", INVALID_JOB_ID);
        }
        return result(spec, 0, "JobId=" + jobId + " JobName=" + row.path("name").asText() + "\n   JobState="
                + row.path("job_state").asText() + " Reason=" + row.path("state_reason").asText()
                + " Dependency=(null)\n", "");
    }

    private static Optional<String> option(CommandSpec spec, String prefix) {
        return spec.argv().stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length()))
                .findFirst();
    }

    private static CommandResult result(CommandSpec spec, int exit, String stdout, String stderr) {
        return new CommandResult(spec, exit, stdout, stderr, false, Duration.ofMillis(3));
    }

    static String time(Instant at) {
        return SLURM_TIME.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }
}
