package dev.warden.recon.publishers;

import dev.warden.core.WardenException;
import dev.warden.testing.DbDumpFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building the snapshot from a dump-shaped tarball and asking it about crates. */
class RegistryDataTest {

    @TempDir
    Path dir;

    static final Instant DUMPED = Instant.parse("2026-11-30T02:00:14Z");

    static DbDumpFixture fixture() {
        return new DbDumpFixture()
                .crate("serde", Instant.parse("2014-12-05T20:20:39Z"), 600_000_000)
                .version("serde", "1.0.0", Instant.parse("2017-04-20T17:04:37.123456Z"), "dtolnay")
                .version("serde", "1.0.215", Instant.parse("2024-11-11T03:42:00Z"), "dtolnay")
                .owner("serde", "dtolnay", Instant.parse("2014-12-05T20:20:39Z"), null)
                .owner("serde", "erickt", Instant.parse("2014-12-05T20:20:39Z"), null);
    }

    private RegistryData built(DbDumpFixture fixture) throws IOException {
        Path dump = fixture.write(dir.resolve("db-dump.tar.gz"), DUMPED);
        Path snapshot = dir.resolve("registry-data.db");
        try (InputStream in = Files.newInputStream(dump)) {
            RegistryData.Built built = RegistryData.build(in, "db-dump.tar.gz", snapshot, null);
            assertThat(built.dumpedAt()).isEqualTo(DUMPED);
        }
        return RegistryData.open(snapshot, null);
    }

    @Test
    void theDumpIsStreamedIntoCratesReleasesPublishersAndOwners() throws IOException {
        try (RegistryData data = built(fixture())) {
            assertThat(data.dumpedAt()).isEqualTo(DUMPED);
            Map<String, RegistryData.CrateHistory> crates = data.crates(List.of("serde", "no-such-crate"));
            assertThat(crates).containsOnlyKeys("serde");
            RegistryData.CrateHistory serde = crates.get("serde");
            assertThat(serde.downloads()).isEqualTo(600_000_000);
            assertThat(serde.repository()).isEqualTo("https://github.com/acme/serde");
            assertThat(serde.releases()).extracting(RegistryData.Release::version).containsExactly("1.0.0", "1.0.215");
            // Microseconds dropped, UTC kept; first seen = the owner entry of 2014, before any publish.
            assertThat(serde.releases().getFirst().at()).isEqualTo(Instant.parse("2017-04-20T17:04:37Z"));
            assertThat(serde.releases().getFirst().publisher())
                    .isEqualTo(new RegistryData.Account("dtolnay", Instant.parse("2014-12-05T20:20:39Z")));
            assertThat(serde.owners()).extracting(RegistryData.Owner::login).containsExactlyInAnyOrder("dtolnay",
                    "erickt");
        }
    }

    @Test
    void eachReleaseKeepsTheLicenceItWasPublishedWith() throws IOException, java.sql.SQLException {
        DbDumpFixture fixture = fixture()
                .crate("ring", Instant.parse("2015-06-01T00:00:00Z"), 300_000_000)
                .licensed("ring", "0.16.20", Instant.parse("2021-01-21T00:00:00Z"), "briansmith", "")
                .licensed("ring", "0.17.8", Instant.parse("2024-02-13T00:00:00Z"), "briansmith",
                        "Apache-2.0 AND ISC")
                .crate("odd", Instant.parse("2020-01-01T00:00:00Z"), 10)
                .licensed("odd", "1.0.0", Instant.parse("2020-01-01T00:00:00Z"), "someone", "MIT, \"quoted\"");
        try (RegistryData data = built(fixture)) {
            Map<String, RegistryData.CrateHistory> crates = data.crates(List.of("ring", "serde", "odd"));
            assertThat(crates.get("ring").releases()).extracting(RegistryData.Release::license)
                    .containsExactly(null, "Apache-2.0 AND ISC");
            assertThat(crates.get("serde").releases()).extracting(RegistryData.Release::license)
                    .containsOnly("MIT OR Apache-2.0");
            assertThat(crates.get("odd").releases().getFirst().license()).isEqualTo("MIT, \"quoted\"");
        }
        // One row per distinct expression, however many releases use it.
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("registry-data.db"));
             var statement = db.createStatement()) {
            try (var rows = statement.executeQuery("SELECT COUNT(*) FROM licenses")) {
                assertThat(rows.getInt(1)).isEqualTo(3);
            }
            // A snapshot written before licences were kept still answers everything else.
            statement.execute("DROP TABLE licenses");
            statement.execute("ALTER TABLE versions DROP COLUMN license_id");
        }
        try (RegistryData old = RegistryData.open(dir.resolve("registry-data.db"), null)) {
            assertThat(old.crates(List.of("serde")).get("serde").releases()).extracting(RegistryData.Release::license)
                    .containsOnlyNulls().hasSize(2);
        }
    }

    @Test
    void somethingElseIsRefusedAndTheOldSnapshotStays() throws IOException {
        try (RegistryData ignored = built(fixture())) {
            assertThat(ignored.crates(List.of("serde"))).hasSize(1);
        }
        Path snapshot = dir.resolve("registry-data.db");
        byte[] before = Files.readAllBytes(snapshot);
        assertThatThrownBy(() -> RegistryData.build(new ByteArrayInputStream("not gzip".getBytes()), "x.tar.gz",
                snapshot, null)).isInstanceOf(WardenException.class)
                .hasMessageContaining("x.tar.gz: not a readable crates.io database dump");
        assertThat(Files.readAllBytes(snapshot)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aDumpWithoutItsTablesOrWithBrokenRowsIsRefused() throws IOException {
        Path empty = new DbDumpFixture().write(dir.resolve("empty.tar.gz"), DUMPED);
        // An empty but well-formed dump is a dump; what is missing is rows, not tables.
        try (InputStream in = Files.newInputStream(empty)) {
            assertThat(RegistryData.build(in, "empty.tar.gz", dir.resolve("e.db"), null).crates()).isZero();
        }
        Path broken = fixture().rawVersion("x1,1,1.0.216,1.0.216,2024-12-01 00:00:00,2024-12-01 00:00:00,0,{},f,MIT,1,,"
                + "aa,,,t,{},2021,,,,,{},{}").write(dir.resolve("broken.tar.gz"), DUMPED);
        try (InputStream in = Files.newInputStream(broken)) {
            assertThatThrownBy(() -> RegistryData.build(in, "broken.tar.gz", dir.resolve("b.db"), null))
                    .isInstanceOf(WardenException.class).hasMessageContaining("versions.csv: 'x1' is not a number");
        }
        assertThat(dir.resolve("b.db")).doesNotExist();
    }
}
