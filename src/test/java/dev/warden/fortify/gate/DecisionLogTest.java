package dev.warden.fortify.gate;

import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.core.store.Database;
import dev.warden.core.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionLogTest {

    @TempDir
    Path dir;

    private static final Gate.Result PASSED = new Gate.Result(List.of(), null, Gate.Coverage.NONE, true, 0, List.of());

    @Test
    void aLockfileGatedAgainIsStoredOnceAndEveryRunStillAnswersWhoResolvedWhat() {
        Path store = dir.resolve("store.db");
        List<LockedPackage> ripgrep = LockfileParser.parse(Path.of("examples/ripgrep/Cargo.lock")).packages();
        List<LockedPackage> fewer = ripgrep.stream().filter(p -> !p.name().equals("memchr")).toList();
        try (DecisionLog log = DecisionLog.open(store, null)) {
            for (int i = 0; i < 3; i++) {
                log.record(Instant.parse("2026-11-0" + (i + 1) + "T00:00:00Z"), dir, i == 1 ? fewer : ripgrep, null,
                        PASSED);
            }
            assertThat(log.runsResolving("memchr", null)).extracting(DecisionLog.Run::id).containsExactly(1L, 3L);
            assertThat(log.runsResolving("regex", null)).hasSize(3);
        }
        try (Database db = Database.open(new StoreLocation.Sqlite(store), "test", null)) {
            int sets = db.sql(c -> count(c.createStatement(), "gate_package_sets"));
            int rows = db.sql(c -> count(c.createStatement(), "gate_set_packages"));
            assertThat(sets).isEqualTo(2);
            assertThat(rows).isEqualTo(ripgrep.size() + fewer.size());
            // A run recorded by an earlier Warden, with a row per package in gate_packages, is still found.
            db.transaction(c -> {
                try (Statement insert = c.createStatement()) {
                    insert.executeUpdate("INSERT INTO gate_runs (time, project, base, blocked, locked, private_share) "
                            + "VALUES ('2026-10-01T00:00:00Z', 'old', NULL, 0, 1, 0)");
                    return insert.executeUpdate("INSERT INTO gate_packages (run, name, version, source) "
                            + "VALUES (4, 'memchr', '2.7.4', NULL)");
                }
            });
        }
        try (DecisionLog log = DecisionLog.open(store, null)) {
            assertThat(log.runsResolving("memchr", "2.7.4")).extracting(DecisionLog.Run::project)
                    .containsExactly("old");
            assertThat(log.runsResolving("memchr", null)).hasSize(3);
        }
    }

    private static int count(Statement statement, String table) throws java.sql.SQLException {
        try (statement; var rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
