package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.AttackProject;
import dev.warden.testing.CrateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class ScanCliTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SEVERITIES = Set.of("info", "low", "medium", "high", "critical");


    private Run run(String... args) {
        return Run.in(dir, args);
    }

    private static JsonNode crate(JsonNode report, String name) {
        for (JsonNode crate : report.path("crates")) {
            if (crate.path("name").asText().equals(name)) {
                return crate;
            }
        }
        throw new AssertionError(name + " not in " + report);
    }

    private static List<String> ids(JsonNode crate) {
        List<String> ids = new ArrayList<>();
        crate.path("findings").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    @Test
    void aCrateDirectoryGivesOneObjectWithUnsafeCountsAndFindings() throws Exception {
        AttackCrates.urlParse(dir.resolve("url-parse"), AttackCrates.EXFILTRATING_BUILD_SCRIPT);
        write(dir.resolve("url-parse"), "src/ffi.rs", """
                unsafe extern "C" { fn abs(x: i32) -> i32; }
                pub unsafe fn raw(p: *const u8) -> u8 { unsafe { *p } }
                pub fn call() -> i32 { unsafe { abs(-1) } }
                unsafe impl Send for Wrapper {}
                pub unsafe trait Marker {}
                pub struct Wrapper(*mut u8);
                """);
        Run run = run("scan", "url-parse", "--format", "json");
        assertThat(run.status()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = run.json();
        assertThat(report.path("crates")).hasSize(1);
        JsonNode crate = report.path("crates").get(0);
        assertThat(crate.path("name").asText()).isEqualTo("url-parse");
        assertThat(crate.path("version").asText()).isEqualTo("0.1.0");
        JsonNode unsafeCounts = crate.path("unsafe");
        assertThat(List.of(unsafeCounts.path("functions").asInt(), unsafeCounts.path("blocks").asInt(),
                unsafeCounts.path("impls").asInt(), unsafeCounts.path("traits").asInt())).containsExactly(1, 2, 1, 1);
        JsonNode ffi = crate.path("unsafeByFile").path("src/ffi.rs");
        assertThat(List.of(ffi.path("functions").asInt(), ffi.path("blocks").asInt())).containsExactly(1, 2);
        assertThat(crate.path("unsafeByFile").has("build.rs")).isFalse();
        assertThat(crate.path("unsafeByRole").path("library").path("impls").asInt()).isEqualTo(1);
        assertThat(ids(crate)).contains("exfiltration-pattern", "reads-secret-env", "network-access");
        crate.path("findings").forEach(f -> {
            assertThat(f.path("severity").asText()).isIn(SEVERITIES);
            assertThat(f.path("evidence").get(0).path("file").asText()).isNotBlank();
        });
        assertThat(report.path("summary").path("scanned").asInt()).isEqualTo(1);
    }

    @Test
    void aCrateFileIsReadWithoutUnpackingIt() throws Exception {
        Path source = dir.resolve("src-tree");
        AttackCrates.urlParse(source, AttackCrates.CONCATENATING_BUILD_SCRIPT);
        Path crate = CrateFiles.pack(source, dir.resolve("url-parse-0.1.0.crate"), "url-parse-0.1.0");
        Run text = run("scan", crate.getFileName().toString());
        assertThat(text.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(text.out()).contains("url-parse 0.1.0 [build script]", "error[exfiltration-pattern]",
                "at build.rs:", "runs nslookup");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("src-tree", "url-parse-0.1.0.crate");
        }
    }

    @Test
    void aProjectScansEveryPackageWithLocalSource() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        write(app, "Cargo.lock", AttackProject.lockfile(true));
        Run run = run("scan", "app", "--format", "json");
        assertThat(run.status()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode report = run.json();
        assertThat(report.path("crates").findValuesAsText("name"))
                .containsExactly("app", "rust-utilities-v2", "url-parse");
        assertThat(report.path("notScanned")).isEmpty();
        assertThat(ids(crate(report, "app"))).isEmpty();
        assertThat(ids(crate(report, "rust-utilities-v2"))).doesNotContain("exfiltration-pattern");
        assertThat(ids(crate(report, "url-parse"))).contains("exfiltration-pattern");

        // Without the vendored sources nothing is guessed: the packages are listed as not scanned, each with a
        // source-unverified finding, and the scan does not pass.
        Files.delete(app.resolve(".cargo/config.toml"));
        Run bare = run("scan", "app", "--offline", "--format", "json");
        assertThat(bare.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(bare.json().path("notScanned").findValuesAsText("crate")).contains("url-parse 0.1.0");
        assertThat(bare.json().path("summary").path("notScanned").asInt()).isEqualTo(2);
        assertThat(bare.json().path("unverified").findValuesAsText("id")).containsExactly("source-unverified",
                "source-unverified");
    }

    @Test
    void aCachedCrateFileIsCheckedAgainstTheLockfileChecksum() throws Exception {
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Files.delete(app.resolve(".cargo/config.toml"));
        Path cache = dir.resolve("home/.cargo/registry/cache/index.crates.io-1949cf8c6b5b557f");
        Path benign = dir.resolve("benign");
        AttackCrates.rustUtilities(benign, "2.1.0", false);
        Path crate = CrateFiles.pack(benign, cache.resolve("rust-utilities-v2-2.1.0.crate"), "rust-utilities-v2-2.1.0");

        // The lockfile's checksum is of some other file: the cached download is not what was locked.
        Run mismatch = run("scan", "app", "--format", "json");
        assertThat(mismatch.status()).isEqualTo(Main.EXIT_FINDINGS);
        JsonNode finding = crate(mismatch.json(), "rust-utilities-v2").path("findings").get(0);
        assertThat(finding.path("id").asText()).isEqualTo("crate-checksum-mismatch");
        assertThat(finding.path("severity").asText()).isEqualTo("critical");

        write(app, "Cargo.lock", AttackProject.lockfile(false)
                .replace(AttackProject.checksum("rust-utilities-v2-2.1.0"), CrateArchive.sha256(crate)));
        Run match = run("scan", "app", "--format", "json");
        assertThat(match.status()).isEqualTo(Main.EXIT_OK);
        assertThat(ids(crate(match.json(), "rust-utilities-v2"))).doesNotContain("crate-checksum-mismatch");
    }

    @Test
    void hostileArchivesAreRefusedWithOneLine() throws Exception {
        Path evil = CrateFiles.write(dir.resolve("evil-1.0.0.crate"), tar -> {
            CrateFiles.file(tar, "evil-1.0.0/Cargo.toml", "[package]\nname = \"evil\"\nversion = \"1.0.0\"\n");
            CrateFiles.link(tar, "evil-1.0.0/passwd", "/etc/passwd", false);
        });
        Run direct = run("scan", evil.getFileName().toString());
        assertThat(direct.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(direct.err().lines()).hasSize(1);
        assertThat(direct.err()).contains("evil-1.0.0.crate: refused:").doesNotContain("Exception");

        // Inside a project the rest is still scanned, and the hostile crate becomes a finding.
        Path app = AttackProject.write(dir, d -> AttackCrates.urlParse(d, AttackCrates.EXFILTRATING_BUILD_SCRIPT));
        Files.delete(app.resolve(".cargo/config.toml"));
        Path cache = dir.resolve("home/.cargo/registry/cache/index.crates.io-1949cf8c6b5b557f");
        Files.createDirectories(cache);
        Files.copy(evil, cache.resolve("rust-utilities-v2-2.1.0.crate"));
        Run inProject = run("scan", "app", "--format", "json");
        assertThat(inProject.status()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(ids(crate(inProject.json(), "rust-utilities-v2"))).contains("crate-refused");
    }

    @Test
    void benignCratesPassAndBadOptionsAreOneLineErrors() throws Exception {
        AttackCrates.rustUtilities(dir.resolve("util"), "2.1.0", false);
        Run ok = run("scan", "util");
        assertThat(ok.status()).isEqualTo(Main.EXIT_OK);
        assertThat(ok.out()).contains("1 crate scanned", "no findings");

        Run level = run("scan", "util", "--fail-level", "severe");
        assertThat(level.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(level.err().strip()).isEqualTo("warden: Invalid value for option '--fail-level': unknown "
                + "severity 'severe' (expected info, low, medium, high or critical) (see 'warden scan --help')");
        assertThat(run("scan", "util", "--format", "sarif").err()).contains("--format sarif is not supported");
        assertThat(run("scan", "nowhere").err()).contains("nowhere: no such file or directory");
    }
}
