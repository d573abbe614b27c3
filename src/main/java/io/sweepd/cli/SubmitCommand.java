package io.sweepd.cli;

import io.sweepd.app.Inbox;
import io.sweepd.app.SweepdSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code sweepd submit FILE}: hand a sweep to the daemon through its inbox. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Drop a sweep into the daemon's inbox atomically; its recipes keep resolving against "
                + "the file's own directory.")
final class SubmitCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Parameters(paramLabel = "FILE", description = "The sweep file.")
    Path file;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Place every point on this cluster profile instead of the one its runner maps to.")
    String profile;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            System.err.println(file + ": no such file");
            return 2;
        }
        SweepdSettings settings = parent.settings(Map.of());
        Path queued = new Inbox(settings.inbox()).submit(file, profile);
        System.out.println("submitted " + file + " as " + queued
                + (profile == null ? "" : " (profile " + profile + ")"));
        return 0;
    }
}
