package io.sweepd.notify;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandRunner;
import io.sweepd.exec.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code sweepd.notify.command} target: the configured argv, run through {@link CommandRunner} like every
 * command, with the notification's JSON on stdin and a few {@code SWEEPD_*} variables in its environment. Values
 * that come from a sweep file (its name, hence the run id) reach the program as data only: in stdin and in
 * environment variables, never in its command line and never through a shell.
 */
public final class NotifyCommand {

    private final CommandRunner runner;
    private final List<String> argv;
    private final Duration timeout;
    private final Path workingDir;

    /** @param workingDir where the command runs (sweepd's home, so a relative path means the same every time) */
    public NotifyCommand(CommandRunner runner, List<String> argv, Duration timeout, Path workingDir) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a notification command needs a program");
        }
        this.runner = runner;
        this.argv = List.copyOf(argv);
        this.timeout = timeout;
        this.workingDir = workingDir;
    }

    /** Runs the command once; a non-zero exit, a timeout or a missing program is {@link NotificationNotDelivered}. */
    public void deliver(Notification notification, String json) {
        CommandResult result = runner.run(new CommandSpec(argv, timeout, workingDir)
                .withEnvironment(environment(notification)).withInput(json));
        if (!result.succeeded()) {
            throw new NotificationNotDelivered("command " + argv.get(0) + (result.timedOut()
                    ? " ran past its timeout of " + timeout.toMillis() + " ms"
                    : " exited " + result.exitCode() + ": " + result.firstErrorLine()));
        }
    }

    /** What the command may read without parsing the JSON. */
    static Map<String, String> environment(Notification notification) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SWEEPD_EVENT", notification.event());
        env.put("SWEEPD_RUN_ID", notification.runId());
        env.put("SWEEPD_SWEEP", notification.sweep());
        env.put("SWEEPD_STATE", notification.state());
        if (notification.job() != null) {
            env.put("SWEEPD_JOB_KEY", notification.job().jobKey());
            if (notification.job().slurmJobId() != null) {
                env.put("SWEEPD_SLURM_JOB_ID", notification.job().slurmJobId());
            }
        }
        env.put("SWEEPD_REPORT", notification.report());
        env.values().removeIf(Objects::isNull);
        return env;
    }
}
