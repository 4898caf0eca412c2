package dev.warden.recon.publishers;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.PackageId;
import dev.warden.core.AtomicFiles;
import dev.warden.core.Environment;
import dev.warden.core.store.Database;
import dev.warden.core.WardenException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What crates.io knows about who publishes each crate, kept offline: a compact SQLite snapshot built from the
 * database dump (crates, every version with its publisher and date, users with the day crates.io first saw them,
 * owners with when and by whom they were added, downloads, each release's declared licence). SQLite because Warden already carries it and the
 * question asked is a point lookup per crate of a lockfile — a row store with indexes answers that in microseconds;
 * the build is one streamed pass and a few aggregate statements (see bench/RESULTS.md).
 */
public final class RegistryData implements CrateHistories, AutoCloseable {

    static final String SCHEMA = """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE crates (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER, repository TEXT);
            CREATE TABLE versions_raw (id INTEGER PRIMARY KEY, crate_id INTEGER NOT NULL, num TEXT NOT NULL,
              created_at INTEGER, published_by INTEGER, yanked INTEGER, trustpub INTEGER, license_id INTEGER);
            CREATE TABLE licenses (id INTEGER PRIMARY KEY, expression TEXT NOT NULL);
            CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT, first_seen INTEGER);
            CREATE TABLE teams (id INTEGER PRIMARY KEY, login TEXT);
            CREATE TABLE owners_raw (crate_id INTEGER NOT NULL, owner_id INTEGER NOT NULL, kind INTEGER NOT NULL,
              created_at INTEGER, created_by INTEGER);
            CREATE TABLE downloads (crate_id INTEGER PRIMARY KEY, downloads INTEGER)
            """;
    // Queries name their join order (CROSS JOIN): from the few wanted names into the big tables, never a scan of
    // them — without statistics SQLite's planner would otherwise scan the versions to honour the ORDER BY.
    /**
     * After the import: versions and owners rewritten clustered by crate (a lockfile's question reads each crate's
     * rows from one place instead of one page per release), and the name index.
     */
    static final String INDEXES = """
            CREATE UNIQUE INDEX crates_name ON crates (name);
            CREATE TABLE versions (crate_id INTEGER NOT NULL, created_at INTEGER, id INTEGER NOT NULL, num TEXT NOT NULL,
              published_by INTEGER, yanked INTEGER, trustpub INTEGER, license_id INTEGER,
              PRIMARY KEY (crate_id, created_at, id)) WITHOUT ROWID;
            INSERT INTO versions SELECT crate_id, created_at, id, num, published_by, yanked, trustpub, license_id
              FROM versions_raw ORDER BY crate_id, created_at, id;
            DROP TABLE versions_raw;
            CREATE TABLE owners (crate_id INTEGER NOT NULL, seq INTEGER NOT NULL, owner_id INTEGER NOT NULL,
              kind INTEGER NOT NULL, created_at INTEGER, created_by INTEGER, PRIMARY KEY (crate_id, seq)) WITHOUT ROWID;
            INSERT INTO owners SELECT crate_id, rowid, owner_id, kind, created_at, created_by FROM owners_raw
              ORDER BY crate_id, rowid;
            DROP TABLE owners_raw
            """;

    /**
     * One release of a crate: its version, when and by whom it was published.
     *
     * @param trusted whether it came through trusted publishing, or null when the dump does not say (today's dumps
     *                keep that column private)
     * @param license the {@code license} field of the published manifest, or null when it had none (or the snapshot
     *                predates licences)
     */
    public record Release(String version, Instant at, Account publisher, boolean yanked, Boolean trusted,
                          String license) {
    }

    /** A crates.io account and the day crates.io first saw it (its first owned crate or published version). */
    public record Account(String login, Instant firstSeen) {
    }

    /** A user or team owning a crate, and since when. */
    public record Owner(String login, boolean team, Instant added, String addedBy) {
    }

    /** Everything the snapshot knows about one crate; releases oldest first. */
    public record CrateHistory(String name, Instant created, String repository, long downloads, List<Release> releases,
                               List<Owner> owners) {
        public CrateHistory {
            releases = List.copyOf(releases);
            owners = List.copyOf(owners);
        }
    }

    private final Path file;
    private final Connection db;
    private final Instant dumpedAt;
    private final boolean hasLicenses;

    private RegistryData(Path file, Connection db, Instant dumpedAt, boolean hasLicenses) {
        this.file = file;
        this.db = db;
        this.dumpedAt = dumpedAt;
        this.hasLicenses = hasLicenses;
    }

    /** Where {@code registry-data update} keeps the snapshot: in Warden's cache directory. */
    public static Path defaultFile(Environment env) {
        return env.cacheDirectory().resolve("registry-data.db");
    }

    /** The snapshot at {@code file}, read-only. */
    public static RegistryData open(Path file, Path nativeCache) {
        if (!Files.isRegularFile(file)) {
            throw new WardenException(file + ": no registry data here (run `warden registry-data update`)");
        }
        Database.useNativeCache(nativeCache);
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro");
            String at = null;
            try (Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT value FROM meta WHERE key = 'dumped_at'")) {
                if (rows.next()) {
                    at = rows.getString(1);
                }
            }
            boolean hasLicenses;
            try (Statement statement = db.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT 1 FROM sqlite_master WHERE name = 'licenses'")) {
                hasLicenses = rows.next(); // snapshots built before licences were kept still answer the rest
            }
            return new RegistryData(file, db, at == null ? null : Instant.parse(at), hasLicenses);
        } catch (SQLException | RuntimeException e) {
            throw new WardenException(file + ": not a registry-data snapshot: " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    /** When crates.io wrote the dump the snapshot was built from. */
    public Instant dumpedAt() {
        return dumpedAt;
    }

    /** The histories of the named crates that crates.io has (others are left out), in three queries. */
    @Override
    public Map<String, CrateHistory> crates(Collection<String> names) {
        try {
            try (Statement statement = db.createStatement()) {
                statement.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (name TEXT PRIMARY KEY)");
                statement.execute("DELETE FROM wanted");
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT OR IGNORE INTO wanted VALUES (?)")) {
                for (String name : names) {
                    insert.setString(1, name);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            Map<Long, Found> crates = new LinkedHashMap<>();
            try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT c.id, c.name, c.created_at, c.repository, d.downloads FROM wanted w CROSS JOIN crates c "
                            + "ON c.name = w.name LEFT JOIN downloads d ON d.crate_id = c.id")) {
                while (rows.next()) {
                    crates.put(rows.getLong(1), new Found(rows.getString(2), instant(rows, 3), rows.getString(4),
                            rows.getLong(5), new ArrayList<>(), new ArrayList<>()));
                }
            }
            try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT v.crate_id, v.num, v.created_at, u.login, u.first_seen, v.yanked, v.trustpub, "
                            + (hasLicenses ? "l.expression" : "NULL") + " FROM wanted w "
                            + "CROSS JOIN crates c ON c.name = w.name CROSS JOIN versions v ON v.crate_id = c.id "
                            + "LEFT JOIN users u ON u.id = v.published_by "
                            + (hasLicenses ? "LEFT JOIN licenses l ON l.id = v.license_id " : "")
                            + "ORDER BY v.crate_id, v.created_at, v.id")) {
                while (rows.next()) {
                    String login = rows.getString(4);
                    int trusted = rows.getInt(7);
                    Boolean viaTrustedPublishing = rows.wasNull() ? null : trusted != 0;
                    crates.get(rows.getLong(1)).releases().add(new Release(rows.getString(2), instant(rows, 3),
                            login == null ? null : new Account(login, instant(rows, 5)), rows.getInt(6) != 0,
                            viaTrustedPublishing, rows.getString(8)));
                }
            }
            try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT o.crate_id, CASE o.kind WHEN 0 THEN u.login ELSE t.login END, o.kind, o.created_at, "
                            + "b.login FROM wanted w CROSS JOIN crates c ON c.name = w.name CROSS JOIN owners o "
                            + "ON o.crate_id = c.id LEFT JOIN users u ON o.kind = 0 AND u.id = o.owner_id "
                            + "LEFT JOIN teams t ON o.kind = 1 AND t.id = o.owner_id LEFT JOIN users b "
                            + "ON b.id = o.created_by ORDER BY o.crate_id, o.seq")) {
                while (rows.next()) {
                    crates.get(rows.getLong(1)).owners().add(new Owner(String.valueOf(rows.getString(2)),
                            rows.getInt(3) != 0, instant(rows, 4), rows.getString(5)));
                }
            }
            Map<String, CrateHistory> histories = new LinkedHashMap<>();
            for (Found found : crates.values()) {
                histories.put(found.name(), new CrateHistory(found.name(), found.created(), found.repository(),
                        found.downloads(), found.releases(), found.owners()));
            }
            return histories;
        } catch (SQLException e) {
            throw new WardenException(file + ": registry data: " + e.getMessage());
        }
    }

    /**
     * The {@code license} field each crates.io package was published with, for packages whose release the snapshot
     * holds with one; packages from other registries are left out (the snapshot is crates.io's).
     */
    public Map<PackageId, String> licenses(Collection<LockedPackage> packages) {
        List<LockedPackage> fromCratesIo = packages.stream().filter(pkg -> pkg.source() != null
                && pkg.source().isCratesIo()).toList();
        if (fromCratesIo.isEmpty()) {
            return Map.of();
        }
        Map<String, CrateHistory> histories = crates(fromCratesIo.stream().map(LockedPackage::name).toList());
        Map<PackageId, String> licenses = new LinkedHashMap<>();
        for (LockedPackage pkg : fromCratesIo) {
            CrateHistory history = histories.get(pkg.name());
            String version = pkg.version().toString();
            if (history != null) {
                history.releases().stream().filter(r -> r.version().equals(version) && r.license() != null)
                        .findFirst().ifPresent(r -> licenses.put(pkg.id(), r.license()));
            }
        }
        return licenses;
    }

    /** The repository crates.io lists for each named crate it knows with one. */
    public Map<String, String> repositories(Collection<String> names) {
        Map<String, String> repositories = new LinkedHashMap<>();
        crates(names).forEach((name, history) -> {
            if (history.repository() != null && !history.repository().isBlank()) {
                repositories.put(name, history.repository());
            }
        });
        return repositories;
    }

    /** A crate as the first query found it, its releases and owners filled in by the next two. */
    private record Found(String name, Instant created, String repository, long downloads, List<Release> releases,
                         List<Owner> owners) {
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        long seconds = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochSecond(seconds);
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new WardenException(file + ": " + e.getMessage());
        }
    }

    /**
     * Builds a snapshot from a dump stream into {@code target}: written to a temporary file beside it and moved into
     * place, so a failed or interrupted update leaves the previous snapshot as it was.
     */
    public static Built build(InputStream dump, String display, Path target, Path nativeCache) {
        Database.useNativeCache(nativeCache);
        Path temp = null;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            temp = Files.createTempFile(target.toAbsolutePath().getParent(), ".registry-data", ".tmp");
            Built built;
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + temp.toAbsolutePath());
                 SnapshotWriter writer = new SnapshotWriter(db)) {
                Set<String> tables = DbDump.read(dump, display, writer);
                for (String table : DbDump.required()) {
                    if (!tables.contains(table)) {
                        throw new WardenException(display + ": no data/" + table + ".csv in it: not a crates.io "
                                + "database dump");
                    }
                }
                built = writer.finish();
            }
            AtomicFiles.replace(temp, target);
            return built;
        } catch (SQLException | IOException e) {
            throw new WardenException(target + ": cannot build the registry data: " + e.getMessage());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a temporary file in the cache directory
                }
            }
        }
    }

    /** What a build read. */
    public record Built(Instant dumpedAt, long crates, long versions, long users, long owners) {
    }
}
