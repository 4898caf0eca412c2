package dev.warden.expose;

import dev.warden.core.Finding;
import dev.warden.core.SqliteFile;
import dev.warden.core.Environment;
import dev.warden.core.Sha256;
import dev.warden.core.WardenException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The build event log: one SQLite file per project (in Warden's state directory, see {@link #defaultFile}; WAL mode) holding every build,
 * every event with its crate and time, every alert with its detection latency, and the baseline of programs that
 * clean builds ran. Written while the build runs, read by {@code warden events}.
 */
public final class EventStore implements AutoCloseable {

    /** One stored event, as {@code warden events} lists and exports it. */
    public record Row(long id, long build, long micros, String kind, int pid, String role, String crate,
                      String process, String target, String detail, String error) {
    }

    /** One stored alert. */
    public record AlertRow(long id, long build, long event, String rule, String severity, String crate,
                           String message, long alertedMicros, long latencyMicros) {
    }

    /** One build's header. */
    public record BuildRow(long id, String project, String command, String sandbox, Instant started,
                           Instant finished, Integer exitCode, boolean clean) {
    }

    /**
     * One build as the supply-chain report lists it: its header, how many alerts it raised, and how many of the
     * caller's secret-looking variables its code could read for real.
     */
    public record BuildSummary(BuildRow build, int alerts, int realSecrets) {
    }

    /** A value a build was the first to show (a domain it queried, a program it ran). */
    public record FirstSeen(String value, long build) {
    }

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS builds (id INTEGER PRIMARY KEY, project TEXT NOT NULL, command TEXT NOT NULL,
              sandbox TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, exit_code INTEGER, clean INTEGER);
            CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, build INTEGER NOT NULL REFERENCES builds(id),
              micros INTEGER NOT NULL, kind TEXT NOT NULL, pid INTEGER NOT NULL, role TEXT NOT NULL, crate TEXT,
              process TEXT, target TEXT NOT NULL, detail TEXT, error TEXT);
            CREATE INDEX IF NOT EXISTS events_by_build ON events(build, kind);
            CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY, build INTEGER NOT NULL REFERENCES builds(id),
              event INTEGER REFERENCES events(id), rule TEXT NOT NULL, severity TEXT NOT NULL, crate TEXT,
              message TEXT NOT NULL, alerted_micros INTEGER NOT NULL, latency_micros INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS baseline (kind TEXT NOT NULL, value TEXT NOT NULL, build INTEGER NOT NULL,
              PRIMARY KEY (kind, value));
            CREATE TABLE IF NOT EXISTS build_env (build INTEGER NOT NULL REFERENCES builds(id), name TEXT NOT NULL,
              exposure TEXT NOT NULL, PRIMARY KEY (build, name));
            """;

    /** What became of one secret-looking variable of the caller's environment in a build (names only, never values). */
    public enum Exposure {
        /** Its real value was visible to the build's code. */
        REAL,
        /** The build saw a marked fake in its place. */
        DECOY,
        /** It was kept out. */
        REMOVED
    }

    private final SqliteFile store;
    private final Connection db;
    private final PreparedStatement insertEvent;
    private int uncommitted;

    private EventStore(SqliteFile store) {
        this.store = store;
        this.db = store.sql(connection -> connection);
        this.insertEvent = store.sql(connection -> connection.prepareStatement("INSERT INTO events (build, micros, "
                + "kind, pid, role, crate, process, target, detail, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS));
    }

    public static EventStore open(Path file) {
        return open(file, null);
    }

    /**
     * A project's store by default: in Warden's state directory, one per project directory
     * ({@code projects/<name>-<hash of the path>/events.db}), never under the project where its builds write.
     */
    public static Path defaultFile(Environment env, Path projectRoot) {
        Path root = projectRoot.toAbsolutePath().normalize();
        String name = root.getFileName() == null ? "root" : root.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        String hash = Sha256.hex(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 12);
        return env.stateDirectory().resolve("projects").resolve(name + "-" + hash).resolve("events.db");
    }

    /** @param nativeCache where to keep sqlite-jdbc's native library once unpacked (see {@link SqliteFile#open}) */
    public static EventStore open(Path file, Path nativeCache) {
        return new EventStore(SqliteFile.open(file, SCHEMA, "the event log", nativeCache));
    }

    /** Opens an existing log for reading; a missing one is a user error, not an empty result. */
    public static EventStore existing(Path file, Path nativeCache) {
        if (!Files.isRegularFile(file)) {
            throw new WardenException(file + ": no store here yet (run `warden gate` or `warden build` first)");
        }
        return open(file, nativeCache);
    }

    public long startBuild(String project, String command, String sandbox, Instant started) {
        return sql(() -> {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO builds (project, command, sandbox, "
                    + "started) VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, project);
                insert.setString(2, command);
                insert.setString(3, sandbox);
                insert.setString(4, started.toString());
                insert.executeUpdate();
                db.commit();
                return SqliteFile.key(insert);
            }
        });
    }

    /** Records an event; committed in batches (and at {@link #flush}), so a busy build is not slowed by fsyncs. */
    public long add(long build, BuildEvent event) {
        return sql(() -> {
            insertEvent.setLong(1, build);
            insertEvent.setLong(2, event.micros());
            insertEvent.setString(3, event.kind().label());
            insertEvent.setInt(4, event.pid());
            insertEvent.setString(5, event.actor().role().label());
            insertEvent.setString(6, event.actor().blamed());
            insertEvent.setString(7, event.actor().program());
            insertEvent.setString(8, event.target());
            insertEvent.setString(9, event.detail());
            insertEvent.setString(10, event.error());
            insertEvent.executeUpdate();
            long id = SqliteFile.key(insertEvent);
            if (++uncommitted >= 256) {
                db.commit();
                uncommitted = 0;
            }
            return id;
        });
    }

    public void alert(long build, long event, Finding finding, long alertedMicros, long latencyMicros) {
        sql(() -> {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO alerts (build, event, rule, severity, "
                    + "crate, message, alerted_micros, latency_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, build);
                insert.setLong(2, event);
                insert.setString(3, finding.id());
                insert.setString(4, finding.severity().label());
                insert.setString(5, finding.crate());
                insert.setString(6, finding.message());
                insert.setLong(7, alertedMicros);
                insert.setLong(8, latencyMicros);
                insert.executeUpdate();
                db.commit();
                uncommitted = 0;
                return null;
            }
        });
    }

    public void finishBuild(long build, Instant finished, int exitCode, boolean clean) {
        sql(() -> {
            try (PreparedStatement update = db.prepareStatement("UPDATE builds SET finished = ?, exit_code = ?, "
                    + "clean = ? WHERE id = ?")) {
                update.setString(1, finished.toString());
                update.setInt(2, exitCode);
                update.setInt(3, clean ? 1 : 0);
                update.setLong(4, build);
                update.executeUpdate();
                db.commit();
                uncommitted = 0;
                return null;
            }
        });
    }

    /** Records which secret-looking variables the build could see, by name, for incident response. */
    public void recordEnvironment(long build, Map<String, Exposure> variables) {
        sql(() -> {
            try (PreparedStatement insert = db.prepareStatement("INSERT OR REPLACE INTO build_env (build, name, "
                    + "exposure) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, Exposure> variable : variables.entrySet()) {
                    insert.setLong(1, build);
                    insert.setString(2, variable.getKey());
                    insert.setString(3, variable.getValue().name().toLowerCase(Locale.ROOT));
                    insert.addBatch();
                }
                insert.executeBatch();
                db.commit();
                return null;
            }
        });
    }

    public Map<String, Exposure> environment(long build) {
        return sql(() -> {
            Map<String, Exposure> variables = new TreeMap<>();
            try (PreparedStatement select = db.prepareStatement("SELECT name, exposure FROM build_env WHERE build = ?")) {
                select.setLong(1, build);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        variables.put(rows.getString(1), Exposure.valueOf(rows.getString(2).toUpperCase(Locale.ROOT)));
                    }
                }
            }
            return variables;
        });
    }

    /** Programs clean builds ran: the baseline for "first seen". */
    public Set<String> baseline(String kind) {
        return sql(() -> {
            Set<String> values = new HashSet<>();
            try (PreparedStatement select = db.prepareStatement("SELECT value FROM baseline WHERE kind = ?")) {
                select.setString(1, kind);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        values.add(rows.getString(1));
                    }
                }
            }
            return values;
        });
    }

    /** Adds what a clean build did to the baseline. */
    public void learn(long build, String kind, Set<String> values) {
        sql(() -> {
            try (PreparedStatement insert = db.prepareStatement("INSERT OR IGNORE INTO baseline (kind, value, build) "
                    + "VALUES (?, ?, ?)")) {
                for (String value : values) {
                    insert.setString(1, kind);
                    insert.setString(2, value);
                    insert.setLong(3, build);
                    insert.addBatch();
                }
                insert.executeBatch();
                db.commit();
                return null;
            }
        });
    }

    /** Events, newest build first, filtered by any of build, crate and kind (null: any). */
    public List<Row> events(Long build, String crate, String kind, int limit) {
        return sql(() -> {
            StringBuilder query = new StringBuilder("SELECT id, build, micros, kind, pid, role, crate, process, target, "
                    + "detail, error FROM events WHERE 1 = 1");
            List<Object> parameters = new ArrayList<>();
            if (build != null) {
                query.append(" AND build = ?");
                parameters.add(build);
            }
            if (crate != null) {
                query.append(" AND crate = ?");
                parameters.add(crate);
            }
            if (kind != null) {
                query.append(" AND kind = ?");
                parameters.add(kind);
            }
            query.append(" ORDER BY build DESC, micros, id LIMIT ?");
            parameters.add(limit);
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement(query.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    select.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(new Row(result.getLong(1), result.getLong(2), result.getLong(3), result.getString(4),
                                result.getInt(5), result.getString(6), result.getString(7), result.getString(8),
                                result.getString(9), result.getString(10), result.getString(11)));
                    }
                }
            }
            return rows;
        });
    }

    private static final String ALERT_COLUMNS = "SELECT id, build, event, rule, severity, crate, message, "
            + "alerted_micros, latency_micros FROM alerts";
    private static final String BUILD_COLUMNS = "SELECT id, project, command, sandbox, started, finished, exit_code, "
            + "clean";

    /** The latest {@code limit} builds, newest first, with their alert and exposed-secret counts. */
    public List<BuildSummary> recentBuilds(int limit) {
        return sql(() -> {
            List<BuildSummary> rows = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement(BUILD_COLUMNS + ", (SELECT count(*) FROM alerts "
                    + "WHERE alerts.build = builds.id), (SELECT count(*) FROM build_env WHERE build_env.build = "
                    + "builds.id AND exposure = 'REAL') FROM builds ORDER BY id DESC LIMIT ?")) {
                select.setInt(1, limit);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(new BuildSummary(buildRow(result), result.getInt(9), result.getInt(10)));
                    }
                }
            }
            return rows;
        });
    }

    /** The latest {@code limit} alerts, newest first. */
    public List<AlertRow> recentAlerts(int limit) {
        return sql(() -> {
            try (PreparedStatement select = db.prepareStatement(ALERT_COLUMNS + " ORDER BY id DESC LIMIT ?")) {
                select.setInt(1, limit);
                return alertRows(select);
            }
        });
    }

    /** The latest {@code limit} values of a baseline ({@code domain}, {@code exec}), with the build that first showed each. */
    public List<FirstSeen> firstSeen(String kind, int limit) {
        return sql(() -> {
            List<FirstSeen> rows = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement("SELECT value, build FROM baseline WHERE kind = ? "
                    + "ORDER BY build DESC, value LIMIT ?")) {
                select.setString(1, kind);
                select.setInt(2, limit);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(new FirstSeen(result.getString(1), result.getLong(2)));
                    }
                }
            }
            return rows;
        });
    }

    public List<AlertRow> alerts(Long build) {
        return sql(() -> {
            try (PreparedStatement select = db.prepareStatement(ALERT_COLUMNS
                    + " WHERE ? IS NULL OR build = ? ORDER BY id")) {
                select.setObject(1, build);
                select.setObject(2, build);
                return alertRows(select);
            }
        });
    }

    private static List<AlertRow> alertRows(PreparedStatement select) throws SQLException {
        List<AlertRow> rows = new ArrayList<>();
        try (ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.add(new AlertRow(result.getLong(1), result.getLong(2), result.getLong(3), result.getString(4),
                        result.getString(5), result.getString(6), result.getString(7), result.getLong(8),
                        result.getLong(9)));
            }
        }
        return rows;
    }

    public List<BuildRow> builds() {
        return sql(() -> {
            List<BuildRow> rows = new ArrayList<>();
            try (Statement select = db.createStatement();
                 ResultSet result = select.executeQuery(BUILD_COLUMNS + " FROM builds ORDER BY id DESC")) {
                while (result.next()) {
                    rows.add(buildRow(result));
                }
            }
            return rows;
        });
    }

    private static BuildRow buildRow(ResultSet result) throws SQLException {
        return new BuildRow(result.getLong(1), result.getString(2), result.getString(3), result.getString(4),
                Instant.parse(result.getString(5)), result.getString(6) == null ? null
                : Instant.parse(result.getString(6)), (Integer) result.getObject(7), result.getInt(8) == 1);
    }

    public Path file() {
        return store.file();
    }

    public void flush() {
        sql(() -> {
            db.commit();
            uncommitted = 0;
            return null;
        });
    }

    @Override
    public void close() {
        sql(() -> {
            insertEvent.close();
            return null;
        });
        store.close();
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T sql(Work<T> work) {
        return store.sql(connection -> work.run());
    }
}
