package io.sweepd.sweep;

import io.sweepd.yaml.Yaml;
import io.sweepd.yaml.YamlFieldException;
import io.sweepd.yaml.YamlList;
import io.sweepd.yaml.YamlMap;
import io.sweepd.yaml.YamlNode;
import io.sweepd.yaml.YamlScalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * InferenceMAX's {@code runners.yaml}: each runner label (what a master-config entry's {@code runner} names) and
 * the runner nodes that serve it. The generator reads it for {@code --runner-node-filter}, runner-model-sweep
 * and to check {@code --runner-type}; sweepd also uses it to find the label of a point placed on one node.
 *
 * @param file  where it was read from (for messages), or null for {@link #NONE}
 * @param nodes label -> node names, in file order
 */
public record RunnerConfig(String file, Map<String, List<String>> nodes) {

    /** No runners file: filters that need one say so. */
    public static final RunnerConfig NONE = new RunnerConfig(null, Map.of());

    public RunnerConfig {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        nodes.forEach((label, list) -> copy.put(label, List.copyOf(list)));
        nodes = java.util.Collections.unmodifiableMap(copy);
    }

    public boolean isKnown() {
        return file != null;
    }

    /** The label whose node list holds {@code node}. */
    public Optional<String> labelOfNode(String node) {
        return nodes.entrySet().stream().filter(e -> e.getValue().contains(node)).map(Map.Entry::getKey).findFirst();
    }

    /** Reads and checks a runners file as the generator does: a map of label -> non-empty list of node names. */
    public static RunnerConfig read(Path path) {
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new YamlFieldException(name, 0, 0, "", "cannot read the runners file: " + e.getMessage());
        }
        if (!(Yaml.read(name, text) instanceof YamlMap map)) {
            throw new YamlFieldException(name, 1, 1, "", "expected a map of runner label -> list of runner nodes");
        }
        Map<String, List<String>> nodes = new LinkedHashMap<>();
        for (YamlNode label : map.values()) {
            if (!(label instanceof YamlList list) || list.items().isEmpty()) {
                throw label.failAtKey("runner label '" + label.key() + "' must list at least one runner node");
            }
            List<String> names = new ArrayList<>();
            for (YamlNode item : list.items()) {
                if (!(item instanceof YamlScalar scalar) || scalar.kind() != YamlScalar.Kind.STRING) {
                    throw item.fail("expected a runner node name, got " + item.describe());
                }
                names.add(scalar.text());
            }
            nodes.put(label.key(), names);
        }
        return new RunnerConfig(name, nodes);
    }
}
