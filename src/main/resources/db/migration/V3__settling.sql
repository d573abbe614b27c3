-- sweepd ledger, version 3: settling. A job that ended is not done until sweepd has handled its end (results
-- collected, or the failure triaged and archived, the retry decided, the report rewritten). That handling is
-- recorded here, so an end that was recorded but not handled (a crash, an exception) is picked up again on the next
-- poll cycle or after a restart, and handled once. Same SQL dialect rules as V1.
ALTER TABLE jobs ADD COLUMN settled_at TIMESTAMP WITH TIME ZONE;      -- when the current end was handled; null: not yet
ALTER TABLE jobs ADD COLUMN settle_attempts INTEGER DEFAULT 0 NOT NULL; -- handling attempts that threw, for backoff
ALTER TABLE jobs ADD COLUMN settle_after TIMESTAMP WITH TIME ZONE;    -- not before this (backoff after a failure)
ALTER TABLE jobs ADD COLUMN settle_error VARCHAR;                     -- what the last failed attempt threw

-- Jobs that had ended before this version were handled by the daemon that saw them end.
UPDATE jobs SET settled_at = updated_at
 WHERE state NOT IN ('PLANNED', 'SUBMITTING', 'PENDING', 'RUNNING', 'REQUEUED');
-- Finished runs stay finished; an active run whose jobs all ended is finished by the next poll cycle.
