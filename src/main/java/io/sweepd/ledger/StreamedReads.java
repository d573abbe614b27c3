package io.sweepd.ledger;

import org.jdbi.v3.core.Handle;

import java.sql.SQLException;

/**
 * The reads that hand a large run's rows over one at a time, streamed on H2 as well. H2 otherwise builds a query's
 * whole result in memory before the first row, and keeps it after the statement is closed: its session caches the
 * prepared query with its last result, for as long as the pooled connection lives. A 10,000-point run's results
 * and points are tens of megabytes of JSON text, which a report then held twice (its rows and H2's copy), and a
 * daemon held until the same query ran again. Lazy execution reads each row as it is handed over and caches no
 * result. PostgreSQL streams nothing either way without a cursor, but caches no result; it is left as it is.
 */
final class StreamedReads {

    private StreamedReads() {
    }

    /** Runs {@code read} on {@code h} with H2's lazy query execution on, and puts the pooled connection back as it was. */
    static void lazily(Handle h, Runnable read) {
        boolean h2 = isH2(h);
        if (h2) {
            h.execute("SET LAZY_QUERY_EXECUTION TRUE");
        }
        try {
            read.run();
        } finally {
            if (h2) {
                h.execute("SET LAZY_QUERY_EXECUTION FALSE");
            }
        }
    }

    private static boolean isH2(Handle h) {
        try {
            return "H2".equals(h.getConnection().getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            return false;
        }
    }
}
