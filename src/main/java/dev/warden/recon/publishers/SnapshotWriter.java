package dev.warden.recon.publishers;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the dump's rows into a new snapshot as they stream past: one prepared insert per table, batched, in one
 * transaction on a file no one reads yet (so no journal), then the indexes, the day each account was first seen and
 * the counts.
 */
final class SnapshotWriter implements DbDump.Sink, AutoCloseable {

    private static final int BATCH = 20_000;

    private final Connection db;
    private final Map<String, PreparedStatement> inserts = new HashMap<>();
    private final Map<String, Integer> pending = new HashMap<>();
    /** Licence expressions by id: a few thousand distinct ones over a million versions, so each is stored once. */
    private final Map<String, Integer> licenses = new HashMap<>();
    private final PreparedStatement insertLicense;
    private Instant dumpedAt;

    SnapshotWriter(Connection db) throws SQLException {
        this.db = db;
        try (Statement statement = db.createStatement()) {
            statement.execute("PRAGMA journal_mode=OFF");
            statement.execute("PRAGMA synchronous=OFF");
            statement.execute("PRAGMA temp_store=MEMORY");
            for (String sql : RegistryData.SCHEMA.split(";")) {
                statement.execute(sql);
            }
        }
        db.setAutoCommit(false);
        inserts.put("crates", db.prepareStatement("INSERT OR REPLACE INTO crates VALUES (?, ?, ?, ?)"));
        inserts.put("versions", db.prepareStatement(
                "INSERT OR REPLACE INTO versions_raw VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
        insertLicense = db.prepareStatement("INSERT INTO licenses VALUES (?, ?)");
        inserts.put("users", db.prepareStatement("INSERT OR REPLACE INTO users (id, login) VALUES (?, ?)"));
        inserts.put("teams", db.prepareStatement("INSERT OR REPLACE INTO teams VALUES (?, ?)"));
        inserts.put("crate_owners", db.prepareStatement("INSERT INTO owners_raw VALUES (?, ?, ?, ?, ?)"));
        inserts.put("crate_downloads", db.prepareStatement("INSERT OR REPLACE INTO downloads VALUES (?, ?)"));
    }

    @Override
    public void dumpedAt(Instant at) {
        dumpedAt = at;
    }

    @Override
    public void row(String table, Map<String, String> row) throws IOException {
        PreparedStatement insert = inserts.get(table);
        try {
            switch (table) {
                case "crates" -> {
                    number(insert, 1, row.get("id"));
                    insert.setString(2, required(row, "name"));
                    time(insert, 3, row.get("created_at"));
                    insert.setString(4, row.get("repository"));
                }
                case "versions" -> {
                    number(insert, 1, row.get("id"));
                    number(insert, 2, row.get("crate_id"));
                    insert.setString(3, required(row, "num"));
                    time(insert, 4, row.get("created_at"));
                    number(insert, 5, row.get("published_by"));
                    insert.setInt(6, DbDump.bool(row.get("yanked")) ? 1 : 0);
                    // trustpub_data is private in today's dumps; a dump that carries it says how a version came.
                    if (row.containsKey("trustpub_data")) {
                        insert.setInt(7, row.get("trustpub_data") == null ? 0 : 1);
                    } else {
                        insert.setNull(7, Types.INTEGER);
                    }
                    String license = row.get("license");
                    if (license == null || license.isBlank()) {
                        insert.setNull(8, Types.INTEGER);
                    } else {
                        insert.setInt(8, licenseId(license));
                    }
                }
                case "users" -> {
                    number(insert, 1, row.get("id"));
                    insert.setString(2, row.get("gh_login"));
                }
                case "teams" -> {
                    number(insert, 1, row.get("id"));
                    insert.setString(2, row.get("login"));
                }
                case "crate_owners" -> {
                    number(insert, 1, row.get("crate_id"));
                    number(insert, 2, row.get("owner_id"));
                    number(insert, 3, row.get("owner_kind"));
                    time(insert, 4, row.get("created_at"));
                    number(insert, 5, row.get("created_by"));
                }
                case "crate_downloads" -> {
                    number(insert, 1, row.get("crate_id"));
                    number(insert, 2, row.get("downloads"));
                }
                default -> {
                    return;
                }
            }
            insert.addBatch();
            if (pending.merge(table, 1, Integer::sum) >= BATCH) {
                insert.executeBatch();
                pending.put(table, 0);
            }
        } catch (SQLException | RuntimeException e) {
            throw new IOException(table + ".csv: " + e.getMessage());
        }
    }

    private int licenseId(String expression) throws SQLException {
        Integer id = licenses.get(expression);
        if (id == null) {
            id = licenses.size() + 1;
            licenses.put(expression, id);
            insertLicense.setInt(1, id);
            insertLicense.setString(2, expression);
            insertLicense.executeUpdate();
        }
        return id;
    }

    private static String required(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null) {
            throw new IllegalArgumentException("a row without " + column);
        }
        return value;
    }

    private static void number(PreparedStatement insert, int index, String text) throws SQLException {
        if (text == null) {
            insert.setNull(index, Types.INTEGER);
        } else {
            try {
                insert.setLong(index, Long.parseLong(text.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + dev.warden.core.Printable.of(text) + "' is not a number");
            }
        }
    }

    private static void time(PreparedStatement insert, int index, String text) throws SQLException {
        if (text == null) {
            insert.setNull(index, Types.INTEGER);
        } else {
            try {
                insert.setLong(index, DbDump.timestamp(text).getEpochSecond());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + dev.warden.core.Printable.of(text) + "' is not a timestamp");
            }
        }
    }

    RegistryData.Built finish() throws SQLException {
        for (PreparedStatement insert : inserts.values()) {
            insert.executeBatch();
        }
        try (Statement statement = db.createStatement()) {
            for (String sql : RegistryData.INDEXES.split(";")) {
                statement.execute(sql);
            }
            // The day crates.io first saw an account: its first owned crate or its first published version.
            statement.execute("CREATE TEMP TABLE first_seen (id INTEGER PRIMARY KEY, at INTEGER)");
            statement.execute("INSERT INTO first_seen SELECT id, MIN(at) FROM (SELECT owner_id AS id, created_at AS at "
                    + "FROM owners WHERE kind = 0 UNION ALL SELECT published_by, created_at FROM versions "
                    + "WHERE published_by IS NOT NULL) GROUP BY id");
            statement.execute("UPDATE users SET first_seen = (SELECT at FROM first_seen WHERE first_seen.id = users.id)");
            try (PreparedStatement meta = db.prepareStatement("INSERT INTO meta VALUES ('dumped_at', ?)")) {
                meta.setString(1, dumpedAt == null ? null : dumpedAt.toString());
                meta.executeUpdate();
            }
        }
        db.commit();
        return new RegistryData.Built(dumpedAt, count("crates"), count("versions"), count("users"), count("owners"));
    }

    private long count(String table) throws SQLException {
        try (Statement statement = db.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement insert : inserts.values()) {
            insert.close();
        }
        insertLicense.close();
    }
}
