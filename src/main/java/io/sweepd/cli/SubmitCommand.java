package io.sweepd.cli;

import io.sweepd.app.Inbox;
import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.plan.Plan;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepParser;
import io.sweepd.yaml.YamlFieldException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sweepd submit FILE}: check a sweep as the daemon will, then hand it over through the inbox. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Parse and plan a sweep file as the daemon will, then drop it into the daemon's inbox "
                + "atomically; its recipes keep resolving against the file's own directory. A file the daemon "
                + "would refuse (it would end in inbox/.error/) is not submitted: the message names "
                + "file:line:field. Points that preflight refuses do not stop it; stderr says how many.")
final class SubmitCommand implements Callable<Integer> {

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The sweep file.")
    Path file;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Place every point on this cluster profile instead of the one its runner maps to.")
    String profile;

    @Override
    public Integer call() {
        SweepdCli.requireFile(file, "sweep file");
        SweepdSettings settings = parent.settings(Map.of());
        Plan plan = planAsTheDaemonWill(settings);
        Path queued = new Inbox(settings.inbox()).submit(file, profile);
        spec.commandLine().getOut().println("submitted " + file + " as " + queued
                + (profile == null ? "" : " (profile " + profile + ")"));
        if (!plan.refusedPoints().isEmpty()) {
            spec.commandLine().getErr().println("sweepd submit: " + plan.refusedPoints().size() + " of "
                    + plan.points().size() + " points will be refused before submission (sweepd plan " + file
                    + " says why)");
        }
        return ExitCodes.OK;
    }

    /**
     * What the daemon's intake does with the file (parse, the submitted profile over the sweep's, expand, enrich,
     * preflight), so that whatever would send it to .error/ stops it here, where the user is looking.
     */
    private Plan planAsTheDaemonWill(SweepdSettings settings) {
        ProfileCatalog profiles = PlannerFactory.profiles(settings);
        PlanCommand.knownProfile(profiles, Optional.ofNullable(profile).or(() -> settings.optional("sweepd.profile")));
        try {
            SweepFile sweep = new SweepParser().parse(file);
            if (profile != null) {
                sweep = sweep.withSettings(sweep.settings().withProfile(profile));
            }
            return PlannerFactory.create(settings, profiles).plan(sweep);
        } catch (RuntimeException e) {
            // The daemon refuses a file for any exception while planning it; so does submit, with what it says.
            throw new CliFailure(ExitCodes.BAD_INPUT, problem(e) + "; not submitted");
        }
    }

    /** As the daemon's .error.txt says it: the file:line:field of a format error wherever it sits, else the cause. */
    private String problem(Throwable e) {
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof YamlFieldException format) {
                return format.getMessage();
            }
            innermost = t;
        }
        return file + ": " + innermost.getMessage();
    }
}
