package io.sweepd.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.sweepd.json.Json;
import io.sweepd.triage.Triage;
import io.sweepd.triage.TriageException;
import io.sweepd.triage.TriageResult;
import io.sweepd.triage.TriageFile;
import io.sweepd.yaml.YamlFieldException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sweepd triage PATH...}: why each job died and what fixes it, offline. Each PATH is one job, triaged on
 * its own: a job directory, a failure.tar.gz, or one file (a log, slurm.json or an scontrol text). Several
 * logs of one job are triaged together by passing their directory. Reads no settings, ledger or Slurm.
 */
@Command(name = "triage", mixinStandardHelpOptions = true,
        description = {"Say why each job died and what fixes it, from its evidence alone (no daemon, no Slurm).",
                "Each PATH is triaged on its own: a job directory (every file under logs/, slurm.json, exit-code),"
                        + " a failure.tar.gz, or one file (a log, slurm.json, an scontrol text). To triage several"
                        + " logs of one job together, pass the directory that holds them.",
                "Exit status: 0 when every PATH was classified (whatever it died of), 5 when a PATH could not be"
                        + " read (the others are still shown), 1 when the shipped signatures do not load."})
public final class TriageCommand implements Callable<Integer> {

    enum Format { table, json }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Job directories, failure.tar.gz archives or log files.")
    List<Path> inputs;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "table (default) or json: one object per PATH.")
    Format format;

    @Option(names = "--verdict", paramLabel = "TEXT",
            description = "The reason sweepd recorded for the job (a deadline, the validity gate), matched too.")
    String verdict;

    @Override
    public Integer call() throws Exception {
        Triage triage;
        try {
            triage = Triage.shipped();
        } catch (YamlFieldException e) {
            // A jar whose signatures do not load cannot triage anything: say which file and line.
            spec.commandLine().getErr().println("sweepd triage: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean unreadable = false;
        for (Path input : inputs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("input", input.toString());
            try {
                TriageResult result = triage.classify(input, verdict);
                row.putAll(TriageFile.fields(result));
            } catch (TriageException e) {
                unreadable = true;
                row.put("error", e.getMessage());
                spec.commandLine().getErr().println("sweepd triage: " + e.getMessage());
            }
            rows.add(row);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(format == Format.json ? json(rows) : table(rows));
        out.flush();
        return unreadable ? ExitCodes.BAD_INPUT : ExitCodes.OK;
    }

    private static String json(List<Map<String, Object>> rows) throws Exception {
        return Json.PRETTY.writeValueAsString(rows);
    }

    private static String table(List<Map<String, Object>> rows) {
        return AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, rows, List.of(
                new Column().header("input").dataAlign(HorizontalAlign.LEFT).maxWidth(40).with(r -> text(r, "input")),
                new Column().header("category").dataAlign(HorizontalAlign.LEFT)
                        .with(r -> r.containsKey("error") ? "(unreadable)" : text(r, "category")),
                new Column().header("retry").with(r -> r.containsKey("error") ? "" : (boolean) r.get("retryable")
                        ? "yes" : "no"),
                new Column().header("fix").dataAlign(HorizontalAlign.LEFT).maxWidth(44)
                        .with(r -> r.get("suggested-workaround") == null ? "-" : text(r, "suggested-workaround")),
                new Column().header("diagnosis / evidence").dataAlign(HorizontalAlign.LEFT).maxWidth(100)
                        .with(r -> r.containsKey("error") ? text(r, "error")
                                : text(r, "diagnosis") + "\n> " + text(r, "evidence") + where(r))));
    }

    private static String where(Map<String, Object> row) {
        Object file = row.get("file");
        if (file == null) {
            return "";
        }
        long line = ((Number) row.get("line")).longValue();
        return "\n  (" + file + (line > 0 ? ":" + line : "") + ")";
    }

    private static String text(Map<String, Object> row, String key) {
        Object value = row.get(key);
        return value == null ? "" : value.toString();
    }
}
