package io.sweepd.ledger;

/**
 * The {@link JobStoreContract} on a real PostgreSQL, the shared result store several clusters' daemons may feed
 * (skipped, saying why, when {@code SWEEPD_TEST_PG_URL} is not set).
 */
class JobStorePostgresIT extends JobStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
