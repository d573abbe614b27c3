package io.sweepd.render;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a rendered job script with bash outside Slurm, as slurmd would run it, with a clean environment. */
public record ScriptRun(int exit, String output) {

    public static ScriptRun of(Path script) throws IOException, InterruptedException {
        return of(script, Map.of());
    }

    public static ScriptRun of(Path script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException(script + " did not finish in 120 s");
        }
        return new ScriptRun(process.exitValue(), new String(process.getInputStream().readAllBytes()));
    }
}
