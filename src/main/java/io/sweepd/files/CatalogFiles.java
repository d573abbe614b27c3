package io.sweepd.files;

import io.sweepd.yaml.YamlFieldException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the YAML files of a data catalog (cluster profiles, model facts, failure signatures) in a directory or in a
 * classpath folder. Listing a folder inside a jar is awkward and differs between class loaders, so a
 * shipped folder carries an {@code index.txt} naming its files, one per line ({@code #} starts a comment).
 */
public final class CatalogFiles {

    /** The text of one data file and the name errors should use for it. */
    public record Source(String name, String fileName, String text) {

        /** The file name without {@code .yaml}: a profile's name. */
        public String stem() {
            return fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - 5) : fileName;
        }
    }

    private CatalogFiles() {
    }

    /**
     * Every {@code *.yaml} directly in {@code dir}, in file-name order (so a load is reproducible).
     * A missing directory is an error: a configured folder that silently holds nothing hides a typo.
     */
    public static List<Source> fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new YamlFieldException(dir.toString(), 0, 0, null, "is not a directory");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        List<Source> sources = new ArrayList<>();
        for (Path file : files) {
            try {
                sources.add(new Source(file.toString(), file.getFileName().toString(),
                        Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return sources;
    }

    /** The files {@code folder/index.txt} lists, read through {@code loader}, in index order. */
    public static List<Source> fromClasspath(ClassLoader loader, String folder) {
        String indexName = folder + "/index.txt";
        String index = read(loader, indexName);
        if (index == null) {
            throw new YamlFieldException("classpath:" + indexName, 0, 0, null,
                    "not found: the jar must ship " + folder + "/ with an index.txt listing its files");
        }
        List<Source> sources = new ArrayList<>();
        String[] lines = index.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String entry = lines[i].replaceFirst("#.*", "").strip();
            if (entry.isEmpty()) {
                continue;
            }
            String resource = folder + "/" + entry;
            String text = read(loader, resource);
            if (text == null) {
                throw new YamlFieldException("classpath:" + indexName, i + 1, 1, null,
                        "lists '" + entry + "' but classpath:" + resource + " does not exist");
            }
            sources.add(new Source("classpath:" + resource, entry, text));
        }
        return sources;
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath:" + resource, e);
        }
    }

    /** The class loader to read shipped data with: the thread's, else this class's. */
    public static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : CatalogFiles.class.getClassLoader();
    }
}
