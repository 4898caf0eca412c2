package dev.warden.evaluate.advisory;

import dev.warden.cargo.semver.Version;
import dev.warden.core.WardenException;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdvisoryParsingTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryRustsecField() {
        Advisory a = RustsecParser.parse(Path.of("src/main/advisories/rustsec/crates/time/RUSTSEC-2020-0071.md"));
        assertThat(a.id()).isEqualTo("RUSTSEC-2020-0071");
        assertThat(a.crate()).isEqualTo("time");
        assertThat(a.date()).isEqualTo(LocalDate.of(2020, 11, 18));
        assertThat(a.aliases()).containsExactly("CVE-2020-26235", "GHSA-wcg3-cvx6-7396");
        assertThat(a.categories()).containsExactlyInAnyOrder("code-execution", "memory-corruption");
        assertThat(a.cvss().score()).isEqualTo(6.2);
        assertThat(a.os()).contains("linux", "macos");
        assertThat(a.functions()).containsKey("time::at").containsEntry("time::at", List.of("^0.1"));
        assertThat(a.title()).isEqualTo("Potential segfault in the time crate");
        assertThat(a.summary()).startsWith("The affected functions set environment variables without synchronization.");
        assertThat(a.versions().affects(Version.parse("0.2.22"))).isTrue();
        assertThat(a.versions().affects(Version.parse("0.2.23"))).isFalse();
        assertThat(a.versions().affects(Version.parse("0.2.3"))).isFalse();
        assertThat(a.versions().affects(Version.parse("0.1.44"))).isTrue();
    }

    @Test
    void readsOsvRecordsWithRangesExplicitVersionsAndMalwareIds() {
        List<Advisory> mal = OsvParser.parse(read("src/main/advisories/ossf-malicious/arrayref/MAL-2026-14336.json"), "x");
        assertThat(mal).singleElement().satisfies(a -> {
            assertThat(a.isMalicious()).isTrue();
            assertThat(a.versions().affects(Version.parse("0.3.10"))).isTrue();
            assertThat(a.versions().affects(Version.parse("0.3.9"))).isFalse();
            assertThat(a.versions().coversEveryVersion()).isFalse();
        });
        String record = """
                {"id":"GHSA-test","published":"2024-05-01T00:00:00Z","summary":"Bug","details":"First para\\nline two.\\n\\nMore.",
                 "affected":[
                  {"package":{"ecosystem":"crates.io","name":"a"},
                   "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"},{"introduced":"2.0.0"},{"last_affected":"2.3.0"}]}],
                   "versions":["9.9.9"]},
                  {"package":{"ecosystem":"npm","name":"a"},"versions":["1.0.0"]}],
                 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}
                """;
        Advisory a = OsvParser.parse(record, "x").getFirst();
        assertThat(OsvParser.parse(record, "x")).hasSize(1);
        assertThat(a.summary()).isEqualTo("First para line two.");
        assertThat(a.cvss().score()).isEqualTo(9.8);
        for (String affected : List.of("0.1.0", "1.1.9", "2.0.0", "2.3.0", "9.9.9", "1.2.0-rc.1")) {
            assertThat(a.versions().affects(Version.parse(affected))).as(affected).isTrue();
        }
        for (String safe : List.of("1.2.0", "1.9.0", "2.3.1", "3.0.0")) {
            assertThat(a.versions().affects(Version.parse(safe))).as(safe).isFalse();
        }
    }

    @Test
    void mergesTheSameIssueFromSeveralSources() {
        AdvisoryDatabase merged = AdvisoryDatabase.of("t", null, List.of(
                RustsecParser.parse(Path.of("src/main/advisories/rustsec/crates/rustdecimal/RUSTSEC-2022-0042.md")),
                OsvParser.parse(read("src/main/advisories/ossf-malicious/rustdecimal/MAL-2022-1.json"), "x").getFirst()),
                List.of());
        assertThat(merged.forCrate("rustdecimal")).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("RUSTSEC-2022-0042");
            assertThat(a.aliases()).contains("MAL-2022-1", "GHSA-7pwq-f4pq-78gm");
        });
        assertThat(merged.maliciousCrates()).containsExactly("rustdecimal");
    }

    /**
     * rustsec (what cargo-audit uses) keeps RUSTSEC-2019-0036 (unsound) and RUSTSEC-2020-0036 (unmaintained) about
     * `failure` apart although both list CVE-2019-25010: merging them hid the unmaintained one from --deny.
     */
    @Test
    void twoRustsecAdvisoriesSharingACveStayTwoAsInRustsec() {
        AdvisoryDatabase db = AdvisoryDatabase.of("t", null, List.of(
                RustsecParser.parse(Path.of("src/main/advisories/rustsec/crates/failure/RUSTSEC-2019-0036.md")),
                RustsecParser.parse(Path.of("src/main/advisories/rustsec/crates/failure/RUSTSEC-2020-0036.md"))),
                List.of());
        assertThat(db.forCrate("failure")).extracting(Advisory::id)
                .containsExactly("RUSTSEC-2019-0036", "RUSTSEC-2020-0036");
        assertThat(db.forCrate("failure")).extracting(Advisory::informational)
                .containsExactly(Informational.UNSOUND, Informational.UNMAINTAINED);
        assertThat(AdvisorySources.select(List.of(), TestEnv.in(Path.of("target")))
                .forCrate("failure")).hasSize(2);
    }

    /** rustsec reads its example_advisory_v4 (no [advisory] table) like any other; so must Warden. */
    @Test
    void theFlatAdvisoryFormatIsRead() {
        Advisory flat = RustsecParser.parse(Path.of("src/test/resources/advisories/flat/RUSTSEC-2001-2101.md"));
        assertThat(flat.id()).isEqualTo("RUSTSEC-2001-2101");
        assertThat(flat.crate()).isEqualTo("base");
        assertThat(flat.aliases()).containsExactly("CVE-2001-2101");
        assertThat(flat.cvss().score()).isEqualTo(10.0);
        assertThat(flat.os()).containsExactly("windows");
        assertThat(flat.title()).isEqualTo("All your base are belong to us");
        assertThat(flat.versions().affects(Version.parse("1.2.2"))).isTrue();
        assertThat(flat.versions().affects(Version.parse("1.2.3"))).isFalse();
    }

    @Test
    void theEmbeddedIndexRoundTripsEveryAdvisory() {
        AdvisoryDatabase source = AdvisoryLoader.load(List.of(Path.of("src/main/advisories/rustsec"),
                Path.of("src/main/advisories/ossf-malicious")));
        AdvisoryDatabase copy = AdvisoryIndex.read(AdvisoryIndex.write(source), "test");
        assertThat(copy.crates()).isEqualTo(source.crates());
        assertThat(copy.maliciousCrates()).isEqualTo(source.maliciousCrates());
        for (String crate : source.crates()) {
            List<Advisory> expected = source.forCrate(crate);
            List<Advisory> actual = copy.forCrate(crate);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                Advisory e = expected.get(i);
                Advisory a = actual.get(i);
                assertThat(a.ids()).isEqualTo(e.ids());
                assertThat(a.categories()).isEqualTo(e.categories());
                assertThat(a.cvss()).isEqualTo(e.cvss());
                assertThat(a.withdrawn()).isEqualTo(e.withdrawn());
                assertThat(a.functions()).isEqualTo(e.functions());
                for (String v : List.of("0.0.1", "0.1.0", "0.3.10", "1.0.0", "1.0.0-rc.1", "2.5.3", "99.0.0")) {
                    assertThat(a.versions().affects(Version.parse(v))).as(e.id() + " " + v)
                            .isEqualTo(e.versions().affects(Version.parse(v)));
                }
            }
        }
        assertThat(AdvisoryLoader.embedded().crates()).isEqualTo(source.crates());
    }

    @Test
    void hostileAdvisoryFilesAreReportedAndSkipped() throws Exception {
        String good = "```toml\n[advisory]\nid = \"RUSTSEC-2024-0001\"\npackage = \"ok\"\ndate = \"2024-01-01\"\n"
                + "[versions]\npatched = []\n```\n# Fine\n";
        write(dir, "db/crates/ok/RUSTSEC-2024-0001.md", good);
        write(dir, "db/crates/a/RUSTSEC-2024-0002.md", "```toml\n[advisory\nid = 1\n```\n");
        write(dir, "db/crates/b/RUSTSEC-2024-0003.md", "```toml\n[advisory]\nid = \"RUSTSEC-2024-0003\"\n"
                + "date = \"2024-01-01\"\n[versions]\npatched = []\n```\n");
        write(dir, "db/crates/c/RUSTSEC-2024-0004.md", "```toml\n[advisory]\nid = \"RUSTSEC-2024-0004\"\n"
                + "package = \"c\"\ndate = \"2024-01-01\"\n[versions]\npatched = [\">= 1.0\", \"^1.2\"]\n```\n");
        write(dir, "db/crates/d/RUSTSEC-2024-0005.md", "no front matter at all");
        write(dir, "db/crates/e/RUSTSEC-2024-0006.md", "```toml\n[advisory]\nid = \"RUSTSEC-2024-0006\"\n"
                + "package = \"e\"\ndate = \"yesterday\"\n[versions]\npatched = [\"not a version\"]\n```\n");
        Path huge = dir.resolve("db/crates/f/RUSTSEC-2024-0007.md");
        Files.createDirectories(huge.getParent());
        Files.writeString(huge, good + "x".repeat(2 << 20));
        write(dir, "osv/bad.json", "{ not json");
        write(dir, "osv/list.jsonl", "{\"id\":\"GHSA-1\",\"affected\":[{\"package\":{\"ecosystem\":\"crates.io\","
                + "\"name\":\"z\"},\"versions\":[\"1.0\"]}]}\n{\"nope\":1}\n");

        AdvisoryDatabase db = AdvisoryLoader.load(List.of(dir.resolve("db"), dir.resolve("osv")));
        assertThat(db.crates()).containsExactly("ok");
        assertThat(db.problems()).hasSize(9).allMatch(p -> p.endsWith("(skipped)"));
        assertThat(db.problems()).anySatisfy(p -> assertThat(p).contains("RUSTSEC-2024-0002.md:2: invalid TOML"))
                .anySatisfy(p -> assertThat(p).contains("RUSTSEC-2024-0003.md:2: [advisory] is missing 'package'"))
                .anySatisfy(p -> assertThat(p).contains("RUSTSEC-2024-0004.md:6: [versions] overlapping version ranges"))
                .anySatisfy(p -> assertThat(p).contains("RUSTSEC-2024-0005.md:1: advisory must start with"))
                .anySatisfy(p -> assertThat(p).contains("RUSTSEC-2024-0007.md: advisory file is"))
                .anySatisfy(p -> assertThat(p).contains("bad.json: invalid JSON"))
                .anySatisfy(p -> assertThat(p).contains("list.jsonl:1: invalid version '1.0'"))
                .anySatisfy(p -> assertThat(p).contains("list.jsonl:2: OSV record without 'id'"));
    }

    @Test
    void rejectsRequirementsRustsecCannotTurnIntoRanges() {
        for (String versions : List.of("[\"1.*\"]", "[\">= 1.0, >= 2.0\"]", "[\">= 1.0, < 2.0, < 3.0\"]",
            "[\"=1.0, >= 0.5\"]", "[\"> 2.0, < 1.0\"]")) {
            String text = "```toml\n[advisory]\nid = \"RUSTSEC-2024-0009\"\npackage = \"x\"\ndate = \"2024-01-01\"\n"
                    + "[versions]\npatched = " + versions + "\n```\n";
            assertThatThrownBy(() -> RustsecParser.parse(text, Path.of("a.md"))).as(versions)
                    .isInstanceOf(WardenException.class).hasMessageStartingWith("a.md:6: [versions] ");
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
