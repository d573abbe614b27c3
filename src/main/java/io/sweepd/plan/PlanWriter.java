package io.sweepd.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes {@code outputs/<sweep>/plan.json} and {@code plan.txt}: what was decided, for people and tools. */
public final class PlanWriter {

    private final Path outputs;

    public PlanWriter(Path outputs) {
        this.outputs = outputs;
    }

    /** Returns the plan.json path as text (a Path would be read as file content by Camel's converters). */
    public String write(Plan plan) {
        Path dir = outputs.resolve(plan.sweep().name());
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("plan.txt"), PlanTable.render(plan));
            return writeAtomically(dir.resolve("plan.json"), PlanJson.render(plan)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan of " + plan.sweep().name(), e);
        }
    }

    /** Readers never see half a file: write beside it, then rename over it. */
    private static Path writeAtomically(Path target, String text) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
