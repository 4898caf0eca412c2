package dev.warden.recon.publishers;

import dev.warden.cargo.change.Base;
import dev.warden.cargo.change.Change;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.project.Project;
import dev.warden.cargo.project.ProjectLoader;
import dev.warden.check.CheckContext;
import dev.warden.core.Environment;
import dev.warden.evaluate.scan.ScannedCrates;
import dev.warden.recon.intel.IntelHttp;
import dev.warden.testing.DbDumpFixture;
import dev.warden.testing.Fixtures;
import dev.warden.testing.Lockfiles;
import dev.warden.testing.LoopbackServer;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry data was dumped before arrayref 0.3.10 came out; crates.io's API (served on loopback, in the shape of
 * its {@code /api/v1/crates/NAME?include=versions} and owners answers) knows the release and who published it.
 */
class LiveCratesIoTest {

    private static final Instant TODAY = Instant.parse("2026-08-20T12:00:00Z");

    @TempDir
    Path dir;

    private static final String ARRAYREF = """
            {"crate":{"id":"arrayref","name":"arrayref","created_at":"2015-08-01T12:00:00.000000+00:00",
              "updated_at":"2026-08-14T09:00:00.120000+00:00","downloads":300000000,"recent_downloads":9000000,
              "repository":"https://github.com/droundy/arrayref","max_version":"0.3.10"},
             "versions":[
              {"id":3,"crate":"arrayref","num":"0.3.10","created_at":"2026-08-14T09:00:00.120000+00:00",
               "yanked":false,"license":"BSD-2-Clause","crate_size":9812,
               "published_by":{"id":901,"login":"newuser","name":null,"avatar":null,"url":"https://github.com/newuser"},
               "trustpub_data":null},
              {"id":2,"crate":"arrayref","num":"0.3.8","created_at":"2024-06-01T10:00:00.000000+00:00",
               "yanked":true,"license":"BSD-2-Clause","crate_size":9400,
               "published_by":{"id":17,"login":"droundy","name":"David Roundy","avatar":null,"url":null},
               "trustpub_data":null},
              {"id":1,"crate":"arrayref","num":"0.3.6","created_at":"2020-01-20T10:00:00.000000+00:00",
               "yanked":false,"license":"BSD-2-Clause","crate_size":9100,"published_by":null,"trustpub_data":null}
             ]}
            """;
    private static final String OWNERS = """
            {"users":[{"id":17,"login":"droundy","kind":"user","name":"David Roundy","url":null,"avatar":null},
                      {"id":901,"login":"newuser","kind":"user","name":null,"url":null,"avatar":null}]}
            """;

    @Test
    void aReleaseTheSnapshotDoesNotListIsJudgedFromTheApi() throws IOException {
        Fixtures.write(dir, "Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        Fixtures.write(dir, "Cargo.lock", Lockfiles.appDependingOn("arrayref 0.3.10"));
        Environment env = TestEnv.at(dir, dir.resolve("home"), Map.of(), TODAY);
        Project project = new ProjectLoader(env).load(dir.toString());
        Change change = Change.between(new Base(LockfileParser.parse(Lockfiles.appDependingOn("arrayref 0.3.8"),
                dir.resolve("before.lock")), "before.lock"), project.lockfile());
        CheckContext context = new CheckContext(project, null, change, ScannedCrates.none(), env);

        Path dump = new DbDumpFixture().crate("arrayref", Instant.parse("2015-08-01T12:00:00Z"), 300_000_000)
                .version("arrayref", "0.3.6", Instant.parse("2020-01-20T10:00:00Z"), "droundy")
                .version("arrayref", "0.3.8", Instant.parse("2024-06-01T10:00:00Z"), "droundy")
                .write(dir.resolve("dump.tar.gz"), Instant.parse("2026-08-01T02:00:00Z"));
        try (InputStream in = Files.newInputStream(dump)) {
            RegistryData.build(in, "dump.tar.gz", dir.resolve("r.db"), null);
        }
        try (LoopbackServer api = new LoopbackServer();
             RegistryData snapshot = RegistryData.open(dir.resolve("r.db"), null)) {
            api.serve("/api/v1/crates/arrayref?include=versions", ARRAYREF);
            api.serve("/api/v1/crates/arrayref/owners", OWNERS);
            LiveCratesIo live = new LiveCratesIo(IntelHttp.polite(dir.resolve("intel"), env.clock(), Duration.ZERO,
                    "test"), api.url());

            RegistryData.CrateHistory history = live.crates(List.of("arrayref", "no-such-crate")).get("arrayref");
            assertThat(history.releases()).extracting(RegistryData.Release::version)
                    .containsExactly("0.3.6", "0.3.8", "0.3.10");
            assertThat(history.releases().getLast().license()).isEqualTo("BSD-2-Clause");
            assertThat(history.releases().get(1).yanked()).isTrue();
            assertThat(history.owners()).extracting(RegistryData.Owner::login).containsExactly("droundy", "newuser");

            List<String> findings = new PublisherDriftCheck(snapshot, live).run(context).stream()
                    .map(f -> f.id() + " " + f.severity().label() + ": " + f.message()).toList();
            // The API does not say how old the account is: the finding says what is known.
            assertThat(findings).containsExactly("new-publisher high: arrayref 0.3.10 is the first release by "
                    + "`newuser`; earlier releases were published by `droundy`; the crate was dormant 26 months");

            assertThat(new PublisherDriftCheck(snapshot, null).run(context)).singleElement()
                    .satisfies(f -> assertThat(f.id()).isEqualTo("not-in-registry-data"));
        }
    }
}
