package io.sweepd.cli;

import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.plan.Plan;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.plan.PlanJson;
import io.sweepd.plan.PlanTable;
import io.sweepd.plan.Planner;
import io.sweepd.matrix.MatrixJson;
import io.sweepd.sweep.ConfigEntry;
import io.sweepd.sweep.FilterRules;
import io.sweepd.sweep.SweepFile;
import io.sweepd.sweep.SweepParser;
import io.sweepd.yaml.YamlFieldException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sweepd plan FILE}: what a sweep would become, without Slurm. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Expand, enrich and preflight a sweep file and print the plan (no Slurm needed).")
final class PlanCommand implements Callable<Integer> {

    enum Format { table, json, matrix }

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The sweep file (InferenceMAX master-config format).")
    Path file;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Place every point on this cluster profile instead of the one its runner maps to.")
    String profile;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|matrix",
            description = "table for people (default), json for tools (points, placement, refusals, jobs), or"
                    + " matrix: only the matrix, exactly as InferenceMAX's generate_sweep_configs.py prints it.")
    Format format;

    @Option(names = "--recipes", paramLabel = "DIR",
            description = "Where CONFIG_FILE recipes resolve when they are not beside the sweep file.")
    Path recipes;

    @Mixin
    GeneratorOptions generator;

    @Override
    public Integer call() {
        Map<String, String> overrides = new HashMap<>();
        if (profile != null) {
            overrides.put("sweepd.profile", profile);
        }
        if (recipes != null) {
            overrides.put("sweepd.recipes-dir", recipes.toAbsolutePath().toString());
        }
        SweepdSettings settings = parent.settings(overrides);
        SweepdCli.requireFile(file, "sweep file");
        if (runnerConfig() != null) {
            SweepdCli.requireFile(runnerConfig(), "runner config (--runner-config)");
        }
        PrintWriter out = spec.commandLine().getOut();
        ProfileCatalog profiles = PlannerFactory.profiles(settings);
        knownProfile(profiles, settings.optional("sweepd.profile"));
        try {
            SweepFile sweep = generator.applyTo(new SweepParser(PlannerFactory.sweepLimits(settings)).parse(file));
            Optional<FilterRules.Problem> problem = FilterRules.problem(sweep.settings().filters(),
                    sweep.entries().stream().map(ConfigEntry::key).toList());
            if (problem.isPresent()) {
                throw new CliFailure(ExitCodes.BAD_INPUT, "--" + problem.get().filter() + ": "
                        + problem.get().message());
            }
            Planner planner = PlannerFactory.create(settings, profiles);
            if (format == Format.matrix) {
                // The generator's own output, for workflows that read it: no placement, recipes or preflight.
                out.println(MatrixJson.render(planner.expand(sweep)));
                return ExitCodes.OK;
            }
            Plan plan = planner.plan(sweep);
            out.println(format == Format.json ? PlanJson.render(plan) : PlanTable.render(plan));
            out.flush();
            // The plan is printed either way; the status tells a script that not every point will run, and stderr
            // tells a person why the command did not exit 0.
            if (plan.refusedPoints().isEmpty()) {
                return ExitCodes.OK;
            }
            spec.commandLine().getErr().println("sweepd plan: " + plan.refusedPoints().size() + " of "
                    + plan.points().size() + " points refused before submission (exit " + ExitCodes.REFUSED
                    + "); the plan above says why for each");
            return ExitCodes.REFUSED;
        } catch (YamlFieldException e) {
            throw new CliFailure(ExitCodes.BAD_INPUT, e.getMessage());
        }
    }

    private Path runnerConfig() {
        return generator.runnerConfig;
    }

    /**
     * A profile named on the command line (or by sweepd.profile) must exist: otherwise the planner would refuse
     * every point for it, and a typo would read as a plan.
     */
    static void knownProfile(ProfileCatalog profiles, Optional<String> name) {
        if (name.isPresent() && profiles.byName(name.get()).isEmpty()) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no cluster profile named " + name.get() + "; known: "
                    + String.join(", ", profiles.all().stream().map(ClusterProfile::name).sorted().toList()));
        }
    }
}
