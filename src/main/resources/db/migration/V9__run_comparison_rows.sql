-- A finished run's rows as the reports of the sweep's later runs compare against them (the compared metrics only, no
-- eval), as JSON the report writes and reads (the ledger does not look inside). A 10,000-point baseline otherwise
-- costs a report as much as the run's own rows: every point's plan entry and every result read and parsed again, for
-- five numbers a row. Kept with the run's final report. jobs_seen is what the run's jobs were when the rows were
-- worked out (their count and latest update): rows whose run has changed since are not used, and recording a result
-- of the run drops them; either way they are worked out again from the ledger. ${plan_text} is the type of a large
-- text on each database (see V8).
CREATE TABLE run_comparison_rows (
    run_id     VARCHAR(255) NOT NULL,
    jobs_seen  VARCHAR(255) NOT NULL,
    rows_json  ${plan_text} NOT NULL,
    CONSTRAINT run_comparison_rows_pk PRIMARY KEY (run_id),
    CONSTRAINT run_comparison_rows_run_fk FOREIGN KEY (run_id) REFERENCES sweep_runs (run_id)
);
