package io.sweepd.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.sweepd.json.Json;
import io.sweepd.ledger.Ledger;
import io.sweepd.ledger.ScheduleRecord;
import io.sweepd.ledger.ScheduleSource;
import io.sweepd.schedule.CronTimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sweepd schedules}: the cron schedules in the ledger, when each fires next and what it last did. */
@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = "List the cron schedules (sweeps with sweep.schedule dropped in the inbox, and the files of "
                + "the schedules folder): cron, next firing, last run, last skipped firing and why. Times are the "
                + "daemon's local time, in which cron expressions are read.")
final class SchedulesCommand implements Callable<Integer> {

    enum Format { table, json }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    SweepdCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json")
    Format format;

    @Option(names = "--remove", paramLabel = "NAME",
            description = "Remove the schedule an inbox drop registered (the daemon disarms it at its next scan of "
                    + "the schedules folder). A schedules-folder schedule is removed by deleting its file.")
    String remove;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Ledger ledger = SweepdCli.openExistingLedger(parent.settings(Map.of()))) {
            if (remove != null) {
                return remove(ledger, out);
            }
            List<ScheduleRecord> schedules = ledger.schedules().schedules();
            ZoneId zone = ZoneId.systemDefault();
            Instant now = Instant.now();
            out.println(format == Format.json ? json(schedules, now, zone) : table(schedules, now, zone));
            return 0;
        }
    }

    private Integer remove(Ledger ledger, PrintWriter out) {
        Optional<ScheduleRecord> schedule = ledger.schedules().schedule(remove);
        if (schedule.isEmpty()) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no schedule named " + remove);
        }
        if (schedule.get().source() == ScheduleSource.FOLDER) {
            // Not a name this option can remove; the user has to act on the file instead.
            throw new CliFailure(ExitCodes.USAGE, "schedule " + remove + " is defined by "
                    + schedule.get().sourceFile() + "; delete that file to remove it");
        }
        ledger.schedules().remove(remove);
        out.println("schedule " + remove + " removed; the daemon disarms it at its next scan");
        return 0;
    }

    /**
     * One line per schedule for {@code sweepd status}: when it fires next, its last run, and its last skip (a firing
     * skipped because the previous run was still active), so a skipped night is visible where people look.
     */
    static List<String> statusLines(List<ScheduleRecord> schedules, Instant now, ZoneId zone) {
        return schedules.stream().map(s -> "schedule " + s.name() + " (" + s.cron() + "): next " + next(s, now, zone)
                + (s.lastRunId() == null ? "" : "; last run " + s.lastRunId())
                + (s.lastSkippedAt() == null ? "" : "; skipped " + lastSkip(s, zone))
                + (s.fileProblem() == null ? "" : "; file broken: " + s.fileProblem()))
                .toList();
    }

    private static String next(ScheduleRecord schedule, Instant now, ZoneId zone) {
        try {
            return CronTimes.next(schedule.cron(), now, zone).map(t -> time(t, zone)).orElse("never");
        } catch (IllegalArgumentException e) {
            return "invalid cron";
        }
    }

    private static String time(Instant at, ZoneId zone) {
        return at == null ? null : TIME.format(at.atZone(zone));
    }

    private static String origin(ScheduleRecord schedule) {
        return schedule.source().name().toLowerCase(Locale.ROOT) + ": " + schedule.sourceFile();
    }

    private static String lastSkip(ScheduleRecord schedule, ZoneId zone) {
        return schedule.lastSkippedAt() == null ? ""
                : time(schedule.lastSkippedAt(), zone) + " " + schedule.lastSkipReason();
    }

    private static String json(List<ScheduleRecord> schedules, Instant now, ZoneId zone) throws Exception {
        List<Map<String, Object>> out = schedules.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("cron", s.cron());
            m.put("source", s.source().name().toLowerCase(Locale.ROOT));
            m.put("source-file", s.sourceFile());
            m.put("next-firing", next(s, now, zone));
            m.put("last-fired-at", s.lastFiredAt() == null ? null : s.lastFiredAt().toString());
            m.put("last-run", s.lastRunId());
            m.put("last-skipped-at", s.lastSkippedAt() == null ? null : s.lastSkippedAt().toString());
            m.put("last-skip-reason", s.lastSkipReason());
            m.put("file-problem", s.fileProblem());
            return m;
        }).toList();
        return Json.PRETTY.writeValueAsString(out);
    }

    private static String table(List<ScheduleRecord> schedules, Instant now, ZoneId zone) {
        if (schedules.isEmpty()) {
            return "no schedules (add sweep.schedule to a sweep, or a file to the schedules folder)";
        }
        return AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, schedules, List.of(
                new Column().header("schedule").dataAlign(HorizontalAlign.LEFT).with(ScheduleRecord::name),
                new Column().header("cron").dataAlign(HorizontalAlign.LEFT).with(ScheduleRecord::cron),
                new Column().header("next firing").with(s -> next(s, now, zone)),
                new Column().header("last run").dataAlign(HorizontalAlign.LEFT)
                        .with(s -> s.lastRunId() == null ? "-" : s.lastRunId()),
                new Column().header("last skip").dataAlign(HorizontalAlign.LEFT).maxWidth(60)
                        .with(s -> lastSkip(s, zone)),
                new Column().header("from").dataAlign(HorizontalAlign.LEFT).maxWidth(60)
                        .with(s -> origin(s) + (s.fileProblem() == null ? "" : " (file broken: " + s.fileProblem() + ")"))));
    }
}
