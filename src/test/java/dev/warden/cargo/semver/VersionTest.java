package dev.warden.cargo.semver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionTest {

    @Test
    void parsesEveryPart() {
        Version v = Version.parse("1.22.333-alpha.1+build.5");
        assertThat(v.major()).isEqualTo(1);
        assertThat(v.minor()).isEqualTo(22);
        assertThat(v.patch()).isEqualTo(333);
        assertThat(v.pre()).isEqualTo("alpha.1");
        assertThat(v.build()).isEqualTo("build.5");
        assertThat(v).hasToString("1.22.333-alpha.1+build.5");
    }

    @Test
    void ordersLikeTheSemverSpecification() {
        List<String> ordered = List.of("1.0.0-0", "1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-alpha", "1.0.0-alpha.1",
                "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1",
                "1.1.0", "2.0.0");
        List<Version> shuffled = new ArrayList<>(ordered.stream().map(Version::parse).toList());
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertThat(shuffled).extracting(Version::toString).containsExactlyElementsOf(ordered);
    }

    @Test
    void buildMetadataBreaksTiesButNotPrecedence() {
        Version plain = Version.parse("1.0.0");
        Version built = Version.parse("1.0.0+1");
        assertThat(plain.comparePrecedence(built)).isZero();
        assertThat(plain).isLessThan(built);
        assertThat(Version.parse("1.0.0+1")).isLessThan(Version.parse("1.0.0+01"));
        assertThat(Version.parse("1.0.0+01")).isLessThan(Version.parse("1.0.0+2"));
        assertThat(Version.parse("1.0.0+9")).isLessThan(Version.parse("1.0.0+a"));
        assertThat(plain).isNotEqualTo(built);
    }

    @Test
    void realWorldVersionsFromLockfiles() {
        assertThat(Version.parse("0.7.1+5.3.1-0-g81034ce1f1373e37dc865038e1bc8eeecf559ce8").build())
                .isEqualTo("5.3.1-0-g81034ce1f1373e37dc865038e1bc8eeecf559ce8");
        assertThat(Version.parse("0.11.1+wasi-snapshot-preview1").pre()).isEmpty();
        assertThat(Version.parse("0.0.1-pre").pre()).isEqualTo("pre");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3+", "1.2.3-a..b",
        "v1.2.3", "1.2.3 ", "-1.2.3", "1.2.3-Ω", "99999999999999999999.0.0"})
    void rejectsMalformedVersions(String text) {
        assertThatThrownBy(() -> Version.parse(text)).isInstanceOf(SemverException.class)
                .hasMessageStartingWith("invalid version '" + text + "'");
    }
}
