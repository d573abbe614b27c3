package io.sweepd.profiles;

import io.sweepd.files.CatalogFiles;
import io.sweepd.yaml.Yaml;
import io.sweepd.yaml.YamlFieldException;
import io.sweepd.yaml.YamlMap;
import io.sweepd.yaml.YamlNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds one cluster profile file to a {@link ClusterProfile}, strictly: unknown keys, wrong types ({@code "8"} is
 * not 8), duplicate keys and missing required keys are errors naming file, line and field. A silently ignored key
 * once sent a job to {@code --partition=default}. What a type cannot say (allowed words, positive counts, deadlines
 * that fit the time limit) is {@link ProfileCatalog}'s to check, on the {@link Parsed} profile.
 *
 * <p>Optional keys written empty count as left out; an optional count or flag left out is 0 or false.
 */
final class ProfileReader {

    private static final List<String> PROFILE_KEYS = List.of("assumed", "container-runtime", "deadlines",
            "description", "features", "hardware", "launcher", "limits", "name", "paths", "retry",
            "runner-nodes", "runners", "slurm");
    private static final List<String> SLURM_KEYS = List.of("account", "exclude", "exclusive", "extra-directives",
            "gpu-directive", "gres-type", "partition", "qos", "segment", "time-limit");
    private static final List<String> HARDWARE_KEYS = List.of("architecture", "gpu", "gpu-memory-gb",
            "gpus-per-node", "nodes", "nvlink-domain", "usable-gib");
    private static final List<String> PATHS_KEYS = List.of("containers", "hf-cache", "model-aliases", "models",
            "recipes", "srt-slurm", "srt-slurm-python", "venv");
    private static final List<String> LAUNCHER_KEYS = List.of("agentic", "command", "environment", "eval",
            "single-node-type", "type");
    private static final List<String> EVAL_KEYS = List.of("include-path", "tasks");
    private static final List<String> AGENTIC_KEYS = List.of("kv-offload-gb", "traces");
    private static final List<String> DEADLINE_KEYS = List.of("first-log-seconds", "healthy-seconds",
            "total-seconds");
    private static final List<String> FEATURE_KEYS = List.of("headless-multinode");
    private static final List<String> LIMITS_KEYS = List.of("max-queued-jobs", "submissions-per-minute");
    private static final List<String> RETRY_KEYS = List.of("backoff-seconds", "exclude-failed-nodes", "max-attempts");

    private ProfileReader() {
    }

    /** A profile as read, with its document, so that checks beyond types can name the key at fault. */
    record Parsed(ClusterProfile value, YamlMap root) {

        String file() {
            return root.file();
        }

        /** The same document with a value derived from this one (e.g. the name filled in). */
        Parsed withValue(ClusterProfile derived) {
            return new Parsed(derived, root);
        }

        /** An error at the key {@code dottedPath} (fixed keys joined by dots). */
        YamlFieldException fail(String dottedPath, String problem) {
            return fail(List.of(dottedPath.split("\\.")), problem);
        }

        /** An error at the key {@code path}, or at the start of the file when that key is absent. */
        YamlFieldException fail(List<String> path, String problem) {
            YamlNode node = root.find(path);
            YamlNode.Position at = node == null ? YamlNode.Position.START : node.keyPosition();
            return new YamlFieldException(file(), at.line(), at.column(), String.join(".", path), problem);
        }

        /** Whether the file wrote this key at all (to tell "absent" from a default). */
        boolean has(String dottedPath) {
            return root.find(List.of(dottedPath.split("\\."))) != null;
        }
    }

    static Parsed read(CatalogFiles.Source source) {
        YamlNode document = Yaml.read(source.name(), source.text());
        if (document.isNull()) {
            throw document.fail("is empty");
        }
        YamlMap root = document.map("a cluster profile (a map with " + String.join(", ", PROFILE_KEYS) + ")");
        YamlNode oldPollInterval = root.find(List.of("poll-interval-seconds"));
        if (oldPollInterval != null) {
            // Profiles until December 2026 had it; say where it went rather than call it unknown.
            YamlNode.Position at = oldPollInterval.keyPosition();
            throw new YamlFieldException(root.file(), at.line(), at.column(), "poll-interval-seconds",
                    "is no longer a profile key: every profile of a daemon shares one Slurm controller, so the daemon"
                            + " polls all its jobs at one pace, the settings sweepd.poll.interval-ms and"
                            + " sweepd.poll.idle-interval-ms;"
                            + " remove this line");
        }
        root.allowOnly(PROFILE_KEYS);
        ClusterProfile profile = new ClusterProfile(
                text(root, "name"),
                text(root, "description"),
                root.nullable("runners", YamlNode::strings),
                root.nullable("runner-nodes", node -> entries(node, YamlNode::integer)),
                slurm(section(root, "slurm", SLURM_KEYS)),
                hardware(section(root, "hardware", HARDWARE_KEYS)),
                paths(section(root, "paths", PATHS_KEYS)),
                text(root, "container-runtime"),
                launcher(section(root, "launcher", LAUNCHER_KEYS)),
                deadlines(section(root, "deadlines", DEADLINE_KEYS)),
                root.nullable("features", node -> new ClusterProfile.Features(
                        flag(keys(node, FEATURE_KEYS), "headless-multinode"))),
                root.nullable("retry", node -> retry(keys(node, RETRY_KEYS))),
                root.nullable("assumed", node -> entries(node, value -> value.isNull() ? null : value.string())),
                root.nullable("limits", node -> limits(keys(node, LIMITS_KEYS))));
        return new Parsed(profile, root);
    }

    private static ClusterProfile.Slurm slurm(YamlMap slurm) {
        return new ClusterProfile.Slurm(slurm.string("partition"), text(slurm, "account"), text(slurm, "qos"),
                text(slurm, "time-limit"), slurm.string("gpu-directive"), text(slurm, "gres-type"),
                flag(slurm, "exclusive"), flag(slurm, "segment"), text(slurm, "exclude"),
                slurm.nullable("extra-directives", YamlNode::strings));
    }

    private static ClusterProfile.Hardware hardware(YamlMap hardware) {
        return new ClusterProfile.Hardware(hardware.string("gpu"), hardware.string("architecture"),
                hardware.number("gpu-memory-gb"), hardware.number("usable-gib"), hardware.integer("gpus-per-node"),
                hardware.integer("nodes"), hardware.integer("nvlink-domain"));
    }

    private static ClusterProfile.Paths paths(YamlMap paths) {
        return new ClusterProfile.Paths(paths.string("models"), text(paths, "containers"), text(paths, "recipes"),
                text(paths, "hf-cache"), paths.nullable("model-aliases", node -> entries(node, YamlNode::string)),
                text(paths, "venv"), text(paths, "srt-slurm"), text(paths, "srt-slurm-python"));
    }

    private static ClusterProfile.Launcher launcher(YamlMap launcher) {
        return new ClusterProfile.Launcher(launcher.string("type"), launcher.nullable("command", YamlNode::strings),
                launcher.nullable("environment", node -> entries(node, YamlNode::string)),
                text(launcher, "single-node-type"),
                launcher.nullable("eval", node -> {
                    YamlMap eval = keys(node, EVAL_KEYS);
                    return new ClusterProfile.Eval(eval.nullable("tasks", YamlNode::strings),
                            text(eval, "include-path"));
                }),
                launcher.nullable("agentic", node -> {
                    YamlMap agentic = keys(node, AGENTIC_KEYS);
                    return new ClusterProfile.Agentic(text(agentic, "traces"),
                            agentic.nullable("kv-offload-gb", YamlNode::integer));
                }));
    }

    private static ClusterProfile.Deadlines deadlines(YamlMap deadlines) {
        return new ClusterProfile.Deadlines(deadlines.integer("first-log-seconds"),
                deadlines.integer("healthy-seconds"), deadlines.integer("total-seconds"));
    }

    /** Each limit left out is no limit (null), never 0: a 0 would hold every job forever. */
    private static ClusterProfile.Limits limits(YamlMap limits) {
        return new ClusterProfile.Limits(limits.nullable("max-queued-jobs", YamlNode::integer),
                limits.nullable("submissions-per-minute", YamlNode::integer));
    }

    private static ClusterProfile.Retry retry(YamlMap retry) {
        return new ClusterProfile.Retry(count(retry, "max-attempts"), count(retry, "backoff-seconds"),
                flag(retry, "exclude-failed-nodes"));
    }

    /** A required section: a map of the given keys. */
    private static YamlMap section(YamlMap root, String key, List<String> allowed) {
        return keys(root.require(key), allowed);
    }

    private static YamlMap keys(YamlNode node, List<String> allowed) {
        YamlMap map = node.map("a map with " + String.join(", ", allowed));
        map.allowOnly(allowed);
        return map;
    }

    /** A map of names to values {@code read} reads. */
    private static <T> Map<String, T> entries(YamlNode node, Function<YamlNode, T> read) {
        Map<String, T> values = new LinkedHashMap<>();
        for (YamlNode value : node.map("a map").values()) {
            values.put(value.key(), read.apply(value));
        }
        return values;
    }

    private static String text(YamlMap map, String key) {
        return map.nullable(key, YamlNode::string);
    }

    private static int count(YamlMap map, String key) {
        Integer value = map.nullable(key, YamlNode::integer);
        return value == null ? 0 : value;
    }

    private static boolean flag(YamlMap map, String key) {
        Boolean value = map.nullable(key, YamlNode::bool);
        return value != null && value;
    }
}
