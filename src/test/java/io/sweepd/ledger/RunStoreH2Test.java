package io.sweepd.ledger;

/** The {@link RunStoreContract} on a private in-memory H2 database: the unit layer's, fast. */
class RunStoreH2Test extends RunStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2InMemory();
    }
}
