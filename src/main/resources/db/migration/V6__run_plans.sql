-- A run's plan in a table of its own. H2 keeps a TEXT value in its row's page, so every query that touched a run
-- (the owner scope of nearly every query, status, report, the previous run's lookup) read and decoded the plans of
-- the runs beside it: megabytes of JSON per query once runs have thousands of points. Only the reads that want a
-- plan now join it.
CREATE TABLE run_plans (
    run_id    VARCHAR(255) NOT NULL,
    plan_json TEXT NOT NULL,
    CONSTRAINT run_plans_pk PRIMARY KEY (run_id),
    CONSTRAINT run_plans_run_fk FOREIGN KEY (run_id) REFERENCES sweep_runs (run_id)
);
INSERT INTO run_plans (run_id, plan_json) SELECT run_id, plan_json FROM sweep_runs;
ALTER TABLE sweep_runs DROP COLUMN plan_json;
