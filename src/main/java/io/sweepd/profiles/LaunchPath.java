package io.sweepd.profiles;

/**
 * How a profile's jobs run, as {@code plan} shows it per job: the launcher ({@code launcher.type}) and, for
 * launchers that start the engine's image themselves, the container runtime ({@code container-runtime}; null
 * when the profile does not say).
 */
public record LaunchPath(String launcher, String containerRuntime) {

    /** How the profile launches a job of this shape. */
    public static LaunchPath of(ClusterProfile profile, boolean multinode) {
        return new LaunchPath(profile.launcher().typeFor(multinode), profile.containerRuntime());
    }

    /** {@code srt-slurm / pyxis}; the runtime reads "unstated" when the profile names none. */
    public String describe() {
        return launcher + " / " + (containerRuntime == null ? "unstated" : containerRuntime);
    }
}
