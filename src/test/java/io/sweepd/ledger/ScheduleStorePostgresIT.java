package io.sweepd.ledger;

/**
 * The {@link ScheduleStoreContract} on a real PostgreSQL (skipped, saying why, when {@code SWEEPD_TEST_PG_URL} is
 * not set).
 */
class ScheduleStorePostgresIT extends ScheduleStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
