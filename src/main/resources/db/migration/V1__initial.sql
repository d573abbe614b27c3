-- sweepd ledger, version 1. Written in the SQL that H2 2.x and PostgreSQL both accept unchanged:
-- VARCHAR without a length for free text, TEXT for whole JSON documents (a CLOB in H2), TIMESTAMP WITH TIME ZONE
-- for instants, GENERATED ALWAYS AS IDENTITY for the event sequence, no partial indexes, no dialect functions.
-- States are stored by enum name so a new state needs no migration.

-- One row per planned sweep (one drop of a sweep file, or one scheduled firing).
CREATE TABLE sweep_runs (
    run_id           VARCHAR(255) NOT NULL,  -- <sweep-name>-<yyyyMMdd-HHmmss>
    sweep_name       VARCHAR(255) NOT NULL,
    source_file      VARCHAR(4096),          -- the sweep file as it was read
    source_dir       VARCHAR(4096),          -- where CONFIG_FILE recipes resolve first
    profile_override VARCHAR(255),           -- the --profile that placed every point, if any
    plan_json        TEXT NOT NULL,          -- the whole plan, as rendered for people and tools
    state            VARCHAR(32) NOT NULL,   -- RunState
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT sweep_runs_pk PRIMARY KEY (run_id)
);
CREATE INDEX sweep_runs_by_name ON sweep_runs (sweep_name, created_at);

-- One row per Slurm allocation sweepd plans; the row is written before sbatch runs.
CREATE TABLE jobs (
    run_id               VARCHAR(255) NOT NULL,
    job_key              VARCHAR(255) NOT NULL,  -- stable hash of the enriched server configuration
    plan_index           INTEGER NOT NULL,       -- position in the plan, so lists come back in plan order
    profile              VARCHAR(255),
    state                VARCHAR(32) NOT NULL,   -- io.sweepd.jobs.JobState
    reason               VARCHAR,                -- why the job is in its state (Slurm's message, a verdict)
    slurm_job_id         VARCHAR(64),            -- of the current attempt
    job_name             VARCHAR(255),           -- the Slurm job name; carries the job key for reconciliation
    attempt              INTEGER DEFAULT 0 NOT NULL,
    job_dir              VARCHAR(4096),
    reused_from_run      VARCHAR(255),           -- set when an earlier run already completed this job key
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    submit_started_at    TIMESTAMP WITH TIME ZONE,
    submitted_at         TIMESTAMP WITH TIME ZONE,
    started_at           TIMESTAMP WITH TIME ZONE,
    ended_at             TIMESTAMP WITH TIME ZONE,
    exit_code            INTEGER,
    deadline_first_log_s INTEGER,
    deadline_healthy_s   INTEGER,
    deadline_total_s     INTEGER,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT jobs_pk PRIMARY KEY (run_id, job_key),
    CONSTRAINT jobs_run_fk FOREIGN KEY (run_id) REFERENCES sweep_runs (run_id)
);
CREATE INDEX jobs_by_state ON jobs (state);
CREATE INDEX jobs_by_key ON jobs (job_key, state);
-- Deliberately not unique: Slurm job ids restart when a cluster's controller state is rebuilt, and one shared
-- PostgreSQL serves several clusters with overlapping id ranges. Refusing such a row would lose a real job.
CREATE INDEX jobs_by_slurm_job_id ON jobs (slurm_job_id);

-- One row per matrix point, refused ones included (they keep the job key they would have had).
CREATE TABLE points (
    run_id         VARCHAR(255) NOT NULL,
    point_id       VARCHAR(255) NOT NULL,
    plan_index     INTEGER NOT NULL,
    job_key        VARCHAR(255) NOT NULL,
    matrix_json    TEXT NOT NULL,
    refused_reason VARCHAR,
    state          VARCHAR(32) NOT NULL,        -- PointState
    CONSTRAINT points_pk PRIMARY KEY (run_id, point_id),
    CONSTRAINT points_run_fk FOREIGN KEY (run_id) REFERENCES sweep_runs (run_id)
);
CREATE INDEX points_by_job ON points (run_id, job_key);

-- Append-only audit trail: every state change with its reason, never updated or deleted.
CREATE TABLE events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    run_id       VARCHAR(255) NOT NULL,
    job_key      VARCHAR(255),              -- null for run-level events
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    kind         VARCHAR(64) NOT NULL,      -- EventKind
    from_state   VARCHAR(32),
    to_state     VARCHAR(32),
    message      VARCHAR,
    details_json TEXT,                      -- what the caller knew: Slurm fields, exit code, times
    CONSTRAINT events_pk PRIMARY KEY (id),
    CONSTRAINT events_run_fk FOREIGN KEY (run_id) REFERENCES sweep_runs (run_id)
);
CREATE INDEX events_by_run ON events (run_id, job_key, id);
