package io.sweepd.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile corpus (src/test/resources/hostile, described in its README) dropped at once into a real daemon's
 * inbox on the local Slurm, with what cannot be a checked-in file added: a symlink to a secret, a FIFO, a file
 * over the size limit. Every file ends refused with a message that names it, or planned; what is planned runs on
 * Slurm to its end; the daemon stays up; and no command smuggled in by a file ever runs: each payload would
 * create a file named {@code canary-*}, looked for everywhere a job or the daemon writes.
 */
class HostileCorpusIT {

    private static final Path CORPUS = Path.of("src/test/resources/hostile");
    private static final String SECRET = "sweepd-hostile-secret-4f1c";
    private static final Duration GENEROUS = Duration.ofMinutes(10);
    /**
     * Files that are no sweep at all: not YAML a sweep may use, the wrong shape or type, or outside a limit. The
     * others may be planned (their points then refused, or run with their values quoted).
     */
    private static final Pattern MUST_BE_REFUSED = Pattern.compile("(type-.*|empty|only-.*|top-level-.*|yaml-(billion"
            + "-laughs|java-tag|python-tag|recursive-alias|deep-nesting|deep-maps|two-documents|tab-indent|unclosed-.*"
            + "|duplicate-key|null-key|complex-key|binary-tag|custom-tag)|unknown-key-.*|nul-byte|link-to-secret|fifo"
            + "|over-size-limit)\\.yaml");

    /** Kept when the test fails: the daemon log and the .error/ messages in it say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path home;

    @Test
    void everyHostileFileIsRefusedWithItsNameOrRunsSafelyAndNoSmuggledCommandRuns() throws Exception {
        Path outside = Files.createDirectories(home.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret.txt"), SECRET + "\n");
        List<String> dropped = new ArrayList<>();

        try (Daemon daemon = new Daemon(home, Map.of("SWEEPD_PROFILE", "local")).start()) {
            Path inbox = home.resolve("inbox");
            // Written beside the inbox and renamed in, so that each arrives whole (a file in pieces is another test).
            Path staging = Files.createDirectories(home.resolve("staging"));
            try (Stream<Path> files = Files.list(CORPUS)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    Files.copy(file, staging.resolve(file.getFileName()));
                    dropped.add(file.getFileName().toString());
                }
            }
            Files.writeString(staging.resolve("over-size-limit.yaml"),
                    "big:\n  image: \"" + "x".repeat(4 * 1024 * 1024) + "\"\n");
            dropped.add("over-size-limit.yaml");
            for (String name : dropped) {
                Files.move(staging.resolve(name), inbox.resolve(name));
            }
            Files.createSymbolicLink(inbox.resolve("link-to-secret.yaml"), secret);
            dropped.add("link-to-secret.yaml");
            Process mkfifo = new ProcessBuilder("mkfifo", inbox.resolve("fifo.yaml").toString()).start();
            assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
            dropped.add("fifo.yaml");

            // Every file is taken: moved to .done/ (planned) or to .error/ beside a message that names it.
            await("every hostile file is taken").atMost(GENEROUS).pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        for (String name : dropped) {
                            if (outcome(name).isEmpty()) {
                                return false;
                            }
                        }
                        return true;
                    });
            for (String name : dropped) {
                Outcome outcome = outcome(name).orElseThrow();
                if (outcome.refused()) {
                    String message = Files.readString(outcome.message(), StandardCharsets.UTF_8);
                    assertThat(message).as(name + "'s message").contains(stem(name)).doesNotContain(SECRET);
                    assertThat(message.length()).as(name + "'s message quotes a few lines at most").isLessThan(8_000);
                }
            }
            assertThat(outcome("control-valid.yaml").orElseThrow().refused()).as("the valid control is planned")
                    .isFalse();
            assertThat(outcome("link-to-secret.yaml").orElseThrow().refused()).as("the symlink").isTrue();
            assertThat(outcome("fifo.yaml").orElseThrow().refused()).as("the FIFO").isTrue();
            assertThat(outcome("over-size-limit.yaml").orElseThrow().refused()).as("the 4 MB file").isTrue();
            for (String name : dropped) {
                if (MUST_BE_REFUSED.matcher(name).matches()) {
                    assertThat(outcome(name).orElseThrow().refused()).as(name + " is not a sweep: refused").isTrue();
                }
            }

            // What was planned runs on Slurm to its end: every run finishes (its final report written).
            await("every planned run finishes").atMost(GENEROUS).pollInterval(Duration.ofSeconds(3)).until(() -> {
                JsonNode runs = runs(daemon);
                if (runs.isEmpty()) {
                    return false;
                }
                for (JsonNode run : runs) {
                    if (!"FINISHED".equals(run.path("state").asText())) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(daemon.process().isAlive()).as("the daemon is still running").isTrue();
            assertThat(get(daemon.statusUrl() + "/observe/health")).contains("UP");

            assertThat(canaries(home)).as("files a smuggled command would have created under the home").isEmpty();
            assertThat(canaries(Path.of("").toAbsolutePath())).as("... in the test's working directory").isEmpty();
            assertThat(Files.readString(secret)).isEqualTo(SECRET + "\n");
            assertThat(grep(home, SECRET)).as("the secret's content copied anywhere under the home").isEmpty();
        }
    }

    /** Where a dropped file ended: {@code .done/} or {@code .error/} (with its message). */
    private Optional<Outcome> outcome(String name) throws IOException {
        for (String dir : List.of(".done", ".error")) {
            Path folder = home.resolve("inbox").resolve(dir);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                List<Path> mine = files.filter(f -> f.getFileName().toString().startsWith(stem(name) + "-")).toList();
                if (dir.equals(".done") && !mine.isEmpty()) {
                    return Optional.of(new Outcome(false, null));
                }
                Optional<Path> message = mine.stream().filter(f -> f.toString().endsWith(".error.txt")).findFirst();
                if (message.isPresent()) {
                    return Optional.of(new Outcome(true, message.get()));
                }
            }
        }
        return Optional.empty();
    }

    private static String stem(String name) {
        return name.substring(0, name.lastIndexOf('.'));
    }

    private record Outcome(boolean refused, Path message) {
    }

    private static JsonNode runs(Daemon daemon) throws Exception {
        return new ObjectMapper().readTree(get(daemon.statusUrl() + "/api/runs")).path("runs");
    }

    private static List<Path> canaries(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir, dir.equals(Path.of("").toAbsolutePath()) ? 1 : Integer.MAX_VALUE)) {
            return files.filter(f -> f.getFileName().toString().startsWith("canary-")).toList();
        }
    }

    /**
     * The regular files under a directory that contain the text, skipping the secret itself and big archives. Links
     * are not followed: the refused symlink, moved to .error/ as it is, still points at the secret.
     */
    private static List<Path> grep(Path dir, String text) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> !f.getParent().getFileName().toString().equals("outside"))
                    .filter(f -> {
                        try {
                            return Files.size(f) < 16 * 1024 * 1024
                                    && new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text);
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
