-- sweepd ledger, version 4: cron schedules. Same SQL dialect rules as V1 (one text for H2 and PostgreSQL).
-- One row per scheduled sweep. The sweep file's whole text is kept, so a restarted daemon re-creates and fires
-- the schedule without its file (an inbox drop's file has moved to .done/ by then).
CREATE TABLE schedules (
    name             VARCHAR(255) NOT NULL,  -- the sweep's name: one schedule per sweep
    cron             VARCHAR(255) NOT NULL,  -- sweep.schedule, a Quartz cron expression
    source           VARCHAR(32) NOT NULL,   -- ScheduleSource: INBOX (a dropped sweep) | FOLDER (schedules/)
    source_file      VARCHAR(4096) NOT NULL, -- the file it was registered from; its base name names the sweep
    source_dir       VARCHAR(4096),          -- where CONFIG_FILE recipes resolve first
    profile_override VARCHAR(255),           -- the submit --profile that places every point, if any
    sweep_text       TEXT NOT NULL,          -- the sweep file's text as registered
    registered_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_fired_at    TIMESTAMP WITH TIME ZONE, -- the last firing, whether it made a run or was skipped
    last_run_id      VARCHAR(255),             -- the run the last firing that made one recorded
    last_skipped_at  TIMESTAMP WITH TIME ZONE,
    last_skip_reason VARCHAR,                  -- why: the previous run still active, or planning failed
    file_problem     VARCHAR,                  -- the schedules/ file is broken now; the row keeps what was good
    CONSTRAINT schedules_pk PRIMARY KEY (name)
);
