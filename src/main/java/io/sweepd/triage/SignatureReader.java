package io.sweepd.triage;

import io.sweepd.files.CatalogFiles;
import io.sweepd.slurm.SlurmStates;
import io.sweepd.yaml.Yaml;
import io.sweepd.yaml.YamlFieldException;
import io.sweepd.yaml.YamlList;
import io.sweepd.yaml.YamlMap;
import io.sweepd.yaml.YamlNode;
import io.sweepd.yaml.YamlScalar;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one signature file, strictly: a silently ignored key is a condition silently not checked, and a
 * misspelt workaround id a fix nobody is told about. Keys, types and required fields are checked as the file is
 * bound; so is what a type cannot say (regexes compile, placeholders exist, workaround ids are real), and every
 * error names file, line and field.
 */
final class SignatureReader {

    private static final Pattern KEBAB_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern EXIT_CODE = Pattern.compile("\\d+:\\d+");
    private static final List<String> SIGNATURE_KEYS = List.of("category", "diagnosis", "diagnosis-for", "id",
            "match", "ref", "retryable", "suggested-workaround", "why");
    private static final List<String> MATCH_KEYS = List.of("context", "context-within-lines", "exit-code", "literal",
            "log", "no-log", "ratio", "reason", "slurm", "slurm-state", "unless");
    private static final List<String> RATIO_KEYS = List.of("at-least", "below", "of", "to");

    private final Set<String> workaroundIds;

    private SignatureReader(Set<String> workaroundIds) {
        this.workaroundIds = workaroundIds;
    }

    /**
     * @param workaroundIds the rule ids a {@code suggested-workaround} may name
     * @throws YamlFieldException naming file, line and field of the first problem
     */
    static List<Signature> read(CatalogFiles.Source source, Set<String> workaroundIds) {
        YamlNode document = Yaml.read(source.name(), source.text());
        if (!(document instanceof YamlList list) || list.items().isEmpty()) {
            throw document.fail("a signature file is a YAML list of signatures, each starting with '- id: ...'");
        }
        SignatureReader reader = new SignatureReader(workaroundIds);
        List<Signature> out = new ArrayList<>();
        for (YamlNode item : list.items()) {
            out.add(reader.signature(item));
        }
        return out;
    }

    private Signature signature(YamlNode item) {
        if (item.isNull()) {
            throw item.fail("is empty; a signature is a map starting with 'id:'");
        }
        YamlMap map = item.map("a signature (a map starting with 'id:')");
        map.allowOnly(SIGNATURE_KEYS);
        YamlNode idNode = map.require("id");
        String id = idNode.string();
        YamlNode categoryNode = map.require("category");
        YamlMap matchMap = map.require("match").map("a map with " + String.join(", ", MATCH_KEYS));
        boolean retryable = map.bool("retryable");
        YamlNode diagnosisNode = map.require("diagnosis");
        String diagnosis = diagnosisNode.string();
        String why = map.string("why");
        if (!KEBAB_ID.matcher(id).matches()) {
            throw idNode.fail("'" + id + "' is not kebab-case (lower-case words joined by '-')");
        }
        String categoryName = categoryNode.string();
        Category category = Category.fromId(categoryName).filter(c -> c != Category.UNKNOWN).orElseThrow(() ->
                categoryNode.fail("unknown category '" + categoryName + "' (known: "
                        + String.join(", ", Category.signatureIds()) + ")"));
        if (map.get("suggested-workaround") == null) {
            throw idNode.failAtKey("signature '" + id + "' has no 'suggested-workaround': name the"
                    + " workaround rule that fixes it, or write null when none does");
        }
        String workaround = map.nullable("suggested-workaround", YamlNode::string);
        if (workaround != null && !workaroundIds.contains(workaround)) {
            throw map.get("suggested-workaround").fail("no workaround rule has id '" + workaround
                    + "' (known: " + String.join(", ", workaroundIds) + ")");
        }
        if (diagnosis.strip().contains("\n")) {
            throw diagnosisNode.fail("is one line for a person; put the explanation in 'why'");
        }
        Signature.Match match = match(matchMap);
        checkPlaceholders(diagnosisNode, diagnosis, match);
        Map<String, String> diagnosisFor = new LinkedHashMap<>();
        YamlNode forNode = map.present("diagnosis-for");
        if (forNode != null) {
            YamlMap forMap = forNode.map("a map from a framework (" + String.join(", ", Frameworks.KNOWN)
                    + ") to its diagnosis");
            forMap.allowOnly(Frameworks.KNOWN);
            for (String framework : forMap.keys()) {
                YamlNode node = forMap.get(framework);
                String text = node.string();
                if (text.strip().contains("\n")) {
                    throw node.fail("is one line for a person; put the explanation in 'why'");
                }
                checkPlaceholders(node, text, match);
                diagnosisFor.put(framework, text.strip());
            }
        }
        return new Signature(id, category, match, retryable, diagnosis.strip(), diagnosisFor, workaround, why.strip(),
                map.nullable("ref", YamlNode::string), item.file(), idNode.keyPosition().line());
    }

    private Signature.Match match(YamlMap map) {
        map.allowOnly(MATCH_KEYS);
        Pattern log = regex(map, "log");
        Pattern unless = regex(map, "unless");
        Pattern context = regex(map, "context");
        Pattern slurm = regex(map, "slurm");
        Pattern reason = regex(map, "reason");
        String literal = text(map, "literal");
        Integer contextWithinLines = map.nullable("context-within-lines", YamlNode::integer);
        List<String> slurmStates = map.nullable("slurm-state", YamlNode::strings);
        String exitCode = map.nullable("exit-code", YamlNode::string);
        Boolean noLog = map.nullable("no-log", YamlNode::bool);
        if (log != null && literal != null) {
            throw map.get("literal").fail("give 'log' (a regex) or 'literal' (plain text), not both");
        }
        if (literal != null && literal.isEmpty()) {
            throw map.get("literal").fail("is empty; it would match every line");
        }
        if (unless != null && log == null && literal == null) {
            throw map.get("unless").fail("excludes log lines, so it needs 'log' or 'literal'");
        }
        if (contextWithinLines != null) {
            if (context == null) {
                throw map.get("context-within-lines").fail("needs 'context'");
            }
            if (contextWithinLines < 1) {
                throw map.get("context-within-lines").fail("must be at least 1");
            }
        }
        Set<String> states = new LinkedHashSet<>();
        if (slurmStates != null) {
            if (slurmStates.isEmpty()) {
                throw map.get("slurm-state").fail("is empty; leave it out to accept any state");
            }
            for (String state : slurmStates) {
                if (!state.equals(state.toUpperCase(Locale.ROOT)) || !SlurmStates.known(state) || state.contains(" ")) {
                    throw map.get("slurm-state").fail("'" + state + "' is not a Slurm job state as Slurm"
                            + " prints it (FAILED, TIMEOUT, CANCELLED, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED...)");
                }
                states.add(state);
            }
        }
        if (exitCode != null && !EXIT_CODE.matcher(exitCode).matches()) {
            throw map.get("exit-code").fail("'" + exitCode + "' is not Slurm's exit:signal (\"0:53\")");
        }
        if (noLog != null && !noLog) {
            throw map.get("no-log").fail("only 'true' means something; leave it out otherwise");
        }
        boolean anchored = log != null || literal != null || slurm != null || !states.isEmpty()
                || exitCode != null || reason != null;
        if (!anchored) {
            throw map.failAtKey("needs at least one of log, literal, slurm, slurm-state, exit-code, reason");
        }
        Signature.Ratio ratio = map.nullable("ratio", node -> ratio(node, groups(log, context, slurm, reason)));
        return new Signature.Match(log, literal, unless, context, contextWithinLines, ratio, slurm, states, exitCode,
                noLog != null, reason);
    }

    private static Signature.Ratio ratio(YamlNode node, Set<String> groups) {
        YamlMap map = node.map("a map with " + String.join(", ", RATIO_KEYS));
        map.allowOnly(RATIO_KEYS);
        for (String side : new String[] {"of", "to"}) {
            String name = map.nullable(side, YamlNode::string);
            if (name == null || !groups.contains(name)) {
                String problem = "'" + name + "' is not a named group of this signature's regexes ("
                        + String.join(", ", groups) + ")";
                throw name == null ? map.failMissing(side, problem) : map.get(side).fail(problem);
            }
        }
        Double atLeast = map.nullable("at-least", YamlNode::number);
        Double below = map.nullable("below", YamlNode::number);
        if (atLeast == null && below == null) {
            throw map.failAtKey("needs 'at-least' or 'below'");
        }
        return new Signature.Ratio(map.string("of"), map.string("to"), atLeast, below);
    }

    /** A string as written, empty included (an empty regex or literal gets its own message). */
    private static String text(YamlMap map, String key) {
        YamlNode node = map.present(key);
        if (node instanceof YamlScalar scalar && scalar.kind() == YamlScalar.Kind.STRING) {
            return scalar.text();
        }
        return node == null ? null : node.string();
    }

    private static Pattern regex(YamlMap map, String key) {
        String text = text(map, key);
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            throw map.get(key).fail("is empty; it would match everything");
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw map.get(key).fail("is not a valid regex: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    private static void checkPlaceholders(YamlNode at, String diagnosis, Signature.Match match) {
        Set<String> known = new HashSet<>(Signature.BUILT_INS);
        known.addAll(groups(match.log(), match.context(), match.slurm(), match.reason()));
        Matcher m = PLACEHOLDER.matcher(diagnosis);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                throw at.fail("placeholder {" + m.group(1) + "} is neither a named group of this"
                        + " signature's regexes nor one of " + String.join(", ", Signature.BUILT_INS));
            }
        }
    }

    private static Set<String> groups(Pattern... patterns) {
        Set<String> names = new LinkedHashSet<>();
        for (Pattern p : patterns) {
            names.addAll(Regexes.groupNames(p));
        }
        return names;
    }
}
