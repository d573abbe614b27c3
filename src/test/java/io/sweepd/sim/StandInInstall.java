package io.sweepd.sim;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Installs the engine stand-in's shims where the local profiles look for them, once per test JVM: integration
 * tests that run jobs on the local Slurm call it first. It runs the same script the quickstart runs
 * (scripts/engine-stand-in.sh), against the jars this build packaged.
 */
public final class StandInInstall {

    private static boolean installed;

    private StandInInstall() {
    }

    public static synchronized void ensure() {
        if (installed) {
            return;
        }
        try {
            Process process = new ProcessBuilder("bash", "scripts/engine-stand-in.sh", "install")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/engine-stand-in.sh install failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run scripts/engine-stand-in.sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the engine stand-in", e);
        }
        installed = true;
    }
}
