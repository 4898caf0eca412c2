package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.DbDumpFixture;
import dev.warden.testing.Lockfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compromised-maintainer case from the registry's side, modelled on arrayref 0.3.10 (2026-08): a crate dormant
 * for two years gets a new owner and, days later, a release by that owner — a crates.io account three days old.
 * With the dump from before, the gate says it cannot verify who published the release; with the dump from after,
 * it names the new publisher with the account's age, the dormancy, and the owner added.
 */
class PublisherDriftCliTest {

    @TempDir
    Path dir;

    private static DbDumpFixture before() {
        return new DbDumpFixture()
                .crate("arrayref", Instant.parse("2015-08-01T12:00:00Z"), 300_000_000)
                .version("arrayref", "0.3.6", Instant.parse("2020-01-20T10:00:00Z"), "droundy")
                .version("arrayref", "0.3.8", Instant.parse("2024-06-01T10:00:00Z"), "droundy")
                .owner("arrayref", "droundy", Instant.parse("2015-08-01T12:00:00Z"), null)
                .crate("serde", Instant.parse("2014-12-05T20:20:39Z"), 600_000_000)
                .version("serde", "1.0.214", Instant.parse("2024-10-28T00:00:00Z"), "dtolnay")
                .version("serde", "1.0.215", Instant.parse("2024-11-11T00:00:00Z"), "dtolnay")
                .owner("serde", "dtolnay", Instant.parse("2014-12-05T20:20:39Z"), null);
    }

    private static DbDumpFixture after() {
        return before()
                .owner("arrayref", "newuser", Instant.parse("2026-08-11T09:00:00Z"), "droundy")
                .version("arrayref", "0.3.10", Instant.parse("2026-08-14T09:00:00Z"), "newuser");
    }

    private static List<String> findings(JsonNode report) {
        List<String> found = new ArrayList<>();
        report.path("findings").forEach(f -> found.add(f.path("id").asText() + " " + f.path("crate").asText() + " "
                + f.path("severity").asText() + ": " + f.path("message").asText()));
        return found;
    }

    @Test
    void theGateNamesTheNewPublisherWithItsAgeAndTheOwnerAdded() {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "app/before.lock", Lockfiles.appDependingOn("arrayref 0.3.8", "serde 1.0.215"));
        write(dir, "app/Cargo.lock", Lockfiles.appDependingOn("arrayref 0.3.10", "serde 1.0.215"));
        // The crates' code is not on this machine: the gate reports that separately; here publishers are the point.
        write(dir, "app/warden.toml", "[gate]\nunverified = \"warn\"\n");
        Instant today = Instant.parse("2026-08-20T12:00:00Z");

        before().write(dir.resolve("before.tar.gz"), Instant.parse("2026-08-01T02:00:00Z"));
        Run update = Run.on(today, dir, "registry-data", "update", "--dump", "before.tar.gz", "--snapshot", "r.db");
        assertThat(update.status()).as(update.err()).isZero();
        assertThat(update.out()).contains("2 crates, 4 versions, 2 users");
        Run early = Run.on(today, dir, "gate", "app", "--base", "app/before.lock", "--offline", "--registry-data",
                "r.db", "--format", "json");
        assertThat(findings(early.json())).anySatisfy(f -> assertThat(f).startsWith("not-in-registry-data arrayref "
                + "low: the registry data of 2026-08-01 does not list arrayref 0.3.10"));
        assertThat(early.json().path("publishers").asText())
                .isEqualTo("crates.io registry data of 2026-08-01");

        after().write(dir.resolve("after.tar.gz"), Instant.parse("2026-08-19T02:00:00Z"));
        assertThat(Run.on(today, dir, "registry-data", "update", "--dump", "after.tar.gz", "--snapshot", "r.db")
                .status()).isZero();
        Run gate = Run.on(today, dir, "gate", "app", "--base", "app/before.lock", "--offline", "--registry-data",
                "r.db", "--format", "json");
        assertThat(gate.status()).as(gate.out()).isEqualTo(Main.EXIT_FINDINGS);
        List<String> found = findings(gate.json());
        assertThat(found).contains("new-publisher arrayref high: arrayref 0.3.10 is the first release by `newuser` "
                + "(on crates.io 3 days before it); earlier releases were published by `droundy`; the crate was "
                + "dormant 26 months");
        assertThat(found).contains("owners-added arrayref low: arrayref got 1 new owner in the last 90 days: "
                + "`newuser` on 2026-08-11 by `droundy`");
        assertThat(found).noneMatch(f -> f.contains("serde")); // not brought by the change
        assertThat(gate.json().at("/checks").toString()).contains("recon");

        // recon judges every locked crate; serde's releases are all dtolnay's.
        Run recon = Run.on(today, dir, "recon", "app", "--registry-data", "r.db", "--format", "json");
        assertThat(findings(recon.json())).anySatisfy(f -> assertThat(f).startsWith("new-publisher arrayref high"))
                .noneMatch(f -> f.startsWith("new-publisher serde"));
    }

    @Test
    void anOwnerChangeOfACrateAlreadyDependedOnIsReportedAtTheNextGate() {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "app/Cargo.lock", Lockfiles.appDependingOn("arrayref 0.3.8", "serde 1.0.215"));
        // A change that leaves both crates as they are (it edits something else): neither is brought by it.
        write(dir, "app/before.lock", Lockfiles.appDependingOn("arrayref 0.3.8", "serde 1.0.215"));
        write(dir, "app/warden.toml", "[gate]\nunverified = \"warn\"\n");
        Instant today = Instant.parse("2026-08-20T12:00:00Z");
        before().write(dir.resolve("before.tar.gz"), Instant.parse("2026-08-01T02:00:00Z"));
        assertThat(Run.on(today, dir, "registry-data", "update", "--dump", "before.tar.gz", "--snapshot", "r.db")
                .status()).isZero();
        Run first = Run.on(today, dir, "gate", "app", "--base", "app/before.lock", "--offline", "--registry-data", "r.db", "--store", "s.db",
                "--format", "json");
        assertThat(findings(first.json())).noneMatch(f -> f.startsWith("owners-changed"));

        // arrayref is handed over: newuser added, droundy gone; its locked version does not change.
        new DbDumpFixture().crate("arrayref", Instant.parse("2015-08-01T12:00:00Z"), 300_000_000)
                .version("arrayref", "0.3.6", Instant.parse("2020-01-20T10:00:00Z"), "droundy")
                .version("arrayref", "0.3.8", Instant.parse("2024-06-01T10:00:00Z"), "droundy")
                .owner("arrayref", "newuser", Instant.parse("2026-08-11T09:00:00Z"), "droundy")
                .crate("serde", Instant.parse("2014-12-05T20:20:39Z"), 600_000_000)
                .version("serde", "1.0.215", Instant.parse("2024-11-11T00:00:00Z"), "dtolnay")
                .owner("serde", "dtolnay", Instant.parse("2014-12-05T20:20:39Z"), null)
                .write(dir.resolve("after.tar.gz"), Instant.parse("2026-08-19T02:00:00Z"));
        assertThat(Run.on(today, dir, "registry-data", "update", "--dump", "after.tar.gz", "--snapshot", "r.db")
                .status()).isZero();
        Run second = Run.on(today, dir, "gate", "app", "--base", "app/before.lock", "--offline", "--registry-data", "r.db", "--store", "s.db",
                "--format", "json");
        assertThat(findings(second.json())).filteredOn(f -> f.startsWith("owners-changed")).containsExactly(
                "owners-changed arrayref medium: arrayref's owners changed since the last gate run: added `newuser`; "
                        + "removed `droundy`; none of the earlier owners remain — its next update deserves a close "
                        + "reading");
        Run third = Run.on(today, dir, "gate", "app", "--base", "app/before.lock", "--offline", "--registry-data", "r.db", "--store", "s.db",
                "--format", "json");
        assertThat(findings(third.json())).noneMatch(f -> f.startsWith("owners-changed")); // recorded: said once
    }

    @Test
    void aReleaseByTokenAfterTrustedPublishingIsReported() {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "app/before.lock", Lockfiles.appDependingOn("fastbytes 1.4.0"));
        write(dir, "app/Cargo.lock", Lockfiles.appDependingOn("fastbytes 1.5.0"));
        write(dir, "app/warden.toml", "[gate]\nunverified = \"warn\"\n");
        new DbDumpFixture().crate("fastbytes", Instant.parse("2023-01-01T00:00:00Z"), 5_000_000)
                .owner("fastbytes", "maintainer", Instant.parse("2023-01-01T00:00:00Z"), null)
                .version("fastbytes", "1.3.0", Instant.parse("2025-09-01T00:00:00Z"), "maintainer", true)
                .version("fastbytes", "1.4.0", Instant.parse("2025-12-01T00:00:00Z"), "maintainer", true)
                .version("fastbytes", "1.5.0", Instant.parse("2026-11-20T00:00:00Z"), "maintainer", false)
                .write(dir.resolve("dump.tar.gz"), Instant.parse("2026-11-24T02:00:00Z"));
        assertThat(Run.in(dir, "registry-data", "update", "--dump", "dump.tar.gz", "--snapshot", "r.db").status())
                .isZero();
        Run gate = Run.in(dir, "gate", "app", "--base", "app/before.lock", "--offline", "--registry-data", "r.db",
                "--format", "json");
        assertThat(findings(gate.json())).contains("trusted-publishing-stopped fastbytes medium: fastbytes 1.5.0 was "
                + "published with an API token, while earlier releases came through trusted publishing from CI");
    }

    @Test
    void withoutRegistryDataTheReportSaysThePublishersWereNotChecked() {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "app/Cargo.lock", Lockfiles.appDependingOn("serde 1.0.215"));
        Run recon = Run.in(dir, "recon", "app", "--format", "json");
        assertThat(recon.json().path("subject").path("publishers").asText())
                .isEqualTo("not checked: no registry data here (`warden registry-data update`)");
        Run missing = Run.in(dir, "recon", "app", "--registry-data", "nothing.db");
        assertThat(missing.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(missing.err()).contains("nothing.db: no registry data here");
    }
}
