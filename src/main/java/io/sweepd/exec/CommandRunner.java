package io.sweepd.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place sweepd runs external commands (sbatch, squeue, scontrol, sacct, scancel...). Every call is
 * an argv list with a timeout; output is captured whole; a non-zero exit, a timeout or a missing program comes
 * back as a {@link CommandResult}, never as an exception. Thread-safe.
 *
 * <p>Programs start through a {@link ProcessLauncher}: {@link CamelExecLauncher} (camel-exec's public
 * {@code ExecCommandExecutor} interface, implemented on commons-exec) for real, canned replies in tests. The seam
 * stays because the Slurm client and the job stages are tested against scripted Slurm answers without a cluster.
 */
public class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    private final ProcessLauncher launcher;
    private final Map<String, LongAdder> invocations = new ConcurrentHashMap<>();
    private final List<Consumer<CommandResult>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param environmentOverlay variables set for every command on top of the JVM's own environment (e.g.
     *                           SLURM_CONF); the overlay wins where both define a name
     */
    public CommandRunner(Map<String, String> environmentOverlay) {
        this(new CamelExecLauncher(Map.copyOf(environmentOverlay)));
    }

    /** Runs commands through the given launcher; tests pass canned replies here. */
    public CommandRunner(ProcessLauncher launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    public CommandResult run(CommandSpec spec) {
        Objects.requireNonNull(spec, "spec");
        invocations.computeIfAbsent(spec.executableName(), name -> new LongAdder()).increment();
        CommandResult result = inFile(spec, launcher.launch(spec));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} -> exit {}{} in {} ms", spec.argv(), result.exitCode(), result.timedOut() ? " (timed out)" : "",
                    result.took().toMillis());
        }
        for (Consumer<CommandResult> listener : listeners) {
            listener.accept(result);
        }
        return result;
    }

    /**
     * A spec with a stdout file promises its callers the output there: a launcher that handed it back in memory
     * (canned replies) has it written to the file here, and the result's stdout emptied, as the real launcher does.
     */
    private static CommandResult inFile(CommandSpec spec, CommandResult result) {
        if (spec.stdoutFile() == null || result.stdout().isEmpty()) {
            return result;
        }
        try {
            Files.writeString(spec.stdoutFile(), result.stdout());
        } catch (IOException e) {
            return new CommandResult(spec, -1, "", "sweepd: cannot write the output to " + spec.stdoutFile() + ": "
                    + e.getMessage(), false, result.took());
        }
        return new CommandResult(spec, result.exitCode(), "", result.stderr(), result.timedOut(), result.took());
    }

    /** How many commands this runner started for the program with that name; "squeue" and "/usr/bin/squeue" count together, since creation. */
    public long invocations(String executable) {
        LongAdder count = invocations.get(Path.of(executable).getFileName().toString());
        return count == null ? 0 : count.sum();
    }

    /** Called after every command, on the calling thread, with its result. */
    public void addListener(Consumer<CommandResult> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Consumer<CommandResult> listener) {
        listeners.remove(listener);
    }
}
