package io.sweepd.sweep;

import io.sweepd.files.Fnmatch;

import java.util.regex.Pattern;

/**
 * A config-key selector as the generator's test-config takes them: a key with {@code *} or {@code ?} is a shell
 * glob ({@link Fnmatch}), anything else is the key itself.
 */
public final class ConfigKeyPattern {

    private final Pattern regex;

    private ConfigKeyPattern(Pattern regex) {
        this.regex = regex;
    }

    /** Whether the generator treats {@code key} as a pattern (it looks only for {@code *} and {@code ?}). */
    public static boolean isPattern(String key) {
        return key.indexOf('*') >= 0 || key.indexOf('?') >= 0;
    }

    public static ConfigKeyPattern of(String glob) {
        return new ConfigKeyPattern(Fnmatch.pattern(glob));
    }

    public boolean matches(String key) {
        return regex.matcher(key).matches();
    }
}
