-- sweepd ledger, version 2: the collected benchmark results. Same SQL dialect rules as V1 (one text for H2 and
-- PostgreSQL). One row per (point, concurrency) of a completed job: either its derived metrics or the reason
-- it is INVALID (validity gate, unreadable file, GPU count mismatch, no result file).
CREATE TABLE results (
    run_id       VARCHAR(255) NOT NULL,
    point_id     VARCHAR(255) NOT NULL,
    conc         INTEGER NOT NULL,
    job_key      VARCHAR(255) NOT NULL,   -- the job that produced the row (a point's job, copied for lookups)
    state        VARCHAR(32) NOT NULL,    -- ResultState: COMPLETED | INVALID
    reason       VARCHAR,                 -- why INVALID, or null
    metrics_json TEXT,                    -- InferenceMAX process_result.py field names -> values (COMPLETED only)
    eval_json    TEXT,                    -- lm-eval scores and threshold verdicts, when an eval ran for this row
    result_file  VARCHAR(4096),           -- the benchmark JSON, relative to the job's results/ directory
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT results_pk PRIMARY KEY (run_id, point_id, conc),
    CONSTRAINT results_point_fk FOREIGN KEY (run_id, point_id) REFERENCES points (run_id, point_id)
);
CREATE INDEX results_by_job ON results (run_id, job_key);
