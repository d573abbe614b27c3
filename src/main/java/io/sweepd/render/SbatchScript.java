package io.sweepd.render;

import io.sweepd.core.JobDirectory;
import io.sweepd.core.Secrets;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.render.harness.ContainerLaunch;
import io.sweepd.render.harness.SingleNodeJob;
import io.sweepd.srtslurm.SrtctlLaunch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of {@code job.sbatch}. Options are {@code #SBATCH} lines (so sbatch's argv carries nothing from a
 * sweep), then a bash body that records how it ended, exports the job's environment and runs the launcher:
 *
 * <pre>
 * #!/bin/bash
 * #SBATCH --job-name=sweepd-&lt;job-key&gt;      the poller and crash reconciliation find jobs by this name
 * #SBATCH --partition=... [--account=...] [--qos=...]
 * #SBATCH --nodes=N
 * #SBATCH --gpus-per-node=G | --gres=gpu[:type]:G
 * #SBATCH --time=...                       profile limit, capped at the total deadline
 * #SBATCH --output=&lt;job dir&gt;/logs/slurm-%j.out
 * #SBATCH [--exclusive] [--segment=N] [profile extras]
 * set -euo pipefail
 * EXIT trap -> exit-code; started marker; first log line
 * export SWEEPD_JOB_DIR ... ; export &lt;profile launcher environment&gt;
 * [srt-slurm: export SRTCTL_* and SRTSLURM_CONFIG; pyxis image import; cd &lt;srt-slurm checkout&gt;]
 * &lt;launcher argv&gt;
 * </pre>
 *
 * Every value in the body is a {@link Shell#quote single-quoted} word; values in {@code #SBATCH} lines (which
 * sbatch parses, not bash) are checked against {@link SafeValues} instead, because sbatch has no quoting to rely on.
 */
final class SbatchScript {

    static final String JOB_NAME_PREFIX = "sweepd-";

    static final String SRT_SLURM = "srt-slurm";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z-]+)}");

    /** Names the script sets itself; a profile's environment may not redefine them. */
    private static final Set<String> RESERVED_ENV = Set.of("SWEEPD_JOB_DIR", "SWEEPD_JOB_KEY", "SWEEPD_RUN_ID",
            "SWEEPD_SWEEP", "SWEEPD_LOGS_DIR", "SWEEPD_RESULTS_DIR", "SWEEPD_RECIPE",
            "SRTCTL_SOURCE_DIR", "SRTCTL_OUTPUT_DIR", "SRTSLURM_CONFIG");

    /** The job's owner-only environment file: the secret-named variables its script exports. */
    static final String SECRETS_FILE = "secrets.env";

    private SbatchScript() {
    }

    /**
     * The secret-named variables the job needs: its profile's launcher environment's, and for srt-slurm those of
     * the recipe's environments (srtctl loads recipe.yaml as it is, so they are left out of it and inherited).
     */
    static Map<String, String> secretEnvironment(RenderRequest request) {
        Map<String, String> secrets = new TreeMap<>(Secrets.only(request.profile().launcher().environment()));
        if (SRT_SLURM.equals(request.profile().launcher().type())) {
            Secrets.environmentSecrets(request.points().get(0).enriched().serverConfig()).forEach(secrets::putIfAbsent);
        }
        return secrets;
    }

    /** The secrets file's text: {@code NAME='value'} lines the script sources with {@code set -a}. */
    static String secretsFile(Map<String, String> secrets) {
        StringBuilder out = new StringBuilder("# written by sweepd, owner-only: sourced by job.sbatch\n");
        secrets.forEach((name, value) -> out.append(SafeValues.envName("secret variable name", name)).append('=')
                .append(Shell.quote(value == null ? "" : value)).append('\n'));
        return out.toString();
    }

    record Script(String text, List<String> directives) {
    }

    static String jobName(String jobKey) {
        return JOB_NAME_PREFIX + jobKey;
    }

    static Script render(RenderRequest request, JobDirectory dir, String timeLimit, int nodes, int gpusPerNode) {
        ClusterProfile profile = request.profile();
        String jobKey = request.job().jobKey();
        List<String> directives = directives(profile, dir, jobKey, timeLimit, nodes, gpusPerNode);

        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        directives.forEach(d -> s.append("#SBATCH ").append(d).append('\n'));
        s.append("#\n");
        s.append("# Rendered by sweepd: job ").append(jobKey).append(" of run ").append(request.runId())
                .append(", cluster profile ").append(profile.name()).append(", launcher ")
                .append(profile.launcher().type()).append(".\n");
        s.append("# sbatch reads the options above; everything below runs in the allocation.\n");
        s.append("set -euo pipefail\n\n");

        s.append("""
                # The job's own exit marker: Slurm forgets finished jobs (MinJobAge), so sweepd resolves a job it can no
                # longer ask Slurm about from this file. Written through a temporary file, so a reader never sees half.
                # scancel and the time limit send SIGTERM: turning it into an exit still runs the EXIT trap (143).
                """);
        s.append("sweepd_exit_file=").append(Shell.quote(dir.exitCodeFile().toString())).append('\n');
        s.append("""
                sweepd_record_exit() {
                    local status=$?
                    printf '%s\\n' "$status" > "$sweepd_exit_file.tmp" && mv -f "$sweepd_exit_file.tmp" "$sweepd_exit_file"
                }
                trap sweepd_record_exit EXIT
                trap 'exit 129' HUP
                trap 'exit 130' INT
                trap 'exit 143' TERM

                """);

        s.append("cd ").append(Shell.quote(dir.root().toString())).append('\n');
        s.append("sweepd_started_file=").append(Shell.quote(dir.startedMarker().toString())).append('\n');
        s.append("printf 'job_id=%s\\nhost=%s\\nstarted=%s\\n' \"${SLURM_JOB_ID:-}\" \"$(hostname)\" \"$(date -Is)\""
                + " > \"$sweepd_started_file.tmp\" && mv -f \"$sweepd_started_file.tmp\" \"$sweepd_started_file\"\n");
        s.append("printf 'sweepd: job %s started on %s at %s (slurm job %s)\\n' ").append(Shell.quote(jobKey))
                .append(" \"$(hostname)\" \"$(date -Is)\" \"${SLURM_JOB_ID:-?}\"\n\n");

        s.append("export SWEEPD_JOB_DIR=").append(Shell.quote(dir.root().toString())).append('\n');
        s.append("export SWEEPD_JOB_KEY=").append(Shell.quote(jobKey)).append('\n');
        s.append("export SWEEPD_RUN_ID=").append(Shell.quote(request.runId())).append('\n');
        s.append("export SWEEPD_SWEEP=").append(Shell.quote(request.sweepName())).append('\n');
        s.append("export SWEEPD_LOGS_DIR=").append(Shell.quote(dir.logs().toString())).append('\n');
        s.append("export SWEEPD_RESULTS_DIR=").append(Shell.quote(dir.results().toString())).append('\n');
        s.append("export SWEEPD_RECIPE=").append(Shell.quote(dir.recipe().toString())).append('\n');
        Map<String, String> env = new TreeMap<>(profile.launcher().environment());
        if (!env.isEmpty()) {
            s.append("# launcher.environment of profile ").append(profile.name()).append('\n');
        }
        env.forEach((name, value) -> {
            SafeValues.envName("profile " + profile.name() + " launcher.environment name", name);
            if (RESERVED_ENV.contains(name)) {
                throw new UnsafeValueException("profile " + profile.name() + " launcher.environment sets " + name
                        + ", which the job script sets itself");
            }
            if (!Secrets.isSecretName(name)) {
                s.append("export ").append(name).append('=').append(Shell.quote(value == null ? "" : value)).append('\n');
            }
        });
        if (!secretEnvironment(request).isEmpty()) {
            // Secret-named values (tokens, keys, passwords) live in an owner-only file, not in this script, which is
            // archived with a failed job's evidence.
            Path secrets = dir.root().resolve(SECRETS_FILE);
            s.append("# secret-named variables (").append(String.join(", ", secretEnvironment(request).keySet()))
                    .append("): from ").append(SECRETS_FILE).append(", owner-only and never archived\n");
            s.append("set -a\n. ").append(Shell.quote(secrets.toString())).append("\nset +a\n");
        }
        s.append('\n');

        if (SRT_SLURM.equals(profile.launcher().type())) {
            SrtctlLaunch srtctl = srtctlLaunch(request, dir);
            s.append("# srtctl's environment, as its own job script sets it; its logs and results go to logs/\n");
            srtctl.environment().forEach((name, value) ->
                    s.append("export ").append(name).append('=').append(Shell.quote(value)).append('\n'));
            s.append(ContainerLaunch.importForSrtctl(profile, request.points().get(0).enriched().point().image()));
            s.append("cd ").append(Shell.quote(srtctl.workingDirectory().toString())).append('\n');
        }
        s.append("# launcher: ").append(profile.launcher().type()).append('\n');
        if (SingleNodeJob.appliesTo(profile)) {
            s.append(SingleNodeJob.of(request, dir).jobScriptTail());
        } else {
            List<String> argv = launcherArgv(request, dir);
            s.append(String.join(" ", argv.stream().map(Shell::quote).toList())).append('\n');
        }
        return new Script(s.toString(), directives);
    }

    static List<String> directives(ClusterProfile profile, JobDirectory dir, String jobKey, String timeLimit,
                                   int nodes, int gpusPerNode) {
        ClusterProfile.Slurm slurm = profile.slurm();
        String where = "profile " + profile.name() + " slurm.";
        List<String> out = new ArrayList<>();
        out.add("--job-name=" + jobName(SafeValues.name("job key", jobKey)));
        out.add("--partition=" + SafeValues.directiveValue(where + "partition", slurm.partition()));
        if (isSet(slurm.account())) {
            out.add("--account=" + SafeValues.directiveValue(where + "account", slurm.account()));
        }
        if (isSet(slurm.qos())) {
            out.add("--qos=" + SafeValues.directiveValue(where + "qos", slurm.qos()));
        }
        out.add("--nodes=" + nodes);
        if ("gres".equals(slurm.gpuDirective())) {
            String type = isSet(slurm.gresType())
                    ? SafeValues.directiveValue(where + "gres-type", slurm.gresType()) + ":"
                    : "";
            out.add("--gres=gpu:" + type + gpusPerNode);
        } else {
            out.add("--gpus-per-node=" + gpusPerNode);
        }
        out.add("--time=" + timeLimit);
        SafeValues.directivePath("job directory", dir.logs().toString());
        out.add("--output=" + dir.slurmOutputPattern());
        if (slurm.exclusive()) {
            out.add("--exclusive");
        }
        if (slurm.segment()) {
            // Keeps all of the job's nodes in one segment (e.g. one NVL72 rack), as srt-slurm does.
            out.add("--segment=" + nodes);
        }
        for (String extra : slurm.extraDirectives()) {
            // Trusted profile text, verbatim; only a line break could turn it into more than one directive.
            if (extra == null || extra.isBlank() || extra.contains("\n") || extra.contains("\r") || extra.contains("\0")) {
                throw new UnsafeValueException(where + "extra-directives entry " + Shell.describe(String.valueOf(extra))
                        + " must be one non-empty line");
            }
            out.add(extra.strip());
        }
        return out;
    }

    /**
     * The launcher as an argv. srt-slurm runs {@link SrtctlLaunch}'s command unless the profile names one; srt-slurm
     * and command launchers take the profile's {@code launcher.command} with
     * {@code {recipe}}, {@code {job-dir}}, {@code {results-dir}} and {@code {logs-dir}} substituted; a command
     * that names none gets its natural argument appended (the recipe for srt-slurm, the job directory for a
     * cluster's own script).
     */
    static List<String> launcherArgv(RenderRequest request, JobDirectory dir) {
        ClusterProfile.Launcher launcher = request.profile().launcher();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("recipe", dir.recipe().toString());
        values.put("job-dir", dir.root().toString());
        values.put("results-dir", dir.results().toString());
        values.put("logs-dir", dir.logs().toString());
        return switch (launcher.type()) {
            case SRT_SLURM -> launcher.command().isEmpty()
                    ? srtctlLaunch(request, dir).argv()
                    : substitute(launcher.command(), values, "recipe", request.profile().name());
            case "command" -> {
                if (launcher.command().isEmpty()) {
                    throw new IllegalArgumentException("profile " + request.profile().name()
                            + ": launcher.command is required when launcher.type is command");
                }
                yield substitute(launcher.command(), values, "job-dir", request.profile().name());
            }
            default -> throw new IllegalArgumentException("profile " + request.profile().name()
                    + ": unknown launcher.type '" + launcher.type() + "'");
        };
    }

    private static SrtctlLaunch srtctlLaunch(RenderRequest request, JobDirectory dir) {
        return SrtctlLaunch.of(request.profile(), dir.root(), dir.recipe(), dir.srtslurmConfig(),
                request.points().stream().map(p -> p.enriched().point()).toList());
    }

    private static List<String> substitute(List<String> command, Map<String, String> values, String appendWhenNone,
                                           String profile) {
        List<String> argv = new ArrayList<>();
        boolean used = false;
        for (String arg : command) {
            Matcher m = PLACEHOLDER.matcher(arg);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalArgumentException("profile " + profile + ": launcher.command uses {" + m.group(1)
                            + "}; known placeholders are " + values.keySet().stream().map(k -> "{" + k + "}").toList());
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
                used = true;
            }
            m.appendTail(out);
            argv.add(out.toString());
        }
        if (!used) {
            argv.add(values.get(appendWhenNone));
        }
        return argv;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
