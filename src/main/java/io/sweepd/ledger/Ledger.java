package io.sweepd.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sweepd.core.Beside;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The crash-safe record of every sweep run, job and point: an embedded H2 file by default, PostgreSQL when a
 * JDBC URL says so. This is the database handle: it opens one connection pool, brings the schema up to date, and
 * hands out the stores that work on it, {@link #runs()}, {@link #jobs()}, {@link #results()}
 * and {@link #schedules()}. They share the
 * pool, so a caller that needs two stores still holds one set of connections, and closing the ledger closes them.
 *
 * <p>A job's row is written before sbatch runs and updated after, so a daemon killed at any instant restarts,
 * finds every job it had started to submit, and reconciles it with Slurm. Thread-safe.
 */
public final class Ledger implements AutoCloseable {

    /** How long opening the ledger keeps trying before it fails. */
    public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);

    private final HikariDataSource dataSource;
    private final RunStore runs;
    private final JobStore jobs;
    private final ResultStore results;
    private final ScheduleStore schedules;
    private final JobCounts jobCounts;
    private final WriteCheck writeCheck;
    private final Jdbi jdbi;
    /** Where the witness is written on close (embedded ledgers that passed their check); null: none. */
    private volatile Path witnessOnClose;

    private Ledger(HikariDataSource dataSource, Clock clock, Owner owner) {
        this.dataSource = dataSource;
        Objects.requireNonNull(clock, "clock");
        Migrations.apply(dataSource);
        Jdbi jdbi = Jdbi.create(dataSource);
        this.jdbi = jdbi;
        adoptUnowned(jdbi, owner);
        this.runs = new RunStore(jdbi, clock, owner);
        this.jobs = new JobStore(jdbi, clock, owner);
        this.results = new ResultStore(jdbi, clock);
        this.schedules = new ScheduleStore(jdbi, clock, owner);
        this.jobCounts = new JobCounts(jdbi, owner);
        this.writeCheck = new WriteCheck(jdbi);
    }

    /**
     * Runs and schedules recorded before owners existed (ledger version 5) belong to the first daemon that opens the
     * ledger with an owner: before, one ledger meant one daemon.
     */
    private static void adoptUnowned(Jdbi jdbi, Owner owner) {
        if (owner.name() == null) {
            return;
        }
        jdbi.useTransaction(h -> {
            owner.bind(h.createUpdate("UPDATE sweep_runs SET owner = :owner WHERE owner IS NULL")).execute();
            owner.bind(h.createUpdate("UPDATE schedules SET owner = :owner WHERE owner IS NULL")).execute();
        });
    }

    /** A ledger in any database with a JDBC driver on the classpath (PostgreSQL, H2), seeing every run. */
    public static Ledger open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, Clock.systemUTC());
    }

    public static Ledger open(String jdbcUrl, String user, String password, Clock clock) {
        return open(jdbcUrl, user, password, clock, OPEN_TIMEOUT);
    }

    /** As {@link #open(String, String, String, Clock)}, giving up after {@code openTimeout} (tests). */
    public static Ledger open(String jdbcUrl, String user, String password, Clock clock, Duration openTimeout) {
        return open(jdbcUrl, user, password, clock, openTimeout, null);
    }

    /**
     * As {@link #open(String, String, String, Clock, Duration)}, acting for one owner (a daemon's
     * {@code sweepd.ledger.owner}): what it records carries the owner, and it lists, submits, tracks, settles and
     * schedules only what carries it. Null or blank: every run.
     */
    public static Ledger open(String jdbcUrl, String user, String password, Clock clock, Duration openTimeout,
                              String owner) {
        initializeBeside();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("sweepd-ledger");
        // One daemon's writes are short and few; a small pool keeps a shared PostgreSQL's connection count low.
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        // Keep trying for a while before giving up: a PostgreSQL still starting, or an H2 file that a CLI
        // command held for a moment (or a killed daemon left locked) is usable seconds later.
        config.setInitializationFailTimeout(Math.max(1, openTimeout.toMillis()));
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            return new Ledger(dataSource, clock, Owner.of(owner));
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /**
     * Jdbi's support for the JDK's flight recorder: its first statement registers an event class, which generates
     * bytecode (about 60 ms of a short command, on the path of every first query).
     */
    private static final String JDBI_STATEMENT_EVENTS = "org.jdbi.v3.core.statement.internal.JfrSupport";
    private static final AtomicBoolean INITIALIZED_BESIDE = new AtomicBoolean();

    /**
     * Initializes, once a process, on a short-lived thread beside the database's opening (on the login node's other
     * core): Jdbi itself (creating the first instance, about 50 ms), its flight-recorder event, and the JSON mapper
     * that reads the records the stores hand out. Their first user waits only for what is left of that (the JVM
     * initializes a class once).
     */
    private static void initializeBeside() {
        if (INITIALIZED_BESIDE.getAndSet(true)) {
            return;
        }
        Beside.start("sweepd-class-init", () -> {
            Jdbi.create(() -> {
                throw new SQLException("never connects: made only to initialize Jdbi");
            });
            for (String className : List.of(JDBI_STATEMENT_EVENTS, io.sweepd.json.Json.class.getName())) {
                try {
                    Class.forName(className, true, Ledger.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // Another version of the library: its first use initializes what it has, as it would anyway.
                }
            }
            return null;
        });
    }

    /** The default ledger: the H2 file {@code <stateDir>/ledger.mv.db}. */
    public static Ledger embedded(Path stateDir) {
        return embedded(stateDir, Clock.systemUTC());
    }

    public static Ledger embedded(Path stateDir, Clock clock) {
        return embedded(stateDir, clock, null);
    }

    /** The default ledger, acting for one owner (see {@link #open(String, String, String, Clock, Duration, String)}). */
    public static Ledger embedded(Path stateDir, Clock clock, String owner) {
        return embedded(stateDir, clock, owner, Closing.COMPACT);
    }

    /**
     * How the process that has the embedded file open leaves it when the last connection closes. H2 compacts the
     * file then, for up to 200 ms: worth it once at a daemon's stop, but it was a fifth of every {@code sweepd
     * status} on a closed ledger, to shrink a file the next command or daemon simply writes into again.
     */
    public enum Closing {
        /** H2's default: move live data together and shrink the file (the daemon). */
        COMPACT,
        /** Leave the file as it is (one-shot commands). */
        AS_IS
    }

    /** As {@link #embedded(Path, Clock, String)}, leaving the file compacted or as it is when this process closes it. */
    public static Ledger embedded(Path stateDir, Clock clock, String owner, Closing closing) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ledger's state directory " + stateDir, e);
        }
        String url = embeddedUrl(stateDir) + (closing == Closing.AS_IS ? ";MAX_COMPACT_TIME=0" : "");
        initializeBeside();
        Optional<Connection> first = firstConnection(stateDir, url);
        try {
            return open(url, "sa", "", clock, OPEN_TIMEOUT, owner);
        } finally {
            first.ifPresent(Ledger::closeQuietly);
        }
    }

    /**
     * One connection to the file, made once, without the pool's retries: a file H2 finds corrupted fails here at once
     * ({@link LedgerDamaged}), where the pool would keep trying for {@link #OPEN_TIMEOUT}. While it stays open the
     * database stays open, so the pool's connections join it instead of H2 reading the file a second time (H2 closes
     * a database with its last connection). Any other failure (another process holding the file for a moment) is
     * left to the pool, which waits that out.
     */
    private static Optional<Connection> firstConnection(Path stateDir, String url) {
        try {
            return Optional.of(DriverManager.getConnection(url, "sa", ""));
        } catch (SQLException e) {
            Optional<String> corruption = LedgerCheck.corruption(e);
            if (corruption.isPresent()) {
                throw new LedgerDamaged(LedgerBackups.ledgerFile(stateDir), corruption.get(),
                        "`sweepd ledger restore FILE` puts a copy you trust in its place");
            }
            return Optional.empty();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The pool has its own connections; this one only kept the database open while they were made.
        }
    }

    /**
     * WRITE_DELAY=0: H2 otherwise writes committed transactions to the file up to half a second later, and a
     * kill -9 in that window loses them; with 0 each commit is written before it returns. LOCK_TIMEOUT: a compare-and-set waiting on a row another thread holds
     * waits for its short transaction rather than failing after H2's default second. AUTO_SERVER=TRUE: the
     * daemon holds the file open; {@code sweepd status} and {@code cancel} in another process connect through
     * the small TCP server H2 then starts on loopback instead of failing on the file lock. AUTO_RECONNECT=TRUE:
     * whichever process opened the file first serves it; when that is a short-lived CLI command and it exits,
     * the daemon's connections reconnect (and the daemon takes the file over) instead of failing for good. (H2 refuses
     * AUTO_SERVER with DB_CLOSE_ON_EXIT=FALSE, so its shutdown hook may close the database under a write in
     * the last moment of a shutdown; that write is then lost like any write of a killed daemon, and restart
     * reconciliation covers it.)
     */
    public static String embeddedUrl(Path stateDir) {
        String file = stateDir.toAbsolutePath().normalize().resolve("ledger").toString();
        if (file.contains(";")) {
            throw new IllegalArgumentException("the state directory must not contain ';' (H2 URL separator): "
                    + stateDir);
        }
        return "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }


    /** Runs and their points: recording a plan, finding a run, finishing it. */
    public RunStore runs() {
        return runs;
    }

    /** The job state machine (compare-and-set) and the audit trail. */
    public JobStore jobs() {
        return jobs;
    }

    /** The collected results of jobs. */
    public ResultStore results() {
        return results;
    }

    /** The cron schedules: what re-runs when, and what each one's last firing did. */
    public ScheduleStore schedules() {
        return schedules;
    }

    /** Counts over all jobs, for metrics. */
    public JobCounts jobCounts() {
        return jobCounts;
    }

    /** Whether the ledger takes writes now, for the daemon's readiness check. */
    public WriteCheck writeCheck() {
        return writeCheck;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /**
     * From now on, closing writes what the ledger holds to this {@link LedgerWitness} file: called once the ledger
     * passed its check, so a damaged ledger never vouches for itself.
     */
    public void witnessOnClose(Path witnessFile) {
        this.witnessOnClose = witnessFile;
    }

    /**
     * Closes the connection pool; with the embedded ledger that also closes the H2 file cleanly. A checked embedded
     * ledger first writes its witness (a failure to is not fatal: the next check just has an older witness).
     */
    @Override
    public void close() {
        Path witness = witnessOnClose;
        if (witness != null) {
            try {
                LedgerWitness.of(this).write(witness);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Ledger.class).debug("writing the ledger's witness failed", e);
            }
        }
        dataSource.close();
    }
}
