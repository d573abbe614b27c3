package io.sweepd.cli;

import io.sweepd.app.PlannerFactory;
import io.sweepd.app.SweepdSettings;
import io.sweepd.triage.Signature;
import io.sweepd.triage.SignatureCatalog;
import io.sweepd.workarounds.RuleActions;
import io.sweepd.workarounds.WorkaroundCatalog;
import io.sweepd.workarounds.WorkaroundRule;
import io.sweepd.yaml.YamlFieldException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import static io.sweepd.cli.Listing.column;
import static io.sweepd.cli.Listing.jsonOnly;

/** {@code sweepd rules}: the workaround rules and failure signatures in force. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "List the workaround catalog: the rules planning applies (shipped in the jar, overridden by id "
                + "by the home's workarounds/, sweepd.workarounds-dir) and the failure signatures triage matches "
                + "(workarounds/signatures). Kind: enrich (edits a point's configuration), refuse (refuses points), "
                + "eval-exclusion (leaves an eval group unmarked), signature (names a failure's cause and fix). "
                + "When: the conditions, as the file writes them. Source: file:line.")
final class RulesCommand implements Callable<Integer> {

    enum Kind { enrich, refuse, eval_exclusion, signature;

        String label() {
            return name().replace('_', '-');
        }
    }

    private static final List<Listing.Field> FIELDS = List.of(column("id"), column("kind"), column("when", 70),
            column("source", 80), jsonOnly("category"), jsonOnly("retryable"), jsonOnly("suggested-workaround"),
            jsonOnly("why"), jsonOnly("ref"));

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json")
    Listing.Format format;

    @Option(names = "--kind", paramLabel = "KIND", split = ",",
            description = "Only these kinds: ${COMPLETION-CANDIDATES} (eval_exclusion is eval-exclusion).")
    Set<Kind> kinds;

    @Override
    public Integer call() {
        SweepdSettings settings = parent.settings(Map.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            WorkaroundCatalog rules = PlannerFactory.workarounds(settings);
            for (WorkaroundRule rule : rules.rules()) {
                rows.add(rule(rule));
            }
            for (Signature signature : SignatureCatalog.shipped().signatures()) {
                rows.add(signature(signature));
            }
        } catch (YamlFieldException | IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.BAD_INPUT, e.getMessage());
        }
        List<Map<String, Object>> shown = rows.stream().filter(r -> kinds == null || kinds.stream()
                .anyMatch(k -> k.label().equals(r.get("kind")))).toList();
        PrintWriter out = spec.commandLine().getOut();
        out.println(Listing.render(format, shown, FIELDS, r -> r, "no rules"));
        out.flush();
        return ExitCodes.OK;
    }

    private static Map<String, Object> rule(WorkaroundRule rule) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", rule.id());
        row.put("kind", kindOf(rule.does()).label());
        row.put("when", conditions(rule.when()));
        row.put("source", rule.source());
        row.put("why", rule.why());
        row.put("ref", rule.ref());
        return row;
    }

    private static Kind kindOf(RuleActions does) {
        if (does.refuse() != null) {
            return Kind.refuse;
        }
        RuleActions withoutEvals = new RuleActions(does.remove(), does.set(), does.removeArgs(), does.setArgs(),
                does.capArgs(), does.removeEnv(), does.setEnv(), does.deadlines(), null, false);
        return does.excludeFromEvals() && withoutEvals.isEmpty() ? Kind.eval_exclusion : Kind.enrich;
    }

    private static Map<String, Object> signature(Signature signature) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", signature.id());
        row.put("kind", Kind.signature.label());
        row.put("when", conditions(signature.match()));
        row.put("source", signature.source());
        row.put("category", signature.category().id());
        row.put("retryable", signature.retryable());
        row.put("suggested-workaround", signature.suggestedWorkaround());
        row.put("why", signature.why());
        row.put("ref", signature.ref());
        return row;
    }

    /**
     * The conditions a record holds, {@code key: value} in the file's kebab-case names, the ones not asked left out
     * (null, false, empty). Read from the record's components so a new condition shows without a change here.
     */
    static String conditions(Record conditions) {
        List<String> parts = new ArrayList<>();
        for (RecordComponent component : conditions.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(conditions);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
            if (value == null || Boolean.FALSE.equals(value) && component.getType() == boolean.class
                    || value instanceof Collection<?> c && c.isEmpty()) {
                continue;
            }
            parts.add(kebab(component.getName()) + ": " + text(value));
        }
        return parts.isEmpty() ? "always" : String.join("; ", parts);
    }

    private static String text(Object value) {
        if (value instanceof Collection<?> c) {
            return "[" + String.join(", ", c.stream().map(RulesCommand::text).toList()) + "]";
        }
        if (value instanceof Pattern p) {
            return "/" + p.pattern() + "/";
        }
        return String.valueOf(value);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
