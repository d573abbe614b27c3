package io.sweepd.render;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the {@code simulator} launcher needs to start sweepd's own code inside a job: the java binary and
 * the classpath of the running sweepd (the fat jar in production; the build's classes and dependencies in
 * tests). The local test Slurm runs on the same host, so the daemon's paths are valid in the job.
 */
public record LauncherContext(Path javaBinary, List<Path> classpath) {

    public LauncherContext {
        javaBinary = javaBinary.toAbsolutePath().normalize();
        classpath = classpath.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("the launcher classpath is empty");
        }
    }

    public static LauncherContext of(Path javaBinary, Path sweepdJar) {
        return new LauncherContext(javaBinary, List.of(sweepdJar));
    }

    /** This JVM: its java binary and {@code java.class.path} (just the jar when started with {@code -jar}). */
    public static LauncherContext current() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList();
        return new LauncherContext(java, classpath);
    }

    /** The {@code -cp} argument. */
    public String classpathArgument() {
        return String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
    }
}
