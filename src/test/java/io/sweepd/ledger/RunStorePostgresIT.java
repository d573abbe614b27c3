package io.sweepd.ledger;

/**
 * The {@link RunStoreContract} on a real PostgreSQL, the shared result store several clusters' daemons may feed
 * (skipped, saying why, when {@code SWEEPD_TEST_PG_URL} is not set).
 */
class RunStorePostgresIT extends RunStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
