package io.sweepd.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.enrich.EnrichedPoint;
import io.sweepd.json.Json;
import io.sweepd.matrix.MatrixPoint;
import io.sweepd.profiles.LaunchPath;
import io.sweepd.sweep.SweepFile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Gives every enriched point a stable job key and groups the points that may share one Slurm allocation.
 *
 * The key hashes everything that decides how the server runs (profile, matrix fields but concurrency, the
 * patched server configuration) so that re-dropping the same sweep maps to the same jobs, and any change to
 * the configuration or to a workaround makes a new key.
 */
public final class JobGrouping {

    private JobGrouping() {
    }

    /** Jobs without their launch path (callers that have no profiles). */
    public static Plan plan(SweepFile sweep, List<EnrichedPoint> enriched) {
        return plan(sweep, enriched, (profile, multinode) -> null);
    }

    /**
     * @param launchOf the launch path of a profile (by name) for a job of a shape (multinode or not)
     */
    public static Plan plan(SweepFile sweep, List<EnrichedPoint> enriched,
                            BiFunction<String, Boolean, LaunchPath> launchOf) {
        List<PlannedPoint> points = new ArrayList<>();
        Map<String, Integer> idUses = new HashMap<>();
        Map<String, List<PlannedPoint>> byJob = new LinkedHashMap<>();
        for (EnrichedPoint point : enriched) {
            String jobKey = jobKey(point);
            String id = uniqueId(pointId(jobKey, point.point()), idUses);
            PlannedPoint planned = new PlannedPoint(id, jobKey, point);
            points.add(planned);
            if (!planned.refused()) {
                byJob.computeIfAbsent(jobKey, k -> new ArrayList<>()).add(planned);
            }
        }
        List<PlannedJob> jobs = byJob.entrySet().stream().map(e -> job(e.getKey(), e.getValue(), launchOf)).toList();
        return new Plan(sweep, points, jobs);
    }

    private static PlannedJob job(String jobKey, List<PlannedPoint> points,
                                  BiFunction<String, Boolean, LaunchPath> launchOf) {
        EnrichedPoint first = points.get(0).enriched();
        TreeSet<Integer> concurrencies = new TreeSet<>();
        points.forEach(p -> concurrencies.addAll(p.enriched().point().conc()));
        return new PlannedJob(jobKey, first.profile(), first.topology(),
                points.stream().map(PlannedPoint::id).toList(), List.copyOf(concurrencies),
                first.profile() == null ? null : launchOf.apply(first.profile(), first.point().multinode()));
    }

    /** {@code <exp-name>-<10 hex digits>}: readable in squeue, unique in practice, safe as a directory name. */
    public static String jobKey(EnrichedPoint point) {
        MatrixPoint p = point.point();
        Map<String, Object> server = new LinkedHashMap<>(p.toInferenceMax());
        server.remove("conc");
        server.remove("run-eval");
        server.remove("eval-conc");
        server.put("profile", point.profile());
        if (point.serverConfig() != null) {
            ObjectNode config = point.serverConfig().deepCopy();
            if (config.get("benchmark") instanceof ObjectNode benchmark) {
                benchmark.remove("concurrencies");
            }
            server.put("server-config", Json.MAPPER.convertValue(config, Map.class));
        }
        return p.expName() + "-" + sha256(canonicalJson(server)).substring(0, 10);
    }

    private static String pointId(String jobKey, MatrixPoint point) {
        return point.multinode() ? jobKey : jobKey + "-c" + point.singleConc();
    }

    private static String uniqueId(String id, Map<String, Integer> uses) {
        int n = uses.merge(id, 1, Integer::sum);
        return n == 1 ? id : id + "-" + n;
    }

    private static String canonicalJson(Object value) {
        try {
            return Json.SORTED.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize server configuration", e);
        }
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
