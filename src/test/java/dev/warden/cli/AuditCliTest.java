package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.warden.testing.Corpus;
import dev.warden.testing.SarifMultitool;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class AuditCliTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();


    private Run run(Map<String, String> env, String... args) {
        return Run.in(dir, env, args);
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    private static String foundry() {
        return Corpus.bundled("lockfiles/foundry-rs__foundry").toString();
    }

    @Test
    void vulnerableLockfileFailsWithFindingsInEveryFormat() throws Exception {
        Run text = run("audit", foundry());
        assertThat(text.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(text.out()).contains("error[vulnerable-crate] RUSTSEC-2026-0194", "quick-xml 0.39.4",
                "path:     forge 1.8.0 → soldeer-commands 0.11.0", "at:       Cargo.lock:9545",
                "warning[advisory-db-stale]");

        Run json = run("audit", foundry(), "--format", "json");
        assertThat(json.status()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = json.json();
        assertThat(report.path("summary").path("blocking").asInt()).isEqualTo(2);
        JsonNode first = report.path("findings").get(0);
        assertThat(first.path("id").asText()).isEqualTo("vulnerable-crate");
        assertThat(first.path("severity").asText()).isEqualTo("high");
        assertThat(first.path("blocking").asBoolean()).isTrue();
        assertThat(first.path("evidence").get(0).path("line").asInt()).isEqualTo(9545);
        assertThat(first.path("advisory").asText()).startsWith("RUSTSEC-2026-019");

        Run markdown = run("audit", foundry(), "--format", "markdown");
        assertThat(markdown.out()).startsWith("### Warden audit: ❌ blocked").contains("| ❌ | high | `quick-xml 0.39.4` |");
    }

    @Test
    void theReportSaysWhichDataItUsedAndEmptyDataIsAnError() throws Exception {
        Run text = run("audit", foundry());
        assertThat(text.out()).containsPattern("advisory data: \\d{4} advisories from embedded RustSec advisory-db "
                + "[0-9a-f]+ \\(\\d{4}-\\d\\d-\\d\\d\\)").contains("registry index: Cargo's local index cache only (offline)");
        assertThat(run("audit", foundry(), "--format", "json").json().path("subject").path("advisoryData").asText())
                .contains(" advisories from embedded RustSec");

        Files.createDirectories(dir.resolve("empty"));
        Run empty = run("audit", foundry(), "--db", "empty");
        assertThat(empty.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(empty.err()).contains("empty: no advisories found there").doesNotContain("Exception");
    }

    /**
     * cargo-audit's `--json` shape (rustsec's Report: database, lockfile, settings, vulnerabilities.list[] of
     * {advisory, versions, affected, package}, warnings by kind) so consumers of cargo-audit work unchanged.
     */
    @Test
    void cargoAuditJsonHasCargoAuditsShapeAndTheSameVulnerabilities() {
        JsonNode ours = run("audit", foundry(), "--format", "json").json();
        JsonNode theirs = run("audit", foundry(), "--format", "cargo-audit-json").json();
        assertThat(theirs.has("schemaVersion")).isFalse();
        assertThat(theirs.path("database").path("advisory-count").asInt()).isGreaterThan(1000);
        assertThat(theirs.path("lockfile").path("dependency-count").asInt()).isGreaterThan(1000);
        JsonNode vulnerabilities = theirs.path("vulnerabilities");
        List<String> vulnerable = new ArrayList<>();
        ours.path("findings").forEach(f -> {
            if (f.path("id").asText().equals("vulnerable-crate")) {
                vulnerable.add(f.path("advisory").asText() + " " + f.path("crate").asText());
            }
        });
        List<String> listed = new ArrayList<>();
        vulnerabilities.path("list").forEach(v -> listed.add(v.path("advisory").path("id").asText() + " "
                + v.path("package").path("name").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(vulnerable);
        assertThat(vulnerabilities.path("found").asBoolean()).isTrue();
        assertThat(vulnerabilities.path("count").asInt()).isEqualTo(listed.size());
        JsonNode first = vulnerabilities.path("list").get(0);
        assertThat(first.path("advisory").path("collection").asText()).isEqualTo("crates");
        assertThat(first.path("versions").has("patched")).isTrue();
        assertThat(first.path("package").path("source").asText()).startsWith("registry+");
        assertThat(first.has("affected")).isTrue();
        theirs.path("warnings").fields().forEachRemaining(kind -> kind.getValue().forEach(w ->
                assertThat(w.path("kind").asText()).isEqualTo(kind.getKey())));
    }

    @Test
    void sarifIsValidAgainstTheSchemaAndPointsAtLockfileLines() throws Exception {
        Run sarif = run("audit", foundry(), "--format", "sarif");
        JsonNode log = sarif.json();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema schema = factory.getSchema(JSON.readTree(Path.of("src/test/resources/sarif/sarif-2.1.0.json").toFile()));
        Set<ValidationMessage> errors = schema.validate(log);
        assertThat(errors).isEmpty();
        JsonNode result = log.path("runs").get(0).path("results").get(0);
        JsonNode location = result.path("locations").get(0).path("physicalLocation");
        assertThat(location.path("artifactLocation").path("uri").asText()).isEqualTo("Cargo.lock");
        assertThat(location.path("region").path("startLine").asInt()).isEqualTo(9545);
        assertThat(result.path("level").asText()).isEqualTo("error");
        assertThat(log.path("runs").get(0).path("tool").path("driver").path("rules").get(0).path("id").asText())
                .isEqualTo(result.path("ruleId").asText());
        SarifMultitool.assertAccepts(dir, "audit", sarif.out());
    }

    @Test
    void failLevelIgnoresAndDenyChangeTheVerdict() {
        assertThat(run("audit", foundry(), "--fail-level", "critical").status()).isEqualTo(Main.EXIT_OK);
        assertThat(run("audit", foundry(), "--ignore", "RUSTSEC-2026-0194", "--ignore", "RUSTSEC-2026-0195").status())
                .isEqualTo(Main.EXIT_OK);
        assertThat(run("audit", foundry(), "--fail-level", "critical", "--deny", "unmaintained").status())
                .isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run("audit", foundry(), "--fail-level", "critical", "--stale", "365d", "--deny", "stale").status())
                .isEqualTo(Main.EXIT_OK);
    }

    @Test
    void policyFileProblemsAreAllReportedWithTheirLines() {
        write(dir, "p/Cargo.lock", "version = 4\n[[package]]\nname = \"p\"\nversion = \"0.1.0\"\n");
        write(dir, "p/warden.toml", """
                [audit]
                fail-level = "severe"
                deny = ["unmaintained", "bogus"]
                colour = "blue"
                ignore = [
                  { id = "RUSTSEC-2020-0071" },
                  { id = "RUSTSEC-2021-0001", reason = "ok", expires = "soon" },
                ]
                [lint]
                """);
        Run run = run("audit", "p");
        assertThat(run.status()).isEqualTo(Main.EXIT_ERROR);
        Path policy = dir.resolve("p/warden.toml");
        assertThat(run.err().lines()).containsExactlyInAnyOrder(
                "warden: " + policy + ":9: unknown section [lint] (known: audit, bans, build-code, ci, diff, gate, licenses, limit, recon, registry, review, scan, sources, store, unsafe)",
                "warden: " + policy + ":4: unknown key 'colour' in [audit]",
                "warden: " + policy + ":2: unknown severity 'severe' (expected info, low, medium, high or critical)",
                "warden: " + policy + ":3: unknown warning kind 'bogus' (expected unmaintained, unsound, notice, yanked, stale or warnings)",
                "warden: " + policy + ":6: audit ignore of RUSTSEC-2020-0071 needs a reason",
                "warden: " + policy + ":7: expires must be a date (YYYY-MM-DD), found 'soon'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void policyFileIgnoresApplyUntilTheyExpire() {
        String lock = Corpus.bundled("lockfiles/foundry-rs__foundry/Cargo.lock").toString();
        write(dir, "policy.toml", """
                [audit]
                ignore = [
                  { id = "RUSTSEC-2026-0194", reason = "parser only sees trusted input", expires = 2027-06-30 },
                  { id = "RUSTSEC-2026-0195", reason = "same", expires = 2026-01-01 },
                ]
                """);
        Run run = run("audit", lock, "--config", "policy.toml", "--format", "json");
        assertThat(run.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run.out()).contains("\"advisory-ignore-expired\"", "RUSTSEC-2026-0195").doesNotContain("RUSTSEC-2026-0194\"");
    }

    @Test
    void osvDataAloneGivesTheSameBlockingFindings() throws Exception {
        Run osv = run("audit", foundry(), "--format", "json", "--db", Path.of("src/test/resources/advisories/rustsec-osv.jsonl")
                .toAbsolutePath().toString(), "--stale", "100000d");
        Run embedded = run("audit", foundry(), "--format", "json", "--stale", "100000d");
        assertThat(advisoryKeys(osv.json())).isEqualTo(advisoryKeys(embedded.json())).isNotEmpty();
    }

    private static List<String> advisoryKeys(JsonNode report) {
        List<String> keys = new ArrayList<>();
        report.path("findings").forEach(f -> keys.add(f.path("crate").asText() + " " + f.path("advisory").asText()));
        keys.sort(null);
        return keys;
    }

    @Test
    void reportsGoToAFileOnlyWhenComplete() throws Exception {
        Run run = run("audit", foundry(), "--format", "sarif", "--output", "out/audit.sarif");
        assertThat(run.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(run.out()).isEmpty();
        assertThat(JSON.readTree(dir.resolve("out/audit.sarif").toFile()).path("version").asText()).isEqualTo("2.1.0");
        write(dir, "blocker", "a file where a directory should be");
        Run blocked = run("audit", foundry(), "--output", "blocker/audit.txt");
        assertThat(blocked.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(blocked.err()).startsWith("warden: " + dir.resolve("blocker/audit.txt") + ": cannot write the report");
    }

    @Test
    void dbUpdateFetchesWithGitAndLaterAuditsUseIt() throws Exception {
        Path upstream = dir.resolve("upstream");
        try (Git git = Git.init().setDirectory(upstream.toFile()).setInitialBranch("main").call()) {
            write(upstream, "crates/fresh-crate/RUSTSEC-2026-9001.md", "```toml\n[advisory]\nid = \"RUSTSEC-2026-9001\"\n"
                    + "package = \"fresh-crate\"\ndate = \"2026-11-20\"\n[versions]\npatched = [\">= 2.0.0\"]\n```\n# New bug\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("advisory").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
        }
        Map<String, String> env = Map.of("WARDEN_CACHE_DIR", dir.resolve("cache").toString());
        Run update = run(env, "db", "update", "--url", upstream.toUri().toString());
        assertThat(update.status()).as(update.err()).isZero();
        assertThat(update.out()).contains("1 advisories indexed");
        write(dir, "p/Cargo.lock", "version = 4\n[[package]]\nname = \"fresh-crate\"\nversion = \"1.0.0\"\n"
                + "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n");
        Run audit = run(env, "audit", "p", "--format", "json");
        assertThat(audit.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(audit.out()).contains("RUSTSEC-2026-9001");
        assertThat(run(env, "db", "info").out()).contains("RustSec advisory-db", "crates with advisories: 1");
        // A second update fast-forwards the existing clone.
        assertThat(run(env, "db", "update", "--url", upstream.toUri().toString()).status()).isZero();
        Run unreachable = run(Map.of("WARDEN_CACHE_DIR", dir.resolve("other").toString()), "db", "update", "--url",
                "http://127.0.0.1:9/advisory-db.git");
        assertThat(unreachable.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(unreachable.err()).startsWith("warden: cannot update the advisory database from http://127.0.0.1:9/");
    }
}
