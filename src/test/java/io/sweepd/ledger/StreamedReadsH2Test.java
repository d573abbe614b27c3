package io.sweepd.ledger;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streamed reads on H2: lazily executed, and the pooled connection put back as it was, even after a failure. */
class StreamedReadsH2Test {

    private final Jdbi jdbi = Jdbi.create("jdbc:h2:mem:streamed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

    @Test
    void aReadRunsLazilyAndLeavesThePooledConnectionAsItWas() {
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR)");
            for (int i = 0; i < 100; i++) {
                h.execute("INSERT INTO t VALUES (?, ?)", i, "value " + i);
            }
            List<Boolean> during = new ArrayList<>();
            List<Integer> read = new ArrayList<>();
            StreamedReads.lazily(h, () -> {
                during.add(lazy(h));
                h.createQuery("SELECT id FROM t ORDER BY id").mapTo(Integer.class).forEach(read::add);
            });
            assertThat(during).containsExactly(true);
            assertThat(read).hasSize(100).isSorted();
            assertThat(lazy(h)).isFalse();
        });
    }

    @Test
    void aFailedReadStillPutsTheConnectionBack() {
        jdbi.useHandle(h -> {
            assertThatThrownBy(() -> StreamedReads.lazily(h, () -> {
                throw new IllegalStateException("the consumer failed");
            })).hasMessage("the consumer failed");
            assertThat(lazy(h)).isFalse();
        });
    }

    /** H2 shows the session's setting nowhere in SQL: asked of the session itself. */
    private static boolean lazy(Handle h) {
        try {
            return ((SessionLocal) h.getConnection().unwrap(JdbcConnection.class).getSession()).isLazyQueryExecution();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
