package io.sweepd.slurm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.sweepd.exec.CommandResult;
import io.sweepd.exec.CommandSpec;

/** Real Slurm 22.05 output recorded by src/test/resources/slurm/record.sh and json/record.sh. */
final class Recordings {

    private Recordings() {
    }

    static String read(String name) {
        try (InputStream in = Recordings.class.getResourceAsStream("/slurm/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No recording /slurm/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CommandResult result(int exitCode, String stdout, String stderr, String... argv) {
        return new CommandResult(new CommandSpec(List.of(argv), Duration.ofSeconds(30), null), exitCode, stdout,
                stderr, false, Duration.ofMillis(5));
    }

    static CommandResult timedOut(String... argv) {
        return new CommandResult(new CommandSpec(List.of(argv), Duration.ofSeconds(30), null), 143, "", "", true,
                Duration.ofSeconds(30));
    }
}
