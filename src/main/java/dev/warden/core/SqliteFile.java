package dev.warden.core;

import org.sqlite.util.OSInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

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
     * Unpacks the driver's native library for this platform once, into {@code cache/<hash>/}, and points the driver
     * at it: later runs load it directly instead of unpacking a megabyte from the jar each time.
     */
    private static synchronized void useCachedNativeLibrary(Path cache) {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        String name = System.mapLibraryName("sqlitejdbc");
        String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
        try (InputStream in = SqliteFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                return; // an unusual platform: the driver finds its own way
            }
            byte[] library = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(library), 0, 8);
            Path dir = cache.resolve("sqlite-native").resolve(hash);
            Path target = dir.resolve(name);
            if (!Files.isRegularFile(target) || Files.size(target) != library.length) {
                Files.createDirectories(dir);
                Path temp = Files.createTempFile(dir, name, ".tmp");
                Files.write(temp, library);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | NoSuchAlgorithmException e) {
            // Unwritable cache: the driver unpacks to a temporary file as usual.
        }
    }
}
