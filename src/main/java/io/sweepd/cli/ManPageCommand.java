package io.sweepd.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** {@code sweepd manpage DIR}: man pages (AsciiDoc, for asciidoctor) generated from the command definitions. */
@Command(name = "manpage", mixinStandardHelpOptions = true,
        description = {"Write the man pages of sweepd and of each command into DIR as AsciiDoc (sweepd.adoc, "
                + "sweepd-plan.adoc, ...), generated from the command definitions (picocli's ManPageGenerator).",
                "Turn them into man pages with asciidoctor: asciidoctor -b manpage -D ~/.local/share/man/man1 "
                        + "DIR/*.adoc; then man sweepd."})
final class ManPageCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Where to write the pages (created if missing).")
    Path dir;

    @Override
    public void run() {
        try {
            Files.createDirectories(dir);
            ManPageGenerator.generateManPage(dir.toFile(), null, new boolean[0], false, spec.root());
            try (Stream<Path> pages = Files.list(dir)) {
                long count = pages.filter(p -> p.getFileName().toString().endsWith(".adoc")).count();
                PrintWriter out = spec.commandLine().getOut();
                out.println(count + " man pages written to " + dir.toAbsolutePath().normalize());
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write man pages to " + dir, e);
        }
    }
}
