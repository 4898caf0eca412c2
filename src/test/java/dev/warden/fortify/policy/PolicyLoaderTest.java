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
}
