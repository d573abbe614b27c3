package io.sweepd.workarounds;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A worker role in srt-slurm's recipe format. A role's engine arguments live at
 * {@code backend.<backend.type>_config.<role>} and its environment at {@code backend.<role>_environment}.
 */
public enum Role {
    PREFILL, DECODE, AGGREGATED;

    /** The name used in recipes and rule files. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromKey(String key) {
        return Arrays.stream(values()).filter(role -> role.key().equals(key)).findFirst();
    }
}
