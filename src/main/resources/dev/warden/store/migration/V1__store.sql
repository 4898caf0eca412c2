-- The store as Warden 0.1 created it table by table (CREATE … IF NOT EXISTS, so a store written before migrations
-- existed takes this version in place). ${id} is the dialect's auto-numbered primary key.
CREATE TABLE IF NOT EXISTS builds (id ${id}, project TEXT NOT NULL, command TEXT NOT NULL,
  sandbox TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, exit_code INTEGER, clean INTEGER);
CREATE TABLE IF NOT EXISTS events (id ${id}, build BIGINT NOT NULL REFERENCES builds(id),
  micros BIGINT NOT NULL, kind TEXT NOT NULL, pid BIGINT NOT NULL, role TEXT NOT NULL, crate TEXT,
  process TEXT, target TEXT NOT NULL, detail TEXT, error TEXT);
CREATE INDEX IF NOT EXISTS events_by_build ON events(build, kind);
CREATE TABLE IF NOT EXISTS alerts (id ${id}, build BIGINT NOT NULL REFERENCES builds(id),
  event BIGINT REFERENCES events(id), rule TEXT NOT NULL, severity TEXT NOT NULL, crate TEXT,
  message TEXT NOT NULL, alerted_micros BIGINT NOT NULL, latency_micros BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS baseline (kind TEXT NOT NULL, value TEXT NOT NULL, build BIGINT NOT NULL,
  PRIMARY KEY (kind, value));
CREATE TABLE IF NOT EXISTS build_env (build BIGINT NOT NULL REFERENCES builds(id), name TEXT NOT NULL,
  exposure TEXT NOT NULL, PRIMARY KEY (build, name));

CREATE TABLE IF NOT EXISTS gate_runs (id ${id}, time TEXT NOT NULL, project TEXT NOT NULL,
  base TEXT, blocked INTEGER NOT NULL, locked INTEGER NOT NULL, private_share DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS gate_findings (run BIGINT NOT NULL REFERENCES gate_runs(id),
  check_name TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL, crate TEXT, version TEXT,
  blocking INTEGER NOT NULL, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gate_packages (run BIGINT NOT NULL REFERENCES gate_runs(id),
  name TEXT NOT NULL, version TEXT NOT NULL, source TEXT);
CREATE INDEX IF NOT EXISTS gate_packages_by_name ON gate_packages(name, version);
CREATE TABLE IF NOT EXISTS gate_package_sets (id ${id}, digest TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS gate_set_packages (package_set BIGINT NOT NULL REFERENCES gate_package_sets(id),
  name TEXT NOT NULL, version TEXT NOT NULL, source TEXT);
CREATE INDEX IF NOT EXISTS gate_set_packages_by_name ON gate_set_packages(name, version);
CREATE TABLE IF NOT EXISTS gate_run_packages (run BIGINT PRIMARY KEY REFERENCES gate_runs(id),
  package_set BIGINT NOT NULL REFERENCES gate_package_sets(id));
CREATE TABLE IF NOT EXISTS gate_owners (project TEXT NOT NULL, crate TEXT NOT NULL, owners TEXT NOT NULL,
  run BIGINT NOT NULL REFERENCES gate_runs(id), PRIMARY KEY (project, crate));

CREATE TABLE IF NOT EXISTS metrics (id ${id}, project TEXT NOT NULL, metric TEXT NOT NULL,
  subject TEXT, value DOUBLE PRECISION NOT NULL, unit TEXT NOT NULL, at TEXT NOT NULL, source TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS metrics_by_metric ON metrics(project, metric, at);

CREATE TABLE IF NOT EXISTS tabletop_sessions (id ${id}, time TEXT NOT NULL, scenario TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tabletop_answers (session BIGINT NOT NULL REFERENCES tabletop_sessions(id),
  participant TEXT NOT NULL, question INTEGER NOT NULL, answer TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tabletop_scores (session BIGINT NOT NULL REFERENCES tabletop_sessions(id),
  participant TEXT NOT NULL, confidence INTEGER NOT NULL, covered TEXT NOT NULL);
