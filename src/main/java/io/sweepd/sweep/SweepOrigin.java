package io.sweepd.sweep;

/**
 * Where a sweep came from: recorded with its run so that recipes keep resolving against the directory the user
 * submitted from, and so status can say who placed it where.
 *
 * @param sourceFile      the file as the user named it (or the inbox copy when it was dropped there)
 * @param sourceDir       where its CONFIG_FILE recipes resolve first
 * @param profileOverride the profile that placed every point (submit --profile), or null
 */
public record SweepOrigin(String sourceFile, String sourceDir, String profileOverride) {
}
