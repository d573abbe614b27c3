package io.sweepd.triage;

/**
 * How much of a job's logs triage reads. Logs of a failed multi-node job can reach gigabytes and the cause is
 * almost always near the end, so each file's tail is read first and earlier parts only while nothing matched.
 *
 * @param tailBytes     the most read from the end of one file at first
 * @param chunkBytes    how much further back each later round reads in a file
 * @param totalBytes    the budget over all files and rounds; every file still gets {@code minTailBytes}
 * @param minTailBytes  the least read from the end of each file, however many files there are
 * @param maxLineChars  a longer line is cut to this before matching (a megabyte of one-line JSON is no evidence)
 */
public record ScanLimits(long tailBytes, long chunkBytes, long totalBytes, long minTailBytes, int maxLineChars) {

    private static final long MIB = 1 << 20;

    public ScanLimits {
        if (tailBytes <= 0 || chunkBytes <= 0 || totalBytes <= 0 || minTailBytes <= 0 || maxLineChars <= 0) {
            throw new IllegalArgumentException("scan limits must be positive");
        }
    }

    /** 8 MiB tails, 8 MiB chunks, 64 MiB in all, at least 64 KiB a file, lines cut at 16k characters. */
    public static ScanLimits defaults() {
        return new ScanLimits(8 * MIB, 8 * MIB, 64 * MIB, 64 * 1024, 16 * 1024);
    }

    /** The tail read from each of {@code files} files at first: an even share of the budget, within bounds. */
    long firstTail(int files) {
        long share = totalBytes / Math.max(1, files);
        return Math.max(minTailBytes, Math.min(tailBytes, share));
    }
}
