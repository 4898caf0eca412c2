package dev.warden.core.store;

import dev.warden.core.Environment;
import dev.warden.core.WardenException;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreLocationTest {

    @TempDir
    Path dir;

    private Environment env(Map<String, String> variables) {
        return TestEnv.at(dir, dir.resolve("home"), variables);
    }

    @Test
    void aPathIsASqliteFileAndAUrlIsAPostgresDatabase() {
        assertThat(StoreLocation.parse("state/warden.db", env(Map.of()), true))
                .isEqualTo(new StoreLocation.Sqlite(dir.resolve("state/warden.db")));
        StoreLocation.Postgres postgres = (StoreLocation.Postgres) StoreLocation.parse(
                "postgresql://ci@db.internal/warden?sslmode=require", env(Map.of()), true);
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/warden?sslmode=require");
        assertThat(postgres.display()).isEqualTo("postgresql://ci@db.internal:5432/warden");
        assertThat(((StoreLocation.Postgres) StoreLocation.parse("postgres://[::1]:6543", env(Map.of("PGUSER", "w")),
                true)).jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:6543/w");
    }

    @Test
    void credentialsNeverComeFromTheUrl() {
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://ci:hunter2@db/warden", env(Map.of()), true))
                .isInstanceOf(WardenException.class).hasMessageContaining("PGPASSWORD")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://ci@db/warden?password=hunter2", env(Map.of()),
                true)).hasMessageContaining("'password' does not go in the URL").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> StoreLocation.parse("mysql://db/warden", env(Map.of()), true))
                .hasMessageContaining("expected a file or a postgresql:// URL");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql:///warden", env(Map.of("USER", "ci")), true))
                .hasMessageContaining("name the server");
    }

    @Test
    void pgpasswordGoesOnlyToAServerTheRunnerNamedAndPgpassOnlyToItsOwnHost() throws Exception {
        Map<String, String> variables = Map.of("PGPASSWORD", "from-env");
        StoreLocation.Postgres named = (StoreLocation.Postgres) StoreLocation.parse("postgresql://ci@db/warden",
                env(variables), true);
        assertThat(named.password().value()).isEqualTo("from-env");
        assertThat(named.toString()).doesNotContain("from-env");
        // A URL from the project's warden.toml arrives with the change: the runner's password is not sent to it.
        StoreLocation.Postgres fromProject = (StoreLocation.Postgres) StoreLocation.parse(
                "postgresql://ci@attacker.example/warden", env(variables), false);
        assertThat(fromProject.password()).isNull();

        Path pgpass = dir.resolve("home/.pgpass");
        Files.createDirectories(pgpass.getParent());
        Files.writeString(pgpass, "# comment\ndb:5432:warden:ci:pass\\:word\n*:*:*:other:x\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        assertThat(((StoreLocation.Postgres) StoreLocation.parse("postgresql://ci@db/warden", env(Map.of()), false))
                .password().value()).isEqualTo("pass:word");
        assertThat(((StoreLocation.Postgres) StoreLocation.parse("postgresql://ci@attacker.example/warden",
                env(Map.of()), false)).password()).isNull();
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(((StoreLocation.Postgres) StoreLocation.parse("postgresql://ci@db/warden", env(Map.of()), false))
                .password()).as("a pgpass others can read is ignored, as libpq does").isNull();
    }
}
