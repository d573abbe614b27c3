package io.sweepd.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.core.JobDirectory;
import io.sweepd.json.Json;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.matrix.MatrixPoints;
import io.sweepd.profiles.ClusterProfile;
import io.sweepd.workarounds.AppliedWorkaround;
import io.sweepd.workarounds.Enrichment;
import io.sweepd.workarounds.WorkaroundCatalog;
import io.sweepd.workarounds.WorkaroundEngine;
import io.sweepd.workarounds.WorkaroundRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The fix-and-rerun loop: applies the workaround triage suggested to a failed job's server configuration
 * ({@code recipe.yaml}), in place, before the job is planned again. What was added, and that triage added it,
 * is recorded in {@code workarounds-added.json} beside it (and in the ledger by the caller).
 */
public final class SuggestedFix {

    public static final String ADDED_FILE = "workarounds-added.json";

    /** What applying a rule did: the changes, or why it could not help. */
    public record Outcome(boolean applied, List<String> changes, String problem) {
    }

    private final WorkaroundCatalog catalog;

    public SuggestedFix(WorkaroundCatalog catalog) {
        this.catalog = catalog;
    }

    public Outcome apply(JobDirectory dir, String ruleId, ClusterProfile profile) {
        WorkaroundRule rule = catalog.byId(ruleId).orElse(null);
        if (rule == null) {
            return new Outcome(false, List.of(), "no workaround rule " + ruleId);
        }
        try {
            JsonNode plan = Json.MAPPER.readTree(dir.plan().toFile());
            MatrixPoint point = MatrixPoints.fromInferenceMax(plan.path("points").get(0));
            ObjectNode recipe = (ObjectNode) Json.YAML.readTree(dir.recipe().toFile());
            Enrichment enrichment = new WorkaroundEngine(WorkaroundCatalog.of(List.of(rule)))
                    .apply(point, profile, recipe);
            if (enrichment.isRefused()) {
                return new Outcome(false, List.of(), "workaround " + ruleId + " refuses this point: "
                        + enrichment.refusal());
            }
            if (enrichment.applied().isEmpty()) {
                return new Outcome(false, List.of(), "workaround " + ruleId + " changes nothing in this job's configuration");
            }
            Files.writeString(dir.recipe(), Json.YAML.writeValueAsString(enrichment.patchedConfig()));
            List<String> changes = enrichment.applied().stream().map(AppliedWorkaround::changes)
                    .flatMap(List::stream).toList();
            record(dir, ruleId, changes);
            return new Outcome(true, changes, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply " + ruleId + " to " + dir.root(), e);
        }
    }

    private static void record(JobDirectory dir, String ruleId, List<String> changes) throws IOException {
        Path file = dir.root().resolve(ADDED_FILE);
        ArrayNode added = Files.isRegularFile(file) ? (ArrayNode) Json.MAPPER.readTree(file.toFile()) : Json.MAPPER.createArrayNode();
        ObjectNode entry = added.addObject();
        entry.put("id", ruleId);
        entry.put("added-by", "triage");
        entry.put("at", Instant.now().toString());
        changes.forEach(entry.putArray("changes")::add);
        Files.writeString(file, Json.PRETTY.writeValueAsString(added));
    }
}
