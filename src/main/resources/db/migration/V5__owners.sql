-- sweepd ledger, version 5: owners. One PostgreSQL can serve the daemons of several clusters (each with its own
-- home). A daemon submits, tracks, settles, finishes and fires only what it owns: the runs it recorded and the
-- schedules registered with it. Same SQL dialect rules as V1.
ALTER TABLE sweep_runs ADD COLUMN owner VARCHAR(1024);  -- sweepd.ledger.owner of the daemon that recorded the run
ALTER TABLE schedules ADD COLUMN owner VARCHAR(1024);   -- ... of the daemon that registered the schedule
CREATE INDEX sweep_runs_by_owner ON sweep_runs (owner, state);
-- Runs and schedules from before this version have no owner; the first daemon that opens the ledger adopts them.
