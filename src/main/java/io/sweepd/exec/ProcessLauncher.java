package io.sweepd.exec;

/**
 * Starts one command and waits for it. {@link CommandRunner} adds counting, logging and listeners on top; tests
 * replace this with canned replies to exercise the Slurm client without a cluster.
 */
@FunctionalInterface
public interface ProcessLauncher {

    /**
     * Runs the command to completion or timeout. Must not throw for a non-zero exit or a program that won't start.
     * With {@link CommandSpec#stdoutFile()} it writes stdout there, or returns it in the result for
     * {@link CommandRunner} to write (canned replies do).
     */
    CommandResult launch(CommandSpec spec);
}
