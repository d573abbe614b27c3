package io.sweepd.cli;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exit statuses of every {@code sweepd} command, defined once: scripts branch on them, so each means one thing
 * whichever command returns it. {@link #document} puts the ones a command can return into its {@code --help}; the
 * README's table says the same.
 */
final class ExitCodes {

    /** Done, and nothing to report: every point planned (plan) or completed (wait). */
    static final int OK = 0;
    /** Something sweepd did not expect (a bug, a broken disk or database): the stack trace is on stderr. */
    static final int ERROR = CommandLine.ExitCode.SOFTWARE;
    /** The command line itself is wrong: an unknown option, a bad value, a missing argument (picocli's code). */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Some points (or all) were refused before submission; the rest of the output still holds. */
    static final int REFUSED = 3;
    /** The run finished and at least one job did not complete (failed, timed out, cancelled, lost). */
    static final int FAILED = 4;
    /** A file sweepd cannot use: missing or unreadable, or a sweep that does not parse or validate. */
    static final int BAD_INPUT = 5;
    /** No sweep, run, point, job, profile or schedule of the given name; or no ledger in the home to look in. */
    static final int NOT_FOUND = 6;
    /** The command needs Slurm and cannot reach it (no Slurm commands, no controller answering). */
    static final int SLURM_UNAVAILABLE = 7;
    /** wait gave up before the run finished: its timeout passed, or no daemon picked the file up. */
    static final int UNFINISHED = 8;
    /** retry or cancel found nothing to act on (no failed job, no suggested workaround, nothing unfinished). */
    static final int NOTHING_TO_DO = 9;
    /** The daemon cannot start: another daemon holds the home, or a directory or the ledger is unusable. */
    static final int CANNOT_START = 10;

    /** Each code as {@code --help} and the README describe it, in order. */
    static final Map<Integer, String> MEANINGS = meanings();

    /** The codes each command can return besides 0, 1 and 2 (which every command can). */
    private static final Map<String, List<Integer>> BY_COMMAND = Map.ofEntries(
            Map.entry("plan", List.of(REFUSED, BAD_INPUT, NOT_FOUND)),
            Map.entry("submit", List.of(BAD_INPUT, NOT_FOUND)),
            Map.entry("daemon", List.of(SLURM_UNAVAILABLE, CANNOT_START)),
            Map.entry("status", List.of(REFUSED, FAILED, NOT_FOUND, CANNOT_START)),
            Map.entry("wait", List.of(REFUSED, FAILED, BAD_INPUT, NOT_FOUND, UNFINISHED)),
            Map.entry("cancel", List.of(NOT_FOUND, SLURM_UNAVAILABLE, NOTHING_TO_DO, CANNOT_START)),
            Map.entry("ledger", List.of(BAD_INPUT, CANNOT_START)),
            Map.entry("report", List.of(NOT_FOUND)),
            Map.entry("triage", List.of(BAD_INPUT)),
            Map.entry("retry", List.of(NOT_FOUND, NOTHING_TO_DO)),
            Map.entry("schedules", List.of(NOT_FOUND)),
            Map.entry("profiles", List.of(BAD_INPUT)),
            Map.entry("rules", List.of(BAD_INPUT)),
            Map.entry("runs", List.of(NOT_FOUND)),
            Map.entry("show", List.of(NOT_FOUND)),
            Map.entry("completion", List.of()),
            Map.entry("manpage", List.of()));

    private ExitCodes() {
    }

    private static Map<Integer, String> meanings() {
        Map<Integer, String> m = new LinkedHashMap<>();
        m.put(OK, "all good: every point planned (plan), submitted (submit) or completed (wait, status --watch)");
        m.put(ERROR, "unexpected error (a bug, a broken disk or database); the stack trace is on stderr");
        m.put(USAGE, "usage error: unknown option, bad value, missing argument");
        m.put(REFUSED, "points refused before submission (plan: any point; wait, status --watch: the run finished,"
                + " its jobs completed, but some or all of its points were refused)");
        m.put(FAILED, "the run finished with failed points: a job failed, timed out, was cancelled or lost");
        m.put(BAD_INPUT, "bad input file: missing or unreadable, or a sweep that does not parse or validate"
                + " (the message names file:line:field), or a file wait saw the daemon refuse");
        m.put(NOT_FOUND, "unknown name: no such sweep, run, point, job, cluster profile or schedule, or a home with"
                + " no ledger (status, runs, show, report...)");
        m.put(SLURM_UNAVAILABLE, "Slurm unavailable: the command needs Slurm and cannot reach it");
        m.put(UNFINISHED, "wait gave up: --timeout passed, or no daemon picked the sweep file up");
        m.put(NOTHING_TO_DO, "nothing to do: no failed job to retry, no workaround suggested, nothing left to cancel");
        m.put(CANNOT_START, "the daemon cannot start: another daemon holds the home, or a directory or the ledger"
                + " is unusable; any command: the ledger is damaged (the message names the file and the recovery)");
        return Collections.unmodifiableMap(m);
    }

    /** Lists in each command's {@code --help} the codes it can return; the top-level help lists them all. */
    static void document(CommandLine root) {
        root.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(list(MEANINGS.keySet()
                .stream().toList()));
        root.getSubcommands().forEach((name, sub) -> {
            List<Integer> own = BY_COMMAND.get(name);
            if (own == null) {
                return; // help and version: they always exit 0 or 2
            }
            List<Integer> codes = new ArrayList<>(List.of(OK, ERROR, USAGE));
            codes.addAll(own);
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(list(codes));
        });
    }

    private static Map<String, String> list(List<Integer> codes) {
        Map<String, String> list = new LinkedHashMap<>();
        // Right-aligned so that 0 and 10 line up; picocli puts the description in the column after the key.
        // Not String.format: its first use (a Formatter and its patterns) cost a short command 10 ms.
        codes.forEach(code -> list.put((code < 10 ? " " : "") + code, MEANINGS.get(code)));
        return list;
    }
}
