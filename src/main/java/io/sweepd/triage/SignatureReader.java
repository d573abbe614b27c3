package io.sweepd.triage;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sweepd.profiles.CatalogFiles;
import io.sweepd.profiles.CatalogFormatException;
import io.sweepd.profiles.StrictYaml;
import io.sweepd.slurm.JobStates;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one signature file, strictly: a silently ignored key is a condition silently not checked, and a
 * misspelt workaround id a fix nobody is told about. Keys, types and required fields are checked by
 * {@link StrictYaml}; what it cannot know (regexes compile, placeholders exist, workaround ids are real) is
 * checked here, and every error names file, line and field.
 */
final class SignatureReader {

    private static final Pattern KEBAB_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern EXIT_CODE = Pattern.compile("\\d+:\\d+");

    /** The file as YAML has it; {@link Signature} is what triage uses. */
    record RawSignature(String id, String category, RawMatch match, Boolean retryable, String diagnosis,
            String suggestedWorkaround, String why, String ref) {
    }

    record RawMatch(String log, String literal, String unless, String context, Integer contextWithinLines,
            RawRatio ratio, String slurm, List<String> slurmState, String exitCode, Boolean noLog, String reason) {
    }

    record RawRatio(String of, String to, Double atLeast, Double below) {
    }

    private final StrictYaml.Parsed<List<RawSignature>> parsed;
    private final Set<String> workaroundIds;

    private SignatureReader(CatalogFiles.Source source, Set<String> workaroundIds) {
        this.parsed = StrictYaml.read(source, new TypeReference<List<RawSignature>>() { });
        this.workaroundIds = workaroundIds;
    }

    /**
     * @param workaroundIds the rule ids a {@code suggested-workaround} may name
     * @throws CatalogFormatException naming file, line and field of the first problem
     */
    static List<Signature> read(CatalogFiles.Source source, Set<String> workaroundIds) {
        return new SignatureReader(source, workaroundIds).signatures();
    }

    private List<Signature> signatures() {
        List<RawSignature> raw = parsed.value();
        if (raw == null || raw.isEmpty()) {
            throw parsed.fail("", "a signature file is a YAML list of signatures, each starting with '- id: ...'");
        }
        parsed.require("*.id", "*.category", "*.match", "*.retryable", "*.diagnosis", "*.why");
        List<Signature> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            out.add(signature(String.valueOf(i), raw.get(i)));
        }
        return out;
    }

    private Signature signature(String at, RawSignature raw) {
        if (raw == null) {
            throw parsed.fail(at, "is empty; a signature is a map starting with 'id:'");
        }
        if (!KEBAB_ID.matcher(raw.id()).matches()) {
            throw parsed.fail(at + ".id", "'" + raw.id() + "' is not kebab-case (lower-case words joined by '-')");
        }
        Category category = Category.fromId(raw.category()).filter(c -> c != Category.UNKNOWN).orElseThrow(() ->
                parsed.fail(at + ".category", "unknown category '" + raw.category() + "' (known: "
                        + String.join(", ", Category.signatureIds()) + ")"));
        if (!parsed.has(at + ".suggested-workaround")) {
            throw parsed.fail(at + ".id", "signature '" + raw.id() + "' has no 'suggested-workaround': name the"
                    + " workaround rule that fixes it, or write null when none does");
        }
        String workaround = raw.suggestedWorkaround();
        if (workaround != null && !workaroundIds.contains(workaround)) {
            throw parsed.fail(at + ".suggested-workaround", "no workaround rule has id '" + workaround
                    + "' (known: " + String.join(", ", workaroundIds) + ")");
        }
        if (raw.diagnosis().strip().contains("\n")) {
            throw parsed.fail(at + ".diagnosis", "is one line for a person; put the explanation in 'why'");
        }
        Signature.Match match = match(at + ".match", raw.match());
        checkPlaceholders(at + ".diagnosis", raw.diagnosis(), match);
        // The id key's position is the signature's; fail() is how StrictYaml hands positions out.
        int line = parsed.fail(at + ".id", "").line();
        return new Signature(raw.id(), category, match, raw.retryable(), raw.diagnosis().strip(), workaround,
                raw.why().strip(), raw.ref(), parsed.source().name(), line);
    }

    private Signature.Match match(String at, RawMatch raw) {
        Pattern log = regex(at + ".log", raw.log());
        Pattern unless = regex(at + ".unless", raw.unless());
        Pattern context = regex(at + ".context", raw.context());
        Pattern slurm = regex(at + ".slurm", raw.slurm());
        Pattern reason = regex(at + ".reason", raw.reason());
        if (raw.log() != null && raw.literal() != null) {
            throw parsed.fail(at + ".literal", "give 'log' (a regex) or 'literal' (plain text), not both");
        }
        if (raw.literal() != null && raw.literal().isEmpty()) {
            throw parsed.fail(at + ".literal", "is empty; it would match every line");
        }
        if (unless != null && log == null && raw.literal() == null) {
            throw parsed.fail(at + ".unless", "excludes log lines, so it needs 'log' or 'literal'");
        }
        if (raw.contextWithinLines() != null) {
            if (context == null) {
                throw parsed.fail(at + ".context-within-lines", "needs 'context'");
            }
            if (raw.contextWithinLines() < 1) {
                throw parsed.fail(at + ".context-within-lines", "must be at least 1");
            }
        }
        Set<String> states = new LinkedHashSet<>();
        if (raw.slurmState() != null) {
            if (raw.slurmState().isEmpty()) {
                throw parsed.fail(at + ".slurm-state", "is empty; leave it out to accept any state");
            }
            for (String state : raw.slurmState()) {
                if (state == null || !state.equals(state.toUpperCase(Locale.ROOT)) || !JobStates.known(state)
                        || state.contains(" ")) {
                    throw parsed.fail(at + ".slurm-state", "'" + state + "' is not a Slurm job state as Slurm"
                            + " prints it (FAILED, TIMEOUT, CANCELLED, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED...)");
                }
                states.add(state);
            }
        }
        if (raw.exitCode() != null && !EXIT_CODE.matcher(raw.exitCode()).matches()) {
            throw parsed.fail(at + ".exit-code", "'" + raw.exitCode() + "' is not Slurm's exit:signal (\"0:53\")");
        }
        if (raw.noLog() != null && !raw.noLog()) {
            throw parsed.fail(at + ".no-log", "only 'true' means something; leave it out otherwise");
        }
        boolean anchored = log != null || raw.literal() != null || slurm != null || !states.isEmpty()
                || raw.exitCode() != null || reason != null;
        if (!anchored) {
            throw parsed.fail(at, "needs at least one of log, literal, slurm, slurm-state, exit-code, reason");
        }
        Set<String> groups = groups(log, context, slurm, reason);
        Signature.Ratio ratio = null;
        if (raw.ratio() != null) {
            RawRatio r = raw.ratio();
            for (String side : new String[] {"of", "to"}) {
                String name = side.equals("of") ? r.of() : r.to();
                if (name == null || !groups.contains(name)) {
                    throw parsed.fail(at + ".ratio." + side, "'" + name + "' is not a named group of this"
                            + " signature's regexes (" + String.join(", ", groups) + ")");
                }
            }
            if (r.atLeast() == null && r.below() == null) {
                throw parsed.fail(at + ".ratio", "needs 'at-least' or 'below'");
            }
            ratio = new Signature.Ratio(r.of(), r.to(), r.atLeast(), r.below());
        }
        return new Signature.Match(log, raw.literal(), unless, context, raw.contextWithinLines(), ratio, slurm,
                states, raw.exitCode(), raw.noLog() != null, reason);
    }

    private Pattern regex(String at, String text) {
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            throw parsed.fail(at, "is empty; it would match everything");
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw parsed.fail(at, "is not a valid regex: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    private void checkPlaceholders(String at, String diagnosis, Signature.Match match) {
        Set<String> known = new HashSet<>(Signature.BUILT_INS);
        known.addAll(groups(match.log(), match.context(), match.slurm(), match.reason()));
        Matcher m = PLACEHOLDER.matcher(diagnosis);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                throw parsed.fail(at, "placeholder {" + m.group(1) + "} is neither a named group of this"
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
