package io.sweepd.slurm;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.exec.CommandRunner;
import io.sweepd.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue of a busy cluster, read with the daemon's heap. Slurm 22.05's {@code squeue --json} ignores
 * {@code --me} and answers with every user's jobs, 3-4 kB of JSON each: here 20,000 jobs (80 MB), 5,000 of them
 * this user's. Held whole in memory (and copied on the way to the parser) that answer took more than the 128 MB heap
 * the launcher gives the daemon: the output pump died of an OutOfMemoryError, squeue's call ran into its timeout,
 * and every poll cycle failed, so no job was tracked again. A child JVM with the launcher's heap limit reads it
 * through {@link SlurmClient#queue}, with a fake squeue on its PATH that prints the answer. An integration test
 * (failsafe, {@code mvn verify}): it writes 80 MB and starts a second JVM.
 */
class SqueueOfABusyClusterIT {

    private static final int JOBS = 20_000;
    private static final int MINE = 5_000;
    private static final String USER = "sweepd-user";

    @TempDir
    Path dir;

    @Test
    void theQueueOfABusyClusterIsReadWithinTheDaemonsHeap() throws Exception {
        Path answer = dir.resolve("answer.json");
        writeAnswer(answer);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path squeue = Files.writeString(bin.resolve("squeue"), "#!/bin/sh\nexec cat '" + answer + "'\n");
        Files.setPosixFilePermissions(squeue, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder child = new ProcessBuilder(javaBinary(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Reader.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        child.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process reader = child.start();
        String out = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(reader.waitFor(120, TimeUnit.SECONDS)).as("the reader ends").isTrue();

        assertThat(out.lines().filter(l -> l.startsWith("snapshot ")).findFirst())
                .contains("snapshot ok, " + MINE + " jobs, sweepd-job-0 to sweepd-job-" + (MINE - 1));
    }

    /** The recorded 22.05 answer's jobs repeated: every fourth one this user's, the others another user's. */
    private static void writeAnswer(Path answer) throws IOException {
        JsonNode recorded = Json.MAPPER.readTree(SqueueOfABusyClusterIT.class
                .getResourceAsStream("/slurm/json/squeue/live.json"));
        JsonNode jobs = recorded.path("jobs");
        try (JsonGenerator out = Json.MAPPER.createGenerator(answer.toFile(), JsonEncoding.UTF8)) {
            out.useDefaultPrettyPrinter();
            out.writeStartObject();
            out.writeObjectField("meta", recorded.path("meta"));
            out.writeArrayFieldStart("errors");
            out.writeEndArray();
            out.writeArrayFieldStart("jobs");
            int mine = 0;
            for (int i = 0; i < JOBS; i++) {
                ObjectNode job = jobs.get(i % jobs.size()).deepCopy();
                job.put("job_id", 100_000 + i);
                boolean ours = i % 4 == 0;
                job.put("user_name", ours ? USER : "someone-else");
                job.put("name", ours ? "sweepd-job-" + mine++ : "training-run-" + i);
                out.writeTree(job);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        assertThat(Files.size(answer)).as("a busy cluster's answer").isGreaterThan(60L << 20);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The child: one queue snapshot, as the daemon's poll cycle takes it, summarised on stdout. */
    public static final class Reader {
        public static void main(String[] args) {
            SlurmClient slurm = new SlurmClient(new CommandRunner(Map.of()),
                    new SlurmTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)), USER,
                    Clock.systemUTC());
            QueueSnapshot queue = slurm.queue("sweepd-");
            if (!queue.ok()) {
                System.out.println("snapshot failed: " + queue.failure().message());
                return;
            }
            List<String> names = queue.jobs().values().stream().map(SlurmJobInfo::jobName)
                    .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.substring("sweepd-job-".length()))))
                    .toList();
            System.out.println("snapshot ok, " + names.size() + " jobs, " + names.get(0) + " to "
                    + names.get(names.size() - 1));
        }
    }
}
