package io.sweepd.report;

import io.sweepd.results.PointResult;

import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * report.csv: one row per PointResult for spreadsheets and pandas. Identity columns first, then every metric
 * key any point has, sorted, so the columns of two runs line up; numbers in full precision; RFC 4180 quoting.
 */
final class CsvReport {

    /** Identity and outcome of a point, in this order, before the metrics. */
    static final Map<String, Function<PointResult, Object>> IDENTITY = identity();

    private CsvReport() {
    }

    private static Map<String, Function<PointResult, Object>> identity() {
        Map<String, Function<PointResult, Object>> c = new LinkedHashMap<>();
        c.put("run_id", PointResult::runId);
        c.put("point_id", PointResult::pointId);
        c.put("job_key", PointResult::jobKey);
        c.put("config_key", PointResult::configKey);
        c.put("model", PointResult::model);
        c.put("model_prefix", PointResult::modelPrefix);
        c.put("precision", PointResult::precision);
        c.put("framework", PointResult::framework);
        c.put("hardware", PointResult::hardware);
        c.put("profile", PointResult::profile);
        c.put("runner", PointResult::runner);
        c.put("isl", PointResult::isl);
        c.put("osl", PointResult::osl);
        c.put("conc", PointResult::conc);
        c.put("disagg", PointResult::disagg);
        c.put("spec_decoding", PointResult::specDecoding);
        c.put("shape", PointResult::shape);
        c.put("series", PointResult::seriesKey);
        c.put("state", PointResult::state);
        c.put("reason", PointResult::reason);
        c.put("diagnosis", PointResult::diagnosis);
        c.put("prefill_gpus", PointResult::prefillGpus);
        c.put("decode_gpus", PointResult::decodeGpus);
        c.put("total_gpus", PointResult::totalGpus);
        c.put("workarounds", p -> String.join(";", p.workarounds()));
        return Collections.unmodifiableMap(c);
    }

    static String render(ReportModel model) {
        StringWriter text = new StringWriter();
        write(model, text);
        return text.toString();
    }

    static void write(ReportModel model, Writer writer) {
        ReportOut out = new ReportOut(writer);
        List<PointResult> points = model.input().points();
        // Gathered in a hash set, sorted once: into a TreeSet, every key of every point was a string comparison chain.
        Set<String> seen = new HashSet<>();
        points.stream().filter(PointResult::hasMetrics).forEach(p -> seen.addAll(p.metrics().keySet()));
        Set<String> metricKeys = new TreeSet<>(seen);

        List<String> header = new ArrayList<>(IDENTITY.keySet());
        for (String key : metricKeys) {
            // InferenceMAX's agg files carry some identity too (model, conc, isl...): keep both, never two
            // columns of one name.
            header.add(IDENTITY.containsKey(key) ? "metrics." + key : key);
        }
        row(out, header);
        for (PointResult p : points.stream().sorted(ReportModel.REPORT_ORDER).toList()) {
            List<String> cells = new ArrayList<>();
            IDENTITY.values().forEach(f -> cells.add(Format.plain(f.apply(p))));
            for (String key : metricKeys) {
                cells.add(p.metrics() == null ? "" : Format.plain(p.metrics().get(key)));
            }
            row(out, cells);
        }
        out.flush();
    }

    private static void row(ReportOut out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String quote(String cell) {
        // One look at each character (four indexOf calls were a quarter of the file's writing).
        for (int i = 0; i < cell.length(); i++) {
            char ch = cell.charAt(i);
            if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') {
                return '"' + cell.replace("\"", "\"\"") + '"';
            }
        }
        return cell;
    }
}
