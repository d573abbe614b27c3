package io.sweepd.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a ledger is whole. Three looks, each catching what the others cannot:
 * <ul>
 * <li>the H2 file's header, read before H2 opens the file: it says where the newest chunk it knows of starts, and a
 * file that ends before that was cut short (H2 itself would open such a file on an older version of the data, without
 * a word, and rewrite the header);</li>
 * <li>the {@link LedgerWitness}: a ledger holding fewer events, runs or jobs than when it was last closed lost writes,
 * however it lost them;</li>
 * <li>reading the tables: every table is counted; the tables the daemon acts on (runs, jobs, schedules) are read row
 * by row, and a {@link Depth#FULL} check reads every row of every table (a page damaged in the middle of the file
 * fails its read).</li>
 * </ul>
 */
public final class LedgerCheck {

    /** How much of the data is read. */
    public enum Depth {
        /** Counts, and every row of the tables the daemon acts on: a daemon's start. */
        QUICK,
        /** Every row of every table: {@code sweepd ledger check}. */
        FULL
    }

    /** Every table of the schema, the ones the daemon acts on first. */
    static final List<String> TABLES = List.of("sweep_runs", "jobs", "schedules", "points", "events", "results",
            "run_plans", "run_headlines", "run_comparison_rows", "run_counts");
    private static final List<String> ACTED_ON = List.of("sweep_runs", "jobs", "schedules");
    /** H2's file header: "H:2,block:<hex>,blockSize:<hex>,chunk:<hex>,...". */
    private static final Pattern HEADER_FIELD = Pattern.compile("(\\w+):([0-9a-fA-F]+)");

    /**
     * What a check found.
     *
     * @param problems what is wrong, one sentence each; empty when the ledger is whole
     * @param rows     rows per table, for what the check read
     */
    public record Result(List<String> problems, Map<String, Long> rows) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private LedgerCheck() {
    }

    /**
     * The H2 file's header against its length. Read before H2 opens the file (opening rewrites the header).
     *
     * @return what is wrong; empty when the header is readable and the file reaches the chunk it names, or when there
     *         is no file yet
     */
    public static Optional<String> headerProblem(Path h2File) {
        if (!Files.exists(h2File)) {
            return Optional.empty();
        }
        byte[] head = new byte[4096];
        int read;
        long size;
        try (InputStream in = Files.newInputStream(h2File)) {
            read = in.readNBytes(head, 0, head.length);
            size = Files.size(h2File);
        } catch (IOException e) {
            return Optional.of("it cannot be read (" + e.getMessage() + ")");
        }
        String text = new String(head, 0, read, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("H:2,")) {
            // H2 keeps two copies of the header in the first two blocks; the first is what it writes first.
            return Optional.of(read == 0 ? "it is empty" : "it does not start with an H2 header (overwritten?)");
        }
        Map<String, Long> fields = new LinkedHashMap<>();
        Matcher m = HEADER_FIELD.matcher(text.substring(0, Math.max(0, text.indexOf('\n') < 0
                ? Math.min(text.length(), 256) : text.indexOf('\n'))));
        while (m.find()) {
            try {
                fields.putIfAbsent(m.group(1), Long.parseLong(m.group(2), 16));
            } catch (NumberFormatException ignored) {
                // a field that is not a number (none of the ones used here)
            }
        }
        Long block = fields.get("block");
        Long blockSize = fields.get("blockSize");
        if (block == null || blockSize == null) {
            // H2 writes where its newest chunk starts only when it closes the file cleanly: a file open in another
            // process, or left by a crash (kill -9), has no block field, and H2 finds its chunks by reading them.
            // That is a normal state, not damage; the probe open and the row reads check such a file.
            return Optional.empty();
        }
        long chunkStart = block * blockSize;
        if (chunkStart >= size) {
            return Optional.of("it is " + size + " bytes long, shorter than its H2 header says (its newest chunk starts"
                    + " at byte " + chunkStart + "): the file was cut short");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a closed H2 file, from the cheaper look first: its header against its length
     * ({@link #headerProblem}), then one read-only open ({@link #openProblem}).
     */
    public static Optional<String> closedFileProblem(Path h2File) {
        return headerProblem(h2File).or(() -> openProblem(h2File));
    }

    /**
     * Opens the closed H2 file once, read-only, without retrying: a file H2 finds corrupted on opening fails at once
     * here, where the ledger's own open would keep retrying for {@link Ledger#OPEN_TIMEOUT} (it waits out a file
     * another process holds for a moment). Any other failure (the file held by another process) is left to that open.
     *
     * @return what is wrong; empty when the file opens, or fails for another reason
     */
    public static Optional<String> openProblem(Path h2File) {
        String name = h2File.toAbsolutePath().normalize().toString();
        if (!Files.exists(h2File) || !name.endsWith(".mv.db") || name.contains(";")) {
            return Optional.empty();
        }
        String url = "jdbc:h2:file:" + name.substring(0, name.length() - ".mv.db".length())
                + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r";
        try (Connection probe = java.sql.DriverManager.getConnection(url, "sa", "")) {
            return Optional.empty();
        } catch (SQLException e) {
            return corruption(e);
        }
    }

    /** What a failure to open the file says is wrong with it, when it says the file is corrupted; empty otherwise. */
    static Optional<String> corruption(SQLException e) {
        String message = firstLine(e);
        // 90030: H2's FILE_CORRUPTED_1.
        boolean corrupted = e.getErrorCode() == 90030 || message.contains("corrupted");
        return corrupted ? Optional.of("H2 cannot open it (" + message + ")") : Optional.empty();
    }

    /**
     * Reads the ledger as deep as asked, and compares it with the witness of its last close.
     */
    public static Result verify(Ledger ledger, Depth depth, Optional<LedgerWitness> witness) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection connection = ledger.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                boolean everyRow = depth == Depth.FULL || ACTED_ON.contains(table);
                try {
                    rows.put(table, everyRow ? readEveryRow(statement, table, depth == Depth.FULL)
                            : count(statement, table));
                } catch (SQLException | RuntimeException e) {
                    problems.add("table " + table + " cannot be read (" + firstLine(e) + ")");
                }
            }
        } catch (SQLException | RuntimeException e) {
            problems.add("it cannot be read (" + firstLine(e) + ")");
        }
        if (problems.isEmpty() && witness.isPresent()) {
            try {
                witness.get().lostBy(LedgerWitness.of(ledger)).ifPresent(problems::add);
            } catch (RuntimeException e) {
                problems.add("it cannot be read (" + firstLine(e) + ")");
            }
        }
        return new Result(List.copyOf(problems), Map.copyOf(rows));
    }

    private static long count(Statement statement, String table) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Every row, so that every page holding the table's data is read (and its checks run): H2 reads a row's values
     * from its page as the cursor reaches it. With {@code asObjects}, each value is also made the Java object a
     * reader gets (a value kept outside its row is read then); a quick check leaves that out, which was half its
     * time (a timestamp or text object made for every column of thousands of jobs, on every command).
     */
    private static long readEveryRow(Statement statement, String table, boolean asObjects) throws SQLException {
        long n = 0;
        try (ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; asObjects && i <= columns; i++) {
                    rs.getObject(i);
                }
                n++;
            }
        }
        return n;
    }

    /** What the driver said, without H2's long suffix (SQL text, version) on the lines after the first. */
    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int end = message.indexOf('\n');
        message = end < 0 ? message : message.substring(0, end);
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
