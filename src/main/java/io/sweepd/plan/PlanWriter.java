package io.sweepd.plan;

import io.sweepd.files.FileModes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Writes {@code plan.json} and {@code plan.txt} into a run's directory: what was decided, for tools and people. */
public final class PlanWriter {

    private PlanWriter() {
    }

    /** Returns the plan.json path. */
    public static Path write(Plan plan, Path dir) {
        return write(plan, dir, FileModes.OWNER_ONLY);
    }

    /**
     * Returns the plan.json path. Readers never see half a file (each is written beside it, then renamed over
     * it); the run directory and files get the daemon's modes (owner-only unless group-readable).
     */
    public static Path write(Plan plan, Path dir, FileModes modes) {
        try {
            modes.createDirectories(dir);
            modes.write(dir.resolve("plan.txt"), PlanTable.render(plan));
            return modes.write(dir.resolve("plan.json"), PlanJson.render(plan));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan of " + plan.sweep().name() + " into " + dir
                    + ": " + e.getMessage(), e);
        }
    }
}
