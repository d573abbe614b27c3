package io.sweepd.report;

import io.sweepd.results.PointResult;

import java.util.ArrayList;
import java.util.List;

/** The per-point table the Markdown and HTML reports share: same columns, same formatting, raw (unescaped) text. */
final class PointTable {

    static final List<String> HEADERS = List.of(
            "Configuration", "Shape", "Conc",
            "Tput/GPU (tok/s)", "Output tput/GPU (tok/s)",
            "Interactivity median (tok/s/user)", "Interactivity at p99 TPOT (tok/s/user)",
            "TTFT median (s)", "TTFT p99 (s)", "E2E median (s)",
            "GPUs (P / D or total)", "State");

    /** Columns holding numbers: right-aligned. */
    static final List<Integer> NUMERIC = List.of(2, 3, 4, 5, 6, 7, 8, 9, 10);

    static final String GPU_NOTE = "GPUs are counted from the real topology (prefill + decode workers, or every GPU "
            + "of an aggregated server), not by TP as InferenceMAX's process_result.py does, which overstates "
            + "per-GPU throughput of data-parallel layouts.";

    private PointTable() {
    }

    static List<String> cells(PointResult p) {
        List<String> cells = new ArrayList<>();
        cells.add(Format.orNone(p.configKey()));
        cells.add(shape(p));
        cells.add(Integer.toString(p.conc()));
        for (ReportMetric m : List.of(ReportMetric.TPUT_PER_GPU, ReportMetric.OUTPUT_TPUT_PER_GPU,
                ReportMetric.MEDIAN_INTVTY, ReportMetric.P99_INTVTY, ReportMetric.MEDIAN_TTFT, ReportMetric.P99_TTFT,
                ReportMetric.MEDIAN_E2EL)) {
            cells.add(Format.number(m.of(p)));
        }
        cells.add(Format.gpus(p));
        cells.add(Format.orNone(p.state()));
        return cells;
    }

    /** The shape, with speculative decoding when there is some: it changes every number in the row. */
    static String shape(PointResult p) {
        String shape = Format.orNone(p.shape());
        String spec = p.specDecoding();
        return spec == null || spec.isBlank() || spec.equalsIgnoreCase("none") ? shape : shape + " · " + spec;
    }

    /** "dsr1-fp8-h200-sglang tp8 · 1k/1k conc 64" for lists outside a group's table. */
    static String label(PointResult p) {
        return Format.orNone(p.configKey()) + " " + shape(p) + " · " + ReportModel.model(p) + " · "
                + Format.seqLen(p.isl(), p.osl()) + " · conc " + p.conc();
    }
}
