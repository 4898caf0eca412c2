package dev.warden.fortify.policy;

import dev.warden.core.Severity;
import dev.warden.core.WardenException;
import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyLoaderTest {

    @TempDir
    Path dir;

    @Test
    void everySectionIsReadIntoTypedSettings() {
        Path file = Fixtures.write(dir, "warden.toml", """
                [diff]
                fail-level = "critical"
                fail-score = 40

                [recon]
                fail-level = "medium"
                internal-prefixes = ["acme-"]
                min-publish-age = "36h"
                stale-after = "2w"
                popular = "lists/popular.csv"
                allow = [{ name = "hypher", reason = "hyphenation, not hyper" }]

                [limit]
                hide = ["~/.gnupg", "/srv/keys"]
                allow-env = ["BUILD_FLAVOUR"]
                fail-level = "critical"
                """);
        Policy policy = PolicyLoader.load(file);
        assertThat(policy.diff().failLevel()).isEqualTo(Severity.CRITICAL);
        assertThat(policy.diff().failScore()).isEqualTo(40);
        assertThat(policy.recon().failLevel()).isEqualTo(Severity.MEDIUM);
        assertThat(policy.recon().internalPrefixes()).containsExactly("acme-");
        assertThat(policy.recon().minPublishAge()).isEqualTo(Duration.ofHours(36));
        assertThat(policy.recon().staleAfter()).isEqualTo(Duration.ofDays(14));
        assertThat(policy.recon().popular()).isEqualTo(dir.resolve("lists/popular.csv"));
        assertThat(policy.recon().allowed()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("hypher");
            assertThat(a.line()).isEqualTo(11);
        });
        assertThat(policy.limit().hide()).containsExactly("~/.gnupg", "/srv/keys");
        assertThat(policy.limit().allowEnv()).containsExactly("BUILD_FLAVOUR");
        assertThat(policy.buildFailLevel()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void theStoreUrlMustNameAPostgresServerNotAFile() {
        assertThat(PolicyLoader.load(Fixtures.write(dir, "warden.toml", """
                [store]
                url = "postgresql://ci@db.internal/warden"
                """)).storeUrl()).isEqualTo("postgresql://ci@db.internal/warden");
        Path file = Fixtures.write(dir, "warden.toml", """
                [store]
                url = "/tmp/elsewhere.db"
                """);
        assertThatThrownBy(() -> PolicyLoader.load(file)).hasMessageContaining("warden.toml:2")
                .hasMessageContaining("url must be a postgresql:// URL");
    }

    @Test
    void defaultsApplyWithoutAFile() {
        Policy policy = PolicyLoader.forProject(dir);
        assertThat(policy.file()).isNull();
        assertThat(policy.diff().failLevel()).isEqualTo(Severity.HIGH);
        assertThat(policy.recon().minPublishAge()).isEqualTo(Duration.ofDays(3));
        assertThat(policy.limit().hide()).isEmpty();
        assertThat(policy.buildFailLevel()).isEqualTo(Severity.HIGH);
    }

    @Test
    void allProblemsAreReportedAtOnceWithTheirLines() {
        Path file = Fixtures.write(dir, "warden.toml", """
                [limit]
                hide = "not a list"
                allow-env = [1]
                smell = true

                [diff]
                fail-score = 500
                """);
        assertThatThrownBy(() -> PolicyLoader.load(file)).isInstanceOf(WardenException.class)
                .hasMessageContaining(file + ":2:")
                .hasMessageContaining(file + ":3:")
                .hasMessageContaining(file + ":4: unknown key 'smell' in [limit]")
                .hasMessageContaining(file + ":7: fail-score must be between 1 and 100, found 500");
    }

    @Test
    void cargoDenysAllowBuildScriptsIsTheBuildCodeListForBuildScriptsOnly() {
        Policy policy = PolicyLoader.load(Fixtures.write(dir, "warden.toml", """
                [bans.build]
                allow-build-scripts = [{ name = "openssl-sys" }, { name = "libc", version = "0.2" }]
                """));
        assertThat(policy.code().buildCode()).extracting(a -> a.name() + " " + a.version())
                .containsExactly("openssl-sys null", "libc ^0.2");
        assertThat(policy.code().procMacrosListed()).isFalse();

        Path both = Fixtures.write(dir, "warden.toml", """
                [build-code]
                allow = [{ name = "ring", reason = "crypto" }]

                [bans.build]
                allow-build-scripts = [{ name = "libc" }]
                executables = "deny"
                """);
        assertThatThrownBy(() -> PolicyLoader.load(both)).isInstanceOf(WardenException.class)
                .hasMessageContaining(both + ":5: [bans.build] allow-build-scripts and [build-code] allow are one "
                        + "list: keep one of them")
                .hasMessageContaining(both + ":6: [bans.build] executables is not supported");
    }

    @Test
    void sourcesBuildCodeUnsafeAndScanSectionsAreRead() {
        Path file = Fixtures.write(dir, "warden.toml", """
                [sources]
                allow-registries = ["acme"]
                allow-git = ["https://github.com/acme/"]
                require-git-rev = true
                internal-registry = "acme"

                [build-code]
                fail-level = "critical"
                allow = [
                  { name = "ring", version = "=0.17.8", reason = "audited crypto" },
                  { name = "serde_derive", checksum = "%s", reason = "proc macro we vetted" },
                ]

                [unsafe]
                budget = 10
                crates = { libc = 5000 }

                [scan]
                fail-level = "high"
                """.formatted("ab".repeat(32)));
        Policy policy = PolicyLoader.load(file);
        assertThat(policy.sources().allowRegistries()).containsExactly("acme");
        assertThat(policy.sources().allowGit()).containsExactly("https://github.com/acme/");
        assertThat(policy.sources().requireGitRev()).isTrue();
        assertThat(policy.sources().internalRegistry()).isEqualTo("acme");
        assertThat(policy.code().buildCodeFailLevel()).isEqualTo(Severity.CRITICAL);
        assertThat(policy.code().buildCode()).extracting(a -> a.name()).containsExactly("ring", "serde_derive");
        assertThat(policy.code().buildCode().getFirst().version().toString()).isEqualTo("=0.17.8");
        assertThat(policy.code().buildCode().getFirst().line()).isEqualTo(10);
        assertThat(policy.code().buildCode().get(1).checksum()).isEqualTo("ab".repeat(32));
        assertThat(policy.code().unsafeBudget()).isEqualTo(10);
        assertThat(policy.code().unsafePerCrate()).containsEntry("libc", 5000);
        assertThat(policy.code().unsafeFailLevel()).isEqualTo(Severity.MEDIUM);
        assertThat(policy.scanFailLevel()).isEqualTo(Severity.HIGH);
    }

    @Test
    void withoutTheSectionsNothingIsRestricted() {
        Policy policy = PolicyLoader.load(Fixtures.write(dir, "warden.toml", "[sources]\nrequire-git-rev = false\n"));
        assertThat(policy.sources().allowRegistries()).isNull();
        assertThat(policy.sources().allowGit()).isNull();
        assertThat(policy.code().buildCode()).isNull();
        assertThat(policy.code().enforced()).isFalse();
        assertThat(policy.scanFailLevel()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void badSourcesAndBuildCodeEntriesPointAtTheirLines() {
        Path file = Fixtures.write(dir, "warden.toml", """
                [sources]
                allow-registries = "acme"
                require-git-rev = "yes"

                [build-code]
                allow = [
                  { name = "ring", version = "not a version", reason = "x" },
                  { name = "cc", checksum = "abc", reason = "x" },
                  { name = "syn" },
                  { name = "quote", reason = "x", colour = "blue" },
                ]

                [unsafe]
                budget = -1
                crates = { libc = "lots" }
                """);
        assertThatThrownBy(() -> PolicyLoader.load(file)).isInstanceOf(WardenException.class)
                .hasMessageContaining(file + ":2:")
                .hasMessageContaining(file + ":3:")
                .hasMessageContaining(file + ":7: version must be a version requirement")
                .hasMessageContaining(file + ":8: checksum must be the 64 hex digits")
                .hasMessageContaining(file + ":9: build-code allow of syn needs a reason")
                .hasMessageContaining(file + ":10: unknown key 'colour' in a build-code allow")
                .hasMessageContaining(file + ":14: an unsafe budget must be a count of 0 or more, found -1")
                .hasMessageContaining(file + ":15:");
    }

    @Test
    void gateIgnoresNameAKnownRuleAndSayWhy() {
        Path file = Fixtures.write(dir, "warden.toml", """
                [gate]
                ignore = [
                  { rule = "typosquat", crate = "toml_parser", reason = "the toml project's parser", expires = 2027-06-30 },
                  { rule = "source-changed", crate = "vte", version = "0.8.0", reason = "moved to our fork" },
                ]
                """);
        Policy policy = PolicyLoader.load(file);
        assertThat(policy.gate().ignores()).extracting(i -> i.describe() + "@" + i.line())
                .containsExactly("typosquat of toml_parser@3", "source-changed of vte 0.8.0@4");
        assertThat(policy.gate().ignores().getFirst().expires()).hasToString("2027-06-30");

        Path bad = Fixtures.write(dir, "warden.toml", """
                [gate]
                ignore = [
                  { rule = "typosqaut", reason = "x" },
                  { rule = "typosquat" },
                  { rule = "typosquat", reason = "x", expires = "someday" },
                  "typosquat",
                ]
                """);
        assertThatThrownBy(() -> PolicyLoader.load(bad)).isInstanceOf(WardenException.class)
                .hasMessageContaining(bad + ":3: unknown rule 'typosqaut'")
                .hasMessageContaining(bad + ":4: gate ignore of typosquat needs a reason")
                .hasMessageContaining(bad + ":5: expires must be a date (YYYY-MM-DD), found 'someday'")
                .hasMessageContaining(bad + ":6: each gate ignore must be a table");
    }

    @Test
    void durationsAreBoundedAndMinutesAreUnderstood() {
        assertThat(PolicyLoader.duration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(PolicyLoader.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(PolicyLoader.duration("100w")).isEqualTo(Duration.ofDays(700));
        assertThatThrownBy(() -> PolicyLoader.duration("99999999999999999999d")).isInstanceOf(WardenException.class)
                .hasMessage("is too long a duration: '99999999999999999999d'");
        assertThatThrownBy(() -> PolicyLoader.duration("9999999999999w")).isInstanceOf(WardenException.class)
                .hasMessageStartingWith("must be between 0 and 1,000 years");
        assertThat(PolicyLoader.duration("100000d")).isEqualTo(Duration.ofDays(100_000)); // "never", as tests say it
        assertThatThrownBy(() -> PolicyLoader.duration("P-1D")).hasMessageStartingWith("must be between 0 and 1,000");
        assertThatThrownBy(() -> PolicyLoader.duration("soon\u001b[2J")).hasMessageEndingWith("found 'soon?[2J'");
    }
}
