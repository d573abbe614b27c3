package io.sweepd.app;

import io.sweepd.files.FileModes;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * sweepd's settings, resolved once for the CLI and the daemon alike: the defaults in the jar's
 * {@code application.properties}, then a {@code --config} file, then environment variables
 * ({@code sweepd.inbox-dir} is {@code SWEEPD_INBOX_DIR}), then command-line options. Directories are
 * resolved against {@code sweepd.home} so a daemon started from any directory finds the same files.
 */
public final class SweepdSettings {

    private final Properties values;

    private SweepdSettings(Properties values) {
        this.values = values;
    }

    public static SweepdSettings load(Path configFile, Map<String, String> environment, Map<String, String> overrides) {
        Properties values = new Properties();
        try (InputStream defaults = SweepdSettings.class.getResourceAsStream("/application.properties")) {
            if (defaults == null) {
                throw new IllegalStateException("application.properties is missing from the classpath");
            }
            values.load(defaults);
            if (configFile != null) {
                try (Reader reader = Files.newBufferedReader(configFile)) {
                    values.load(reader);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read settings: " + e.getMessage(), e);
        }
        for (String key : values.stringPropertyNames()) {
            String fromEnv = environment.get(environmentName(key));
            if (fromEnv != null) {
                values.setProperty(key, fromEnv);
            }
        }
        overrides.forEach((key, value) -> {
            if (value != null) {
                values.setProperty(key, value);
            }
        });
        if (values.getProperty(HOME, "").isBlank()) {
            values.setProperty(HOME, defaultHome(environment).toString());
        }
        return new SweepdSettings(values);
    }

    /** The key of the home directory; {@code --home} and {@code SWEEPD_HOME} set it. */
    public static final String HOME = "sweepd.home";

    /**
     * The home when neither {@code --home}, {@code SWEEPD_HOME} nor a settings file names one: the XDG data directory
     * ({@code $XDG_DATA_HOME/sweepd}, by default {@code ~/.local/share/sweepd}). Never the current directory: a
     * command typed in the wrong directory would otherwise start a second, empty ledger there.
     */
    public static Path defaultHome(Map<String, String> environment) {
        String xdg = environment.get("XDG_DATA_HOME");
        // The XDG spec ignores a relative value; so does sweepd.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "sweepd").normalize();
        }
        String userHome = environment.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(userHome, ".local", "share", "sweepd").toAbsolutePath().normalize();
    }

    /** {@code sweepd.inbox-dir} -> {@code SWEEPD_INBOX_DIR}, the same mapping Camel uses for its own keys. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key) {
        return values.getProperty(key, "").trim();
    }

    public Optional<String> optional(String key) {
        String value = get(key);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public long getLong(String key) {
        try {
            return Long.parseLong(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number, got '" + get(key) + "'");
        }
    }

    public Path home() {
        return Path.of(get("sweepd.home")).toAbsolutePath().normalize();
    }

    public Path dir(String key) {
        return home().resolve(get(key)).normalize();
    }

    public Path inbox() { return dir("sweepd.inbox-dir"); }

    public Path outputs() { return dir("sweepd.outputs-dir"); }

    public Path state() { return dir("sweepd.state-dir"); }

    public Path reports() { return dir("sweepd.reports-dir"); }

    /** What sweepd creates its directories and files with: owner-only unless sweepd.files.group-readable. */
    public FileModes fileModes() {
        return new FileModes(Boolean.parseBoolean(get("sweepd.files.group-readable")));
    }

    public Path schedules() { return dir("sweepd.schedules-dir"); }

    /**
     * Whose runs this home's daemon and commands act on in a ledger several homes may share:
     * {@code sweepd.ledger.owner}, or this home's state directory (one daemon per home holds it).
     */
    public String ledgerOwner() {
        return optional("sweepd.ledger.owner").orElseGet(() -> state().toAbsolutePath().normalize().toString());
    }

    /** Where the daemon writes sweepd.log: {@code sweepd.log-dir}, or {@code logs/} in the state directory. */
    public Path logDir() {
        return optional("sweepd.log-dir").map(v -> home().resolve(v).normalize()).orElse(state().resolve("logs"));
    }

    /** A user data folder under home, when it exists (the jar ships the defaults). */
    public Optional<Path> existingDir(String key) {
        return optional(key).map(v -> home().resolve(v).normalize()).filter(Files::isDirectory);
    }

    public Optional<Path> recipesDir() {
        return optional("sweepd.recipes-dir").map(v -> home().resolve(v).normalize());
    }

    /** Every setting, for handing to Camel's property placeholders, with the Camel keys they imply. */
    public Properties asProperties() {
        Properties copy = new Properties();
        copy.putAll(values);
        copy.setProperty("sweepd.home", home().toString());
        copy.setProperty("sweepd.inbox", inbox().toString());
        copy.setProperty("sweepd.outputs", outputs().toString());
        copy.setProperty("sweepd.state", state().toString());
        copy.setProperty("sweepd.reports", reports().toString());
        copy.setProperty("sweepd.schedules", schedules().toString());
        StatusServerSettings.addCamelProperties(this, copy);
        return copy;
    }
}
