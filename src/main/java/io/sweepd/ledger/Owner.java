package io.sweepd.ledger;

import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Whose runs and schedules a ledger handle acts on. Several daemons (one per cluster, each with its own home) can
 * share one PostgreSQL ledger: each must submit, track, settle and cancel only the jobs of the runs it recorded, or
 * it would run another cluster's job on its own Slurm, or look up (and cancel) a job id that means a different job
 * here. A handle opened with an owner stamps it on what it records and sees only what carries it; one opened
 * without (tests, tools) sees everything.
 */
final class Owner {

    /** Sees every run: a handle opened without an owner. */
    static final Owner ANY = new Owner(null);

    private final String name;

    private Owner(String name) {
        this.name = name;
    }

    static Owner of(String name) {
        return name == null || name.isBlank() ? ANY : new Owner(name);
    }

    /** The owner to stamp on a new row; null for a handle without one. */
    String name() {
        return name;
    }

    /** {@code AND <column> IN (this owner's runs)}, or nothing for {@link #ANY}. */
    String ownsRun(String runIdColumn) {
        return name == null ? "" : " AND " + runIdColumn + " IN (SELECT run_id FROM sweep_runs WHERE owner = :owner)";
    }

    /** {@code AND <column> = this owner}, for the rows of sweep_runs or schedules themselves. */
    String owns(String ownerColumn) {
        return name == null ? "" : " AND " + ownerColumn + " = :owner";
    }

    <T extends SqlStatement<T>> T bind(T statement) {
        return name == null ? statement : statement.bind("owner", name);
    }
}
