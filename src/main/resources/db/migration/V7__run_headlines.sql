-- A finished run's headline, for the history that the reports of the sweep's later runs show: how many points
-- completed and failed, its GPU-hours and its peak throughput per GPU per chart group, as JSON the report writes
-- and reads (the ledger does not look inside). A finished run never changes, so its headline is worked out once,
-- when it finishes, instead of from all its points and results by every later report (a report shows up to seven
-- earlier runs: as many whole runs read again as the run itself). A run finished without one (before this table)
-- gets it the first time a report needs it.
CREATE TABLE run_headlines (
    run_id        VARCHAR(255) NOT NULL,
    headline_json TEXT NOT NULL,
    CONSTRAINT run_headlines_pk PRIMARY KEY (run_id),
    CONSTRAINT run_headlines_run_fk FOREIGN KEY (run_id) REFERENCES sweep_runs (run_id)
);
