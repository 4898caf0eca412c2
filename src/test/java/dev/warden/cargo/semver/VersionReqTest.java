package dev.warden.cargo.semver;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionReqTest {

    private static boolean matches(String req, String version) {
        return VersionReq.parse(req).matches(Version.parse(version));
    }

    /** Each row: a requirement, versions it must match, versions it must not (space-separated). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "^0.0.3           | 0.0.3                               | 0.0.4 0.0.2 0.1.0 0.0.3-alpha",
        "^0.2.3           | 0.2.3 0.2.9                         | 0.3.0 0.2.2 1.0.0",
        "^1.2.3           | 1.2.3 1.9.0                         | 2.0.0 1.2.2 2.0.0-alpha",
        "^0               | 0.0.0 0.9.9                         | 1.0.0",
        "^0.0             | 0.0.0 0.0.9                         | 0.1.0",
        "1.2              | 1.2.0 1.99.0                        | 2.0.0 1.1.9",
        "1                | 1.0.0 1.5.7                         | 2.0.0 0.9.0",
        "~1               | 1.0.0 1.9.9                         | 2.0.0",
        "~1.2             | 1.2.0 1.2.9                         | 1.3.0 1.1.0",
        "~1.2.3           | 1.2.3 1.2.8                         | 1.3.0 1.2.2",
        "~0.2.3-beta      | 0.2.3-beta 0.2.3 0.2.4              | 0.2.3-alpha 0.3.0 0.2.4-beta",
        "=1.2.3           | 1.2.3 1.2.3+build                   | 1.2.4 1.2.3-rc1",
        "=1.2             | 1.2.0 1.2.7                         | 1.3.0",
        ">=1.0.0-alpha    | 1.0.0-alpha 1.0.0-beta 1.0.0 1.5.0  | 1.1.0-beta 0.9.0 1.0.0-0",
        ">1.0.0-alpha     | 1.0.0-alpha.1 1.0.0                 | 1.0.0-alpha",
        "<1.0.0           | 0.9.9                               | 1.0.0 1.0.0-alpha",
        "<=1.2            | 1.2.9 1.0.0                         | 1.3.0",
        ">1.2             | 1.3.0                               | 1.2.9 1.2.0",
        ">=1.2.3, <1.8.0  | 1.2.3 1.7.9                         | 1.8.0 1.2.2 1.5.0-rc.1",
        "*                | 0.0.0 99.0.0                        | 1.0.0-alpha",
        "1.*              | 1.0.0 1.9.9                         | 2.0.0 0.9.0",
        "1.2.x            | 1.2.0 1.2.9                         | 1.3.0",
        "1.X.*            | 1.0.0                               | 2.0.0",
        ">= 1.1.0 , < 2   | 1.1.0 1.9.9                         | 2.0.0",
        ">=1.0.0-rc.1, <1.0.1 | 1.0.0-rc.1 1.0.0-rc.2 1.0.0     | 1.0.1-rc.1",
        "^1.2.3-alpha.2   | 1.2.3-alpha.2 1.2.3-alpha.10 1.2.3 1.3.0 | 1.2.3-alpha.1 1.3.0-alpha 2.0.0",
    })
    void cargoMatchingRules(String req, String matching, String notMatching) {
        for (String v : split(matching)) {
            assertThat(matches(req.trim(), v)).as("%s should match %s", req.trim(), v).isTrue();
        }
        for (String v : split(notMatching)) {
            assertThat(matches(req.trim(), v)).as("%s should not match %s", req.trim(), v).isFalse();
        }
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''             | unexpected end of input while parsing major version number",
        "1.2.3.4        | expected comma after patch version number, found '.'",
        "01.2           | invalid leading zero in major version number",
        ">=             | unexpected end of input while parsing major version number",
        "1.*.3          | unexpected character after wildcard",
        ">=1, *         | wildcard req (*) must be the only comparator",
        "* , 1          | wildcard req (*) must be the only comparator",
        "1.2-alpha      | expected comma after minor version number, found '-'",
        "1.2.3-01       | invalid leading zero in pre-release identifier",
        "1.2.3-         | empty identifier segment in pre-release",
        "^a             | unexpected character 'a' while parsing major version number",
    })
    void rejectsWhatTheSemverCrateRejects(String req, String message) {
        assertThatThrownBy(() -> VersionReq.parse(req))
                .isInstanceOf(SemverException.class)
                .hasMessageContaining(message.trim());
    }

    @Test
    void limitsTheNumberOfComparatorsLikeTheSemverCrate() {
        String thirtyTwo = String.join(", ", java.util.Collections.nCopies(32, ">=1"));
        assertThat(VersionReq.parse(thirtyTwo).comparators()).hasSize(32);
        assertThatThrownBy(() -> VersionReq.parse(thirtyTwo + ", >=1")).hasMessageContaining("excessive number");
    }

    @Test
    void buildMetadataInRequirementsIsIgnored() {
        assertThat(matches("=1.2.3+abc", "1.2.3+xyz")).isTrue();
    }

    @Test
    void printsCanonically() {
        assertThat(VersionReq.parse(">= 1.2, <2").toString()).isEqualTo(">=1.2, <2");
        assertThat(VersionReq.parse("1.2").toString()).isEqualTo("^1.2");
        assertThat(VersionReq.parse("1.*").toString()).isEqualTo("1.*");
        assertThat(VersionReq.parse(" * ").toString()).isEqualTo("*");
    }
}
