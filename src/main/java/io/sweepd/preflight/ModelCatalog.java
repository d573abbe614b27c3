package io.sweepd.preflight;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sweepd.profiles.CatalogFiles;
import io.sweepd.profiles.StrictYaml;

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

    private static final TypeReference<Map<String, Map<String, Entry>>> FILE_SHAPE = new TypeReference<>() {
    };

    /** One precision's numbers as the file writes them (the model and precision are the map keys). */
    record Entry(double replicatedGb, double expertsGb, String source) {
    }

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
        StrictYaml.Parsed<Map<String, Map<String, Entry>>> parsed = StrictYaml.read(source, FILE_SHAPE);
        parsed.require("*.*.replicated-gb", "*.*.experts-gb", "*.*.source");
        List<ModelFacts> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Map<String, Entry>> model : parsed.value().entrySet()) {
            if (model.getValue() == null || model.getValue().isEmpty()) {
                throw parsed.fail(List.of(model.getKey()), "lists no precision (expected e.g. fp8: {replicated-gb: ..., experts-gb: ..., source: ...})");
            }
            for (Map.Entry<String, Entry> precision : model.getValue().entrySet()) {
                List<String> at = List.of(model.getKey(), precision.getKey());
                Entry e = precision.getValue();
                if (e == null) {
                    throw parsed.fail(at, "has no value");
                }
                if (e.replicatedGb() < 0 || e.expertsGb() < 0 || e.replicatedGb() + e.expertsGb() <= 0) {
                    throw parsed.fail(at, "sizes must be >= 0 GB and not both 0");
                }
                if (!seen.add(key(model.getKey(), precision.getKey()))) {
                    throw parsed.fail(at, "is listed twice (model ids and precisions are compared ignoring case)");
                }
                out.add(new ModelFacts(model.getKey(), precision.getKey(), e.replicatedGb(), e.expertsGb(), e.source()));
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
