package dev.warden.expose;

import dev.warden.core.Finding;
import dev.warden.core.store.Database;
import dev.warden.core.store.RunTags;
import dev.warden.core.store.StoreLocation;
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
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    /** One build's header, with where it ran. */
    public record BuildRow(long id, String project, String command, String sandbox, Instant started,
                           Instant finished, Integer exitCode, boolean clean, Status status, RunTags tags) {
    }

    /** Whether a build's record is complete. */
    public enum Status {
        /** Its writer is still adding events. */
        RUNNING,
        /** It ended and recorded its exit status. */
        FINISHED,
        /** Its writer died (killed, the runner lost) before the end: its events stop at the last flush. */
        INTERRUPTED;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String key) {
            return key == null ? INTERRUPTED : valueOf(key.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * A running build whose last flush is older than this is taken as interrupted by any host: a live writer
     * flushes every second.
     */
    private static final Duration STALE = Duration.ofMinutes(2);

    /**
     * One build as the supply-chain report lists it: its header, how many alerts it raised, and how many of the
     * caller's secret-looking variables its code could read for real.
     */
    public record BuildSummary(BuildRow build, int alerts, int realSecrets) {
    }

    /** A value a build was the first to show (a domain it queried, a program it ran). */
    public record FirstSeen(String value, long build) {
    }

    /** What became of one secret-looking variable of the caller's environment in a build (names only, never values). */
    public enum Exposure {
        /** Its real value was visible to the build's code. */
        REAL,
        /** The build saw a marked fake in its place. */
        DECOY,
        /** It was kept out. */
        REMOVED
    }

    private final Database store;
    private final Connection db;
    private final PreparedStatement insertEvent;
    private int pending;
    /** The id of the last event sent, which an alert refers to (a flush may have sent it before the alert came). */
    private long lastEvent = -1;
    private long writingBuild = -1;
    private ScheduledExecutorService flusher;

    private EventStore(Database store) {
        this.store = store;
        this.db = store.sql(connection -> connection);
        this.insertEvent = store.sql(connection -> connection.prepareStatement("INSERT INTO events (build, micros, "
                + "kind, pid, role, crate, process, target, detail, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS));
    }

    public static EventStore open(Path file) {
        return open(new StoreLocation.Sqlite(file), null);
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

    /** @param nativeCache where to keep sqlite-jdbc's native library once unpacked (see {@link Database#open}) */
    public static EventStore open(StoreLocation location, Path nativeCache) {
        return new EventStore(Database.open(location, "the event log", nativeCache));
    }

    /** Opens an existing log for reading; a missing one is a user error, not an empty result. */
    public static EventStore existing(StoreLocation location, Path nativeCache) {
        if (location instanceof StoreLocation.Sqlite sqlite && !Files.isRegularFile(sqlite.file())) {
            throw new WardenException(sqlite.file() + ": no store here yet (run `warden gate` or `warden build` "
                    + "first)");
        }
        return open(location, nativeCache);
    }

    /** A build as it starts: what it runs, in which sandbox, and where. */
    public record BuildStart(String project, String command, String sandbox, Instant started, RunTags tags) {
    }

    /**
     * Records a build as running under this process, after {@linkplain #markInterrupted marking} the builds whose
     * writer is gone.
     */
    public synchronized long startBuild(BuildStart start) {
        markInterrupted(start.started(), start.tags().host());
        return sql(() -> {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO builds (project, command, sandbox, "
                    + "started, repository, host, ci_run, writer_pid, heartbeat, status) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, start.project());
                insert.setString(2, start.command());
                insert.setString(3, start.sandbox());
                insert.setString(4, start.started().toString());
                insert.setString(5, start.tags().repository());
                insert.setString(6, start.tags().host());
                insert.setString(7, start.tags().ciRun());
                insert.setLong(8, ProcessHandle.current().pid());
                insert.setString(9, start.started().toString());
                insert.setString(10, Status.RUNNING.key());
                insert.executeUpdate();
                long id = Database.key(insert);
                db.commit();
                writingBuild = id;
                return id;
            }
        });
    }

    /** A build whose place (repository, host, CI run) is not known. */
    public long startBuild(String project, String command, String sandbox, Instant started) {
        return startBuild(new BuildStart(project, command, sandbox, started, RunTags.UNKNOWN));
    }

    /**
     * Marks as interrupted the running builds whose writer is gone: on {@code host} (this machine), a writer process
     * no longer alive; on any host, one that has not flushed for {@link #STALE}.
     */
    public void markInterrupted(Instant now, String host) {
        sql(() -> {
            List<Long> gone = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement("SELECT id, host, writer_pid, heartbeat FROM builds "
                    + "WHERE status = ?")) {
                select.setString(1, Status.RUNNING.key());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String heartbeat = rows.getString(4);
                        boolean stale = heartbeat == null
                                || Instant.parse(heartbeat).plus(STALE).isBefore(now);
                        long pid = rows.getLong(3);
                        boolean pidKnown = !rows.wasNull();
                        boolean writerGone = host != null && host.equals(rows.getString(2)) && pidKnown
                                && pid != ProcessHandle.current().pid()
                                && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
                        if (stale || writerGone) {
                            gone.add(rows.getLong(1));
                        }
                    }
                }
            }
            try (PreparedStatement update = db.prepareStatement("UPDATE builds SET status = ? WHERE id = ? "
                    + "AND status = ?")) {
                for (long id : gone) {
                    update.setString(1, Status.INTERRUPTED.key());
                    update.setLong(2, id);
                    update.setString(3, Status.RUNNING.key());
                    update.addBatch();
                }
                update.executeBatch();
            }
            db.commit();
            return null;
        });
    }

    /**
     * Flushes the events added so far every {@code interval} (with a heartbeat from {@code clock}), so a writer
     * killed mid-build loses at most that much; until {@link #close}.
     */
    public synchronized void flushEvery(Duration interval, Clock clock) {
        if (flusher != null) {
            return;
        }
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "warden-event-flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(() -> {
            try {
                heartbeat(clock.instant());
            } catch (RuntimeException e) {
                // the next flush, or the one at the end, reports a store that stays unwritable
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void heartbeat(Instant now) {
        sql(() -> {
            sendPending();
            if (writingBuild >= 0) {
                try (PreparedStatement update = db.prepareStatement("UPDATE builds SET heartbeat = ? WHERE id = ?")) {
                    update.setString(1, now.toString());
                    update.setLong(2, writingBuild);
                    update.executeUpdate();
                }
            }
            db.commit();
            return null;
        });
    }

    /** Sends the batched events and notes the id of the last one. */
    private void sendPending() throws SQLException {
        if (pending == 0) {
            return;
        }
        insertEvent.executeBatch();
        pending = 0;
        if (store.dialect() == Database.Dialect.SQLITE) {
            try (Statement select = db.createStatement();
                 ResultSet row = select.executeQuery("SELECT last_insert_rowid()")) {
                row.next();
                lastEvent = row.getLong(1);
            }
        } else {
            try (ResultSet keys = insertEvent.getGeneratedKeys()) {
                while (keys.next()) {
                    lastEvent = keys.getLong(1);
                }
            }
        }
    }

    /**
     * Records an event. Events are sent in batches and committed at each flush ({@link #flushEvery}), at an alert
     * and at the end: a busy build is slowed neither by fsyncs nor by a round trip per event to a remote store.
     */
    public synchronized void add(long build, BuildEvent event) {
        sql(() -> {
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
            insertEvent.addBatch();
            if (++pending >= 500) {
                sendPending();
            }
            return null;
        });
    }

    /** Records an alert about the event added last, and commits everything up to it at once. */
    public synchronized void alert(long build, Finding finding, long alertedMicros, long latencyMicros) {
        sql(() -> {
            sendPending();
            if (lastEvent < 0) {
                throw new IllegalStateException("an alert with no event before it");
            }
            long event = lastEvent;
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
                return null;
            }
        });
    }

    public synchronized void finishBuild(long build, Instant finished, int exitCode, boolean clean) {
        sql(() -> {
            sendPending();
            try (PreparedStatement update = db.prepareStatement("UPDATE builds SET finished = ?, exit_code = ?, "
                    + "clean = ?, status = ?, heartbeat = ? WHERE id = ?")) {
                update.setString(1, finished.toString());
                update.setInt(2, exitCode);
                update.setInt(3, clean ? 1 : 0);
                update.setString(4, Status.FINISHED.key());
                update.setString(5, finished.toString());
                update.setLong(6, build);
                update.executeUpdate();
                db.commit();
                if (build == writingBuild) {
                    writingBuild = -1;
                }
                return null;
            }
        });
    }

    /** Records which secret-looking variables the build could see, by name, for incident response. */
    public synchronized void recordEnvironment(long build, Map<String, Exposure> variables) {
        sql(() -> {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO build_env (build, name, exposure) "
                    + "VALUES (?, ?, ?) ON CONFLICT (build, name) DO UPDATE SET exposure = excluded.exposure")) {
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

    /** What the project's clean builds (and fetches) did: the baseline for "first seen". */
    public Set<String> baseline(String project, String kind) {
        return sql(() -> {
            Set<String> values = new HashSet<>();
            try (PreparedStatement select = db.prepareStatement("SELECT value FROM baseline WHERE project = ? "
                    + "AND kind = ?")) {
                select.setString(1, project);
                select.setString(2, kind);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        values.add(rows.getString(1));
                    }
                }
            }
            return values;
        });
    }

    /** Adds what a clean build of the project did to its baseline (build 0: no build, a fetch). */
    public synchronized void learn(String project, long build, String kind, Set<String> values) {
        sql(() -> {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO baseline (project, kind, value, build) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT (project, kind, value) DO NOTHING")) {
                for (String value : values) {
                    insert.setString(1, project);
                    insert.setString(2, kind);
                    insert.setString(3, value);
                    insert.setLong(4, build);
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
            + "clean, status, repository, host, ci_run";

    /** The project's latest {@code limit} builds, newest first, with their alert and exposed-secret counts. */
    public List<BuildSummary> recentBuilds(String project, int limit) {
        return sql(() -> {
            List<BuildSummary> rows = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement(BUILD_COLUMNS + ", (SELECT count(*) FROM alerts "
                    + "WHERE alerts.build = builds.id), (SELECT count(*) FROM build_env WHERE build_env.build = "
                    + "builds.id AND exposure = 'real') FROM builds WHERE project = ? ORDER BY id DESC LIMIT ?")) {
                select.setString(1, project);
                select.setInt(2, limit);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(new BuildSummary(buildRow(result), result.getInt(13), result.getInt(14)));
                    }
                }
            }
            return rows;
        });
    }

    /** The latest {@code limit} alerts of the project's builds, newest first. */
    public List<AlertRow> recentAlerts(String project, int limit) {
        return sql(() -> {
            try (PreparedStatement select = db.prepareStatement(ALERT_COLUMNS + " WHERE build IN (SELECT id FROM "
                    + "builds WHERE project = ?) ORDER BY id DESC LIMIT ?")) {
                select.setString(1, project);
                select.setInt(2, limit);
                return alertRows(select);
            }
        });
    }

    /**
     * The latest {@code limit} values of the project's baseline ({@code domain}, {@code exec}), with the build that
     * first showed each.
     */
    public List<FirstSeen> firstSeen(String project, String kind, int limit) {
        return sql(() -> {
            List<FirstSeen> rows = new ArrayList<>();
            try (PreparedStatement select = db.prepareStatement("SELECT value, build FROM baseline WHERE project = ? "
                    + "AND kind = ? ORDER BY build DESC, value LIMIT ?")) {
                select.setString(1, project);
                select.setString(2, kind);
                select.setInt(3, limit);
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
                    + " WHERE CAST(? AS BIGINT) IS NULL OR build = ? ORDER BY id")) {
                select.setObject(1, build, Types.BIGINT);
                select.setObject(2, build, Types.BIGINT);
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
                : Instant.parse(result.getString(6)), result.getObject(7) == null ? null : result.getInt(7),
                result.getInt(8) == 1, Status.of(result.getString(9)), new RunTags(result.getString(10),
                result.getString(11), result.getString(12)));
    }

    public StoreLocation location() {
        return store.location();
    }

    /** Sends and commits what is pending, and ends the periodic flushes. */
    @Override
    public synchronized void close() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        sql(() -> {
            sendPending();
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
