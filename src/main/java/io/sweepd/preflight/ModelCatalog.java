package io.sweepd.preflight;

import io.sweepd.files.CatalogFiles;
import io.sweepd.yaml.Yaml;
import io.sweepd.yaml.YamlMap;
import io.sweepd.yaml.YamlNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Weight facts by (model id, precision), from {@code models/*.yaml}: the shipped {@code models/} folder
 * (listed by {@code models/index.txt}) and directories the user configures, later ones overriding earlier
 * ones entry by entry. The file maps model id -> precision -> {@code replicated-gb, experts-gb, source}.
 * Lookups ignore case: Hugging Face ids are case-insensitive and sweep files are not always consistent.
 */
public final class ModelCatalog {

    /** The classpath folder the build packages the top-level {@code models/} into. */
    public static final String CLASSPATH_FOLDER = "models";

    /** The keys of one precision's numbers (the model and the precision are the keys above them). */
    private static final List<String> ENTRY_KEYS = List.of("replicated-gb", "experts-gb", "source");

    private final Map<String, ModelFacts> facts;

    private ModelCatalog(Map<String, ModelFacts> facts) {
        this.facts = facts;
    }

    public static ModelCatalog of(Collection<ModelFacts> entries) {
        Map<String, ModelFacts> facts = new LinkedHashMap<>();
        entries.forEach(f -> facts.put(key(f.model(), f.precision()), f));
        return new ModelCatalog(facts);
    }

    public static ModelCatalog load(List<Path> dirs) {
        List<ModelFacts> all = new ArrayList<>();
        for (Path dir : dirs) {
            CatalogFiles.fromDirectory(dir).forEach(source -> all.addAll(parse(source)));
        }
        return of(all);
    }

    public static ModelCatalog loadDefaults() {
        return loadDefaults(List.of());
    }

    /** The shipped facts, then each directory in turn overriding them by (model, precision). */
    public static ModelCatalog loadDefaults(List<Path> overrideDirs) {
        return loadDefaults(CatalogFiles.defaultLoader(), overrideDirs);
    }

    static ModelCatalog loadDefaults(ClassLoader loader, List<Path> overrideDirs) {
        List<ModelFacts> all = new ArrayList<>();
        CatalogFiles.fromClasspath(loader, CLASSPATH_FOLDER).forEach(source -> all.addAll(parse(source)));
        for (Path dir : overrideDirs) {
            CatalogFiles.fromDirectory(dir).forEach(source -> all.addAll(parse(source)));
        }
        return of(all);
    }

    /** Reads and checks one facts file. */
    public static List<ModelFacts> parse(CatalogFiles.Source source) {
        YamlNode document = Yaml.read(source.name(), source.text());
        if (document.isNull()) {
            throw document.fail("is empty");
        }
        List<ModelFacts> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (YamlNode model : document.map("a map of model id -> precision -> {replicated-gb, experts-gb, source}")
                .values()) {
            if (model.isNull() || model instanceof YamlMap precisions && precisions.isEmpty()) {
                throw model.failAtKey("lists no precision (expected e.g. fp8: {replicated-gb: ..., experts-gb: ..., source: ...})");
            }
            for (YamlNode precision : model.map("a map of precision -> {replicated-gb, experts-gb, source}").values()) {
                if (precision.isNull()) {
                    throw precision.failAtKey("has no value");
                }
                YamlMap entry = precision.map("a map with " + String.join(", ", ENTRY_KEYS));
                entry.allowOnly(ENTRY_KEYS);
                double replicatedGb = entry.number("replicated-gb");
                double expertsGb = entry.number("experts-gb");
                String from = entry.string("source");
                if (replicatedGb < 0 || expertsGb < 0 || replicatedGb + expertsGb <= 0) {
                    throw precision.failAtKey("sizes must be >= 0 GB and not both 0");
                }
                if (!seen.add(key(model.key(), precision.key()))) {
                    throw precision.failAtKey("is listed twice (model ids and precisions are compared ignoring case)");
                }
                out.add(new ModelFacts(model.key(), precision.key(), replicatedGb, expertsGb, from));
            }
        }
        return out;
    }

    public Optional<ModelFacts> lookup(String modelId, String precision) {
        if (modelId == null || precision == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(facts.get(key(modelId, precision)));
    }

    public List<ModelFacts> all() {
        return List.copyOf(facts.values());
    }

    private static String key(String model, String precision) {
        return model.toLowerCase(Locale.ROOT) + "\n" + precision.toLowerCase(Locale.ROOT);
    }
}
