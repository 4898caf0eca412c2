-- A baseline belongs to a project: on a store many projects share, what one project's builds and fetches did is not
-- "known" for another's. Rows kept with build 0 (fetches) name no build; a store of one project (the default, a file
-- per project) gives them that project.
CREATE TABLE baseline_by_project (project TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
  build BIGINT NOT NULL, PRIMARY KEY (project, kind, value));
INSERT INTO baseline_by_project (project, kind, value, build)
  SELECT coalesce(b.project, (SELECT project FROM builds ORDER BY id DESC LIMIT 1),
                  (SELECT project FROM gate_runs ORDER BY id DESC LIMIT 1), ''), l.kind, l.value, min(l.build)
  FROM baseline l LEFT JOIN builds b ON b.id = l.build
  GROUP BY 1, l.kind, l.value;
DROP TABLE baseline;
ALTER TABLE baseline_by_project RENAME TO baseline;
