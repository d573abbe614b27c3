package io.sweepd.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed and validated sweep file.
 *
 * @param name      the sweep's name (sweep.name or the file's base name)
 * @param source    where it was read from (the inbox copy for daemon intake)
 * @param baseDir   the directory that CONFIG_FILE recipe paths resolve against first
 * @param settings  the sweep: block, or defaults
 * @param entries   the config entries in file order
 * @param runners   InferenceMAX's runners.yaml when the sweep names one or has one beside it, else
 *                  {@link RunnerConfig#NONE}
 */
public record SweepFile(String name, Path source, Path baseDir, SweepBlock settings, List<ConfigEntry> entries,
                        RunnerConfig runners) {

    public SweepFile {
        entries = List.copyOf(entries);
        runners = runners == null ? RunnerConfig.NONE : runners;
    }

    public SweepFile withSettings(SweepBlock newSettings) {
        return new SweepFile(name, source, baseDir, newSettings, entries, runners);
    }

    public SweepFile withRunners(RunnerConfig newRunners) {
        return new SweepFile(name, source, baseDir, settings, entries, newRunners);
    }
}
