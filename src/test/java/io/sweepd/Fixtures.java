package io.sweepd;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the real-world data the tests read (InferenceMAX master configs, srt-slurm recipes, the seed PR's
 * sweep and logs): the repository's own {@code fixtures/} folder, found from the working directory up to the
 * project root, so a clone alone runs its tests. {@code -Dsweepd.fixtures=<dir>} points elsewhere.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path fixtures() {
        String override = System.getProperty("sweepd.fixtures");
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("sweepd.fixtures=" + override + " is not a directory");
            }
            return dir;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("fixtures");
            if (Files.isDirectory(candidate) && Files.exists(dir.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the project's fixtures/ folder from " + start
                + " (run the tests from the project); set -Dsweepd.fixtures=<dir>");
    }

    /** A file under the fixtures directory, e.g. {@code fixture("inferencemax/master-excerpt.yaml")}. */
    public static Path fixture(String relative) {
        Path file = fixtures().resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("fixture missing: " + file);
        }
        return file;
    }
}
