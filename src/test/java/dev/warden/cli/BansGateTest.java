package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code [bans]} on the example configuration of cargo-deny's documentation (checks/bans/cfg.html): a crate denied
 * at one version, one denied except through its wrapper, a skipped version, a skipped tree, and duplicates, wildcards
 * and the allow list at the levels given.
 */
class BansGateTest {

    private static final String CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

    @TempDir
    Path dir;

    /** A lockfile whose packages name their dependencies: "name version dep dep…". */
    private static String lockfile(String... packages) {
        StringBuilder text = new StringBuilder("version = 4\n");
        for (String line : packages) {
            String[] f = line.split(" ");
            text.append("\n[[package]]\nname = \"").append(f[0]).append("\"\nversion = \"").append(f[1]).append("\"\n");
            if (!f[0].equals("app")) {
                text.append("source = \"").append(CRATES_IO).append("\"\n");
            }
            if (f.length > 2) {
                text.append("dependencies = [");
                for (int i = 2; i < f.length; i++) {
                    text.append(i > 2 ? ", " : "").append('"').append(f[i].replace('@', ' ')).append('"');
                }
                text.append("]\n");
            }
        }
        return text.toString();
    }

    private List<String> gate(String policy, String... packages) {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\n"
                + "serde = \"*\"\nlocal = { path = \"local\" }\n");
        write(dir, "app/Cargo.lock", lockfile(packages));
        write(dir, "app/warden.toml", "[gate]\nunverified = \"warn\"\n\n" + policy);
        Run run = Run.in(dir, "gate", "app", "--offline", "--format", "json");
        List<String> found = new ArrayList<>();
        for (JsonNode finding : run.json().path("findings")) {
            String id = finding.path("id").asText();
            if (List.of("banned-crate", "crate-not-allowed", "duplicate-versions", "wildcard-dependency",
                    "unmatched-skip").contains(id)) {
                found.add(id + " " + finding.path("crate").asText() + (finding.path("blocking").asBoolean() ? "!" : "")
                        + ": " + finding.path("message").asText());
            }
        }
        return found;
    }

    private static final String DOCS_EXAMPLE = """
            [bans]
            multiple-versions = "deny"
            wildcards = "deny"
            allow-wildcard-paths = true
            deny = [
                "specific-versiond@0.1.9",
                { name = "all-versionsd", wrappers = ["specific-versiona"], reason = "we want to get rid of this crate but there is still one user of it" },
            ]
            skip-tree = [{ name = "blah", depth = 20 }]

            [[bans.skip]]
            name = "rand"
            version = "=0.6.5"
            """;

    @Test
    void theDocumentedExampleDeniesSkipsAndWraps() {
        List<String> found = gate(DOCS_EXAMPLE,
                "app 0.1.0 specific-versiona specific-versiond rand@0.6.5 rand@0.8.5 blah itoa@1.0.11 log@0.3.9 "
                        + "log@0.4.22 serde",
                "specific-versiona 1.0.0 all-versionsd", "all-versionsd 0.5.0", "specific-versiond 0.1.9",
                "rand 0.6.5", "rand 0.8.5", "blah 1.0.0 itoa@0.4.8", "itoa 0.4.8", "itoa 1.0.11", "log 0.3.9",
                "log 0.4.22", "serde 1.0.215");
        assertThat(found).containsExactlyInAnyOrder(
                "banned-crate specific-versiond!: specific-versiond 0.1.9 is denied by [bans] (\"specific-versiond@0.1.9\")",
                "duplicate-versions log!: 2 versions of log are in the graph (0.3.9, 0.4.22)",
                "wildcard-dependency serde!: app accepts any version of serde (\"*\"): any release that is published "
                        + "next is one `cargo update` away; give a version requirement");
        // all-versionsd is used only by its wrapper; rand 0.6.5 is skipped; itoa 0.4.8 is in blah's skipped tree;
        // the path dependency has no version and allow-wildcard-paths lets it be.
    }

    @Test
    void aBannedCrateUsedOutsideItsWrappersIsReportedWithWhoUsesIt() {
        List<String> found = gate(DOCS_EXAMPLE.replace("[[bans.skip]]\nname = \"rand\"\nversion = \"=0.6.5\"\n",
                        "[[bans.skip]]\nname = \"nowhere\"\n"),
                "app 0.1.0 specific-versiona other", "specific-versiona 1.0.0 all-versionsd",
                "other 2.0.0 all-versionsd", "all-versionsd 0.5.0");
        assertThat(found).contains("banned-crate all-versionsd!: all-versionsd 0.5.0 is denied by [bans] "
                + "(all-versionsd): we want to get rid of this crate but there is still one user of it; used by other, "
                + "not one of its wrappers (specific-versiona)", "unmatched-skip nowhere: the [bans] skip entry "
                + "nowhere matches no crate in the graph: remove it", "unmatched-skip blah: the [bans] skip entry "
                + "blah matches no crate in the graph: remove it");
    }

    @Test
    void anAllowListAdmitsOnlyItsCratesAndWarnLevelsDoNotBlock() {
        List<String> found = gate("""
                [bans]
                multiple-versions = "warn"
                allow = ["log", "serde:>=1.0.200"]
                """, "app 0.1.0 log@0.3.9 log@0.4.22 serde itoa", "log 0.3.9", "log 0.4.22", "serde 1.0.215",
                "itoa 1.0.11");
        assertThat(found).containsExactlyInAnyOrder(
                "crate-not-allowed itoa!: itoa 1.0.11 is not in the [bans] allow list",
                "duplicate-versions log: 2 versions of log are in the graph (0.3.9, 0.4.22)");
    }

    @Test
    void badBansEntriesAreRefusedWithTheirLine() {
        write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        write(dir, "app/Cargo.lock", lockfile("app 0.1.0"));
        write(dir, "app/warden.toml", "[bans]\nmultiple-versions = \"forbid\"\ndeny = [{ version = \"1\" }]\n");
        Run run = Run.in(dir, "gate", "app", "--offline");
        assertThat(run.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(run.err()).contains("warden.toml:2: multiple-versions must be \"allow\", \"warn\" or \"deny\", "
                + "found \"forbid\"", "warden.toml:3: a [bans] deny entry needs a name");
    }
}
