-- One store for many projects and machines: every build and gate run says which repository, host and CI run it
-- came from (a metric names its run in `source`); a build says whether it finished, is running (with the writer's pid and last flush), or was
-- interrupted; rows that were ordered by SQLite's rowid get an explicit position. ${legacyRowId} is SQLite's rowid
-- (PostgreSQL stores start empty).
ALTER TABLE builds ADD COLUMN repository TEXT;
ALTER TABLE builds ADD COLUMN host TEXT;
ALTER TABLE builds ADD COLUMN ci_run TEXT;
ALTER TABLE builds ADD COLUMN writer_pid BIGINT;
ALTER TABLE builds ADD COLUMN heartbeat TEXT;
ALTER TABLE builds ADD COLUMN status TEXT;
UPDATE builds SET status = CASE WHEN finished IS NULL THEN 'interrupted' ELSE 'finished' END;
CREATE INDEX IF NOT EXISTS builds_by_status ON builds(status);
CREATE INDEX IF NOT EXISTS events_by_crate ON events(crate);

ALTER TABLE gate_runs ADD COLUMN repository TEXT;
ALTER TABLE gate_runs ADD COLUMN host TEXT;
ALTER TABLE gate_runs ADD COLUMN ci_run TEXT;
ALTER TABLE gate_findings ADD COLUMN position BIGINT;
UPDATE gate_findings SET position = ${legacyRowId};
CREATE INDEX IF NOT EXISTS gate_findings_by_run ON gate_findings(run);
CREATE INDEX IF NOT EXISTS gate_findings_by_crate ON gate_findings(crate);

ALTER TABLE tabletop_scores ADD COLUMN position BIGINT;
UPDATE tabletop_scores SET position = ${legacyRowId};

-- What `warden store migrate` has copied from each local store, so a second run copies only what is new.
CREATE TABLE store_imports (source TEXT NOT NULL, table_name TEXT NOT NULL, last_id BIGINT NOT NULL,
  PRIMARY KEY (source, table_name));
