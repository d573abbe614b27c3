package io.sweepd.ledger;

/** The {@link JobStoreContract} on a private in-memory H2 database: the unit layer's, fast. */
class JobStoreH2Test extends JobStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2InMemory();
    }
}
