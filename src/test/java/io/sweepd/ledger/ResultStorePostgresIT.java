package io.sweepd.ledger;

/**
 * The {@link ResultStoreContract} on a real PostgreSQL, the shared result store several clusters' daemons may feed
 * (skipped, saying why, when {@code SWEEPD_TEST_PG_URL} is not set).
 */
class ResultStorePostgresIT extends ResultStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
