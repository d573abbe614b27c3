package io.sweepd.render.harness;

import io.sweepd.profiles.ClusterProfile;
import io.sweepd.render.Shell;
import io.sweepd.render.UnsafeValueException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The end of a single-node {@code job.sbatch}: bring up the profile's container runtime and run the harness in it.
 *
 * <ul>
 *   <li>{@code pyxis}: with {@code paths.containers}, the image is imported once per cluster into a squash file
 *       named as InferenceMAX's launch scripts name it (so both share the cache), under {@code flock} on
 *       {@code <squash>.lock} and skipped when {@code unsquashfs -l} can read the file; then
 *       {@code srun --container-image=<squash> --container-mounts=... --no-container-mount-home
 *       --container-workdir=<job dir> --no-container-entrypoint --export=ALL}. Without {@code paths.containers}
 *       pyxis pulls the image itself ({@code --container-image=<image>}), as the nb clusters' scripts do.</li>
 *   <li>{@code apptainer}: {@code apptainer pull <sif> docker://<image>} under the same lock into
 *       {@code paths.containers}, skipped when {@code apptainer inspect} can read the file; then
 *       {@code apptainer exec --nv|--rocm --no-home --bind ... --pwd <job dir> <sif>}.</li>
 *   <li>{@code none}: the harness on the node itself, with {@code paths.venv} first on PATH when set.</li>
 * </ul>
 *
 * The job directory, the models, the hub cache and, for agentic-coding jobs, the profile's trace directory are
 * mounted at the same paths inside the container, so every path sweepd wrote into the harness inputs is valid there. Every value is a
 * {@link Shell#quote quoted} word.
 */
public final class ContainerLaunch {

    /** How long a job waits for another job's import of the same image before it gives up. */
    static final int IMPORT_LOCK_SECONDS = 1800;

    private ContainerLaunch() {
    }

    /**
     * @param harness the harness command (bash, the script, its inputs directory), run inside the container
     */
    public static String render(ClusterProfile profile, String image, Path jobDir, List<String> harness) {
        return render(profile, image, jobDir, harness, List.of());
    }

    /**
     * @param extraMounts directories this job alone needs inside the container (the agentic trace corpus), so a
     *                    path only some jobs use cannot fail the others' container start
     */
    public static String render(ClusterProfile profile, String image, Path jobDir, List<String> harness,
                                List<String> extraMounts) {
        ClusterProfile.Paths paths = profile.paths();
        String runtime = profile.containerRuntime();
        StringBuilder s = new StringBuilder();
        switch (runtime == null ? "" : runtime) {
            case "pyxis" -> {
                String containerImage = image;
                if (isSet(paths.containers())) {
                    String squash = paths.imageFile(image, "sqsh");
                    s.append("# pyxis: the image is imported once per cluster into a squash file; concurrent jobs wait"
                            + " for the\n# first import (flock) and reuse a file unsquashfs can read.\n");
                    s.append(importSquash(squash, image));
                    containerImage = squash;
                } else {
                    s.append("# pyxis: no paths.containers in the profile, so pyxis pulls the image for the job.\n");
                }
                List<String> srun = new ArrayList<>(List.of("srun", "--ntasks=1",
                        "--container-image=" + containerImage,
                        "--container-mounts=" + mounts(profile, jobDir, extraMounts),
                        "--no-container-mount-home",
                        "--container-workdir=" + jobDir,
                        "--no-container-entrypoint",
                        "--export=ALL"));
                srun.addAll(harness);
                s.append(words(srun));
            }
            case "apptainer" -> {
                String sif = paths.imageFile(image, "sif");
                s.append("# apptainer: the image is pulled once per cluster into a .sif file; concurrent jobs wait for"
                        + " the\n# first pull (flock) and reuse a file apptainer can inspect.\n");
                s.append(lockedImport(sif, "apptainer inspect \"$sweepd_image_file\" > /dev/null 2>&1",
                        "apptainer pull \"$sweepd_image_file\" " + Shell.quote("docker://" + image)));
                List<String> exec = new ArrayList<>(List.of("apptainer", "exec", gpuFlag(profile), "--no-home",
                        "--bind", mounts(profile, jobDir, extraMounts), "--pwd", jobDir.toString(), sif));
                exec.addAll(harness);
                s.append(words(exec));
            }
            case "none" -> {
                s.append("# container-runtime none: the engine is installed on the node");
                if (isSet(paths.venv())) {
                    s.append(" (the profile's virtual environment)\n");
                    s.append("export VIRTUAL_ENV=").append(Shell.quote(paths.venv())).append('\n');
                    s.append("export PATH=\"$VIRTUAL_ENV/bin:$PATH\"\n");
                } else {
                    s.append('\n');
                }
                s.append(words(harness));
            }
            default -> throw new IllegalArgumentException("profile " + profile.name() + ": the single-node launcher"
                    + " runs with container-runtime pyxis, apptainer or none, not '" + runtime + "'");
        }
        return s.toString();
    }

    /**
     * What a multinode job runs before srtctl on a pyxis cluster with {@code paths.containers}: the image imported
     * under the same lock into the squash file srtslurm.yaml's {@code containers} alias names
     * ({@code SrtSlurmAliases}), as InferenceMAX's srt-slurm launch scripts import it before {@code srtctl apply}
     * (launch_gb200-nv.sh and others). Empty where srtctl's pyxis pulls the image itself.
     */
    public static String importForSrtctl(ClusterProfile profile, String image) {
        String dir = profile.paths().containers();
        if (!"pyxis".equals(profile.containerRuntime()) || !isSet(dir)) {
            return "";
        }
        return "# pyxis: the image srtctl's workers run, imported once per cluster (flock) into the squash file that\n"
                + "# srtslurm.yaml names; a file unsquashfs can read is reused.\n"
                + importSquash(profile.paths().imageFile(image, "sqsh"), image);
    }

    /** enroot's import of the image into {@code squash}, under the lock, unless unsquashfs can read the file. */
    private static String importSquash(String squash, String image) {
        return lockedImport(squash, "unsquashfs -l \"$sweepd_image_file\" > /dev/null 2>&1",
                "enroot import -o \"$sweepd_image_file\" " + Shell.quote("docker://" + image));
    }

    private static String lockedImport(String file, String validCheck, String importCommand) {
        return "sweepd_image_file=" + Shell.quote(file) + "\n"
                + "(\n"
                + "    flock -w " + IMPORT_LOCK_SECONDS + " 9 || { echo \"sweepd: no lock on $sweepd_image_file.lock"
                + " within " + IMPORT_LOCK_SECONDS + " s\" >&2; exit 1; }\n"
                + "    if " + validCheck + "; then\n"
                + "        echo \"sweepd: reusing image $sweepd_image_file\"\n"
                + "    else\n"
                + "        rm -f \"$sweepd_image_file\"\n"
                + "        " + importCommand + "\n"
                + "    fi\n"
                + ") 9> \"$sweepd_image_file.lock\"\n";
    }

    /**
     * {@code src:dst} of the job directory, the models, the hub cache and the job's extra directories (each once),
     * comma-separated as both
     * pyxis and apptainer read them; a path with a comma or colon would split into other mounts, so it is refused.
     */
    static String mounts(ClusterProfile profile, Path jobDir, List<String> extraMounts) {
        Set<String> dirs = new LinkedHashSet<>();
        dirs.add(jobDir.toString());
        for (String dir : new String[]{profile.paths().models(), profile.paths().hfCache()}) {
            if (isSet(dir)) {
                dirs.add(dir);
            }
        }
        for (String dir : extraMounts) {
            if (isSet(dir)) {
                dirs.add(dir);
            }
        }
        List<String> out = new ArrayList<>();
        for (String dir : dirs) {
            if (dir.contains(",") || dir.contains(":") || !dir.startsWith("/")) {
                throw new UnsafeValueException("profile " + profile.name() + ": mount " + dir + " must be an"
                        + " absolute path without ',' or ':' (the container runtime splits mounts on them)");
            }
            out.add(dir + ":" + dir);
        }
        return String.join(",", out);
    }

    /** NVIDIA's or AMD's GPU libraries into the container, by the profile's architecture. */
    private static String gpuFlag(ClusterProfile profile) {
        String arch = profile.hardware().architecture();
        return arch != null && arch.toLowerCase(java.util.Locale.ROOT).startsWith("cdna") ? "--rocm" : "--nv";
    }

    private static String words(List<String> argv) {
        return String.join(" ", argv.stream().map(Shell::quote).toList()) + "\n";
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
