package io.sweepd.workarounds;

import io.sweepd.yaml.YamlFieldException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The workaround rules in force, in the order the engine applies them.
 *
 * <p>Sources: the rules shipped in the jar ({@code workarounds/index.txt} on the classpath lists the files,
 * because a jar cannot be listed like a directory) and any number of directories of {@code *.yaml} files
 * (read in file-name order). Sources are layered: a later source adds rules and replaces earlier rules with
 * the same id, in place, so a cluster can retune a shipped rule without reordering the catalog. Within one
 * source a repeated id is an error: nobody could tell which of the two was meant.
 *
 * <p>Immutable; {@link #without(Set)} gives the catalog with some rules left out, for sweeps that measure
 * what a rule is worth.
 */
public final class WorkaroundCatalog {

    /** Classpath folder of the shipped rules. */
    public static final String CLASSPATH_FOLDER = "workarounds/";
    /** The file in {@link #CLASSPATH_FOLDER} listing the rule files, one a line; {@code #} starts a comment. */
    public static final String INDEX = "index.txt";

    private final List<WorkaroundRule> rules;
    private final Map<String, WorkaroundRule> byId;

    private WorkaroundCatalog(List<WorkaroundRule> rules) {
        this.rules = List.copyOf(rules);
        Map<String, WorkaroundRule> index = new LinkedHashMap<>();
        for (WorkaroundRule rule : rules) {
            WorkaroundRule previous = index.putIfAbsent(rule.id(), rule);
            if (previous != null) {
                throw new IllegalArgumentException("workaround id '" + rule.id() + "' is used twice: "
                        + previous.source() + " and " + rule.source());
            }
        }
        this.byId = index;
    }

    public static WorkaroundCatalog empty() {
        return new WorkaroundCatalog(List.of());
    }

    /** @throws IllegalArgumentException when two rules share an id */
    public static WorkaroundCatalog of(List<WorkaroundRule> rules) {
        return new WorkaroundCatalog(rules);
    }

    /** The shipped rules, parsed once per JVM: see {@link #fromClasspath()}. */
    private static volatile WorkaroundCatalog shipped;

    /**
     * The shipped rules, from this class's class loader. Parsed once per JVM and shared (the catalog is immutable
     * and the jar cannot change under a running JVM): the daemon's planner and its failure signatures both start
     * from them, and parsing them is a tenth of a second of every start.
     */
    public static WorkaroundCatalog fromClasspath() {
        WorkaroundCatalog catalog = shipped;
        if (catalog == null) {
            // Two threads racing here parse twice and keep either: both are the same rules.
            catalog = fromClasspath(WorkaroundCatalog.class.getClassLoader());
            shipped = catalog;
        }
        return catalog;
    }

    /**
     * The rules listed in {@code workarounds/index.txt} of the given class loader.
     *
     * @throws YamlFieldException when the index or a file it lists is missing or invalid (a jar built
     *                                   without its rules must not start as if it had none)
     */
    public static WorkaroundCatalog fromClasspath(ClassLoader loader) {
        String indexName = CLASSPATH_FOLDER + INDEX;
        String index = readResource(loader, indexName);
        if (index == null) {
            throw new YamlFieldException("classpath:" + indexName, 0, 0, null,
                    "not on the classpath; the build must package the workarounds/ folder with its index");
        }
        List<WorkaroundRule> rules = new ArrayList<>();
        Map<String, String> seenIn = new HashMap<>();
        String[] lines = index.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String name = lines[i].replaceFirst("#.*", "").trim();
            if (name.isEmpty()) {
                continue;
            }
            String resource = CLASSPATH_FOLDER + name;
            String text = readResource(loader, resource);
            if (text == null) {
                throw new YamlFieldException("classpath:" + indexName, i + 1, 0, null,
                        "lists " + name + ", which is not on the classpath");
            }
            addAll(rules, seenIn, WorkaroundRuleReader.read("classpath:" + resource, text));
        }
        return new WorkaroundCatalog(rules);
    }

    /**
     * The rules of every {@code *.yaml} / {@code *.yml} file directly in {@code dir}, files in name order.
     *
     * @throws YamlFieldException when the directory is missing or a file is invalid
     */
    public static WorkaroundCatalog fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new YamlFieldException(dir.toString(), 0, 0, null, "workaround directory does not exist");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing
                    .filter(file -> Files.isRegularFile(file))
                    .filter(file -> file.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new YamlFieldException(dir.toString(), 0, 0, null, "cannot be listed: " + e.getMessage());
        }
        List<WorkaroundRule> rules = new ArrayList<>();
        Map<String, String> seenIn = new HashMap<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new YamlFieldException(file.toString(), 0, 0, null, "cannot be read: " + e.getMessage());
            }
            addAll(rules, seenIn, WorkaroundRuleReader.read(file.toString(), text));
        }
        return new WorkaroundCatalog(rules);
    }

    /**
     * The usual layering: the shipped rules (when {@code includeClasspath}), then each directory in order,
     * each overriding the ones before by id.
     */
    public static WorkaroundCatalog load(boolean includeClasspath, List<Path> dirs) {
        WorkaroundCatalog catalog = includeClasspath ? fromClasspath() : empty();
        for (Path dir : dirs) {
            catalog = catalog.overriddenBy(fromDirectory(dir));
        }
        return catalog;
    }

    /**
     * This catalog with {@code later}'s rules layered on top: a rule with a known id replaces the earlier
     * one where it stood, a new id is appended.
     */
    public WorkaroundCatalog overriddenBy(WorkaroundCatalog later) {
        Map<String, WorkaroundRule> merged = new LinkedHashMap<>(byId);
        for (WorkaroundRule rule : later.rules) {
            merged.put(rule.id(), rule);
        }
        return new WorkaroundCatalog(new ArrayList<>(merged.values()));
    }

    /**
     * This catalog without the given rules.
     *
     * @throws IllegalArgumentException naming any id the catalog does not have: a mistyped id would
     *                                  otherwise run the "without" sweep with every rule in force
     */
    public WorkaroundCatalog without(Set<String> ids) {
        Set<String> unknown = new TreeSet<>(ids);
        unknown.removeAll(byId.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no workaround with id " + String.join(", ", unknown)
                    + "; known ids: " + String.join(", ", byId.keySet()));
        }
        return new WorkaroundCatalog(rules.stream().filter(rule -> !ids.contains(rule.id())).toList());
    }

    /** The rules in application order. */
    public List<WorkaroundRule> rules() {
        return rules;
    }

    public Optional<WorkaroundRule> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Rule ids in application order. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    private static void addAll(List<WorkaroundRule> rules, Map<String, String> seenIn, List<WorkaroundRule> fromFile) {
        for (WorkaroundRule rule : fromFile) {
            String previous = seenIn.putIfAbsent(rule.id(), rule.source());
            if (previous != null) {
                throw new YamlFieldException(rule.file(), rule.line(), 0, rule.id(),
                        "id '" + rule.id() + "' is already used at " + previous + "; ids are unique within one source");
            }
            rules.add(rule);
        }
    }

    private static String readResource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }
}
