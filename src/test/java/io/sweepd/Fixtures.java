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

    /**
     * The one-job sweep of {@code src/test/resources/sweeps/one-gptoss-job.yaml} (one single-node gpt-oss job at two
     * concurrencies, one server: InferenceMAX's gpt-oss H100 rule, which sizes the server by concurrency and so makes
     * a job per concurrency, is disabled), with these lines (e.g. {@code "schedule: '0 0 2 * * ?'"}) added to its sweep block.
     */
    public static String oneJobSweep(String... sweepSettings) {
        try (var in = Fixtures.class.getResourceAsStream("/sweeps/one-gptoss-job.yaml")) {
            String text = new String(java.util.Objects.requireNonNull(in, "sweeps/one-gptoss-job.yaml").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            StringBuilder extra = new StringBuilder();
            for (String line : sweepSettings) {
                extra.append("  ").append(line).append('\n');
            }
            return text.replace("sweep:\n", "sweep:\n" + extra);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
