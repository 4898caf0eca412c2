package dev.warden.core.store;

import dev.warden.core.AtomicFiles;
import dev.warden.core.Tasks;
import dev.warden.core.WardenException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * Warden's store, opened: a SQLite file (WAL mode, so a build's event writer and readers share it) or a PostgreSQL
 * database, both with the one schema of the migrations in {@code dev/warden/store/migration} (Flyway). SQL errors
 * become one-line user errors naming the store.
 */
public final class Database implements AutoCloseable {

    /** The SQL dialects the store is written in; queries use what both accept, and the few differences ask this. */
    public enum Dialect {
        SQLITE, POSTGRESQL
    }

    /** A unit of SQL work. */
    public interface Work<T> {
        T run(Connection db) throws SQLException;
    }

    /** The newest migration: a store at this version needs no Flyway run (which costs a tenth of a second). */
    private static final String SCHEMA_VERSION = "3";
    private static final String MIGRATIONS = "classpath:dev/warden/store/migration";
    /**
     * An empty SQLite store at {@link #SCHEMA_VERSION}, made by Flyway when Warden is built ({@link
     * StoreTemplateBuilder}): a new store is this file copied, not a Flyway run, which was a third of a gate's time
     * on a fresh CI runner.
     */
    static final String TEMPLATE = "empty-store.db";

    private final StoreLocation location;
    private final String what;
    private final Connection db;
    private final Dialect dialect;
    /** Opened where nothing can be written: a write fails, and says so. */
    private final boolean readOnly;

    private Database(StoreLocation location, String what, Connection db, Dialect dialect, boolean readOnly) {
        this.location = location;
        this.what = what;
        this.db = db;
        this.dialect = dialect;
        this.readOnly = readOnly;
    }

    /**
     * @param what        what the store holds for this user, for error messages ("the event log")
     * @param nativeCache where to keep sqlite-jdbc's native library once unpacked (null: let the driver unpack it
     *                    to a temporary file on every run, which costs about 100 ms)
     */
    public static Database open(StoreLocation location, String what, Path nativeCache) {
        return switch (location) {
            case StoreLocation.Sqlite sqlite -> openSqlite(sqlite, what, nativeCache);
            case StoreLocation.Postgres postgres -> openPostgres(postgres, what);
        };
    }

    private static Database openSqlite(StoreLocation.Sqlite location, String what, Path nativeCache) {
        if (nativeCache != null) {
            useCachedNativeLibrary(nativeCache);
        }
        Path file = location.file().toAbsolutePath();
        try {
            if (Files.isRegularFile(file) && !Files.isWritable(file.getParent())) {
                return openReadOnly(location, what, file);
            }
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                createFromTemplate(file);
            }
            return openMigrating(location, what, file);
        } catch (SQLException | IOException e) {
            throw new WardenException(location.display() + ": cannot open " + what + ": " + e.getMessage());
        }
    }

    /** Opens (creating it if need be) a SQLite store and brings it to the newest schema with Flyway if it is older. */
    static Database openMigrating(StoreLocation.Sqlite location, String what, Path file) throws SQLException {
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement statement = db.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA synchronous=NORMAL");
            statement.execute("PRAGMA busy_timeout=30000");
        }
        return migrated(new Database(location, what, db, Dialect.SQLITE, false), "jdbc:sqlite:" + file, null, null);
    }

    /**
     * Puts the template in place as {@code file}, unless another run got there first (then theirs is opened; two
     * runs creating one store never replace each other's file). Where that is not possible (no template in a
     * development build, a file system without hard links), the store is left to SQLite and Flyway, as before.
     */
    private static void createFromTemplate(Path file) throws IOException {
        try (InputStream template = Database.class.getResourceAsStream(TEMPLATE)) {
            if (template == null) {
                return;
            }
            if (AtomicFiles.createNew(file, template::transferTo)) {
                // as SQLite creates a store under the usual umask, not a temporary file's owner-only mode
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (UnsupportedOperationException | IOException noLinks) {
            // no hard links here: SQLite creates the file and Flyway the schema
        }
    }

    /**
     * A store where nothing can be written (a read-only mount, an archived copy): SQLite cannot create the WAL's
     * shared-memory file there, so it is opened read-only — as immutable when no WAL is left beside it (nothing
     * uncommitted to miss), else through the WAL files that are there. Reading works; a write says why it cannot.
     */
    private static Database openReadOnly(StoreLocation.Sqlite location, String what, Path file) throws SQLException {
        boolean walLeft = Files.exists(Path.of(file + "-wal"));
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
        String url = "jdbc:sqlite:file:" + file.toUri().getRawPath() + (walLeft ? "?mode=ro" : "?immutable=1");
        Connection db = config.createConnection(url);
        Database database = new Database(location, what, db, Dialect.SQLITE, true);
        if (!database.current()) {
            db.close();
            throw new WardenException(location.display() + ": " + what + " is on a read-only file system and older "
                    + "than this Warden (schema " + SCHEMA_VERSION + "): open it once where it can be written");
        }
        db.setAutoCommit(false);
        return database;
    }

    private static Database openPostgres(StoreLocation.Postgres location, String what) {
        Properties properties = new Properties();
        properties.setProperty("user", location.user());
        if (location.password() != null) {
            properties.setProperty("password", location.password().value());
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "120");
        properties.setProperty("ApplicationName", "warden");
        try {
            Connection db = DriverManager.getConnection(location.jdbcUrl(), properties);
            return migrated(new Database(location, what, db, Dialect.POSTGRESQL, false), location.jdbcUrl(),
                    location.user(), location.password() == null ? null : location.password().value());
        } catch (SQLException e) {
            throw new WardenException(location.display() + ": cannot open " + what + ": " + oneLine(e));
        }
    }

    /** Brings the schema to the newest migration, unless it is there already; then hands out the connection. */
    private static Database migrated(Database database, String url, String user, String password)
            throws SQLException {
        if (!database.current()) {
            try {
                Flyway.configure(Database.class.getClassLoader())
                        .dataSource(url, user, password)
                        .locations(MIGRATIONS)
                        .placeholders(database.dialect == Dialect.SQLITE
                                ? Map.of("id", "INTEGER PRIMARY KEY", "legacyRowId", "rowid")
                                : Map.of("id", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                                        "legacyRowId", "NULL"))
                        // A store written before migrations existed has tables and no history: V1 takes it in place.
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .cleanDisabled(true)
                        .load()
                        .migrate();
            } catch (FlywayException e) {
                database.db.close();
                throw new WardenException(database.location.display() + ": cannot bring " + database.what
                        + " to schema version " + SCHEMA_VERSION + ": " + oneLine(e));
            }
        }
        database.db.setAutoCommit(false);
        return database;
    }

    /** Whether the newest migration was applied (one indexed query instead of a Flyway run). */
    private boolean current() throws SQLException {
        try (PreparedStatement select = db.prepareStatement(
                "SELECT count(*) FROM flyway_schema_history WHERE version = ? AND success")) {
            select.setString(1, SCHEMA_VERSION);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getInt(1) > 0;
            }
        } catch (SQLException e) {
            return false; // no history table yet
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    public StoreLocation location() {
        return location;
    }

    public Dialect dialect() {
        return dialect;
    }

    public <T> T sql(Work<T> work) {
        try {
            return work.run(db);
        } catch (SQLException e) {
            boolean refusedWrite = readOnly && String.valueOf(e.getMessage()).contains("SQLITE_READONLY");
            throw new WardenException(location.display() + ": " + what + ": " + (refusedWrite
                    ? "the store is read-only here (a read-only file system or directory): it can be read, not "
                    + "written"
                    : oneLine(e)));
        }
    }

    /** Runs {@code work} and commits it, or rolls it back so nothing is written half-way. */
    public <T> T transaction(Work<T> work) {
        return sql(connection -> {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback); // the first failure is the one to report (SQLITE_FULL, not "no transaction")
                }
                throw e;
            }
        });
    }

    /** The row id the statement's last insert created (the first column of the returned keys: tables start with id). */
    public static long key(Statement statement) throws SQLException {
        try (ResultSet keys = statement.getGeneratedKeys()) {
            keys.next();
            return keys.getLong(1);
        }
    }

    @Override
    public void close() {
        sql(connection -> {
            connection.commit();
            connection.close();
            return null;
        });
    }

    /**
     * Loads the driver's native library on a background thread, for a command that knows it will open a store once
     * its main work is done: loading takes a tenth of a second that then overlaps that work.
     */
    public static void preload(Path nativeCache) {
        Tasks.warmUp("sqlite-preload", () -> {
            useCachedNativeLibrary(nativeCache);
            SQLiteJDBCLoader.initialize();
            new SQLiteConfig(); // fills the driver's date-format cache, the slow part of opening a connection
        });
    }

    /** For a caller that opens its own connection (a read-only snapshot): the native library from the cache. */
    public static void useNativeCache(Path nativeCache) {
        if (nativeCache != null) {
            useCachedNativeLibrary(nativeCache);
        }
    }

    /**
     * Unpacks the driver's native library for this platform once, into {@code cache/<driver version>-<platform>/},
     * and points the driver at it: later runs load it directly instead of unpacking a megabyte from the jar each
     * time. The copy is checked by size, which the jar records, so a run reads nothing from the jar when it is there.
     */
    private static synchronized void useCachedNativeLibrary(Path cache) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        String name = System.mapLibraryName("sqlitejdbc");
        String platform = OSInfo.getNativeLibFolderPathForCurrentOS();
        URL resource = Database.class.getResource("/org/sqlite/native/" + platform + "/" + name);
        if (resource == null) {
            return; // an unusual platform: the driver finds its own way
        }
        try {
            URLConnection connection = resource.openConnection();
            long size = connection.getContentLengthLong();
            Path dir = cache.resolve("sqlite-native").resolve(SQLiteJDBCLoader.getVersion() + "-"
                    + platform.replace('/', '-'));
            Path target = dir.resolve(name);
            if (size < 0 || !Files.isRegularFile(target) || Files.size(target) != size) {
                byte[] library;
                try (InputStream in = connection.getInputStream()) {
                    library = in.readAllBytes();
                }
                AtomicFiles.write(target, library);
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException e) {
            // Unwritable cache: the driver unpacks to a temporary file as usual.
        }
    }
}
