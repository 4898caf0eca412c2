package dev.warden.core.store;

import dev.warden.expose.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** New stores, and a store written before migrations existed taken in place and brought to the newest schema. */
class DatabaseTest {

    @TempDir
    Path dir;

    /**
     * A new store is the build's template (no Flyway run): at the newest schema, the same tables Flyway makes, and
     * eight runs creating one new store at once each open it — none replaces another's file.
     */
    @Test
    void aNewStoreIsTheTemplateAndRunsCreatingItAtOnceShareIt() throws Exception {
        assertThat(Database.class.getResource(Database.TEMPLATE)).as("made by the build").isNotNull();
        Path file = dir.resolve("new/store.db");
        int runs = 8;
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> ids = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            ids.add(pool.submit(() -> {
                start.await();
                try (Database store = Database.open(new StoreLocation.Sqlite(file), "the test store", null)) {
                    return store.transaction(db -> {
                        try (Statement sql = db.createStatement()) {
                            sql.execute("INSERT INTO builds (project, command, sandbox, started) "
                                    + "VALUES ('/p', 'cargo build', 'none', '2026-12-03T00:00:00Z')");
                            return Database.key(sql);
                        }
                    });
                }
            }));
        }
        start.countDown();
        List<Long> made = new ArrayList<>();
        for (Future<Long> id : ids) {
            made.add(id.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(made).as("every run's row, in one file").doesNotHaveDuplicates().hasSize(runs);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement sql = db.createStatement()) {
            try (ResultSet count = sql.executeQuery("SELECT count(*) FROM builds")) {
                assertThat(count.next() && count.getInt(1) == runs).isTrue();
            }
            try (ResultSet versions = sql.executeQuery("SELECT group_concat(version, ' ') FROM "
                    + "(SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank)")) {
                assertThat(versions.next() ? versions.getString(1) : null).isEqualTo("1 2 3");
            }
        }
        Path flyway = dir.resolve("flyway.db");
        Database.openMigrating(new StoreLocation.Sqlite(flyway), "a store Flyway makes", flyway).close();
        assertThat(tables(file)).isEqualTo(tables(flyway));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).allMatch(n -> n.startsWith("store.db"));
        }
    }

    private static String tables(Path file) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT group_concat(type || ' ' || name || ': ' || sql, '\n') FROM "
                     + "(SELECT * FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name)")) {
            return rows.next() ? rows.getString(1) : "";
        }
    }

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
