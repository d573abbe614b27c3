package io.sweepd.slurm;

import java.util.List;
import java.util.Objects;

import io.sweepd.exec.CommandResult;

/**
 * What {@code scontrol ping} said. scontrol prints one line per configured controller,
 * {@code Slurmctld(primary) at HOST is UP} (or {@code DOWN}; backups are {@code backup}, {@code backup2}, ...), and
 * exits 1 only when none answered (src/scontrol/scontrol.c, _ping_slurmctld); run as root it adds a
 * "RESTORE SLURMCTLD DAEMON TO SERVICE" banner, which is ignored here.
 *
 * @param reach       the verdict
 * @param controllers scontrol's status lines, as printed; empty when it printed none
 * @param message     what to show a person: the status lines, or scontrol's own error line
 */
public record ControllerPing(Reach reach, List<String> controllers, String message) {

    public enum Reach {
        /** At least one controller answered. */
        UP,
        /** No controller answered: every one DOWN, a timeout, or a transient error (configless fetch, munge). */
        DOWN,
        /** scontrol could not be started: Slurm's commands are not installed or not on PATH. */
        NO_COMMAND,
        /** scontrol ran and printed no status line for a reason no retry fixes, e.g. a slurm.conf it cannot parse. */
        FAILED
    }

    public ControllerPing {
        Objects.requireNonNull(reach, "reach");
        controllers = List.copyOf(controllers);
        Objects.requireNonNull(message, "message");
    }

    /** Liberal on purpose: any "is UP" line means reachable, whatever the exit status or the other lines say. */
    public static ControllerPing parse(CommandResult result) {
        if (!result.timedOut() && result.exitCode() == CommandResult.NOT_STARTED) {
            return new ControllerPing(Reach.NO_COMMAND, List.of(),
                    result.firstErrorLine().isEmpty() ? "cannot run " + result.spec().executable()
                            : result.firstErrorLine());
        }
        List<String> lines = result.stdout().lines().map(String::strip)
                .filter(line -> line.startsWith("Slurmctld(") || line.endsWith(" is UP") || line.endsWith(" is DOWN"))
                .toList();
        if (lines.stream().anyMatch(line -> line.endsWith(" is UP"))) {
            return new ControllerPing(Reach.UP, lines, String.join("; ", lines));
        }
        if (!lines.isEmpty()) {
            return new ControllerPing(Reach.DOWN, lines, String.join("; ", lines));
        }
        String error = SlurmErrors.message(result);
        FailureKind kind = SlurmErrors.classify(result);
        return new ControllerPing(kind == FailureKind.TRANSIENT ? Reach.DOWN : Reach.FAILED, List.of(), error);
    }
}
