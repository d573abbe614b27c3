package io.sweepd.srtslurm;

import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.ClusterProfile;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a job runs srtctl inside its allocation: what srtctl's own job script (templates/job_script_minimal.j2) does
 * after {@code srtctl apply} submitted it, with sweepd as the submitter. {@code srtctl apply} itself, which
 * InferenceMAX's launchers run on the login node, would submit a second Slurm job from inside this one, which
 * sweepd could neither track nor cancel. So the job exports what that script exports and runs the same entry point:
 *
 * <pre>
 * export SRTCTL_SOURCE_DIR=&lt;srt-slurm&gt;      srtctl mounts its configs/ and scripts from here
 * export SRTCTL_OUTPUT_DIR=&lt;job dir&gt;        srtctl's log_dir is $SRTCTL_OUTPUT_DIR/logs: the job's logs/
 * export SRTSLURM_CONFIG=&lt;job dir&gt;/srtslurm.yaml   the aliases and defaults sweepd wrote (no search of cwd)
 * [export RUN_EVAL=true EVAL_CONC=&lt;n&gt; | EVAL_ONLY=true]   as InferenceMAX's workflow sets them
 * cd &lt;srt-slurm&gt;
 * &lt;srt-slurm python&gt; -m srtctl.cli.do_sweep &lt;job dir&gt;/recipe.yaml
 * </pre>
 *
 * @param workingDirectory the srt-slurm checkout (srtctl's job script runs do_sweep from there)
 * @param environment      exported before the command, in this order
 * @param argv             the default command; a profile's {@code launcher.command} replaces it
 */
public record SrtctlLaunch(Path workingDirectory, Map<String, String> environment, List<String> argv) {

    public static final String ENTRY_POINT = "srtctl.cli.do_sweep";

    public SrtctlLaunch {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        argv = List.copyOf(argv);
    }

    /**
     * @throws IllegalArgumentException when the profile names no srt-slurm installation
     */
    public static SrtctlLaunch of(ClusterProfile profile, Path jobDir, Path recipe, Path srtslurmYaml,
                                  List<MatrixPoint> points) {
        Path checkout = installation(profile);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SRTCTL_SOURCE_DIR", checkout.toString());
        env.put("SRTCTL_OUTPUT_DIR", jobDir.toString());
        env.put("SRTSLURM_CONFIG", srtslurmYaml.toString());
        if (points.stream().anyMatch(MatrixPoint::evalOnly)) {
            env.put("EVAL_ONLY", "true");
        }
        points.stream().filter(p -> p.runEval() && p.evalConc() != null).findFirst().ifPresent(p -> {
            env.put("RUN_EVAL", "true");
            env.put("EVAL_CONC", String.valueOf(p.evalConc()));
        });
        return new SrtctlLaunch(checkout, env, List.of(python(profile).toString(), "-m", ENTRY_POINT,
                recipe.toString()));
    }

    /** The srt-slurm checkout of the profile. */
    public static Path installation(ClusterProfile profile) {
        String dir = profile.paths().srtSlurm();
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("profile " + profile.name() + " uses the srt-slurm launcher but names"
                    + " no srt-slurm installation: set paths.srt-slurm to a checkout with srtctl installed"
                    + " (scripts/install-srtctl.sh CHECKOUT CHECKOUT/.venv); a job never clones it");
        }
        return Path.of(dir);
    }

    /** The venv python that has srtctl installed. */
    public static Path python(ClusterProfile profile) {
        String python = profile.paths().srtSlurmPython();
        return python == null || python.isBlank()
                ? installation(profile).resolve(".venv/bin/python")
                : Path.of(python);
    }
}
