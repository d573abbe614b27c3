package io.sweepd.sweep;

import io.sweepd.sweep.SweepFilters.EvalSelection;
import io.sweepd.sweep.SweepFilters.Mode;
import io.sweepd.yaml.Yaml;
import io.sweepd.yaml.YamlFieldException;
import io.sweepd.yaml.YamlList;
import io.sweepd.yaml.YamlMap;
import io.sweepd.yaml.YamlNode;
import io.sweepd.yaml.YamlNode.Position;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a sweep file: InferenceMAX's master-config schema plus the optional reserved {@code sweep:} block.
 *
 * <p>Validation is as strict as the master config's pydantic models with {@code extra='forbid'}: unknown
 * keys, wrong types (no "4" for 4, no "true" for true), missing required fields and duplicate keys are all
 * errors, because a silently ignored key once sent a job to the wrong partition. Every error is a
 * {@link YamlFieldException} naming the line and column of the offending key or value (for a missing key:
 * the key that holds the map, or the list item's start) and the dotted field path.
 *
 * <p>Booleans and numbers are read with YAML 1.1 rules, like PyYAML in the generator: {@code yes} is true.
 */
public final class SweepParser {

    /** InferenceMAX's runners file, looked for beside a sweep that does not name one. */
    public static final String RUNNERS_FILE = "runners.yaml";

    /** The reserved top-level key for sweep settings; every other top-level key is a config entry. */
    public static final String SETTINGS_KEY = "sweep";

    // Names become directory names and parts of Slurm job names.
    private static final Pattern SWEEP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private static final Set<String> ENTRY_KEYS = sorted("image", "model", "model-prefix", "runner", "precision",
            "framework", "multinode", "disagg", "seq-len-configs", "scenarios");
    private static final Set<String> SCENARIO_KEYS = sorted("fixed-seq-len", "agentic-coding");
    private static final Set<String> SEQ_LEN_KEYS = sorted("isl", "osl", "search-space");
    private static final Set<String> AGENTIC_KEYS = sorted("search-space", "duration");
    private static final Set<String> AGENTIC_ITEM_KEYS = sorted("tp", "ep", "dp-attn", "spec-decoding", "prefill",
            "decode", "offloading", "conc-start", "conc-end", "conc-list");
    private static final Set<String> SINGLE_NODE_ITEM_KEYS = sorted("tp", "ep", "dp-attn", "spec-decoding",
            "conc-start", "conc-end", "conc-list");
    private static final Set<String> MULTINODE_ITEM_KEYS = sorted("spec-decoding", "prefill", "decode",
            "conc-start", "conc-end", "conc-list");
    private static final Set<String> WORKER_KEYS = sorted("num-worker", "tp", "ep", "dp-attn", "additional-settings");
    private static final Set<String> SETTINGS_KEYS = sorted("name", "schedule", "baseline", "profile", "generate",
            "filters", "runner-config", "disable-workarounds", "override-preflight");

    private static final List<String> SPEC_DECODING = List.of("mtp", "draft_model", "none");
    private static final List<String> OFFLOADING = List.of("none", "cpu", "ssd", "lmcache", "lmcache-mp", "hicache");
    private static final List<String> EVALS = List.of("all", "only", "exclude", "none");

    private final SweepLimits limits;

    /** With the default {@link SweepLimits}. */
    public SweepParser() {
        this(SweepLimits.DEFAULT);
    }

    public SweepParser(SweepLimits limits) {
        this.limits = limits;
    }

    public SweepLimits limits() {
        return limits;
    }

    /**
     * Refuses a file larger than the limit before anything reads it: the file's size is known from the directory,
     * so a 50 MB file costs nothing.
     *
     * @param fileName names the file in the message
     */
    public void checkSize(String fileName, long bytes) {
        if (bytes > limits.maxFileBytes()) {
            throw new YamlFieldException(fileName, 0, 0, "", "the file is " + bytes + " bytes; sweep files of at most "
                    + limits.maxFileBytes() + " bytes are read (setting sweepd.intake.max-file-bytes);"
                    + " nothing of it was read");
        }
    }

    /**
     * Reads and validates {@code file}. Its parent directory (absolute) becomes the base directory that
     * recipe paths resolve against.
     */
    public SweepFile parse(Path file) {
        String fileName = file.toString();
        String text;
        try {
            checkSize(fileName, Files.size(file));
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new YamlFieldException(fileName, 0, 0, "", "the file is not UTF-8 text");
        } catch (IOException e) {
            throw new YamlFieldException(fileName, 0, 0, "", "cannot read the file: " + e);
        }
        Path absolute = file.toAbsolutePath().normalize();
        return parse(text, fileName, absolute, absolute.getParent());
    }

    /**
     * Reads and validates sweep text.
     *
     * @param fileName names the file in error messages; its base name without .yaml/.yml is the default sweep name
     * @param baseDir  the directory recipe paths resolve against (may be null when there is none)
     */
    public SweepFile parse(String yamlText, String fileName, Path baseDir) {
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(fileName, "fileName");
        Path source = baseDir == null ? Path.of(baseName(fileName)) : baseDir.resolve(baseName(fileName));
        return parse(yamlText, fileName, source, baseDir);
    }

    private SweepFile parse(String yamlText, String fileName, Path source, Path baseDir) {
        return new Binder(fileName).sweep(Yaml.read(fileName, yamlText, limits.yaml()), fileName, source, baseDir);
    }

    /** The default sweep name: the file's base name without .yaml / .yml. */
    public static String defaultName(String fileName) {
        String base = baseName(fileName);
        String lower = base.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml")) {
            return base.substring(0, base.length() - 5);
        }
        if (lower.endsWith(".yml")) {
            return base.substring(0, base.length() - 4);
        }
        return base;
    }

    private static String baseName(String fileName) {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        return fileName.substring(slash + 1);
    }

    private static Set<String> sorted(String... keys) {
        return new TreeSet<>(List.of(keys));
    }

    /** Binds the located tree to the records, checking every rule on the way. */
    private static final class Binder {

        private final String file;

        Binder(String file) {
            this.file = file;
        }

        SweepFile sweep(YamlNode root, String fileName, Path source, Path baseDir) {
            if (root.isNull()) {
                throw error(Position.START, "", "the file is empty; expected a map of config-key -> entry"
                        + " (the InferenceMAX master-config format)");
            }
            if (!(root instanceof YamlMap top)) {
                throw root.fail("expected a map of config-key -> entry at the top level, got " + root.describe());
            }
            SweepBlock settings = null;
            YamlMap settingsBlock = null;
            List<ConfigEntry> entries = new ArrayList<>();
            for (YamlNode field : top.values()) {
                if (field.key().equals(SETTINGS_KEY)) {
                    settingsBlock = field.map("a map with " + String.join(", ", SETTINGS_KEYS));
                    settings = settings(settingsBlock);
                } else {
                    entries.add(entry(field));
                }
            }
            if (entries.isEmpty()) {
                throw top.failAtKey("the file has no config entries; expected at least one"
                        + " config-key -> entry (image, model, ...) besides '" + SETTINGS_KEY + "'");
            }
            if (settings == null) {
                settings = SweepBlock.DEFAULT;
            }
            checkFilters(settingsBlock, settings, entries);
            String name = settings.name();
            if (name == null) {
                name = defaultName(fileName);
                if (!SWEEP_NAME.matcher(name).matches()) {
                    throw error(Position.START, SETTINGS_KEY + ".name", "the file name gives the sweep name '" + name
                            + "', which is not a valid name (" + nameRule() + "); rename the file or set "
                            + SETTINGS_KEY + ".name");
                }
                settings = settings.withName(name);
            }
            return new SweepFile(name, source, baseDir, settings, entries, runners(settings, settingsBlock, baseDir));
        }

        /**
         * The runners file the sweep names ({@code sweep.runner-config}, relative to the sweep's directory), else
         * {@code runners.yaml} beside it (where InferenceMAX keeps it, next to its master configs), else none.
         */
        private RunnerConfig runners(SweepBlock settings, YamlMap settingsBlock, Path baseDir) {
            if (settings.runnerConfig() != null) {
                Path named = baseDir == null ? Path.of(settings.runnerConfig()) : baseDir.resolve(settings.runnerConfig());
                if (!Files.isRegularFile(named)) {
                    throw settingsBlock.get("runner-config").fail("no runners file at " + named);
                }
                return RunnerConfig.read(named);
            }
            Path beside = baseDir == null ? null : baseDir.resolve(RUNNERS_FILE);
            return beside != null && Files.isRegularFile(beside) ? RunnerConfig.read(beside) : RunnerConfig.NONE;
        }

        // ---- config entries ----

        private ConfigEntry entry(YamlNode field) {
            String key = field.key();
            if (!CONFIG_KEY.matcher(key).matches()) {
                throw field.failAtKey("config key '" + key + "' must start with a letter or digit"
                        + " and hold only letters, digits, '.', '_' and '-'");
            }
            YamlMap map = field.map("a config entry (a map with " + String.join(", ", ENTRY_KEYS) + ")");
            map.allowOnly(ENTRY_KEYS);
            String image = map.string("image");
            String model = map.string("model");
            String modelPrefix = map.string("model-prefix");
            String runner = map.string("runner");
            String precision = map.string("precision");
            String framework = map.string("framework");
            boolean multinode = map.bool("multinode");
            // The generator accepts disagg on a single-node entry and passes it through to the points.
            boolean disagg = map.bool("disagg", false);
            YamlNode legacy = map.get(ConfigEntry.Schema.SEQ_LEN_CONFIGS.key());
            YamlNode scenarios = map.get(ConfigEntry.Schema.SCENARIOS.key());
            if (legacy != null && scenarios != null) {
                throw later(legacy, scenarios).failAtKey("give either seq-len-configs (the master-config"
                        + " schema until May 2026) or scenarios (since June 2026), not both");
            }
            if (legacy == null && scenarios == null) {
                throw map.failMissing("scenarios", "missing required key 'scenarios' (or, in the"
                        + " older schema, 'seq-len-configs')");
            }
            if (legacy != null) {
                List<SeqLenConfig> seqLens = seqLenConfigs(legacy, multinode);
                return new ConfigEntry(key, image, model, modelPrefix, runner, precision, framework, multinode, disagg,
                        ConfigEntry.Schema.SEQ_LEN_CONFIGS, seqLens, List.of());
            }
            YamlMap scenarioMap = scenarios.map("a map with fixed-seq-len and/or agentic-coding");
            scenarioMap.allowOnly(SCENARIO_KEYS);
            YamlNode fixed = scenarioMap.present("fixed-seq-len");
            YamlNode agentic = scenarioMap.present("agentic-coding");
            List<SeqLenConfig> seqLens = fixed == null ? List.of() : seqLenConfigs(fixed, multinode);
            List<AgenticConfig> agenticConfigs = agentic == null ? List.of() : agenticConfigs(agentic, multinode);
            if (seqLens.isEmpty() && agenticConfigs.isEmpty()) {
                throw scenarios.failAtKey("at least one scenario type must be given:"
                        + " a non-empty fixed-seq-len or agentic-coding list");
            }
            return new ConfigEntry(key, image, model, modelPrefix, runner, precision, framework, multinode, disagg,
                    ConfigEntry.Schema.SCENARIOS, seqLens, agenticConfigs);
        }

        /** A list of seq-len configs; empty is allowed, as in the generator (it then gives no points). */
        private List<SeqLenConfig> seqLenConfigs(YamlNode node, boolean multinode) {
            List<SeqLenConfig> seqLens = new ArrayList<>();
            for (YamlNode item : node.list("a list of {isl, osl, search-space}").items()) {
                seqLens.add(seqLenConfig(item, multinode));
            }
            return seqLens;
        }

        private List<AgenticConfig> agenticConfigs(YamlNode node, boolean multinode) {
            List<AgenticConfig> configs = new ArrayList<>();
            for (YamlNode config : node.list("a list of {search-space, duration}").items()) {
                YamlMap map = config.map("a map with search-space and an optional duration");
                map.allowOnly(AGENTIC_KEYS);
                Integer duration = map.optional("duration", YamlNode::positiveInt);
                List<SearchSpaceItem> items = new ArrayList<>();
                for (YamlNode item : map.require("search-space").list("a list of search-space items").items()) {
                    items.add(agenticItem(item, multinode));
                }
                configs.add(new AgenticConfig(duration == null ? AgenticConfig.DEFAULT_DURATION_SECONDS : duration,
                        items));
            }
            return configs;
        }

        /**
         * An agentic-coding item names either tp (one aggregated server) or both prefill and decode. The
         * generator's schema allows either in any entry, but its expansion reads tp for a single-node entry and
         * prefill/decode for a multinode one (and fails on the other), so the shape must match the entry.
         */
        private SearchSpaceItem agenticItem(YamlNode node, boolean multinode) {
            YamlMap map = node.map("an agentic-coding search-space item");
            map.allowOnly(AGENTIC_ITEM_KEYS);
            YamlNode tpField = map.present("tp");
            YamlNode prefillField = map.present("prefill");
            YamlNode decodeField = map.present("decode");
            if (tpField != null && (prefillField != null || decodeField != null)) {
                YamlNode worker = prefillField != null ? prefillField : decodeField;
                throw worker.failAtKey("an agentic-coding item gives either tp or both prefill and decode, not both");
            }
            if (tpField == null && (prefillField == null || decodeField == null)) {
                String missing = prefillField == null ? "prefill" : "decode";
                throw map.failMissing(missing, "an agentic-coding item gives either tp or both prefill"
                        + " and decode; missing '" + missing + "'");
            }
            if (multinode && tpField != null) {
                throw tpField.failAtKey("this entry is multinode: its agentic-coding"
                        + " items give prefill and decode, not tp");
            }
            if (!multinode && tpField == null) {
                throw prefillField.failAtKey("this entry is single-node"
                        + " (multinode: false): its agentic-coding items give tp, not prefill and decode");
            }
            Integer tp = map.nullable("tp", YamlNode::positiveInt);
            Integer ep = map.nullable("ep", YamlNode::positiveInt);
            Boolean dpAttn = map.nullable("dp-attn", YamlNode::bool);
            WorkerSpec prefill = map.nullable("prefill", this::worker);
            WorkerSpec decode = map.nullable("decode", this::worker);
            if (prefill != null) {
                requireAServingSide(map, prefill, decode);
            }
            String offloading = map.optional("offloading", n -> n.oneOf(OFFLOADING));
            Conc conc = conc(map);
            return new SearchSpaceItem(tp, ep, dpAttn, specDecoding(map), conc.start(), conc.end(), conc.list(),
                    prefill, decode, offloading);
        }

        /**
         * num-worker 0 marks the idle side of an aggregated point; with both sides at 0 nothing would serve (the
         * generator passes such an item through to a job no launcher can run).
         */
        private void requireAServingSide(YamlMap map, WorkerSpec prefill, WorkerSpec decode) {
            if (prefill.numWorker() == 0 && decode.numWorker() == 0) {
                throw ((YamlMap) map.get("decode")).get("num-worker").fail("prefill and decode both have"
                        + " num-worker 0, so nothing would serve; give the serving side its workers (num-worker 0"
                        + " marks only the idle side of an aggregated point)");
            }
        }

        private static YamlNode later(YamlNode a, YamlNode b) {
            Position pa = a.keyPosition();
            Position pb = b.keyPosition();
            boolean aLater = pa.line() > pb.line() || pa.line() == pb.line() && pa.column() > pb.column();
            return aLater ? a : b;
        }

        private SeqLenConfig seqLenConfig(YamlNode node, boolean multinode) {
            YamlMap map = node.map("a map with isl, osl and search-space");
            map.allowOnly(SEQ_LEN_KEYS);
            int isl = map.positiveInt("isl");
            int osl = map.positiveInt("osl");
            List<SearchSpaceItem> items = new ArrayList<>();
            for (YamlNode item : map.require("search-space").list("a list of search-space items").items()) {
                items.add(multinode ? multinodeItem(item) : singleNodeItem(item));
            }
            return new SeqLenConfig(isl, osl, items);
        }

        private SearchSpaceItem singleNodeItem(YamlNode node) {
            YamlMap map = node.map("a search-space item (a map with tp and concurrencies)");
            map.allowOnly(SINGLE_NODE_ITEM_KEYS, SINGLE_NODE_ITEM_KEYS, key -> MULTINODE_ITEM_KEYS.contains(key)
                    ? "; prefill and decode belong to multinode entries (multinode: true)" : "");
            int tp = map.positiveInt("tp");
            Integer ep = map.nullable("ep", YamlNode::positiveInt);
            Boolean dpAttn = map.nullable("dp-attn", YamlNode::bool);
            String spec = specDecoding(map);
            Conc conc = conc(map);
            return new SearchSpaceItem(tp, ep, dpAttn, spec, conc.start(), conc.end(), conc.list(), null, null);
        }

        private SearchSpaceItem multinodeItem(YamlNode node) {
            YamlMap map = node.map("a search-space item (a map with prefill, decode and concurrencies)");
            map.allowOnly(MULTINODE_ITEM_KEYS, MULTINODE_ITEM_KEYS, key -> SINGLE_NODE_ITEM_KEYS.contains(key)
                    ? "; in a multinode entry tp, ep and dp-attn go under prefill and decode" : "");
            String spec = specDecoding(map);
            WorkerSpec prefill = worker(map.require("prefill"));
            WorkerSpec decode = worker(map.require("decode"));
            requireAServingSide(map, prefill, decode);
            Conc conc = conc(map);
            return new SearchSpaceItem(null, null, null, spec, conc.start(), conc.end(), conc.list(), prefill, decode);
        }

        private String specDecoding(YamlMap map) {
            return map.optional("spec-decoding", n -> n.oneOf(SPEC_DECODING));
        }

        private WorkerSpec worker(YamlNode node) {
            YamlMap map = node.map("a worker map with " + String.join(", ", WORKER_KEYS));
            map.allowOnly(WORKER_KEYS);
            // 0 is how the master config writes the decode side of an aggregated multinode point.
            int numWorker = map.require("num-worker").nonNegativeInt();
            return new WorkerSpec(numWorker, map.positiveInt("tp"), map.positiveInt("ep"), map.bool("dp-attn"),
                    map.nullable("additional-settings", YamlNode::strings));
        }

        private record Conc(Integer start, Integer end, List<Integer> list) {
        }

        /** Exactly one of conc-list, or conc-start with conc-end. */
        private Conc conc(YamlMap map) {
            YamlNode list = map.present("conc-list");
            YamlNode start = map.present("conc-start");
            YamlNode end = map.present("conc-end");
            if (list instanceof YamlList values && values.items().isEmpty()) {
                list = null;  // the generator reads an empty conc-list as "no list"
            }
            if (list != null && (start != null || end != null)) {
                throw list.failAtKey("give either conc-list or conc-start and conc-end, not both");
            }
            if (list != null) {
                return new Conc(null, null, positiveInts(list));
            }
            if (start == null && end == null) {
                throw map.failAtKey("give either conc-list or conc-start and conc-end");
            }
            if (start == null) {
                throw map.failMissing("conc-start", "missing required key 'conc-start' (conc-end needs it)");
            }
            if (end == null) {
                throw map.failMissing("conc-end", "missing required key 'conc-end' (conc-start needs it)");
            }
            int from = start.positiveInt();
            int to = end.positiveInt();
            if (from > to) {
                throw end.fail("conc-end " + to + " is less than conc-start " + from + "; expected conc-start <= conc-end");
            }
            return new Conc(from, to, null);
        }

        private static List<Integer> positiveInts(YamlNode node) {
            List<Integer> values = new ArrayList<>();
            for (YamlNode item : node.nonEmptyList("a non-empty list of positive integers").items()) {
                values.add(item.positiveInt());
            }
            return values;
        }

        // ---- the sweep: block ----

        private SweepBlock settings(YamlMap map) {
            map.allowOnly(SETTINGS_KEYS);
            String name = map.optional("name", node -> {
                String text = node.string();
                if (!SWEEP_NAME.matcher(text).matches()) {
                    throw node.fail("expected a name of " + nameRule() + ", got \"" + text + "\"");
                }
                return text;
            });
            String schedule = map.optional("schedule", node -> {
                String text = node.string();
                String problem = CronShape.problem(text);
                if (problem != null) {
                    throw node.fail(problem);
                }
                return text;
            });
            String baseline = map.optional("baseline", YamlNode::string);
            String profile = map.optional("profile", YamlNode::string);
            String runnerConfig = map.optional("runner-config", YamlNode::string);
            String generate = map.optional("generate", node -> node.oneOf(Mode.labels()));
            Mode mode = generate == null ? Mode.FULL_SWEEP : Mode.of(generate);
            SweepFilters filters = filters(mode, map.get("filters"));
            List<String> disable = optionalStrings(map, "disable-workarounds");
            List<String> override = optionalStrings(map, "override-preflight");
            for (String check : override) {
                if (!SweepBlock.OVERRIDABLE_CHECKS.contains(check)) {
                    throw map.get("override-preflight").fail("unknown preflight check '" + check
                            + "'; expected one of: " + String.join(", ", SweepBlock.OVERRIDABLE_CHECKS));
                }
            }
            return new SweepBlock(name, filters, schedule, baseline, profile, disable, override, runnerConfig);
        }

        /**
         * The filters block: each filter's shape and type here; which filters the chosen generator subcommand
         * takes and needs, and the names they may hold, are {@link FilterRules}' (checked once the config keys
         * are known, see {@link #checkFilters}).
         *
         * @param node the filters map, or null when the block has none
         */
        private SweepFilters filters(Mode mode, YamlNode node) {
            if (node == null) {
                return new SweepFilters(mode, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, true, true, EvalSelection.ALL);
            }
            YamlMap map = node.map("a map of the generator's filters");
            map.allowOnly(FilterRules.allFilters(), FilterRules.TAKES.get(mode).stream().sorted().toList(), key -> "");
            String evals = map.optional("evals", n -> n.oneOf(EVALS));
            return new SweepFilters(mode,
                    optionalStrings(map, "config-keys"),
                    optionalStrings(map, "model-prefix"),
                    optionalStrings(map, "precision"),
                    optionalStrings(map, "framework"),
                    optionalStrings(map, "runner-type"),
                    optionalStrings(map, "seq-lens"),
                    optionalStrings(map, "scenario-type"),
                    map.optional("min-conc", YamlNode::positiveInt),
                    map.optional("max-conc", YamlNode::positiveInt),
                    map.optional("max-tp", YamlNode::positiveInt),
                    map.optional("max-ep", YamlNode::positiveInt),
                    map.get("conc") == null ? List.of() : positiveInts(map.get("conc")),
                    map.optional("step-size", YamlNode::positiveInt),
                    map.optional("runner-node-filter", YamlNode::string),
                    map.bool("single-node", true),
                    map.bool("multi-node", true),
                    evals == null ? EvalSelection.ALL : EvalSelection.valueOf(evals.toUpperCase(Locale.ROOT)));
        }

        /** {@link FilterRules} on the sweep's filters, the error pointing at the filter (or item) at fault. */
        private void checkFilters(YamlMap block, SweepBlock settings, List<ConfigEntry> entries) {
            FilterRules.problem(settings.filters(), entries.stream().map(ConfigEntry::key).toList()).ifPresent(p -> {
                YamlNode filters = block == null ? null : block.get("filters");
                String path = SETTINGS_KEY + ".filters." + p.filter();
                Position at = block == null ? Position.START : block.keyPosition();
                if (filters instanceof YamlMap map) {
                    YamlNode field = map.get(p.filter());
                    at = map.keyPosition();
                    if (field != null) {
                        at = field.position();
                        if (p.index() != null && field instanceof YamlList list) {
                            at = list.get(p.index()).position();
                        }
                    }
                }
                throw error(at, p.index() == null ? path : path + "[" + p.index() + "]", p.message());
            });
        }

        private static List<String> optionalStrings(YamlMap map, String key) {
            List<String> values = map.optional(key, YamlNode::strings);
            return values == null ? List.of() : values;
        }

        private YamlFieldException error(Position at, String path, String problem) {
            return new YamlFieldException(file, at.line(), at.column(), path, problem);
        }

        private static String nameRule() {
            return "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit;"
                    + " it becomes a directory name and part of Slurm job names";
        }
    }
}
