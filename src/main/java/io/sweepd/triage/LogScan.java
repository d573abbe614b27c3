package io.sweepd.triage;

import java.util.ArrayList;
import java.util.List;

/** The logs of one job as read so far, within the scan limits. */
final class LogScan {

    /** sweepd's own lines in the Slurm output file: not a sign that the workload started. */
    private static final String OWN_PREFIX = "sweepd:";

    private final List<LogFile> files;
    private final ScanLimits limits;
    private long budget;

    private LogScan(List<LogFile> files, ScanLimits limits) {
        this.files = files;
        this.limits = limits;
        this.budget = limits.totalBytes();
    }

    /** Opens the files and reads each one's tail. */
    static LogScan open(List<JobEvidence.LogSource> sources, ScanLimits limits) {
        List<LogFile> files = new ArrayList<>();
        for (JobEvidence.LogSource source : sources) {
            files.add(new LogFile(source.path(), source.name(), limits.maxLineChars()));
        }
        LogScan scan = new LogScan(files, limits);
        long tail = limits.firstTail(files.size());
        for (LogFile file : files) {
            scan.budget -= file.readEarlier(tail);
        }
        return scan;
    }

    List<LogFile> files() {
        return files;
    }

    /**
     * Reads one more chunk, further back, of every file not read whole, while the budget lasts; false when
     * nothing more was read (everything is read, or the budget is spent).
     */
    boolean readEarlier() {
        boolean read = false;
        for (LogFile file : files) {
            if (budget <= 0) {
                file.nothingFresh();
                continue;
            }
            long n = file.readEarlier(Math.min(limits.chunkBytes(), budget));
            budget -= n;
            read |= n > 0;
        }
        return read;
    }

    /** Whether any log holds a line of the workload (anything but sweepd's own preamble). */
    boolean hasWorkloadLine() {
        for (LogFile file : files) {
            for (LogLine line : file.lines()) {
                if (!line.text().startsWith(OWN_PREFIX)) {
                    return true;
                }
            }
        }
        return false;
    }
}
