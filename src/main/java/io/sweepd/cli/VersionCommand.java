package io.sweepd.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sweepd version}: the same as {@code sweepd --version}, for those who type it as a command. */
@Command(name = "version", description = "Print the version and commit sweepd was built from, and the JVM.")
final class VersionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.parent().commandLine().printVersionHelp(spec.commandLine().getOut());
    }
}
