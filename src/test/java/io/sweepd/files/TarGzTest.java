package io.sweepd.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {

    private static final Duration LIMIT = Duration.ofMinutes(1);

    @TempDir
    Path tmp;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Entry name -> type and content ("file:..." / "dir" / "link->target"), in archive order. */
    private static Map<String, String> entries(Path archive) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                Files.newInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                entries.put(entry.getName(), entry.isSymbolicLink() ? "link->" + entry.getLinkName()
                        : entry.isDirectory() ? "dir" : "file:" + new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    /** Every path under root (relative, "/"-separated, directories ending in "/") -> its content or "dir". */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted().toList()) {
                if (path.equals(root)) {
                    continue;
                }
                String name = root.relativize(path).toString().replace('\\', '/');
                if (Files.isSymbolicLink(path)) {
                    tree.put(name, "link->" + Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path)) {
                    tree.put(name + "/", "dir");
                } else {
                    tree.put(name, "file:" + Files.readString(path));
                }
            }
        }
        return tree;
    }

    /** An archive made entry by entry, as someone else's tool could have made it. */
    private Path crafted(String... namesAndKinds) throws IOException {
        Path archive = tmp.resolve("crafted.tar.gz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(
                Files.newOutputStream(archive)))) {
            for (int i = 0; i < namesAndKinds.length; i += 2) {
                String name = namesAndKinds[i];
                String kind = namesAndKinds[i + 1];
                if (kind.startsWith("->")) {
                    TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    link.setLinkName(kind.substring(2));
                    tar.putArchiveEntry(link);
                } else {
                    // preserveAbsolutePath: keep the name exactly as given, "../" and leading "/" included
                    TarArchiveEntry file = new TarArchiveEntry(name, true);
                    byte[] bytes = kind.getBytes(StandardCharsets.UTF_8);
                    file.setSize(bytes.length);
                    tar.putArchiveEntry(file);
                    tar.write(bytes);
                }
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    @Test
    void anArchiveWrittenAndReadBackHasTheSameEntriesAndBytes() throws IOException {
        Path job = tmp.resolve("job");
        write(job.resolve("job.sbatch"), "#!/bin/bash\n");
        write(job.resolve("slurm.json"), "{\"slurm-job-id\":\"7\"}\n");
        write(job.resolve("logs/slurm-7.out"), "RuntimeError: CUDA out of memory\n");
        write(job.resolve("logs/attempt-1/server-0.log"), "INFO loading\n");
        Files.createDirectories(job.resolve("results"));
        write(job.resolve("notes.txt"), "not asked for\n");
        Path archive = tmp.resolve("failure.tar.gz");

        TarGz.write(job, List.of("job.sbatch", "plan.json", "slurm.json", "logs", "results"), archive, LIMIT);

        assertThat(entries(archive)).containsExactly(
                Map.entry("job.sbatch", "file:#!/bin/bash\n"),
                Map.entry("slurm.json", "file:{\"slurm-job-id\":\"7\"}\n"),
                Map.entry("logs/", "dir"),
                Map.entry("logs/attempt-1/", "dir"),
                Map.entry("logs/attempt-1/server-0.log", "file:INFO loading\n"),
                Map.entry("logs/slurm-7.out", "file:RuntimeError: CUDA out of memory\n"),
                Map.entry("results/", "dir"));
        Path unpacked = tmp.resolve("unpacked");
        TarGz.extract(archive, unpacked, LIMIT);
        Map<String, String> expected = tree(job);
        expected.remove("notes.txt");
        assertThat(tree(unpacked)).isEqualTo(expected);
    }

    @Test
    void symbolicLinksAreArchivedAsLinksNeverFollowedAndNotRecreated() throws IOException {
        Path job = tmp.resolve("job");
        Path outside = tmp.resolve("outside/secret.txt");
        write(outside, "not evidence\n");
        write(job.resolve("logs/server-0.log"), "INFO\n");
        Files.createSymbolicLink(job.resolve("logs/elsewhere"), outside.getParent());
        Files.createSymbolicLink(job.resolve("logs/secret.log"), outside);
        Path archive = tmp.resolve("failure.tar.gz");

        TarGz.write(job, List.of("logs"), archive, LIMIT);

        assertThat(entries(archive)).containsExactly(
                Map.entry("logs/", "dir"),
                Map.entry("logs/elsewhere", "link->" + outside.getParent()),
                Map.entry("logs/secret.log", "link->" + outside),
                Map.entry("logs/server-0.log", "file:INFO\n"));
        Path unpacked = tmp.resolve("unpacked");
        TarGz.extract(archive, unpacked, LIMIT);
        assertThat(tree(unpacked)).containsOnlyKeys("logs/", "logs/server-0.log");
    }

    @Test
    void anEntryThatWouldLandOutsideTheTargetIsRefused() throws IOException {
        Path target = tmp.resolve("a/b/unpacked");
        Path archive = crafted("logs/ok.log", "fine\n", "../../evil.txt", "pwned\n");

        assertThatThrownBy(() -> TarGz.extract(archive, target, LIMIT)).isInstanceOf(IOException.class)
                .hasMessageContaining("refusing archive entry '../../evil.txt'");
        assertThat(tmp.resolve("a/evil.txt")).doesNotExist();
        assertThat(Files.exists(tmp.resolve("a/b/evil.txt"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aDotDotInTheMiddleOfANameIsRefusedToo() throws IOException {
        Path archive = crafted("logs/../../evil.txt", "pwned\n");

        assertThatThrownBy(() -> TarGz.extract(archive, tmp.resolve("unpacked"), LIMIT))
                .isInstanceOf(IOException.class).hasMessageContaining("refusing archive entry");
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void anAbsoluteNameIsUnpackedInsideTheTargetAsGnuTarDoes() throws IOException {
        Path target = tmp.resolve("unpacked");

        TarGz.extract(crafted("/tmp/evil.txt", "inside\n"), target, LIMIT);

        assertThat(Files.readString(target.resolve("tmp/evil.txt"))).isEqualTo("inside\n");
    }

    @Test
    void aFileBehindALinkEntryStaysInsideBecauseTheLinkIsNotCreated() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path target = tmp.resolve("unpacked");

        TarGz.extract(crafted("logs/x", "->" + outside, "logs/x/planted.txt", "pwned\n"), target, LIMIT);

        assertThat(outside.resolve("planted.txt")).doesNotExist();
        assertThat(Files.isSymbolicLink(target.resolve("logs/x"))).isFalse();
        assertThat(Files.readString(target.resolve("logs/x/planted.txt"))).isEqualTo("pwned\n");
    }

    @Test
    void namesThatWereNotThereAreLeftOutAndAnEmptyListMakesAnEmptyArchive() throws IOException {
        Path job = Files.createDirectories(tmp.resolve("job"));
        Path archive = tmp.resolve("failure.tar.gz");

        TarGz.write(job, List.of("logs", "results"), archive, LIMIT);

        assertThat(entries(archive)).isEmpty();
        TarGz.extract(archive, tmp.resolve("unpacked"), LIMIT);
        assertThat(tmp.resolve("unpacked")).isEmptyDirectory();
    }

    @Test
    void aLongPathKeepsItsFullName() throws IOException {
        Path job = tmp.resolve("job");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            parts.add("attempt-directory-" + i);
        }
        String deep = "logs/" + String.join("/", parts) + "/server-0.log";
        write(job.resolve(deep), "deep\n");
        Path archive = tmp.resolve("failure.tar.gz");

        TarGz.write(job, List.of("logs"), archive, LIMIT);
        TarGz.extract(archive, tmp.resolve("unpacked"), LIMIT);

        assertThat(deep).hasSizeGreaterThan(100);
        assertThat(Files.readString(tmp.resolve("unpacked").resolve(deep))).isEqualTo("deep\n");
    }

    @Test
    void unpackingPastItsTimeLimitFails() throws IOException {
        Path archive = crafted("logs/a.log", "x\n");

        assertThatThrownBy(() -> TarGz.extract(archive, tmp.resolve("unpacked"), Duration.ofNanos(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("took longer than");
    }

    @Test
    void writingIntoADirectoryThatDoesNotExistFails() {
        assertThatThrownBy(() -> TarGz.write(tmp, List.of(), tmp.resolve("missing/failure.tar.gz"), LIMIT))
                .isInstanceOf(IOException.class);
    }
}
