package io.sweepd.profiles;

/**
 * How a profile's jobs run, as {@code plan} shows it per job: the launcher ({@code launcher.type}) and, for
 * launchers that start the engine's image themselves, the container runtime ({@code container-runtime}; null
 * when the profile does not say).
 */
public record LaunchPath(String launcher, String containerRuntime) {

    public static LaunchPath of(ClusterProfile profile) {
        return new LaunchPath(profile.launcher().type(), profile.containerRuntime());
    }

    /** {@code srt-slurm / pyxis}; the runtime reads "unstated" when the profile names none. */
    public String describe() {
        return launcher + " / " + (containerRuntime == null ? "unstated" : containerRuntime);
    }
}
