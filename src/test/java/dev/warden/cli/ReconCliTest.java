package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.Lockfiles;
import dev.warden.testing.LoopbackServer;
import dev.warden.testing.SarifMultitool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class ReconCliTest {

    @TempDir
    Path dir;

    private Run run(String... args) {
        return Run.in(dir, args);
    }

    private static List<String> values(JsonNode report, String field) {
        List<String> values = new ArrayList<>();
        report.path("findings").forEach(f -> values.add(f.path("id").asText() + ":" + f.path(field).asText()));
        return values;
    }

    @Test
    void typosquatsInTheGraphNameTheirTarget() throws Exception {
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("serd 1.0.0", "rustdecimal 1.23.1", "lazystatic 1.4.0", "tokio 1.40.0",
                "serde_json 1.0.128", "url-parse 1.0.7"));
        // A name alone is medium (no build script known, no base to say the crate is new): the gate's default
        // fail level lets it through with a warning; --fail-level medium stops it.
        Run json = run("recon", "p", "--format", "json", "--only", "typosquat");
        assertThat(json.status()).isEqualTo(Main.EXIT_OK);
        assertThat(run("recon", "p", "--only", "typosquat", "--fail-level", "medium").status())
                .isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = json.json();
        assertThat(values(report, "crate")).containsExactlyInAnyOrder("typosquat:serd", "typosquat:rustdecimal",
                "typosquat:lazystatic", "typosquat:url-parse");
        assertThat(values(report, "target")).containsExactlyInAnyOrder("typosquat:serde", "typosquat:rust_decimal",
                "typosquat:lazy_static", "typosquat:url");
        JsonNode serd = report.path("findings").findParents("crate").stream()
                .filter(f -> f.path("crate").asText().equals("serd")).findFirst().orElseThrow();
        assertThat(serd.path("severity").asText()).isEqualTo("medium");
        assertThat(serd.path("technique").asText()).isEqualTo("typo");
        assertThat(serd.path("targetRank").isInt()).isTrue();
        assertThat(serd.path("targetRank").asInt()).isEqualTo(9);
        assertThat(serd.path("rank").isNull()).as("unranked: no number").isTrue();
        assertThat(serd.path("evidence").get(0).path("line").asInt()).isEqualTo(15);

        Run text = run("recon", "p", "--only", "typosquat");
        assertThat(text.out()).contains("warning[typosquat] serd looks like serde (rank 9): serde with 1 edit (typo)",
                "warning[typosquat] url-parse looks like url (rank 61): url + 'parse' (combosquat); url-parse ranks "
                        + "15512, 254× less popular");
        assertThat(run("recon", "p", "--format", "markdown", "--only", "typosquat", "--fail-level", "medium").out())
                .startsWith("### Warden recon: ❌ blocked");
        Run sarif = run("recon", "p", "--format", "sarif", "--only", "typosquat");
        assertThat(sarif.json().path("runs").get(0).path("results")).hasSize(4);
        SarifMultitool.assertAccepts(dir, "recon", sarif.out());
    }

    @Test
    void namesCanBeCheckedWithoutAProject() {
        Run json = run("recon", "--name", "oncecell", "--name", "bit-flags", "--name", "serde", "--format", "json",
                "--fail-level", "medium");
        assertThat(json.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(values(json.json(), "target")).containsExactlyInAnyOrder("typosquat:once_cell", "typosquat:bitflags");
        assertThat(run("recon", "--name", "serde", "--name", "tokio-util").status()).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void allowedNamesNeedAReasonAndAreLeftOut() {
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("pastey 0.1.0"));
        assertThat(run("recon", "p", "--only", "typosquat", "--format", "json").json().path("findings")).hasSize(1);
        write(dir, "p/warden.toml", "[recon]\nallow = [{ name = \"pastey\", reason = \"maintained fork of paste\" }]\n");
        Run allowed = run("recon", "p", "--only", "typosquat");
        assertThat(allowed.status()).isEqualTo(Main.EXIT_OK);
        assertThat(allowed.out()).contains("no findings");

        write(dir, "p/warden.toml", "[recon]\nallow = [{ name = \"hypher\" }]\nmin-publish-age = \"soon\"\ncolour = 1\n");
        Run bad = run("recon", "p");
        assertThat(bad.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(bad.err()).contains("warden.toml:4: unknown key 'colour' in [recon]",
                "warden.toml:2: recon allow of hypher needs a reason",
                "warden.toml:3: min-publish-age must be a duration such as 36h, 90d, 12w or P90D, found 'soon'");
    }

    @Test
    void dependencyConfusionFromTheLockfileTheManifestsAndTheConfiguration() {
        String git = "git+https://github.com/someone/serde?branch=main#0123456789abcdef0123456789abcdef01234567";
        write(dir, "p/.cargo/config.toml", "[registries.acme]\nindex = \"sparse+https://crates.acme.test/index/\"\n");
        write(dir, "p/Cargo.toml", """
                [package]
                name = "app"
                version = "0.1.0"
                edition = "2021"

                [dependencies]
                acme-auth = "1"
                acme-billing = { version = "2", registry = "acme" }
                serde = "1"
                patched = { git = "https://github.com/someone/patched", branch = "main" }
                pinned = { git = "https://github.com/someone/pinned", rev = "0123456" }
                tagged = { git = "https://github.com/someone/tagged", tag = "v1" }
                """);
        write(dir, "p/src/main.rs", "fn main() {}\n");
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("acme-auth 1.0.0", "acme-billing 2.0.0", "serde 1.0.200",
                "serde 1.0.100 " + git, "log 0.4.22 sparse+https://crates.acme.test/index/",
                "patched 0.1.0 git+https://github.com/someone/patched?branch=main#" + "a".repeat(40),
                "pinned 0.1.0 git+https://github.com/someone/pinned?rev=0123456#" + "0123456" + "b".repeat(33),
                "tagged 0.1.0 git+https://github.com/someone/tagged?tag=v1#" + "c".repeat(40)));
        Run json = run("recon", "p", "--only", "confusion", "--internal-prefix", "acme-", "--format", "json");
        assertThat(json.status()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = json.json();
        assertThat(values(report, "crate")).containsExactlyInAnyOrder(
                "internal-crate-from-crates-io:acme-auth", "internal-crate-from-crates-io:acme-billing",
                "internal-crate-without-registry:acme-auth", "private-crate-resolved-publicly:acme-billing",
                "same-name-two-sources:serde", "name-also-on-crates-io:log", "git-dependency-unpinned:patched",
                "git-dependency-unpinned:tagged");
        assertThat(values(report, "severity")).contains("internal-crate-from-crates-io:critical",
                "private-crate-resolved-publicly:critical", "git-dependency-unpinned:medium",
                "git-dependency-unpinned:low");
        Run text = run("recon", "p", "--only", "confusion", "--internal-prefix", "acme-");
        assertThat(text.out()).contains("acme-auth is named like an internal crate (prefix 'acme-') but is declared "
                        + "without `registry = \"…\"`", "at:       Cargo.toml:7",
                "log comes from registry 'acme', but crates.io has log",
                "patched follows branch 'main' of https://github.com/someone/patched", "at:       Cargo.toml:10");
    }

    private static String entry(String name, String version, String pubtime, boolean yanked) {
        return "{\"name\":\"" + name + "\",\"vers\":\"" + version + "\",\"deps\":[],\"cksum\":\"" + "a".repeat(64)
                + "\",\"features\":{},\"yanked\":" + yanked + ",\"pubtime\":\"" + pubtime + "\"}\n";
    }

    @Test
    void freshnessFromASparseIndex() throws Exception {
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("tokio 1.0.0", "fresh 0.3.1", "old 1.2.0", "behind 0.1.0", "gone 1.0.0"));
        try (LoopbackServer index = new LoopbackServer()) {
            index.serve("/config.json", "{\"dl\":\"" + index.url() + "dl\"}");
            index.serve("/to/ki/tokio", entry("tokio", "1.0.0", "2021-01-01T00:00:00Z", false)
                    + entry("tokio", "1.50.0", "2026-11-01T00:00:00Z", false)
                    + entry("tokio", "2.0.0-alpha.1", "2026-11-20T00:00:00Z", false));
            // Published ten hours before the test clock (2026-11-25T12:00Z).
            index.serve("/fr/es/fresh", entry("fresh", "0.3.0", "2026-10-01T00:00:00Z", false)
                    + entry("fresh", "0.3.1", "2026-11-25T02:00:00Z", false));
            index.serve("/3/o/old", entry("old", "1.2.0", "2019-05-01T00:00:00Z", false));
            index.serve("/be/hi/behind", entry("behind", "0.1.0", "2023-01-01T00:00:00Z", false)
                    + entry("behind", "0.4.0", "2025-01-01T00:00:00Z", false)
                    + entry("behind", "0.5.0", "2026-01-01T00:00:00Z", true));
            Run json = run("recon", "p", "--only", "freshness", "--index-url", "sparse+" + index.url(),
                    "--format", "json");
            assertThat(json.status()).as(json.err()).isEqualTo(Main.EXIT_OK);
            JsonNode report = json.json();
            assertThat(values(report, "crate")).containsExactlyInAnyOrder("recently-published:fresh",
                    "stale-crate:old", "outdated-crate:behind");
            JsonNode behind = report.path("findings").findParents("crate").stream()
                    .filter(f -> f.path("crate").asText().equals("behind")).findFirst().orElseThrow();
            assertThat(behind.path("latest").asText()).isEqualTo("0.4.0");
            assertThat(behind.path("behind").asText()).isEqualTo("0.3.0");
            assertThat(behind.path("libyears").asText()).isEqualTo("2.00");
            assertThat(behind.path("yanked").asText()).isEqualTo("1 of 3 versions");
            // tokio: a compatible update (½), fresh and old: current (1 each), behind: a breaking release (0).
            assertThat(report.path("subject").path("freshness").asText()).isEqualTo(
                    "score 63/100: 2 of 4 crates on their newest release, 7.8 libyears behind; 1 crates unknown to the index");
            assertThat(run("recon", "p", "--only", "freshness", "--index-url", "sparse+" + index.url()).out())
                    .contains("fresh 0.3.1 was published 10 hours ago, less than the minimum age of 3 days",
                            "old has had no release for 7 years (last on 2019-05-01)",
                            "behind 0.1.0 is behind 0.4.0 (2.0 libyears)");
            write(dir, "p/warden.toml", "[recon]\nmin-publish-age = \"6h\"\nstale-after = \"3650d\"\n");
            assertThat(run("recon", "p", "--only", "freshness", "--index-url", "sparse+" + index.url(),
                    "--format", "json").json().path("findings")).hasSize(1);
        }
        Run offline = run("recon", "p", "--only", "freshness");
        assertThat(offline.out()).contains("freshness: unknown: no index knows these crates");
    }

    @Test
    void publicIntelIsAskedForTheCratesThatMatter() throws Exception {
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("serd 0.1.2", "serde 1.0.228"));
        Path recorded = Path.of("src/test/resources/recon/intel");
        try (LoopbackServer services = new LoopbackServer()) {
            for (String name : List.of("serd", "serde")) {
                services.serve("/api/v1/crates/" + name, Files.readString(recorded.resolve(name + ".json")));
                services.serve("/api/v1/crates/" + name + "/owners",
                        Files.readString(recorded.resolve(name + "-owners.json")));
            }
            services.serve("/search/code", Files.readString(recorded.resolve("github-none.json")));
            services.serve("/.api/graphql", Files.readString(recorded.resolve("sourcegraph-none.json")));
            Map<String, String> env = Map.of("GITHUB_TOKEN", "t0ken", "WARDEN_CACHE_DIR", dir.resolve("cache").toString());
            String[] intel = {"--intel", "--crates-io-url", services.url(), "--github-api-url", services.url(),
                "--sourcegraph-url", services.url(), "--intel-interval", "0ms", "--only", "typosquat", "--format", "json", "--fail-level", "medium"};
            Run json = Run.in(dir, env, concat(new String[] {"recon", "p"}, intel));
            assertThat(json.status()).as(json.err()).isEqualTo(Main.EXIT_FINDINGS);
            JsonNode report = json.json();
            assertThat(values(report, "crate")).containsExactlyInAnyOrder("typosquat:serd", "young-crate:serd",
                    "few-downloads:serd", "no-repository:serd", "unmentioned-crate:serd", "unmentioned-crate:serde");
            assertThat(report.path("subject").path("intel").asText()).isEqualTo("2 crates looked up: 8 asked, 0 from the cache");
            JsonNode young = report.path("findings").findParents("id").stream()
                    .filter(f -> f.path("id").asText().equals("young-crate")).findFirst().orElseThrow();
            assertThat(young.path("owners").asText()).isEqualTo("helpful-dev-99");
            assertThat(young.path("evidence").get(0).path("file").asText()).isEqualTo("Cargo.lock");

            Run again = Run.in(dir, env, concat(new String[] {"recon", "p"}, intel));
            assertThat(again.json().path("subject").path("intel").asText())
                    .isEqualTo("2 crates looked up: 0 asked, 8 from the cache");
        }
        // Offline: said once however many crates there are, not once per request.
        Run unreachable = Run.in(dir, Map.of("WARDEN_CACHE_DIR", dir.resolve("empty").toString()), "recon", "--name",
                "tokio", "--name", "serd", "--name", "rands", "--intel", "--crates-io-url", "http://127.0.0.1:9",
                "--sourcegraph-url", "none");
        assertThat(unreachable.status()).isEqualTo(Main.EXIT_OK);
        assertThat(unreachable.err()).containsOnlyOnce("cannot be reached").contains("warning: intel unknown: "
                + "crates.io: 127.0.0.1 cannot be reached (ConnectException): not asked again in this run");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void badOptionsAreOneLineErrors() {
        write(dir, "p/Cargo.lock", Lockfiles.appDependingOn("serde 1.0.0"));
        assertThat(run("recon", "p", "--only", "vibes").err().strip())
                .isEqualTo("warden: unknown check 'vibes' for --only (expected typosquat, confusion or freshness)");
        assertThat(run("recon", "p", "--popular", "missing.csv").err()).contains("missing.csv: file not found");
        assertThat(run("recon", "p", "--popular", "missing.csv").status()).isEqualTo(Main.EXIT_ERROR);
    }
}
