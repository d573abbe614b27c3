package io.sweepd.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes {@code plan.json} and {@code plan.txt} into a run's directory: what was decided, for tools and people. */
public final class PlanWriter {

    private PlanWriter() {
    }

    /** Returns the plan.json path. */
    public static Path write(Plan plan, Path dir) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("plan.txt"), PlanTable.render(plan));
            return writeAtomically(dir.resolve("plan.json"), PlanJson.render(plan));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan of " + plan.sweep().name() + " into " + dir, e);
        }
    }

    /** Readers never see half a file: write beside it, then rename over it. */
    private static Path writeAtomically(Path target, String text) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
