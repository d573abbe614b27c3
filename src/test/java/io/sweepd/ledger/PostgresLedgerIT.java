package io.sweepd.ledger;

/**
 * The {@link LedgerContract} on a real PostgreSQL (skipped, saying why, when {@code SWEEPD_TEST_PG_URL} is not
 * set). The stores' contracts run there as {@link RunStorePostgresIT}, {@link JobStorePostgresIT} and
 * {@link ResultStorePostgresIT}.
 */
class PostgresLedgerIT extends LedgerContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
