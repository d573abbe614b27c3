package io.sweepd.cli;

import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.profiles.LaunchPath;
import io.sweepd.profiles.ProfileCatalog;
import io.sweepd.yaml.YamlFieldException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.sweepd.cli.Listing.column;
import static io.sweepd.cli.Listing.jsonOnly;

/** {@code sweepd profiles}: the cluster profiles planning would use. */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        description = "List the cluster profiles sweepd would place points on: the ones shipped in the jar, "
                + "overridden by name by the files of the home's cluster-profiles/ (sweepd.profiles-dir). Name, GPU, "
                + "GPUs per node, nodes in the pool, Slurm partition, launch path (multinode; single-node when it "
                + "differs), submission limits and the file it came from.")
final class ProfilesCommand implements Callable<Integer> {

    private static final List<Listing.Field> FIELDS = List.of(column("name"), column("gpu"), column("gpus-per-node"),
            column("nodes"), column("partition"), column("launch"), column("limits"), column("source", 60),
            jsonOnly("account"), jsonOnly("time-limit"), jsonOnly("runners"), jsonOnly("gpu-memory-gb"),
            jsonOnly("usable-gib"), jsonOnly("launcher"), jsonOnly("single-node-launcher"),
            jsonOnly("container-runtime"), jsonOnly("max-queued-jobs"), jsonOnly("submissions-per-minute"),
            jsonOnly("assumed"));

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json")
    Listing.Format format;

    @Override
    public Integer call() {
        SweepdSettings settings = parent.settings(Map.of());
        ProfileCatalog catalog;
        try {
            catalog = PlannerFactory.profiles(settings);
        } catch (YamlFieldException e) {
            throw new CliFailure(ExitCodes.BAD_INPUT, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(Listing.render(format, catalog.all(), FIELDS, p -> row(catalog, p), "no cluster profiles"));
        out.flush();
        return ExitCodes.OK;
    }

    private static Map<String, Object> row(ProfileCatalog catalog, ClusterProfile p) {
        LaunchPath multinode = LaunchPath.of(p, true);
        LaunchPath singleNode = LaunchPath.of(p, false);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", p.name());
        row.put("gpu", p.hardware() == null ? null : p.hardware().gpu());
        row.put("gpus-per-node", p.hardware() == null ? null : p.hardware().gpusPerNode());
        row.put("nodes", p.hardware() == null ? null : p.hardware().nodes());
        row.put("partition", p.slurm() == null ? null : p.slurm().partition());
        row.put("launch", multinode.equals(singleNode) ? multinode.describe()
                : multinode.describe() + "; single-node: " + singleNode.describe());
        row.put("limits", limits(p.limits()));
        row.put("source", catalog.sourceOf(p.name()).orElse(null));
        row.put("account", p.slurm() == null ? null : p.slurm().account());
        row.put("time-limit", p.slurm() == null ? null : p.slurm().timeLimit());
        row.put("runners", p.runners());
        row.put("gpu-memory-gb", p.hardware() == null ? null : p.hardware().gpuMemoryGb());
        row.put("usable-gib", p.hardware() == null ? null : p.hardware().usableGib());
        row.put("launcher", multinode.launcher());
        row.put("single-node-launcher", singleNode.launcher());
        row.put("container-runtime", p.containerRuntime());
        row.put("max-queued-jobs", p.limits().maxQueuedJobs());
        row.put("submissions-per-minute", p.limits().submissionsPerMinute());
        row.put("assumed", p.assumed());
        return row;
    }

    private static String limits(ClusterProfile.Limits limits) {
        String queued = limits.maxQueuedJobs() == null ? null : limits.maxQueuedJobs() + " queued";
        String rate = limits.submissionsPerMinute() == null ? null : limits.submissionsPerMinute() + "/min";
        if (queued == null && rate == null) {
            return "none";
        }
        return queued == null ? rate : rate == null ? queued : queued + ", " + rate;
    }
}
