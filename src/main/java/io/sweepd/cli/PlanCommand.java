package io.sweepd.cli;

import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.plan.Plan;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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
        try {
            SweepFile sweep = generator.applyTo(new SweepParser().parse(file));
            Optional<FilterRules.Problem> problem = FilterRules.problem(sweep.settings().filters(),
                    sweep.entries().stream().map(ConfigEntry::key).toList());
            if (problem.isPresent()) {
                System.err.println("sweepd plan: --" + problem.get().filter() + ": " + problem.get().message());
                return 2;
            }
            Planner planner = PlannerFactory.create(settings);
            if (format == Format.matrix) {
                // The generator's own output, for workflows that read it: no placement, recipes or preflight.
                System.out.println(MatrixJson.render(planner.expand(sweep)));
                return 0;
            }
            Plan plan = planner.plan(sweep);
            System.out.println(format == Format.json ? PlanJson.render(plan) : PlanTable.render(plan));
            return 0;
        } catch (YamlFieldException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }
}
