-- A run's counts as plan, status and the report state them (configurations, jobs, points, and what was refused; README
-- "Glossary"). A run's points never change once it is recorded, so neither do its counts: they are written with the
-- run, in the same transaction, instead of being worked out from every point's plan entry by each `sweepd status`
-- (on a ledger of a few thousand points, that was a tenth of a second of every status). A run recorded before this
-- table has no row: its counts are worked out from its points when asked, as before.
CREATE TABLE run_counts (
    run_id                 VARCHAR(255) NOT NULL,
    configurations         INTEGER NOT NULL,
    jobs                   INTEGER NOT NULL,
    points                 INTEGER NOT NULL,
    refused_configurations INTEGER NOT NULL,
    refused_points         INTEGER NOT NULL,
    CONSTRAINT run_counts_pk PRIMARY KEY (run_id),
    CONSTRAINT run_counts_run_fk FOREIGN KEY (run_id) REFERENCES sweep_runs (run_id)
);
