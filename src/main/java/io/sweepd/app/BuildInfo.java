package io.sweepd.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this sweepd was built from: the project version and, when the build ran in a git checkout, the commit
 * (and whether it had uncommitted changes). The build writes them into {@code sweepd-build.properties}
 * (Maven resource filtering, src/main/resources-filtered); a value the build could not fill in is null.
 *
 * @param version the Maven project version, null in an unfiltered build (an IDE's)
 * @param commit  the abbreviated commit id, null when the build saw no git checkout
 * @param dirty   the checkout had changes that were not committed
 */
public record BuildInfo(String version, String commit, boolean dirty) {

    static final String RESOURCE = "/sweepd-build.properties";

    /** The build information of the running jar. */
    public static BuildInfo current() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            Properties values = new Properties();
            if (in != null) {
                values.load(in);
            }
            return of(values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static BuildInfo of(Properties values) {
        return new BuildInfo(filled(values.getProperty("version")), filled(values.getProperty("commit")),
                "true".equals(filled(values.getProperty("dirty"))));
    }

    /** A value the build left as its placeholder, or empty, is unknown. */
    private static String filled(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? null : value.trim();
    }

    /**
     * {@code 0.1.0 (commit 04691ee)}, {@code 0.1.0 (commit 04691ee, uncommitted changes)}; a build that recorded no
     * commit says so ({@code 0.1.0 (no git commit recorded: ...)}) rather than look like a release; a copy Maven did not
     * filter (an IDE's classes) says that its version is unknown and why.
     */
    public String describe() {
        if (version == null) {
            return "version unknown (classes not built by Maven, e.g. by an IDE: mvn package writes the version)";
        }
        if (commit == null) {
            return version + " (no git commit recorded: built outside a git checkout, or in a linked worktree)";
        }
        return version + " (commit " + commit + (dirty ? ", uncommitted changes" : "") + ")";
    }
}
