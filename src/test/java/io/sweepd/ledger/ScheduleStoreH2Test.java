package io.sweepd.ledger;

/** The {@link ScheduleStoreContract} on a private in-memory H2 database: the unit layer's, fast. */
class ScheduleStoreH2Test extends ScheduleStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2InMemory();
    }
}
