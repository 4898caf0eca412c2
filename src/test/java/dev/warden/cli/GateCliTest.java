package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.fortify.gate.DecisionLog;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.Lockfiles;
import dev.warden.testing.LoopbackCratesIo;
import dev.warden.testing.SarifMultitool;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class GateCliTest {

    @TempDir
    Path dir;

    private Run run(String... args) {
        return Run.in(dir, args);
    }

    private static List<String> findings(JsonNode report) {
        List<String> values = new ArrayList<>();
        report.path("findings").forEach(f -> values.add(f.path("id").asText() + ":" + f.path("crate").asText()
                + (f.path("blocking").asBoolean() ? "!" : "")));
        return values;
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + report);
    }

    private Path attackUpdate() {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "before.lock", AttackProject.lockfile(false));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        return app;
    }

    @Test
    void theAttackUpdateIsBlockedAndTheDecisionIsRecorded() {
        Path app = attackUpdate();
        Run json = run("gate", "app", "--base", "app/before.lock", "--format", "json");
        assertThat(json.status()).as(json.err()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = json.json();
        assertThat(report.path("blocked").asBoolean()).isTrue();
        assertThat(report.path("locked").asBoolean()).isTrue();
        assertThat(report.path("base").asText()).isEqualTo("app/before.lock");
        assertThat(check(report, "diff").path("passed").asBoolean()).isFalse();
        assertThat(check(report, "locked").path("passed").asBoolean()).isTrue();
        assertThat(findings(report)).contains("exfiltration-pattern:url-parse!", "typosquat:url-parse");

        try (DecisionLog log = DecisionLog.open(Run.store(dir, app), null)) {
            assertThat(log.runs()).singleElement().satisfies(r -> {
                assertThat(r.blocked()).isTrue();
                assertThat(r.base()).isEqualTo("app/before.lock");
            });
            assertThat(log.decisions(null, "url-parse")).anySatisfy(d -> {
                assertThat(d.rule()).isEqualTo("exfiltration-pattern");
                assertThat(d.check()).isEqualTo("diff");
                assertThat(d.blocking()).isTrue();
            });
            assertThat(log.runsResolving("url-parse", "0.1.0")).hasSize(1);
            assertThat(log.runsResolving("url-parse", "9.9.9")).isEmpty();
        }

        assertThat(report.path("metrics").path("runs").asInt()).isEqualTo(1);
        assertThat(report.path("metrics").path("blockedChanges").asInt()).isEqualTo(1);

        Run text = run("gate", "app", "--base", "app/before.lock");
        assertThat(text.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(text.out()).contains("FAIL diff", "pass locked", "decision: BLOCKED by diff",
                "recorded: 2 gate runs, 2 of 2 dependency changes blocked, 100% of runs --locked-clean");
        Run markdown = run("gate", "app", "--base", "app/before.lock", "--format", "markdown");
        assertThat(markdown.out()).contains("### Warden gate: ❌ blocked", "| diff | ❌ blocked |",
                "<details><summary>Dependency changes (risk 100/100)</summary>",
                "| ❌ | `url-parse` | 0.1.0 (new) (added) |");

        try (DecisionLog log = DecisionLog.open(Run.store(dir, app), null)) {
            DecisionLog.Metrics metrics = log.metrics(app.toString());
            assertThat(metrics.runs()).isEqualTo(3);
            assertThat(metrics.dependencyChanges()).isEqualTo(3);
            assertThat(metrics.blockedChanges()).isEqualTo(3);
            assertThat(metrics.lockedShare()).isEqualTo(1.0);
            // Vendored crates.io sources are served by the organisation, not by crates.io.
            assertThat(metrics.privateShare()).isEqualTo(1.0);
        }
    }

    @Test
    void theBaseCanBeAGitRevisionOfTheLockfile() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("2.1.0").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
        }
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        Run json = run("gate", "app", "--base", "HEAD", "--format", "json");
        assertThat(json.status()).as(json.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(json.json().path("base").asText()).isEqualTo("HEAD:app/Cargo.lock");
        assertThat(findings(json.json())).contains("exfiltration-pattern:url-parse!");
    }

    @Test
    void sarifForCodeScanningIsValid() throws Exception {
        attackUpdate();
        Run sarif = run("gate", "app", "--base", "app/before.lock", "--format", "sarif");
        assertThat(sarif.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(sarif.out()).contains("\"exfiltration-pattern\"");
        SarifMultitool.assertAccepts(dir, "gate", sarif.out());
    }

    /** crates.io on loopback with plain libraries, for changes whose code is read but unremarkable. */
    private LoopbackCratesIo cratesIo(String... crates) {
        LoopbackCratesIo registry = new LoopbackCratesIo(dir.resolve("registry"));
        for (String crate : crates) {
            String[] f = crate.split(" ");
            registry.library(dir.resolve("sources"), f[0], f[1]);
        }
        write(dir, "p/.cargo/config.toml", registry.cargoConfig());
        return registry;
    }

    private static final Map<String, String> FRESH = Map.of("CARGO_HOME", "empty-cargo-home",
            "WARDEN_CACHE_DIR", "warden-cache", "CARGO_NET_OFFLINE", "false");

    @Test
    void anOrdinaryUpgradePasses() {
        try (LoopbackCratesIo registry = cratesIo("serde 1.0.100", "log 0.4.20", "serde 1.0.200", "log 0.4.22",
                "itoa 1.0.11")) {
            write(dir, "p/before.lock", registry.lockfile("serde 1.0.100", "log 0.4.20"));
            write(dir, "p/Cargo.lock", registry.lockfile("serde 1.0.200", "log 0.4.22", "itoa 1.0.11"));
            Run json = Run.in(dir, FRESH, "gate", "p", "--base", "p/before.lock", "--format", "json", "--store",
                    "decisions.db");
            assertThat(json.status()).as(json.out()).isEqualTo(Main.EXIT_OK);
            assertThat(json.json().path("blocked").asBoolean()).isFalse();
            assertThat(json.json().path("coverage").path("judged").asInt()).isEqualTo(5);
            assertThat(Files.isRegularFile(dir.resolve("decisions.db"))).isTrue();
            assertThat(Files.exists(dir.resolve("p/target"))).isFalse();
        }
    }

    @Test
    void aChangeWhoseCodeCouldNotBeReadIsBlockedUnlessThePolicySaysWarn() {
        write(dir, "p/before.lock", Lockfiles.appDependingOn("serde 1.0.100", "log 0.4.20"));
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("serde 1.0.200", "log 0.4.20", "itoa 1.0.11"));
        Run blocked = run("gate", "p", "--base", "p/before.lock", "--offline", "--format", "json");
        assertThat(blocked.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(check(blocked.json(), "coverage").path("passed").asBoolean()).isFalse();
        // Lockfiles without checksums cannot be verified, and log 0.4.20 is not part of the change.
        assertThat(findings(blocked.json())).contains("source-unverified:serde!", "source-unverified:itoa!")
                .doesNotContain("source-unverified:log", "source-unverified:log!");
        write(dir, "p/warden.toml", "[gate]\nunverified = \"warn\"\n");
        Run warned = run("gate", "p", "--base", "p/before.lock", "--offline", "--format", "json");
        assertThat(warned.status()).as(warned.out()).isEqualTo(Main.EXIT_OK);
        assertThat(findings(warned.json())).contains("source-unverified:serde", "source-unverified:itoa");
        write(dir, "p/warden.toml", "[gate]\nunverified = \"sometimes\"\n");
        Run bad = run("gate", "p", "--base", "p/before.lock");
        assertThat(bad.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(bad.err()).contains("warden.toml:2", "unverified must be \"block\" or \"warn\"");
    }

    @Test
    void advisoriesTheBaseAlreadyHadAreShownButDoNotBlockTheChange() {
        try (LoopbackCratesIo registry = cratesIo("smallvec 1.4.1", "smallvec 1.4.2", "log 0.4.20", "log 0.4.22")) {
            write(dir, "p/before.lock", registry.lockfile("smallvec 1.4.1", "log 0.4.20"));
            write(dir, "p/Cargo.lock", registry.lockfile("smallvec 1.4.2", "log 0.4.22"));
            Run upgrade = Run.in(dir, FRESH, "gate", "p", "--base", "p/before.lock", "--format", "json", "--store",
                    "d.db");
            assertThat(upgrade.status()).as(upgrade.out()).isEqualTo(Main.EXIT_OK);
            assertThat(findings(upgrade.json())).contains("vulnerable-crate:smallvec");
            assertThat(Run.in(dir, FRESH, "gate", "p", "--base", "p/before.lock", "--store", "d.db").out())
                    .contains("finding about crates the base already locked does not block this change");

            write(dir, "p/before.lock", registry.lockfile("log 0.4.20"));
            Run added = Run.in(dir, FRESH, "gate", "p", "--base", "p/before.lock", "--format", "json", "--store",
                    "d.db");
            assertThat(added.status()).isEqualTo(Main.EXIT_FINDINGS);
            assertThat(findings(added.json())).contains("vulnerable-crate:smallvec!");
        }
    }

    @Test
    void sourcesPolicyAllowsOnlyNamedRegistriesAndPinnedRepositories() {
        write(dir, "p/.cargo/config.toml", """
                [registries.acme]
                index = "sparse+https://crates.acme.test/index/"

                [registries.other]
                index = "sparse+https://crates.other.test/index/"
                """);
        write(dir, "p/warden.toml", """
                [recon]
                internal-prefixes = ["acme-"]

                [sources]
                allow-registries = ["acme", "https://crates.other.test/index/"]
                allow-git = ["https://github.com/acme"]
                require-git-rev = true
                internal-registry = "acme"
                """);
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("serde 1.0.200",
                "acme-auth 1.0.0 sparse+https://crates.acme.test/index/",
                "acme-billing 2.0.0 sparse+https://crates.other.test/index/",
                "sneaky 0.1.0 sparse+https://crates.evil.test/index/",
                "pinned 0.1.0 git+https://github.com/acme/pinned?rev=0123456#0123456" + "b".repeat(33),
                "moving 0.1.0 git+https://github.com/acme/moving?branch=main#" + "a".repeat(40),
                "lookalike 0.1.0 git+https://github.com/acme-evil/lookalike?rev=abc#abc" + "c".repeat(37)));
        // The registries are not reachable here; what is judged is where the crates come from.
        Run json = run("gate", "p", "--offline", "--format", "json");
        assertThat(json.status()).as(json.err()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = json.json();
        assertThat(check(report, "sources").path("passed").asBoolean()).isFalse();
        assertThat(findings(json.json()).stream().filter(f -> !f.startsWith("advisory-db-stale")
                && !f.startsWith("source-unverified")))
                .containsExactlyInAnyOrder("registry-not-allowed:sneaky!", "internal-crate-wrong-source:acme-billing!",
                        "git-source-without-rev:moving!", "git-source-not-allowed:lookalike!");
        Run text = run("gate", "p", "--offline");
        assertThat(text.out()).contains("sneaky 0.1.0 comes from sparse https://crates.evil.test/index/, which [sources] allow-registries does not list",
                "acme-billing 2.0.0 is named like an internal crate (prefix 'acme-') but comes from registry "
                        + "'other' (https://crates.other.test/index/), not registry 'acme'",
                "moving 0.1.0 follows branch 'main' of https://github.com/acme/moving: pin it with rev = \""
                        + "a".repeat(40) + "\"",
                "at:       Cargo.lock:");
    }

    @Test
    void acceptedFindingsStopBlockingUntilTheirIgnoreExpires() {
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("serde 1.0.200",
                "sneaky 0.1.0 sparse+https://crates.evil.test/index/"));
        String policy = """
                [sources]
                allow-registries = []

                [gate]
                unverified = "warn"
                ignore = [
                  { rule = "registry-not-allowed", crate = "sneaky", reason = "vendor's own registry, reviewed", expires = %s },
                  { rule = "typosquat", crate = "serd", reason = "left over" },
                ]
                """;
        write(dir, "p/warden.toml", policy.formatted("2027-01-31"));
        Run accepted = run("gate", "p", "--offline", "--format", "json");
        assertThat(accepted.status()).as(accepted.out()).isEqualTo(Main.EXIT_OK);
        assertThat(findings(accepted.json())).contains("registry-not-allowed:sneaky", "gate-ignore-unused:serd");
        assertThat(accepted.json().path("notes").toString())
                .contains("sources: registry-not-allowed of sneaky accepted at ", "p/warden.toml:7 (vendor's own registry, reviewed)");

        write(dir, "p/warden.toml", policy.formatted("2026-11-01"));
        Run expired = run("gate", "p", "--offline", "--format", "json");
        assertThat(expired.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(findings(expired.json())).contains("registry-not-allowed:sneaky!", "gate-ignore-expired:sneaky");
    }

    @Test
    void buildCodeMustBeAllowListedAtItsPinnedVersion() {
        Path app = attackUpdate();
        write(app, "warden.toml", """
                [build-code]
                allow = [{ name = "url-parse", version = "=0.0.9", reason = "reviewed 0.0.9 only" }]
                """);
        Run json = run("gate", "app", "--format", "json");
        assertThat(json.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(findings(json.json())).contains("build-code-pin-mismatch:url-parse!");
        assertThat(run("gate", "app").out()).contains("is allowed only at =0.0.9", "warden.toml:2");

        write(app, "warden.toml", "[build-code]\nallow = []\n");
        assertThat(findings(run("gate", "app", "--format", "json").json()))
                .contains("build-code-not-allowed:url-parse!");
    }

    @Test
    void aBlockedChangeIsNeverBuilt() {
        attackUpdate();
        Run run = run("gate", "app", "--base", "app/before.lock", "--build");
        assertThat(run.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run.err()).contains("build skipped: the change is already blocked");
        assertThat(run.out()).doesNotContainPattern("(pass|FAIL) build ");
    }

    @Test
    void anOutOfDateLockfileFailsTheLockedCheck() {
        Path app = attackUpdate();
        write(app, "Cargo.toml", AttackProject.MANIFEST + "serde = \"1\"\n");
        Run json = run("gate", "app", "--format", "json");
        assertThat(json.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(check(json.json(), "locked").path("passed").asBoolean()).isFalse();
        assertThat(json.json().path("locked").asBoolean()).isFalse();
        assertThat(run("gate", "app").out()).contains("app declares serde (Cargo.toml:8) but Cargo.lock does not "
                + "lock it: the lockfile is out of date");
        write(app, "Cargo.toml", """
                [package]
                name = "app"
                version = "0.1.0"
                edition = "2021"

                [dependencies]
                rust-utilities-v2 = "2.2"
                """);
        assertThat(run("gate", "app").out()).contains("app requires rust-utilities-v2 2.2 (Cargo.toml:7) but "
                + "Cargo.lock locks [2.1.1]: the lockfile is out of date");
    }

    @Test
    void aProjectWithoutALockfileIsBlockedNotAnError() {
        write(dir, "p/Cargo.toml", "[package]\nname = \"p\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        Run json = run("gate", "p", "--format", "json");
        assertThat(json.status()).as(json.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(findings(json.json())).containsExactly("lockfile-missing:null!");
        assertThat(json.json().path("locked").asBoolean()).isFalse();
        assertThat(run("gate", "p").out()).contains("p/Cargo.lock is missing: commit the lockfile",
                "decision: BLOCKED by locked");
        assertThat(Run.store(dir, dir.resolve("p"))).exists();
    }

    @Test
    void badInputIsAOneLineError() {
        attackUpdate();
        Run missing = run("gate", "app", "--base", "no-such-revision");
        assertThat(missing.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("no-such-revision");
        write(dir, "app/warden.toml", "[sources]\nallow-git = \"github.com\"\n");
        Run policy = run("gate", "app");
        assertThat(policy.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(policy.err()).contains("warden.toml:2:");
        assertThat(Files.exists(Run.store(dir, dir.resolve("app")))).isFalse();
    }
}
