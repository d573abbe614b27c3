package io.sweepd.ledger;

/** The {@link ResultStoreContract} on a private in-memory H2 database: the unit layer's, fast. */
class ResultStoreH2Test extends ResultStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2InMemory();
    }
}
