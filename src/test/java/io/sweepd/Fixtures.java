package io.sweepd;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared fixtures (InferenceMAX excerpts, the seed PR's sweep and logs) that live beside the
 * project, in {@code shared/fixtures}, not inside it. The system property {@code sweepd.fixtures}
 * overrides the search.
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
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the shared fixtures: no shared/fixtures directory in " + start
                + " or any parent (expected ../shared/fixtures beside the project); set -Dsweepd.fixtures=<dir>");
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
