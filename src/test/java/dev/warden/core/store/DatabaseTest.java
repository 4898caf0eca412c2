package dev.warden.core.store;

import dev.warden.expose.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** A store written before migrations existed is taken in place and brought to the newest schema, its rows kept. */
class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aStoreFromBeforeMigrationsIsUpgradedWithItsRows() throws Exception {
        Path file = dir.resolve("events.db");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement sql = db.createStatement()) {
            for (String statement : firstSchema().split(";")) {
                if (!statement.isBlank()) {
                    sql.execute(statement);
                }
            }
            sql.execute("INSERT INTO builds (project, command, sandbox, started, finished, exit_code, clean) "
                    + "VALUES ('/p', 'cargo build', 'bubblewrap', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 0, 1)");
            sql.execute("INSERT INTO builds (project, command, sandbox, started) "
                    + "VALUES ('/p', 'cargo test', 'bubblewrap', '2026-01-02T00:00:00Z')");
            sql.execute("INSERT INTO baseline (kind, value, build) VALUES ('exec', '/usr/bin/cc', 1)");
            sql.execute("INSERT INTO baseline (kind, value, build) VALUES ('fetch-name', 'index.crates.io', 0)");
        }
        try (EventStore events = EventStore.existing(new StoreLocation.Sqlite(file), null)) {
            assertThat(events.builds()).extracting(EventStore.BuildRow::status)
                    .containsExactly(EventStore.Status.INTERRUPTED, EventStore.Status.FINISHED); // newest first
            assertThat(events.baseline("/p", "exec")).containsExactly("/usr/bin/cc");
            assertThat(events.baseline("/p", "fetch-name")).as("a fetch's row goes to the store's one project")
                    .containsExactly("index.crates.io");
            assertThat(events.baseline("/other", "exec")).isEmpty();
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement sql = db.createStatement();
             ResultSet versions = sql.executeQuery("SELECT version FROM flyway_schema_history WHERE success "
                     + "AND version IS NOT NULL ORDER BY installed_rank")) {
            StringBuilder applied = new StringBuilder();
            while (versions.next()) {
                applied.append(versions.getString(1)).append(' ');
            }
            assertThat(applied.toString().strip()).isEqualTo("0 1 2 3");
        }
    }

    /** The first migration is the schema as Warden 0.1 created it, which a store of that time has. */
    private static String firstSchema() throws IOException {
        try (InputStream in = DatabaseTest.class.getResourceAsStream("/dev/warden/store/migration/V1__store.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${id}", "INTEGER PRIMARY KEY")
                    .lines().filter(line -> !line.startsWith("--")).reduce("", (a, b) -> a + "\n" + b);
        }
    }
}
