package io.sweepd.sweep;

import io.sweepd.sweep.SweepFilters.EvalSelection;
import io.sweepd.sweep.SweepFilters.Mode;
import io.sweepd.sweep.YamlTree.Field;
import io.sweepd.sweep.YamlTree.ListNode;
import io.sweepd.sweep.YamlTree.MapNode;
import io.sweepd.sweep.YamlTree.Node;
import io.sweepd.sweep.YamlTree.Position;
import io.sweepd.sweep.YamlTree.ScalarKind;
import io.sweepd.sweep.YamlTree.ScalarNode;

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
 * {@link SweepFormatException} naming the line and column of the offending key or value (for a missing key:
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

    /**
     * Reads and validates {@code file}. Its parent directory (absolute) becomes the base directory that
     * recipe paths resolve against.
     */
    public SweepFile parse(Path file) {
        String fileName = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new SweepFormatException(fileName, 0, 0, "", "the file is not UTF-8 text");
        } catch (IOException e) {
            throw new SweepFormatException(fileName, 0, 0, "", "cannot read the file: " + e);
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
        // A byte-order mark would otherwise become part of the first config key.
        String text = yamlText.startsWith("\uFEFF") ? yamlText.substring(1) : yamlText;
        return new Binder(fileName).sweep(YamlTree.read(text, fileName), fileName, source, baseDir);
    }

    /** The default sweep name: the file's base name without .yaml / .yml. */
    static String defaultName(String fileName) {
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

        SweepFile sweep(Node root, String fileName, Path source, Path baseDir) {
            if (root == null || root instanceof ScalarNode scalar && scalar.kind() == ScalarKind.NULL) {
                throw error(Position.START, "", "the file is empty; expected a map of config-key -> entry"
                        + " (the InferenceMAX master-config format)");
            }
            if (!(root instanceof MapNode top)) {
                throw error(root.position(), "", "expected a map of config-key -> entry at the top level, got "
                        + root.describe());
            }
            SweepSettings settings = null;
            Field settingsField = null;
            List<ConfigEntry> entries = new ArrayList<>();
            for (Field field : top.fields().values()) {
                if (field.key().equals(SETTINGS_KEY)) {
                    settingsField = field;
                    settings = settings(field);
                } else {
                    entries.add(entry(field));
                }
            }
            if (entries.isEmpty()) {
                throw error(top.owner(), "", "the file has no config entries; expected at least one"
                        + " config-key -> entry (image, model, ...) besides '" + SETTINGS_KEY + "'");
            }
            if (settings == null) {
                settings = SweepSettings.DEFAULT;
            }
            checkFilters(settingsField, settings, entries);
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
            return new SweepFile(name, source, baseDir, settings, entries, runners(settings, settingsField, baseDir));
        }

        /**
         * The runners file the sweep names ({@code sweep.runner-config}, relative to the sweep's directory), else
         * {@code runners.yaml} beside it (where InferenceMAX keeps it, next to its master configs), else none.
         */
        private RunnerConfig runners(SweepSettings settings, Field settingsField, Path baseDir) {
            if (settings.runnerConfig() != null) {
                Path named = baseDir == null ? Path.of(settings.runnerConfig()) : baseDir.resolve(settings.runnerConfig());
                if (!Files.isRegularFile(named)) {
                    Position at = ((MapNode) settingsField.value()).get("runner-config").value().position();
                    throw error(at, SETTINGS_KEY + ".runner-config", "no runners file at " + named);
                }
                return RunnerConfig.read(named);
            }
            Path beside = baseDir == null ? null : baseDir.resolve(RUNNERS_FILE);
            return beside != null && Files.isRegularFile(beside) ? RunnerConfig.read(beside) : RunnerConfig.NONE;
        }

        // ---- config entries ----

        private ConfigEntry entry(Field field) {
            String key = field.key();
            if (!CONFIG_KEY.matcher(key).matches()) {
                throw error(field.keyPosition(), key, "config key '" + key + "' must start with a letter or digit"
                        + " and hold only letters, digits, '.', '_' and '-'");
            }
            MapNode map = map(field.value(), key, "a config entry (a map with " + String.join(", ", ENTRY_KEYS) + ")");
            allowOnly(map, key, ENTRY_KEYS, "");
            String image = requiredString(map, key, "image");
            String model = requiredString(map, key, "model");
            String modelPrefix = requiredString(map, key, "model-prefix");
            String runner = requiredString(map, key, "runner");
            String precision = requiredString(map, key, "precision");
            String framework = requiredString(map, key, "framework");
            boolean multinode = bool(require(map, key, "multinode").value(), path(key, "multinode"));
            // The generator accepts disagg on a single-node entry and passes it through to the points.
            boolean disagg = optionalBool(map, key, "disagg", false);
            Field legacy = map.get(ConfigEntry.Schema.SEQ_LEN_CONFIGS.key());
            Field scenarios = map.get(ConfigEntry.Schema.SCENARIOS.key());
            if (legacy != null && scenarios != null) {
                Field later = later(legacy, scenarios);
                throw error(later.keyPosition(), path(key, later.key()), "give either seq-len-configs (the master-config"
                        + " schema until May 2026) or scenarios (since June 2026), not both");
            }
            if (legacy == null && scenarios == null) {
                throw error(map.owner(), path(key, "scenarios"), "missing required key 'scenarios' (or, in the"
                        + " older schema, 'seq-len-configs')");
            }
            if (legacy != null) {
                List<SeqLenConfig> seqLens = seqLenConfigs(legacy.value(), path(key, legacy.key()), multinode);
                return new ConfigEntry(key, image, model, modelPrefix, runner, precision, framework, multinode, disagg,
                        ConfigEntry.Schema.SEQ_LEN_CONFIGS, seqLens, List.of());
            }
            String scenariosPath = path(key, "scenarios");
            MapNode scenarioMap = map(scenarios.value(), scenariosPath, "a map with fixed-seq-len and/or agentic-coding");
            allowOnly(scenarioMap, scenariosPath, SCENARIO_KEYS, "");
            Field fixed = presentValue(scenarioMap.get("fixed-seq-len"));
            Field agentic = presentValue(scenarioMap.get("agentic-coding"));
            List<SeqLenConfig> seqLens = fixed == null ? List.of()
                    : seqLenConfigs(fixed.value(), path(scenariosPath, "fixed-seq-len"), multinode);
            List<AgenticConfig> agenticConfigs = agentic == null ? List.of()
                    : agenticConfigs(agentic.value(), path(scenariosPath, "agentic-coding"), multinode);
            if (seqLens.isEmpty() && agenticConfigs.isEmpty()) {
                throw error(scenarios.keyPosition(), scenariosPath, "at least one scenario type must be given:"
                        + " a non-empty fixed-seq-len or agentic-coding list");
            }
            return new ConfigEntry(key, image, model, modelPrefix, runner, precision, framework, multinode, disagg,
                    ConfigEntry.Schema.SCENARIOS, seqLens, agenticConfigs);
        }

        /** A list of seq-len configs; empty is allowed, as in the generator (it then gives no points). */
        private List<SeqLenConfig> seqLenConfigs(Node node, String path, boolean multinode) {
            ListNode list = list(node, path, "a list of {isl, osl, search-space}");
            List<SeqLenConfig> seqLens = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                seqLens.add(seqLenConfig(list.items().get(i), path + "[" + i + "]", multinode));
            }
            return seqLens;
        }

        private List<AgenticConfig> agenticConfigs(Node node, String path, boolean multinode) {
            ListNode list = list(node, path, "a list of {search-space, duration}");
            List<AgenticConfig> configs = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                String itemPath = path + "[" + i + "]";
                MapNode map = map(list.items().get(i), itemPath, "a map with search-space and an optional duration");
                allowOnly(map, itemPath, AGENTIC_KEYS, "");
                Field durationField = map.get("duration");
                int duration = durationField == null ? AgenticConfig.DEFAULT_DURATION_SECONDS
                        : positiveInt(durationField.value(), path(itemPath, "duration"));
                String spacePath = path(itemPath, "search-space");
                ListNode space = list(require(map, itemPath, "search-space").value(), spacePath,
                        "a list of search-space items");
                List<SearchSpaceItem> items = new ArrayList<>();
                for (int j = 0; j < space.items().size(); j++) {
                    items.add(agenticItem(space.items().get(j), spacePath + "[" + j + "]", multinode));
                }
                configs.add(new AgenticConfig(duration, items));
            }
            return configs;
        }

        /**
         * An agentic-coding item names either tp (one aggregated server) or both prefill and decode. The
         * generator's schema allows either in any entry, but its expansion reads tp for a single-node entry and
         * prefill/decode for a multinode one (and fails on the other), so the shape must match the entry.
         */
        private SearchSpaceItem agenticItem(Node node, String path, boolean multinode) {
            MapNode map = map(node, path, "an agentic-coding search-space item");
            allowOnly(map, path, AGENTIC_ITEM_KEYS, "");
            Field tpField = optional(map, "tp");
            Field prefillField = optional(map, "prefill");
            Field decodeField = optional(map, "decode");
            if (tpField != null && (prefillField != null || decodeField != null)) {
                Field worker = prefillField != null ? prefillField : decodeField;
                throw error(worker.keyPosition(), path(path, worker.key()), "an agentic-coding item gives either tp"
                        + " or both prefill and decode, not both");
            }
            if (tpField == null && (prefillField == null || decodeField == null)) {
                String missing = prefillField == null ? "prefill" : "decode";
                throw error(map.owner(), path(path, missing), "an agentic-coding item gives either tp or both prefill"
                        + " and decode; missing '" + missing + "'");
            }
            if (multinode && tpField != null) {
                throw error(tpField.keyPosition(), path(path, "tp"), "this entry is multinode: its agentic-coding"
                        + " items give prefill and decode, not tp");
            }
            if (!multinode && tpField == null) {
                throw error(prefillField.keyPosition(), path(path, "prefill"), "this entry is single-node"
                        + " (multinode: false): its agentic-coding items give tp, not prefill and decode");
            }
            Integer tp = tpField == null ? null : positiveInt(tpField.value(), path(path, "tp"));
            Field epField = optional(map, "ep");
            Integer ep = epField == null ? null : positiveInt(epField.value(), path(path, "ep"));
            Field dpField = optional(map, "dp-attn");
            Boolean dpAttn = dpField == null ? null : bool(dpField.value(), path(path, "dp-attn"));
            WorkerSpec prefill = prefillField == null ? null : worker(prefillField.value(), path(path, "prefill"));
            WorkerSpec decode = decodeField == null ? null : worker(decodeField.value(), path(path, "decode"));
            if (prefill != null) {
                requireAServingSide(map, path, prefill, decode);
            }
            Field offloadingField = map.get("offloading");
            String offloading = offloadingField == null ? null
                    : oneOf(offloadingField.value(), path(path, "offloading"), OFFLOADING);
            Conc conc = conc(map, path);
            return new SearchSpaceItem(tp, ep, dpAttn, specDecoding(map, path), conc.start(), conc.end(), conc.list(),
                    prefill, decode, offloading);
        }

        /**
         * A field the generator's models declare Optional (ep, dp-attn, the conc fields, additional-settings, an
         * agentic item's tp/prefill/decode): YAML null there is pydantic's None, i.e. left out.
         */
        private static Field optional(MapNode map, String key) {
            return presentValue(map.get(key));
        }

        /**
         * num-worker 0 marks the idle side of an aggregated point; with both sides at 0 nothing would serve (the
         * generator passes such an item through to a job no launcher can run).
         */
        private void requireAServingSide(MapNode map, String path, WorkerSpec prefill, WorkerSpec decode) {
            if (prefill.numWorker() == 0 && decode.numWorker() == 0) {
                MapNode decodeMap = (MapNode) map.get("decode").value();
                throw error(decodeMap.get("num-worker").value().position(), path(path, "decode.num-worker"),
                        "prefill and decode both have num-worker 0, so nothing would serve; give the serving side"
                                + " its workers (num-worker 0 marks only the idle side of an aggregated point)");
            }
        }

        /** A field whose value is YAML null counts as left out (pydantic's Optional fields take None). */
        private static Field presentValue(Field field) {
            return field == null || field.value() instanceof ScalarNode scalar && scalar.kind() == ScalarKind.NULL
                    ? null : field;
        }

        private static Field later(Field a, Field b) {
            Position pa = a.keyPosition();
            Position pb = b.keyPosition();
            boolean aLater = pa.line() > pb.line() || pa.line() == pb.line() && pa.column() > pb.column();
            return aLater ? a : b;
        }

        private SeqLenConfig seqLenConfig(Node node, String path, boolean multinode) {
            MapNode map = map(node, path, "a map with isl, osl and search-space");
            allowOnly(map, path, SEQ_LEN_KEYS, "");
            int isl = positiveInt(require(map, path, "isl").value(), path(path, "isl"));
            int osl = positiveInt(require(map, path, "osl").value(), path(path, "osl"));
            String spacePath = path(path, "search-space");
            ListNode space = list(require(map, path, "search-space").value(), spacePath, "a list of search-space items");
            List<SearchSpaceItem> items = new ArrayList<>();
            for (int i = 0; i < space.items().size(); i++) {
                String itemPath = spacePath + "[" + i + "]";
                items.add(multinode ? multinodeItem(space.items().get(i), itemPath)
                        : singleNodeItem(space.items().get(i), itemPath));
            }
            return new SeqLenConfig(isl, osl, items);
        }

        private SearchSpaceItem singleNodeItem(Node node, String path) {
            MapNode map = map(node, path, "a search-space item (a map with tp and concurrencies)");
            allowOnly(map, path, SINGLE_NODE_ITEM_KEYS,
                    "; prefill and decode belong to multinode entries (multinode: true)");
            int tp = positiveInt(require(map, path, "tp").value(), path(path, "tp"));
            Field epField = optional(map, "ep");
            Integer ep = epField == null ? null : positiveInt(epField.value(), path(path, "ep"));
            Field dpField = optional(map, "dp-attn");
            Boolean dpAttn = dpField == null ? null : bool(dpField.value(), path(path, "dp-attn"));
            String spec = specDecoding(map, path);
            Conc conc = conc(map, path);
            return new SearchSpaceItem(tp, ep, dpAttn, spec, conc.start(), conc.end(), conc.list(), null, null);
        }

        private SearchSpaceItem multinodeItem(Node node, String path) {
            MapNode map = map(node, path, "a search-space item (a map with prefill, decode and concurrencies)");
            allowOnly(map, path, MULTINODE_ITEM_KEYS,
                    "; in a multinode entry tp, ep and dp-attn go under prefill and decode");
            String spec = specDecoding(map, path);
            WorkerSpec prefill = worker(require(map, path, "prefill").value(), path(path, "prefill"));
            WorkerSpec decode = worker(require(map, path, "decode").value(), path(path, "decode"));
            requireAServingSide(map, path, prefill, decode);
            Conc conc = conc(map, path);
            return new SearchSpaceItem(null, null, null, spec, conc.start(), conc.end(), conc.list(), prefill, decode);
        }

        private String specDecoding(MapNode map, String path) {
            Field field = map.get("spec-decoding");
            if (field == null) {
                return null;
            }
            return oneOf(field.value(), path(path, "spec-decoding"), SPEC_DECODING);
        }

        private WorkerSpec worker(Node node, String path) {
            MapNode map = map(node, path, "a worker map with " + String.join(", ", WORKER_KEYS));
            allowOnly(map, path, WORKER_KEYS, "");
            // 0 is how the master config writes the decode side of an aggregated multinode point.
            int numWorker = nonNegativeInt(require(map, path, "num-worker").value(), path(path, "num-worker"));
            int tp = positiveInt(require(map, path, "tp").value(), path(path, "tp"));
            int ep = positiveInt(require(map, path, "ep").value(), path(path, "ep"));
            boolean dpAttn = bool(require(map, path, "dp-attn").value(), path(path, "dp-attn"));
            Field settingsField = optional(map, "additional-settings");
            List<String> settings = settingsField == null ? null
                    : stringList(settingsField.value(), path(path, "additional-settings"));
            return new WorkerSpec(numWorker, tp, ep, dpAttn, settings);
        }

        private record Conc(Integer start, Integer end, List<Integer> list) {
        }

        /** Exactly one of conc-list, or conc-start with conc-end. */
        private Conc conc(MapNode map, String path) {
            Field list = optional(map, "conc-list");
            Field start = optional(map, "conc-start");
            Field end = optional(map, "conc-end");
            if (list != null && list.value() instanceof ListNode values && values.items().isEmpty()) {
                list = null;  // the generator reads an empty conc-list as "no list"
            }
            if (list != null && (start != null || end != null)) {
                throw error(list.keyPosition(), path(path, "conc-list"),
                        "give either conc-list or conc-start and conc-end, not both");
            }
            if (list != null) {
                String listPath = path(path, "conc-list");
                ListNode values = nonEmptyList(list.value(), listPath, "a non-empty list of positive integers");
                List<Integer> concs = new ArrayList<>();
                for (int i = 0; i < values.items().size(); i++) {
                    concs.add(positiveInt(values.items().get(i), listPath + "[" + i + "]"));
                }
                return new Conc(null, null, concs);
            }
            if (start == null && end == null) {
                throw error(map.owner(), path, "give either conc-list or conc-start and conc-end");
            }
            if (start == null) {
                throw error(map.owner(), path(path, "conc-start"), "missing required key 'conc-start' (conc-end needs it)");
            }
            if (end == null) {
                throw error(map.owner(), path(path, "conc-end"), "missing required key 'conc-end' (conc-start needs it)");
            }
            int from = positiveInt(start.value(), path(path, "conc-start"));
            int to = positiveInt(end.value(), path(path, "conc-end"));
            if (from > to) {
                throw error(end.value().position(), path(path, "conc-end"), "conc-end " + to
                        + " is less than conc-start " + from + "; expected conc-start <= conc-end");
            }
            return new Conc(from, to, null);
        }

        // ---- the sweep: block ----

        private SweepSettings settings(Field field) {
            String path = SETTINGS_KEY;
            MapNode map = map(field.value(), path, "a map with " + String.join(", ", SETTINGS_KEYS));
            allowOnly(map, path, SETTINGS_KEYS, "");
            String name = null;
            Field nameField = map.get("name");
            if (nameField != null) {
                name = string(nameField.value(), path(path, "name"));
                if (!SWEEP_NAME.matcher(name).matches()) {
                    throw error(nameField.value().position(), path(path, "name"),
                            "expected a name of " + nameRule() + ", got \"" + name + "\"");
                }
            }
            String schedule = null;
            Field scheduleField = map.get("schedule");
            if (scheduleField != null) {
                schedule = string(scheduleField.value(), path(path, "schedule"));
                String problem = CronShape.problem(schedule);
                if (problem != null) {
                    throw error(scheduleField.value().position(), path(path, "schedule"), problem);
                }
            }
            String baseline = optionalString(map, path, "baseline");
            String profile = optionalString(map, path, "profile");
            String runnerConfig = optionalString(map, path, "runner-config");
            Mode mode = Mode.FULL_SWEEP;
            Field generateField = map.get("generate");
            if (generateField != null) {
                mode = Mode.of(oneOf(generateField.value(), path(path, "generate"), Mode.labels()));
            }
            Field filtersField = map.get("filters");
            SweepFilters filters = filters(mode, filtersField == null ? null : filtersField.value(),
                    path(path, "filters"));
            List<String> disable = optionalStringList(map, path, "disable-workarounds");
            List<String> override = optionalStringList(map, path, "override-preflight");
            for (String check : override == null ? List.<String>of() : override) {
                if (!SweepSettings.OVERRIDABLE_CHECKS.contains(check)) {
                    throw error(map.get("override-preflight").value().position(), path(path, "override-preflight"),
                            "unknown preflight check '" + check + "'; expected one of: "
                                    + String.join(", ", SweepSettings.OVERRIDABLE_CHECKS));
                }
            }
            return new SweepSettings(name, filters, schedule, baseline, profile, disable, override, runnerConfig);
        }

        /**
         * The filters block: each filter's shape and type here; which filters the chosen generator subcommand
         * takes and needs, and the names they may hold, are {@link FilterRules}' (checked once the config keys
         * are known, see {@link #checkFilters}).
         *
         * @param node the filters map, or null when the block has none
         */
        private SweepFilters filters(Mode mode, Node node, String path) {
            if (node == null) {
                return new SweepFilters(mode, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, true, true, EvalSelection.ALL);
            }
            MapNode map = map(node, path, "a map of the generator's filters");
            for (Field field : map.fields().values()) {
                if (!FilterRules.allFilters().contains(field.key())) {
                    throw error(field.keyPosition(), path(path, field.key()), "unknown key '" + field.key()
                            + "'; expected one of: " + String.join(", ",
                            FilterRules.TAKES.get(mode).stream().sorted().toList()));
                }
            }
            EvalSelection evals = EvalSelection.ALL;
            Field evalsField = map.get("evals");
            if (evalsField != null) {
                evals = EvalSelection.valueOf(oneOf(evalsField.value(), path(path, "evals"), EVALS)
                        .toUpperCase(Locale.ROOT));
            }
            return new SweepFilters(mode,
                    optionalStringList(map, path, "config-keys"),
                    optionalStringList(map, path, "model-prefix"),
                    optionalStringList(map, path, "precision"),
                    optionalStringList(map, path, "framework"),
                    optionalStringList(map, path, "runner-type"),
                    optionalStringList(map, path, "seq-lens"),
                    optionalStringList(map, path, "scenario-type"),
                    optionalPositiveInt(map, path, "min-conc"),
                    optionalPositiveInt(map, path, "max-conc"),
                    optionalPositiveInt(map, path, "max-tp"),
                    optionalPositiveInt(map, path, "max-ep"),
                    optionalPositiveIntList(map, path, "conc"),
                    optionalPositiveInt(map, path, "step-size"),
                    optionalString(map, path, "runner-node-filter"),
                    optionalBool(map, path, "single-node", true),
                    optionalBool(map, path, "multi-node", true),
                    evals);
        }

        /** {@link FilterRules} on the sweep's filters, the error pointing at the filter (or item) at fault. */
        private void checkFilters(Field settingsField, SweepSettings settings, List<ConfigEntry> entries) {
            FilterRules.problem(settings.filters(), entries.stream().map(ConfigEntry::key).toList()).ifPresent(p -> {
                MapNode block = settingsField == null ? null : (MapNode) settingsField.value();
                Field filtersField = block == null ? null : block.get("filters");
                String path = SETTINGS_KEY + ".filters." + p.filter();
                Position at = block == null ? Position.START : block.owner();
                if (filtersField != null && filtersField.value() instanceof MapNode filters) {
                    Field field = filters.get(p.filter());
                    at = filters.owner();
                    if (field != null) {
                        at = field.value().position();
                        if (p.index() != null && field.value() instanceof ListNode list) {
                            at = list.items().get(p.index()).position();
                        }
                    }
                }
                throw error(at, p.index() == null ? path : path + "[" + p.index() + "]", p.message());
            });
        }

        // ---- shapes and scalars ----

        private MapNode map(Node node, String path, String expected) {
            if (node instanceof MapNode map) {
                return map;
            }
            throw error(node.position(), path, "expected " + expected + ", got " + node.describe());
        }

        private void allowOnly(MapNode map, String path, Set<String> allowed, String hintForOtherKind) {
            for (Field field : map.fields().values()) {
                if (!allowed.contains(field.key())) {
                    boolean otherKind = !hintForOtherKind.isEmpty()
                            && (SINGLE_NODE_ITEM_KEYS.contains(field.key()) || MULTINODE_ITEM_KEYS.contains(field.key()));
                    throw error(field.keyPosition(), path(path, field.key()), "unknown key '" + field.key()
                            + "'; expected one of: " + String.join(", ", allowed) + (otherKind ? hintForOtherKind : ""));
                }
            }
        }

        private Field require(MapNode map, String path, String key) {
            Field field = map.get(key);
            if (field == null) {
                throw error(map.owner(), path(path, key), "missing required key '" + key + "'");
            }
            return field;
        }

        private String requiredString(MapNode map, String path, String key) {
            return string(require(map, path, key).value(), path(path, key));
        }

        private String optionalString(MapNode map, String path, String key) {
            Field field = map.get(key);
            return field == null ? null : string(field.value(), path(path, key));
        }

        private String string(Node node, String path) {
            if (node instanceof ScalarNode scalar && scalar.kind() == ScalarKind.STRING) {
                if (scalar.text().isBlank()) {
                    throw error(node.position(), path, "expected a non-empty string");
                }
                return scalar.text();
            }
            boolean otherScalar = node instanceof ScalarNode scalar && scalar.kind() != ScalarKind.NULL;
            throw error(node.position(), path, "expected a string, got " + node.describe()
                    + (otherScalar ? " (put it in quotes if it is meant as text)" : ""));
        }

        private String oneOf(Node node, String path, List<String> allowed) {
            String value;
            if (node instanceof ScalarNode scalar && scalar.kind() == ScalarKind.STRING) {
                value = scalar.text();
            } else {
                throw error(node.position(), path, "expected one of: " + String.join(", ", allowed) + "; got "
                        + node.describe());
            }
            if (!allowed.contains(value)) {
                throw error(node.position(), path, "expected one of: " + String.join(", ", allowed) + "; got \""
                        + value + "\"");
            }
            return value;
        }

        private int positiveInt(Node node, String path) {
            int value = integer(node, path);
            if (value <= 0) {
                throw error(node.position(), path, "expected a positive integer, got " + value);
            }
            return value;
        }

        private int nonNegativeInt(Node node, String path) {
            int value = integer(node, path);
            if (value < 0) {
                throw error(node.position(), path, "expected 0 or a positive integer, got " + value);
            }
            return value;
        }

        private int integer(Node node, String path) {
            if (!(node instanceof ScalarNode scalar) || scalar.kind() != ScalarKind.INTEGER) {
                throw error(node.position(), path, "expected an integer, got " + node.describe());
            }
            if (!(scalar.value() instanceof Integer value)) {
                throw error(node.position(), path, "expected an integer no larger than " + Integer.MAX_VALUE
                        + ", got " + scalar.text());
            }
            return value;
        }

        private List<Integer> optionalPositiveIntList(MapNode map, String path, String key) {
            Field field = map.get(key);
            if (field == null) {
                return List.of();
            }
            ListNode list = nonEmptyList(field.value(), path(path, key), "a non-empty list of positive integers");
            List<Integer> values = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                values.add(positiveInt(list.items().get(i), path(path, key) + "[" + i + "]"));
            }
            return values;
        }

        private Integer optionalPositiveInt(MapNode map, String path, String key) {
            Field field = map.get(key);
            return field == null ? null : positiveInt(field.value(), path(path, key));
        }

        private boolean bool(Node node, String path) {
            if (node instanceof ScalarNode scalar && scalar.kind() == ScalarKind.BOOLEAN) {
                return (Boolean) scalar.value();
            }
            throw error(node.position(), path, "expected true or false, got " + node.describe());
        }

        private boolean optionalBool(MapNode map, String path, String key, boolean defaultValue) {
            Field field = map.get(key);
            return field == null ? defaultValue : bool(field.value(), path(path, key));
        }

        private ListNode list(Node node, String path, String expected) {
            if (node instanceof ListNode list) {
                return list;
            }
            throw error(node.position(), path, "expected " + expected + ", got " + node.describe());
        }

        private ListNode nonEmptyList(Node node, String path, String expected) {
            if (node instanceof ListNode list && !list.items().isEmpty()) {
                return list;
            }
            String got = node instanceof ListNode ? "an empty list" : node.describe();
            throw error(node.position(), path, "expected " + expected + ", got " + got);
        }

        private List<String> stringList(Node node, String path) {
            if (!(node instanceof ListNode list)) {
                throw error(node.position(), path, "expected a list of strings, got " + node.describe());
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                values.add(string(list.items().get(i), path + "[" + i + "]"));
            }
            return values;
        }

        private List<String> optionalStringList(MapNode map, String path, String key) {
            Field field = map.get(key);
            return field == null ? List.of() : stringList(field.value(), path(path, key));
        }

        private SweepFormatException error(Position at, String path, String problem) {
            return new SweepFormatException(file, at.line(), at.column(), path, problem);
        }

        private static String path(String parent, String key) {
            return parent.isEmpty() ? key : parent + "." + key;
        }

        private static String nameRule() {
            return "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit;"
                    + " it becomes a directory name and part of Slurm job names";
        }
    }
}
