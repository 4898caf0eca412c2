package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.exercise.DrillCrates;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.LoopbackCratesIo;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate where users run it: a fresh CI runner with an empty Cargo home, the crates only on their registry (a
 * crates.io stand-in on loopback, reached through source replacement as Cargo would), and a pull request that moves
 * {@code rust-utilities-v2} from 2.1.0 to the compromised 2.1.1, which adds {@code url-parse}.
 */
class FreshRunnerGateTest {

    @TempDir
    Path dir;

    private LoopbackCratesIo cratesIo;
    private Map<String, String> freshRunner;

    @BeforeEach
    void world() {
        cratesIo = new LoopbackCratesIo(dir.resolve("registry"));
        Path sources = dir.resolve("sources");
        cratesIo.publish(sources.resolve("ru-2.1.0"), d -> AttackCrates.rustUtilities(d, "2.1.0", false));
        cratesIo.publish(sources.resolve("url-parse"), d -> AttackCrates.urlParse(d,
                AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        cratesIo.publish(sources.resolve("ru-2.1.1"), d -> AttackCrates.rustUtilities(d, "2.1.1", true));
        write(dir, "app/Cargo.toml", AttackProject.MANIFEST);
        write(dir, "app/src/main.rs", "fn main() {}\n");
        write(dir, "app/.cargo/config.toml", cratesIo.cargoConfig());
        write(dir, "app/before.lock", cratesIo.lockfile("rust-utilities-v2 2.1.0"));
        write(dir, "app/Cargo.lock", cratesIo.lockfile("rust-utilities-v2 2.1.1 -> url-parse",
                "~url-parse 0.1.0"));
        freshRunner = Map.of("CARGO_HOME", dir.resolve("empty-cargo-home").toString(),
                "WARDEN_CACHE_DIR", dir.resolve("warden-cache").toString(), "CARGO_NET_OFFLINE", "false");
    }

    @AfterEach
    void stop() {
        cratesIo.close();
    }

    private Run warden(String... args) {
        return Run.in(dir, freshRunner, args);
    }

    private static List<String> findings(JsonNode report) {
        List<String> values = new ArrayList<>();
        report.path("findings").forEach(f -> values.add(f.path("id").asText() + ":" + f.path("crate").asText() + " "
                + f.path("version").asText() + (f.path("blocking").asBoolean() ? "!" : "")));
        return values;
    }

    private List<Path> cached() throws IOException {
        Path crates = dir.resolve("warden-cache/crates");
        if (!Files.isDirectory(crates)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(crates)) {
            return files.sorted().toList();
        }
    }

    @Test
    void theGateDownloadsVerifiesAndJudgesEveryCrateTheChangeBrings() throws IOException {
        Run run = warden("gate", "app", "--base", "app/before.lock", "--format", "json", "--store", "d.db");
        assertThat(run.status()).as(run.err() + run.out()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = run.json();
        // The new 2.1.1 and url-parse, and the old 2.1.0 so that the capability delta is real.
        assertThat(report.path("coverage").path("asked").asInt()).isEqualTo(3);
        assertThat(report.path("coverage").path("judged").asInt()).isEqualTo(3);
        assertThat(report.path("coverage").path("downloaded").asInt()).isEqualTo(3);
        assertThat(report.path("coverage").path("unverified").asInt()).isZero();
        assertThat(cratesIo.downloads()).containsExactlyInAnyOrder(
                "/api/v1/crates/rust-utilities-v2/2.1.0/download", "/api/v1/crates/rust-utilities-v2/2.1.1/download",
                "/api/v1/crates/url-parse/0.1.0/download");
        assertThat(findings(report)).contains("exfiltration-pattern:url-parse 0.1.0!")
                .noneMatch(f -> f.startsWith("source-unverified"));
        // Content-addressed: each file is named by the checksum the lockfile records for it.
        assertThat(cached()).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                cratesIo.checksum("rust-utilities-v2", "2.1.0") + ".crate",
                cratesIo.checksum("rust-utilities-v2", "2.1.1") + ".crate",
                cratesIo.checksum("url-parse", "0.1.0") + ".crate");

        Run text = warden("gate", "app", "--base", "app/before.lock", "--store", "d.db");
        assertThat(text.out()).contains("from source: 3 of 3 crates judged from source",
                "rust-utilities-v2", "decision: BLOCKED by diff");
        // The second run reads Warden's cache: nothing is downloaded again.
        assertThat(cratesIo.downloads()).hasSize(3);

        Run markdown = warden("gate", "app", "--base", "app/before.lock", "--format", "markdown", "--store", "d.db");
        assertThat(markdown.out()).contains("| `url-parse` | 0.1.0 (new) (added) | build script:",
                "reads AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void offlineTheCratesItCouldNotReadBlockAsUnverified() throws IOException {
        Run run = warden("gate", "app", "--base", "app/before.lock", "--offline", "--format", "json", "--store", "d.db");
        assertThat(run.status()).as(run.err()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = run.json();
        assertThat(findings(report)).contains("source-unverified:url-parse 0.1.0!",
                "source-unverified:rust-utilities-v2 2.1.1!", "source-unverified:rust-utilities-v2 2.1.0");
        assertThat(report.path("coverage").path("judged").asInt()).isZero();
        assertThat(report.path("coverage").path("unverified").asInt()).isEqualTo(3);
        assertThat(cratesIo.requests()).isEmpty();
        assertThat(cached()).isEmpty();
        Run text = warden("gate", "app", "--base", "app/before.lock", "--offline", "--store", "d.db");
        assertThat(text.out()).contains("url-parse 0.1.0 could not be read (offline)", "FAIL coverage",
                "0 of 3 crates judged from source; 3 unverified");

        // The policy decides: warn lets the change through with the same findings shown.
        write(dir, "app/warden.toml", "[gate]\nunverified = \"warn\"\noffline = true\n");
        Run warned = warden("gate", "app", "--base", "app/before.lock", "--format", "json", "--store", "d.db");
        assertThat(findings(warned.json())).contains("source-unverified:url-parse 0.1.0")
                .doesNotContain("source-unverified:url-parse 0.1.0!");
        assertThat(cratesIo.requests()).isEmpty();
    }

    @Test
    void aTamperedDownloadIsCriticalAndNeverRead() throws IOException {
        // The registry now serves other bytes for url-parse 0.1.0 than the ones the lockfile pinned.
        Path other = dir.resolve("evil");
        DrillCrates.library(other, "url-parse", "0.1.0", "", "pub fn parse() {}\n");
        Path served = cratesIo.registry().crateFile("url-parse", "0.1.0");
        Path repacked = LoopbackCratesIo.pack(other, dir.resolve("repacked"));
        Files.copy(repacked, served, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Run run = warden("gate", "app", "--base", "app/before.lock", "--format", "json", "--store", "d.db");
        assertThat(run.status()).as(run.err()).isEqualTo(Main.EXIT_FINDINGS);
        List<String> findings = findings(run.json());
        assertThat(findings).contains("crate-checksum-mismatch:url-parse 0.1.0!")
                .noneMatch(f -> f.startsWith("exfiltration-pattern:url-parse"));
        assertThat(run.json().path("findings").findValuesAsText("severity")).contains("critical");
        assertThat(cached()).extracting(p -> p.getFileName().toString())
                .doesNotContain(cratesIo.checksum("url-parse", "0.1.0") + ".crate")
                .noneMatch(name -> name.endsWith(".tmp"));
    }

    @Test
    void diffAndScanReadWhatTheyMustFromTheRegistryToo() {
        Run offline = warden("diff", "app/before.lock", "app/Cargo.lock", "--offline", "--format", "markdown",
                "--fail-level", "critical");
        assertThat(offline.out()).contains("0 of 2 changed crates reviewed from source: cannot call this clean")
                .doesNotContain("✅ clean");
        Run scanOffline = warden("scan", "app", "--offline");
        assertThat(scanOffline.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(scanOffline.out()).contains("not judged, so this scan cannot call them clean",
                "offline (2): rust-utilities-v2 2.1.1, url-parse 0.1.0");

        Run diff = warden("diff", "app/before.lock", "app/Cargo.lock", "--format", "json");
        assertThat(diff.status()).as(diff.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(diff.json().path("summary").path("reviewedFromSource").asInt()).isEqualTo(2);
        assertThat(diff.json().path("summary").path("unreviewed").asInt()).isZero();
        assertThat(findings(diff.json())).isEmpty(); // findings are per change in diff JSON
        assertThat(diff.json().toString()).contains("exfiltration-pattern");

        Run scan = warden("scan", "app", "--format", "json");
        assertThat(scan.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(scan.json().path("summary").path("notScanned").asInt()).isZero();
        assertThat(scan.json().path("unverified")).isEmpty();
    }

    @Test
    void aGitDependencyIsFetchedAtItsLockedCommitAndJudged() throws Exception {
        // A fork on a git server (here a bare repository read through file://), not on this machine's Cargo home.
        Path work = dir.resolve("fork-work");
        AttackCrates.urlParse(work.resolve("crates/url-parse"), AttackCrates.EXFILTRATING_BUILD_SCRIPT);
        write(work, "README.md", "a fork\n");
        String commit;
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            commit = git.commit().setMessage("fork").setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com").call().getName();
        }
        Path bare = dir.resolve("fork.git");
        Git.cloneRepository().setURI(work.toUri().toString()).setBare(true).setDirectory(bare.toFile()).call().close();
        String source = "git+" + bare.toUri() + "?rev=" + commit + "#" + commit;
        write(dir, "g/Cargo.lock", "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "dependencies = [\"url-parse\"]\n\n[[package]]\nname = \"url-parse\"\nversion = \"0.1.0\"\n"
                + "source = \"" + source + "\"\n");

        Run gate = warden("gate", "g", "--format", "json", "--store", "d.db");
        assertThat(gate.status()).as(gate.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(findings(gate.json())).contains("exfiltration-pattern:url-parse 0.1.0!")
                .noneMatch(f -> f.startsWith("source-unverified"));
        assertThat(gate.json().path("coverage").path("downloaded").asInt()).isEqualTo(1);
        assertThat(dir.resolve("warden-cache/git/checkouts/" + commit + "/crates/url-parse/build.rs")).exists();

        // Kept per commit: offline, the checkout is read again; a commit that is not there is unverified.
        Run cached = warden("gate", "g", "--offline", "--format", "json", "--store", "d.db");
        assertThat(findings(cached.json())).contains("exfiltration-pattern:url-parse 0.1.0!");
        write(dir, "g/Cargo.lock", Files.readString(dir.resolve("g/Cargo.lock")).replace(commit, "f".repeat(40)));
        Run missing = warden("gate", "g", "--format", "json", "--store", "d.db");
        assertThat(findings(missing.json())).contains("source-unverified:url-parse 0.1.0!");
        assertThat(missing.json().toString()).contains("has no commit " + "f".repeat(40));
    }
}
