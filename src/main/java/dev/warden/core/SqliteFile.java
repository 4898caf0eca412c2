package dev.warden.core;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Warden's store: one SQLite file per project (in Warden's state directory, WAL mode, so a build's event writer
 * and a reader can share it), opened with each user's schema — build events, gate decisions, tabletop answers.
 * SQL errors become one-line user errors naming the file.
 */
public final class SqliteFile implements AutoCloseable {

    /** A unit of SQL work. */
    public interface Work<T> {
        T run(Connection db) throws SQLException;
    }

    private final Path file;
    private final String what;
    private final Connection db;

    private SqliteFile(Path file, String what, Connection db) {
        this.file = file;
        this.what = what;
        this.db = db;
    }

    /**
     * @param schema      {@code CREATE … IF NOT EXISTS} statements, separated by semicolons
     * @param what        what the file holds for this user, for error messages ("the event log")
     * @param nativeCache where to keep sqlite-jdbc's native library once unpacked (null: let the driver unpack it
     *                    to a temporary file on every run, which costs about 100 ms)
     */
    public static SqliteFile open(Path file, String schema, String what, Path nativeCache) {
        if (nativeCache != null) {
            useCachedNativeLibrary(nativeCache);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = db.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=NORMAL");
                statement.execute("PRAGMA busy_timeout=5000");
                for (String sql : schema.split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
            }
            db.setAutoCommit(false);
            return new SqliteFile(file, what, db);
        } catch (SQLException | IOException e) {
            throw new WardenException(file + ": cannot open " + what + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    public <T> T sql(Work<T> work) {
        try {
            return work.run(db);
        } catch (SQLException e) {
            throw new WardenException(file + ": " + what + ": " + e.getMessage());
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
                connection.rollback();
                throw e;
            }
        });
    }

    /** The row id the statement's last insert created. */
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

    /**
     * Unpacks the driver's native library for this platform once, into {@code cache/<driver version>-<platform>/},
     * and points the driver at it: later runs load it directly instead of unpacking a megabyte from the jar each
     * time. The copy is checked by size, which the jar records, so a run reads nothing from the jar when it is there.
     */
    /** For a caller that opens its own connection (a read-only snapshot): the native library from the cache. */
    public static void useNativeCache(Path nativeCache) {
        if (nativeCache != null) {
            useCachedNativeLibrary(nativeCache);
        }
    }

    private static synchronized void useCachedNativeLibrary(Path cache) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        String name = System.mapLibraryName("sqlitejdbc");
        String platform = OSInfo.getNativeLibFolderPathForCurrentOS();
        URL resource = SqliteFile.class.getResource("/org/sqlite/native/" + platform + "/" + name);
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
                Files.createDirectories(dir);
                Path temp = Files.createTempFile(dir, name, ".tmp");
                Files.write(temp, library);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException e) {
            // Unwritable cache: the driver unpacks to a temporary file as usual.
        }
    }
}
