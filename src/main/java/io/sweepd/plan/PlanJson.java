package io.sweepd.plan;

import io.sweepd.core.Secrets;
import io.sweepd.core.SweepCounts;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.enrich.Topology;
import io.sweepd.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine-readable plan: {@code {"counts": {...}, "points": [...], "jobs": [...]}}. Each point carries InferenceMAX's matrix
 * fields under their own names (so tools that read the generator's JSON read this too) plus sweepd's own.
 */
public final class PlanJson {

    private PlanJson() {
    }

    public static String render(Plan plan) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sweep", plan.sweep().name());
        out.put("baseline", plan.sweep().settings().baseline());
        out.put("counts", counts(PlanTable.counts(plan)));
        out.put("points", plan.points().stream().map(PlanJson::point).toList());
        out.put("jobs", plan.jobs().stream().map(PlanJson::job).toList());
        try {
            return Json.PRETTY.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("plan is not serializable", e);
        }
    }

    public static Map<String, Object> point(PlannedPoint planned) {
        EnrichedPoint enriched = planned.enriched();
        // Secret-named settings and environment values (HF_TOKEN=...) are shown redacted: plan.json is for people.
        @SuppressWarnings("unchecked")
        Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) Secrets.redactedValue(enriched.point().toInferenceMax()));
        out.put("point-id", planned.id());
        out.put("config-key", enriched.point().configKey());
        out.put("job-key", planned.jobKey());
        out.put("profile", enriched.profile());
        out.put("topology", topology(enriched.topology()));
        out.put("recipe", enriched.recipePath());
        out.put("workarounds", enriched.workarounds().stream().map(w -> {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", w.id());
            rule.put("changes", w.changes());
            return rule;
        }).toList());
        out.put("refused", enriched.refused());
        out.put("server-config", Secrets.redacted(enriched.serverConfig()));
        return out;
    }

    /** The plan's counts in the README glossary's words, as status and the report give them. */
    static Map<String, Object> counts(SweepCounts counts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("configurations", counts.configurations());
        out.put("jobs", counts.jobs());
        out.put("points", counts.points());
        out.put("refused-configurations", counts.refusedConfigurations());
        out.put("refused-points", counts.refusedPoints());
        out.put("summary", counts.describe());
        return out;
    }

    private static Map<String, Object> job(PlannedJob job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job-key", job.jobKey());
        out.put("profile", job.profile());
        if (job.launch() != null) {
            out.put("launcher", job.launch().launcher());
            out.put("container-runtime", job.launch().containerRuntime());
        }
        out.put("points", job.pointIds());
        out.put("concurrencies", job.concurrencies());
        out.put("topology", topology(job.topology()));
        return out;
    }

    private static Map<String, Object> topology(Topology topology) {
        if (topology == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", topology.nodes());
        out.put("gpus", topology.totalGpus());
        if (topology.disaggregated()) {
            out.put("prefill-workers", topology.prefillWorkers());
            out.put("prefill-gpus", topology.prefillGpus());
            out.put("decode-workers", topology.decodeWorkers());
            out.put("decode-gpus", topology.decodeGpus());
        }
        return out;
    }

}
