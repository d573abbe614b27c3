package io.sweepd.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweepd.json.Json;
import io.sweepd.results.PointResult;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The headline of each of the last runs of one sweep, oldest first, this run last: per chart group (model at one
 * sequence-length pair) the peak throughput per GPU of its completed points, and how many points completed and
 * failed. Peak, not mean: a run that measured fewer concurrencies must not look slower for it.
 *
 * @param groups the chart groups' titles, the history's columns
 * @param runs   one entry per run, oldest first
 */
public record RunHistory(List<String> groups, List<Entry> runs) {

    /** Changed when an entry is worked out differently: older kept headlines are then worked out again. */
    private static final int HEADLINE_VERSION = 1;

    /** No earlier run: the report leaves the section out. */
    public static final RunHistory NONE = new RunHistory(List.of(), List.of());

    public RunHistory {
        groups = List.copyOf(groups);
        runs = List.copyOf(runs);
    }

    /**
     * @param peakTputPerGpu group title -> peak throughput per GPU (tok/s/GPU); a group the run did not measure is
     *                       absent. In title order: Map.copyOf's order changes from one process to the next, and so
     *                       did report.json's history.
     * @param gpuHours       the run's GPU-hours, or null when unknown
     */
    public record Entry(String runId, Instant createdAt, boolean current, int completed, int unsuccessful,
                        Map<String, Double> peakTputPerGpu, Double gpuHours) {
        public Entry {
            peakTputPerGpu = Collections.unmodifiableMap(new TreeMap<>(peakTputPerGpu));
        }
    }

    /**
     * The entry of a finished run as the ledger keeps it ({@code RunStore.recordHeadline}): what later reports show
     * of it without reading its rows again. Its id and time are the run's own, not part of the text.
     */
    static String headlineJson(Entry entry) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("version", HEADLINE_VERSION);
        json.put("completed", entry.completed());
        json.put("unsuccessful", entry.unsuccessful());
        if (entry.gpuHours() == null) {
            json.putNull("gpu_hours");
        } else {
            json.put("gpu_hours", entry.gpuHours());
        }
        ObjectNode peaks = json.putObject("peak_tput_per_gpu");
        entry.peakTputPerGpu().forEach(peaks::put);
        return json.toString();
    }

    /**
     * The entry of an earlier run from its kept headline; empty when the text is not one this version writes (then
     * the report works it out from the run's rows again).
     */
    static Optional<Entry> fromHeadline(String runId, Instant createdAt, String headlineJson) {
        try {
            JsonNode json = Json.MAPPER.readTree(headlineJson);
            if (json == null || json.path("version").asInt() != HEADLINE_VERSION) {
                return Optional.empty();
            }
            Map<String, Double> peaks = new LinkedHashMap<>();
            json.path("peak_tput_per_gpu").fields().forEachRemaining(f -> peaks.put(f.getKey(), f.getValue().asDouble()));
            JsonNode gpuHours = json.path("gpu_hours");
            return Optional.of(new Entry(runId, createdAt, false, json.path("completed").asInt(),
                    json.path("unsuccessful").asInt(), peaks, gpuHours.isNumber() ? gpuHours.asDouble() : null));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One run's rows reduced to its history entry. */
    public static Entry entry(String runId, Instant createdAt, boolean current, List<PointResult> points,
                              Double gpuHours) {
        Map<String, Double> peak = new LinkedHashMap<>();
        int completed = 0;
        int unsuccessful = 0;
        for (PointResult p : points) {
            Outcome outcome = Outcome.of(p.state());
            if (outcome.unsuccessful() && outcome != Outcome.REFUSED) {
                unsuccessful++;
            }
            if (outcome != Outcome.COMPLETED) {
                continue;
            }
            completed++;
            Double tput = ReportMetric.TPUT_PER_GPU.of(p);
            if (tput != null && Double.isFinite(tput)) {
                peak.merge(group(p), tput, Math::max);
            }
        }
        return new Entry(runId, createdAt, current, completed, unsuccessful, peak, gpuHours);
    }

    /** The history of these entries (in any order): columns are every group any of them measured. */
    public static RunHistory of(List<Entry> entries) {
        if (entries.size() < 2) {
            return NONE; // a history of one run is the rest of the report
        }
        TreeSet<String> groups = new TreeSet<>();
        entries.forEach(e -> groups.addAll(e.peakTputPerGpu().keySet()));
        List<Entry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparing(Entry::current).thenComparing(Entry::createdAt,
                Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Entry::runId));
        return new RunHistory(new ArrayList<>(groups), ordered);
    }

    /** The same key as {@link ReportModel.ChartGroup#title()}, so a history column names a chart on the page. */
    static String group(PointResult p) {
        return ReportModel.model(p) + " · " + Format.seqLen(p.isl(), p.osl());
    }

    public boolean isEmpty() {
        return runs.isEmpty();
    }
}
