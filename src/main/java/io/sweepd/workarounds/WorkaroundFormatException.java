package io.sweepd.workarounds;

/**
 * A workaround file that cannot be used. Loading is strict (an unknown key is an error, never ignored), and
 * the message names the file, the line and the field, e.g.
 * {@code workarounds/dsv4.yaml:14: field 'dsv4-no-chat-template.do.set-argz': unknown key ...}.
 */
public final class WorkaroundFormatException extends RuntimeException {

    private final String file;
    private final int line;
    private final String field;
    private final String problem;

    public WorkaroundFormatException(String file, int line, String field, String problem) {
        super(format(file, line, field, problem));
        this.file = file;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    private static String format(String file, int line, String field, String problem) {
        StringBuilder text = new StringBuilder(file == null ? "<workarounds>" : file);
        if (line > 0) {
            text.append(':').append(line);
        }
        if (field != null && !field.isEmpty()) {
            text.append(": field '").append(field).append('\'');
        }
        return text.append(": ").append(problem).toString();
    }

    public String file() { return file; }

    /** 1-based line, or 0 when unknown. */
    public int line() { return line; }

    /** Field path ({@code <rule id>.do.set-args.roles[1]}), or empty for the whole file. */
    public String field() { return field; }

    public String problem() { return problem; }
}
