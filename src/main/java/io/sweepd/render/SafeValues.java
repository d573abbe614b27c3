package io.sweepd.render;

import java.util.regex.Pattern;

/**
 * Character-set checks for values that come from a sweep file before they are used in a job: quoting
 * ({@link Shell}) already makes them harmless to bash, but they also become directory names, Slurm job
 * names and arguments of srt-slurm's own commands, which sweepd does not control. Everything a real
 * sweep uses fits (model ids, image references such as {@code nvcr.io#nvidia/x:1.0}, job keys); anything
 * else is refused with the field named, rather than escaped into something nobody wrote.
 */
public final class SafeValues {

    /** Job keys, run ids: directory names and Slurm job names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Model ids, images, paths, framework names: no whitespace, quotes, $, `, ;, |, &amp;, globs or %. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:/@+=,#-]{1,512}");

    /**
     * A path Slurm expands itself in {@code #SBATCH --output}: no whitespace or quotes (sbatch splits
     * directive lines) and no {@code %} (sbatch would read it as a file-name pattern).
     */
    private static final Pattern DIRECTIVE_PATH = Pattern.compile("/[A-Za-z0-9._/+=,@:~-]*");

    /** The value of a profile's Slurm setting (partition, account, qos, gres type). */
    private static final Pattern DIRECTIVE_VALUE = Pattern.compile("[A-Za-z0-9._:,=+@/-]{1,256}");

    /** Environment variable names, as POSIX shells accept them. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private SafeValues() {
    }

    public static String name(String what, String value) {
        return check(what, value, NAME, "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128");
    }

    public static String token(String what, String value) {
        check(what, value, TOKEN, "letters, digits and . _ : / @ + = , # -, at most 512");
        if (value.startsWith("-")) {
            throw new UnsafeValueException(what + " " + Shell.describe(value)
                    + " starts with '-' and would be read as an option");
        }
        return value;
    }

    public static String directivePath(String what, String value) {
        return check(what, value, DIRECTIVE_PATH,
                "an absolute path of letters, digits and . _ / + = , @ : ~ - (no spaces, quotes or %)");
    }

    public static String directiveValue(String what, String value) {
        return check(what, value, DIRECTIVE_VALUE, "letters, digits and . _ : , = + @ / -");
    }

    public static String envName(String what, String value) {
        return check(what, value, ENV_NAME, "a letter or '_' followed by letters, digits or '_'");
    }

    private static String check(String what, String value, Pattern allowed, String expected) {
        if (value == null || !allowed.matcher(value).matches()) {
            throw new UnsafeValueException(what + " " + (value == null ? "is missing" : Shell.describe(value)
                    + " is not allowed in a job") + "; expected " + expected);
        }
        return value;
    }
}
