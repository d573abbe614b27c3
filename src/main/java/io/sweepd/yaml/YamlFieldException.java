package io.sweepd.yaml;

/**
 * A file a person wrote (a sweep, a cluster profile, model facts, a workaround or signature file) that cannot be
 * used. The message names the file, the line and column when known, the field path and what was expected, e.g.
 * {@code sweep.yaml:13:7: field 'dsv4.seq-len-configs[0].search-space[0].conc-list': expected a list}, so it can
 * be fixed without reading sweepd's code. The one error type of every data file sweepd reads.
 */
public final class YamlFieldException extends RuntimeException {

    private final String file;
    private final int line;
    private final int column;
    private final String field;
    private final String problem;

    /**
     * @param line   1-based, or 0 when unknown
     * @param column 1-based, or 0 when unknown
     * @param field  the field path ({@code entry.search-space[2].tp}), or null / empty for the whole file
     */
    public YamlFieldException(String file, int line, int column, String field, String problem) {
        super(format(file, line, column, field, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field == null ? "" : field;
        this.problem = problem;
    }

    private static String format(String file, int line, int column, String field, String problem) {
        StringBuilder text = new StringBuilder(file == null ? "<data file>" : file);
        if (line > 0) {
            text.append(':').append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        if (field != null && !field.isEmpty()) {
            text.append(": field '").append(field).append('\'');
        }
        return text.append(": ").append(problem).toString();
    }

    public String file() { return file; }

    /** 1-based line, or 0 when unknown. */
    public int line() { return line; }

    /** 1-based column, or 0 when unknown. */
    public int column() { return column; }

    /** Dotted field path, or empty for the whole file. */
    public String field() { return field; }

    public String problem() { return problem; }
}
