package dev.warden.core.store;

import dev.warden.core.WardenException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies one store into another ({@code warden store migrate}: a machine's SQLite store into the organisation's
 * PostgreSQL one), incrementally: the target's {@code store_imports} remembers, per source, the last build, gate run,
 * tabletop session and metric copied, and each is committed together with that mark, so a second run copies only
 * what is new and an interrupted one neither loses nor doubles a row. Ids are the target's own; every reference
 * (an event's build, an alert's event, a finding's run, a metric's "gate#N") is renumbered with them.
 */
public final class StoreCopy {

    /** What one copy took over. {@code stillRunning}: the build copying stopped at, still being written (or -1). */
    public record Counts(int builds, long events, int alerts, int gateRuns, int tabletopSessions, int metrics,
                         long stillRunning) {
        public boolean nothing() {
            return builds + gateRuns + tabletopSessions + metrics == 0;
        }
    }

    /** Rows per commit: a large store goes over in steps, each complete in itself. */
    private static final int ROOTS_PER_COMMIT = 200;
    private static final int ROWS_PER_BATCH = 1_000;
    private static final Set<String> KEYED_BY_VALUE = Set.of("baseline", "gate_owners");
    private static final Pattern RUN_SOURCE = Pattern.compile("(build|gate|tabletop)#(\\d+)");

    private final Connection from;
    private final Connection to;
    private final Database target;
    private final String source;
    private final Map<String, Map<String, Integer>> targetTypes = new HashMap<>();
    /** Source id → target id of each root copied in this run, by table: metrics name their run by id. */
    private final Map<String, Map<Long, Long>> copied = new HashMap<>();

    private StoreCopy(Database from, Database to, String source) {
        this.from = from.sql(connection -> connection);
        this.to = to.sql(connection -> connection);
        this.target = to;
        this.source = source;
    }

    /**
     * @param source the source's name in the target's import marks (host and path: the same file copied twice is
     *               recognised, two machines' stores at the same path are not confused)
     */
    public static Counts copy(Database from, Database to, String source) {
        if (from.location().equals(to.location())) {
            throw new WardenException(from.location().display() + ": source and target are the "
                    + "same store");
        }
        StoreCopy copy = new StoreCopy(from, to, source);
        try {
            return copy.run();
        } catch (SQLException e) {
            try {
                copy.to.rollback(); // the step under way; every committed step is whole, with its mark
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new WardenException("copying " + from.location().display() + " to " + to.location().display()
                    + ": " + message.strip());
        }
    }

    private Counts run() throws SQLException {
        long[] builds = copyBuilds();
        int gateRuns = copyRoots("gate_runs", this::copyGateRunChildren);
        int sessions = copyRoots("tabletop_sessions", this::copyTabletopChildren);
        int metrics = copyMetrics();
        from.commit(); // ends the read snapshot
        return new Counts((int) builds[0], builds[1], (int) builds[2], gateRuns, sessions, metrics, builds[3]);
    }

    /** Builds in id order, up to the first one still being written; returns builds, events, alerts, that build. */
    private long[] copyBuilds() throws SQLException {
        long last = lastCopied("builds");
        long builds = 0;
        long events = 0;
        long alerts = 0;
        long running = -1;
        try (PreparedStatement select = from.prepareStatement("SELECT * FROM builds WHERE id > ? ORDER BY id")) {
            select.setLong(1, last);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong("id");
                    if ("running".equals(rows.getString("status"))) {
                        running = id;
                        break;
                    }
                    long build = insertRow("builds", rows, Map.of(), true);
                    copied.computeIfAbsent("builds", table -> new HashMap<>()).put(id, build);
                    Map<String, Object> parent = Map.of("build", build);
                    Map<Long, Long> eventIds = new HashMap<>();
                    events += copyChildren("events", "build", id, parent, Map.of(), eventIds);
                    alerts += copyChildren("alerts", "build", id, parent, Map.of("event", eventIds), null);
                    copyChildren("build_env", "build", id, parent);
                    copyChildren("baseline", "build", id, parent);
                    builds++;
                    // a build's events can be many: each build is its own commit
                    mark("builds", id);
                    to.commit();
                }
            }
        }
        return new long[] {builds, events, alerts, running};
    }

    private interface Children {
        void copy(long sourceId, long targetId) throws SQLException;
    }

    /** Rows of a table with an id, and what hangs off each, committed every {@link #ROOTS_PER_COMMIT}. */
    private int copyRoots(String table, Children children) throws SQLException {
        long last = lastCopied(table);
        int count = 0;
        try (PreparedStatement select = from.prepareStatement("SELECT * FROM " + table + " WHERE id > ? ORDER BY id")) {
            select.setLong(1, last);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong("id");
                    long copy = insertRow(table, rows, Map.of(), true);
                    copied.computeIfAbsent(table, t -> new HashMap<>()).put(id, copy);
                    children.copy(id, copy);
                    if (++count % ROOTS_PER_COMMIT == 0) {
                        mark(table, id);
                        to.commit();
                    }
                    last = id;
                }
            }
        }
        if (count > 0) {
            mark(table, last);
            to.commit();
        }
        return count;
    }

    private void copyGateRunChildren(long run, long copy) throws SQLException {
        Map<String, Object> parent = Map.of("run", copy);
        copyChildren("gate_findings", "run", run, parent);
        copyChildren("gate_packages", "run", run, parent);
        copyChildren("gate_owners", "run", run, parent);
        try (PreparedStatement select = from.prepareStatement("SELECT s.id, s.digest FROM gate_run_packages r "
                + "JOIN gate_package_sets s ON s.id = r.package_set WHERE r.run = ?")) {
            select.setLong(1, run);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    long set = packageSet(row.getLong(1), row.getString(2));
                    try (PreparedStatement insert = to.prepareStatement(
                            "INSERT INTO gate_run_packages (run, package_set) VALUES (?, ?)")) {
                        insert.setLong(1, copy);
                        insert.setLong(2, set);
                        insert.executeUpdate();
                    }
                }
            }
        }
    }

    /** The target's package set with this digest (sets are shared by runs that resolved the same packages). */
    private long packageSet(long sourceId, String digest) throws SQLException {
        try (PreparedStatement select = to.prepareStatement("SELECT id FROM gate_package_sets WHERE digest = ?")) {
            select.setString(1, digest);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    return row.getLong(1);
                }
            }
        }
        long set;
        try (PreparedStatement insert = to.prepareStatement("INSERT INTO gate_package_sets (digest) VALUES (?)",
                new String[] {"id"})) {
            insert.setString(1, digest);
            insert.executeUpdate();
            set = Database.key(insert);
        }
        copyChildren("gate_set_packages", "package_set", sourceId, Map.of("package_set", set));
        return set;
    }

    private void copyTabletopChildren(long session, long copy) throws SQLException {
        copyChildren("tabletop_answers", "session", session, Map.of("session", copy));
        copyChildren("tabletop_scores", "session", session, Map.of("session", copy));
    }

    /** Metrics after the last copied, their run references ("gate#12") renumbered where that run came over now. */
    private int copyMetrics() throws SQLException {
        long last = lastCopied("metrics");
        int count = 0;
        try (PreparedStatement select = from.prepareStatement("SELECT * FROM metrics WHERE id > ? ORDER BY id")) {
            select.setLong(1, last);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong("id");
                    insertRow("metrics", rows, Map.of("source", renumbered(rows.getString("source"))), false);
                    if (++count % ROWS_PER_BATCH == 0) {
                        mark("metrics", last);
                        to.commit();
                    }
                }
            }
        }
        if (count > 0) {
            mark("metrics", last);
            to.commit();
        }
        return count;
    }

    private String renumbered(String runSource) {
        Matcher run = RUN_SOURCE.matcher(runSource == null ? "" : runSource);
        if (!run.matches()) {
            return runSource;
        }
        String table = switch (run.group(1)) {
            case "build" -> "builds";
            case "gate" -> "gate_runs";
            default -> "tabletop_sessions";
        };
        Long copy = copied.getOrDefault(table, Map.of()).get(Long.parseLong(run.group(2)));
        return copy == null ? runSource : run.group(1) + "#" + copy;
    }

    private int copyChildren(String table, String parentColumn, long parent, Map<String, Object> set)
            throws SQLException {
        return copyChildren(table, parentColumn, parent, set, Map.of(), null);
    }

    /**
     * Copies a parent's rows of {@code table}, with the {@code set} columns replaced and the {@code remap} columns
     * translated; fills {@code ids} (source id → target id) when given, for a table whose ids others refer to.
     * Returns the number of rows copied.
     */
    private int copyChildren(String table, String parentColumn, long parent, Map<String, Object> set,
                             Map<String, Map<Long, Long>> remap, Map<Long, Long> ids) throws SQLException {
        boolean keys = ids != null;
        int count = 0;
        try (PreparedStatement select = from.prepareStatement("SELECT * FROM " + table + " WHERE " + parentColumn
                + " = ?" + (keys ? " ORDER BY id" : ""))) {
            select.setLong(1, parent);
            try (ResultSet rows = select.executeQuery()) {
                Batch batch = null;
                try {
                    while (rows.next()) {
                        if (batch == null) {
                            batch = new Batch(table, rows.getMetaData(), keys);
                        }
                        Map<String, Object> values = new HashMap<>(set);
                        for (Map.Entry<String, Map<Long, Long>> column : remap.entrySet()) {
                            long value = rows.getLong(column.getKey());
                            values.put(column.getKey(), rows.wasNull() ? null : column.getValue().get(value));
                        }
                        batch.add(rows, values);
                        count++;
                        if (batch.size() == ROWS_PER_BATCH) {
                            batch.send(ids);
                        }
                    }
                    if (batch != null) {
                        batch.send(ids);
                    }
                } finally {
                    if (batch != null) {
                        batch.close();
                    }
                }
            }
        }
        return count;
    }

    /**
     * An insert of rows of one table, batched. With keys, the ids the target generates are mapped to the source's
     * in order: PostgreSQL returns every key of a batch, SQLite's driver only the last, so there each row goes alone.
     */
    private final class Batch implements AutoCloseable {
        private final PreparedStatement insert;
        private final List<String> columns = new ArrayList<>();
        private final int[] types;
        private final boolean keys;
        private final boolean oneByOne;
        private final List<Long> sourceIds = new ArrayList<>();
        private final List<Long> targetIds = new ArrayList<>();
        private int size;

        Batch(String table, ResultSetMetaData source, boolean keys) throws SQLException {
            for (int i = 1; i <= source.getColumnCount(); i++) {
                String column = source.getColumnName(i).toLowerCase(Locale.ROOT);
                if (!column.equals("id")) {
                    columns.add(column);
                }
            }
            Map<String, Integer> known = types(table);
            types = columns.stream().mapToInt(column -> known.getOrDefault(column, Types.VARCHAR)).toArray();
            // baseline and owners are keyed by value, not by run: what the target knows already stays
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")"
                    + (KEYED_BY_VALUE.contains(table) ? " ON CONFLICT DO NOTHING" : "");
            this.insert = keys ? to.prepareStatement(sql, new String[] {"id"}) : to.prepareStatement(sql);
            this.keys = keys;
            this.oneByOne = keys && target.dialect() == Database.Dialect.SQLITE;
        }

        void add(ResultSet row, Map<String, Object> replaced) throws SQLException {
            for (int i = 0; i < columns.size(); i++) {
                String column = columns.get(i);
                Object value = replaced.containsKey(column) ? replaced.get(column) : row.getObject(column);
                if (value == null) {
                    insert.setNull(i + 1, types[i]);
                } else {
                    insert.setObject(i + 1, value, types[i]);
                }
            }
            if (keys) {
                sourceIds.add(row.getLong("id"));
            }
            if (oneByOne) {
                insert.executeUpdate();
                targetIds.add(Database.key(insert));
            } else {
                insert.addBatch();
            }
            size++;
        }

        int size() {
            return size;
        }

        /** Sends what is batched; fills {@code ids} with the target's id of each source row sent. */
        void send(Map<Long, Long> ids) throws SQLException {
            if (size == 0) {
                return;
            }
            if (!oneByOne) {
                insert.executeBatch();
                if (keys) {
                    try (ResultSet generated = insert.getGeneratedKeys()) {
                        while (generated.next()) {
                            targetIds.add(generated.getLong(1));
                        }
                    }
                }
            }
            if (targetIds.size() != sourceIds.size()) {
                throw new SQLException("the target returned " + targetIds.size() + " ids for " + sourceIds.size()
                        + " rows");
            }
            for (int i = 0; i < sourceIds.size(); i++) {
                ids.put(sourceIds.get(i), targetIds.get(i));
            }
            sourceIds.clear();
            targetIds.clear();
            size = 0;
        }

        @Override
        public void close() throws SQLException {
            insert.close();
        }
    }

    private long insertRow(String table, ResultSet row, Map<String, Object> replaced, boolean keys)
            throws SQLException {
        try (Batch one = new Batch(table, row.getMetaData(), keys)) {
            one.add(row, replaced);
            Map<Long, Long> ids = new HashMap<>();
            one.send(keys ? ids : null);
            return keys ? ids.get(row.getLong("id")) : -1;
        }
    }

    private Map<String, Integer> types(String table) throws SQLException {
        Map<String, Integer> known = targetTypes.get(table);
        if (known == null) {
            known = new HashMap<>();
            try (ResultSet columns = to.getMetaData().getColumns(null, to.getSchema(), table, null)) {
                while (columns.next()) {
                    known.put(columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), columns.getInt("DATA_TYPE"));
                }
            }
            targetTypes.put(table, known);
        }
        return known;
    }

    private long lastCopied(String table) throws SQLException {
        try (PreparedStatement select = to.prepareStatement("SELECT last_id FROM store_imports WHERE source = ? "
                + "AND table_name = ?")) {
            select.setString(1, source);
            select.setString(2, table);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private void mark(String table, long last) throws SQLException {
        try (PreparedStatement upsert = to.prepareStatement("INSERT INTO store_imports (source, table_name, last_id) "
                + "VALUES (?, ?, ?) ON CONFLICT (source, table_name) DO UPDATE SET last_id = excluded.last_id")) {
            upsert.setString(1, source);
            upsert.setString(2, table);
            upsert.setLong(3, last);
            upsert.executeUpdate();
        }
    }
}
