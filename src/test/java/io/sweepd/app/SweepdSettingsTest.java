package io.sweepd.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Defaults, then --config, then environment, then command-line options; directories against home. */
class SweepdSettingsTest {

    @TempDir
    Path home;

    private Map<String, String> homeOnly() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("sweepd.home", home.toString());
        return overrides;
    }

    private Path config(String text) throws IOException {
        Path file = home.resolve("sweepd.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void theJarsDefaultsPutEveryDirectoryUnderHome() {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), homeOnly());

        assertThat(settings.home()).isEqualTo(home.toAbsolutePath().normalize());
        assertThat(settings.inbox()).isEqualTo(home.resolve("inbox"));
        assertThat(settings.outputs()).isEqualTo(home.resolve("outputs"));
        assertThat(settings.state()).isEqualTo(home.resolve("state"));
        assertThat(settings.reports()).isEqualTo(home.resolve("reports"));
        assertThat(settings.getLong("sweepd.submit.interval-ms")).isEqualTo(2000);
        assertThat(settings.optional("sweepd.profile")).isEmpty();
        assertThat(settings.recipesDir()).isEmpty();
    }

    @Test
    void aConfigFileOverridesTheDefaults() throws IOException {
        Path file = config("sweepd.inbox-dir=drop\nsweepd.profile=local\n");

        SweepdSettings settings = SweepdSettings.load(file, Map.of(), homeOnly());

        assertThat(settings.inbox()).isEqualTo(home.resolve("drop"));
        assertThat(settings.get("sweepd.profile")).isEqualTo("local");
        assertThat(settings.outputs()).isEqualTo(home.resolve("outputs"));
    }

    @Test
    void anEnvironmentVariableOverridesTheConfigFileUnderCamelsName() throws IOException {
        Path file = config("sweepd.inbox-dir=drop\n");

        SweepdSettings settings = SweepdSettings.load(file, Map.of("SWEEPD_INBOX_DIR", "from-env",
                "SWEEPD_INTAKE_POLL_DELAY_MS", "250", "sweepd.outputs-dir", "not-an-env-name"), homeOnly());

        assertThat(settings.inbox()).isEqualTo(home.resolve("from-env"));
        assertThat(settings.getLong("sweepd.intake.poll-delay-ms")).isEqualTo(250);
        assertThat(settings.outputs()).isEqualTo(home.resolve("outputs"));
        assertThat(SweepdSettings.environmentName("sweepd.intake.read-lock-check-interval-ms"))
                .isEqualTo("SWEEPD_INTAKE_READ_LOCK_CHECK_INTERVAL_MS");
    }

    @Test
    void aKeyOnlyTheConfigFileDefinesCanStillComeFromTheEnvironment() throws IOException {
        Path file = config("sweepd.custom-knob=file\n");

        SweepdSettings settings = SweepdSettings.load(file, Map.of("SWEEPD_CUSTOM_KNOB", "env"), homeOnly());

        assertThat(settings.get("sweepd.custom-knob")).isEqualTo("env");
    }

    @Test
    void commandLineOptionsWinOverEverythingAndANullOptionChangesNothing() throws IOException {
        Path file = config("sweepd.inbox-dir=drop\nsweepd.profile=local\n");
        Map<String, String> overrides = homeOnly();
        overrides.put("sweepd.inbox-dir", "cli");
        overrides.put("sweepd.profile", null);

        SweepdSettings settings = SweepdSettings.load(file, Map.of("SWEEPD_INBOX_DIR", "from-env",
                "SWEEPD_PROFILE", "h100-dgxc-slurm"), overrides);

        assertThat(settings.inbox()).isEqualTo(home.resolve("cli"));
        assertThat(settings.get("sweepd.profile")).isEqualTo("h100-dgxc-slurm");
    }

    @Test
    void homeFromTheEnvironmentAndAnAbsoluteDirectoryIsKeptAsIs(@TempDir Path elsewhere) {
        SweepdSettings settings = SweepdSettings.load(null, Map.of("SWEEPD_HOME", home.toString(),
                "SWEEPD_STATE_DIR", elsewhere.toString(), "SWEEPD_OUTPUTS_DIR", "runs/../out"), Map.of());

        assertThat(settings.home()).isEqualTo(home.toAbsolutePath().normalize());
        assertThat(settings.state()).isEqualTo(elsewhere);
        assertThat(settings.outputs()).isEqualTo(home.resolve("out"));
    }

    @Test
    void aRelativeHomeIsResolvedOnceToAnAbsolutePath() {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), Map.of("sweepd.home", "some/where"));

        assertThat(settings.home()).isEqualTo(Path.of("some/where").toAbsolutePath());
        assertThat(settings.inbox()).isEqualTo(settings.home().resolve("inbox"));
    }

    @Test
    void existingDirIsOnlyADirectoryThatExistsUnderHome() throws IOException {
        SweepdSettings settings = SweepdSettings.load(null, Map.of(), homeOnly());
        assertThat(settings.existingDir("sweepd.profiles-dir")).isEmpty();

        Files.createDirectories(home.resolve("cluster-profiles"));

        assertThat(settings.existingDir("sweepd.profiles-dir")).contains(home.resolve("cluster-profiles"));
    }

    @Test
    void aSettingThatMustBeANumberNamesItselfWhenItIsNot() {
        SweepdSettings settings = SweepdSettings.load(null, Map.of("SWEEPD_SUBMIT_INTERVAL_MS", "soon"), homeOnly());

        assertThatThrownBy(() -> settings.getLong("sweepd.submit.interval-ms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting sweepd.submit.interval-ms must be a whole number, got 'soon'");
    }

    @Test
    void aMissingConfigFileIsRefusedWithItsName() {
        Path missing = home.resolve("nope.properties");

        assertThatThrownBy(() -> SweepdSettings.load(missing, Map.of(), homeOnly()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read settings")
                .hasMessageContaining("nope.properties");
    }

    @Test
    void camelGetsTheResolvedDirectoriesBesideEveryRawSetting() {
        Properties props = SweepdSettings.load(null, Map.of("SWEEPD_INBOX_DIR", "drop"), homeOnly()).asProperties();

        assertThat(props.getProperty("sweepd.inbox")).isEqualTo(home.resolve("drop").toString());
        assertThat(props.getProperty("sweepd.outputs")).isEqualTo(home.resolve("outputs").toString());
        assertThat(props.getProperty("sweepd.home")).isEqualTo(home.toAbsolutePath().normalize().toString());
        assertThat(props.getProperty("sweepd.inbox-dir")).isEqualTo("drop");
        assertThat(props.getProperty("camel.main.name")).isEqualTo("sweepd");
    }
}
