package io.sweepd.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged fat jar the way a user does, on its runtime classpath only (nothing from the test
 * classpath can hide a missing module). The jar path comes from failsafe's {@code sweepd.jar} property.
 */
final class PackagedApp {

    private PackagedApp() {
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("sweepd.jar", "target/sweepd.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with `mvn verify` (it packages first)");
        }
        return jar;
    }

    static ProcessBuilder command(Path workDir, Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile());
        builder.environment().putAll(env);
        return builder;
    }

    /** Runs a short command to completion; output is stdout and stderr together. */
    static Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path output = Files.createTempFile(workDir, "out", ".txt");
        Process process = command(workDir, env, args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("sweepd " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    record Result(int exitCode, String output) {
    }
}
