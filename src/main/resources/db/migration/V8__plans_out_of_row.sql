-- A run's plan out of its row on H2. H2 keeps a CHARACTER VARYING value (what TEXT is there) in its row, and
-- opening a database reads the last row of every table: the newest run's whole plan (16 MB of JSON for 10,000
-- points) was read and decoded on every open, by every command and twice by those that check the file first. A
-- CHARACTER LARGE OBJECT of that size lives in H2's LOB storage and its row holds a reference: opening such a
-- ledger went from about 0.4-1 s to 0.1-0.15 s. On PostgreSQL TEXT already lives out of its row when large
-- (TOAST), and it stays TEXT: ${plan_text} is each database's type for it (Migrations sets it).
ALTER TABLE run_plans ALTER COLUMN plan_json SET DATA TYPE ${plan_text};
