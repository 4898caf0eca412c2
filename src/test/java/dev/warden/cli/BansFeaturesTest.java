package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code [[bans.features]]} and the default-features levels on features resolved from vendored manifests as Cargo
 * enables them: {@code dep:} hides an implicit feature, {@code x?/f} waits for {@code x}, {@code x/f} turns {@code x}
 * on, {@code default-features = false} leaves defaults off.
 */
class BansFeaturesTest {

    private static final String CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

    @TempDir
    Path dir;

    @BeforeEach
    void project() {
        write(dir, "app/Cargo.toml", """
                [package]
                name = "app"
                version = "0.1.0"

                [dependencies]
                tls = { version = "1", default-features = false, features = ["rustls"] }
                logger = "1"
                """);
        write(dir, "app/src/main.rs", "fn main() {}\n");
        write(dir, "app/.cargo/config.toml", "[source.crates-io]\nreplace-with = \"vendored\"\n\n"
                + "[source.vendored]\ndirectory = \"../vendor\"\n");
        vendored("tls", "1.0.0", """
                [features]
                default = ["native"]
                native = ["dep:openssl"]
                rustls = ["dep:rustls", "ring?/asm", "logger/kv"]

                [dependencies]
                openssl = { version = "0.10", optional = true }
                rustls = { version = "0.23", optional = true }
                ring = { version = "0.17", optional = true }
                logger = { version = "1", default-features = false }
                """);
        vendored("rustls", "0.23.0", "[features]\ndefault = [\"std\"]\nstd = []\n");
        vendored("logger", "1.0.0", "[features]\ndefault = [\"std\"]\nstd = []\nkv = [\"value-bag/std\"]\n\n"
                + "[dependencies]\nvalue-bag = { version = \"1\", optional = true }\n");
        vendored("value-bag", "1.0.0", "[features]\nstd = []\n");
        StringBuilder lock = new StringBuilder("version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "dependencies = [\"logger\", \"tls\"]\n");
        for (String pkg : List.of("logger 1.0.0 value-bag", "rustls 0.23.0", "tls 1.0.0 logger rustls",
                "value-bag 1.0.0")) {
            String[] f = pkg.split(" ");
            lock.append("\n[[package]]\nname = \"").append(f[0]).append("\"\nversion = \"").append(f[1])
                    .append("\"\nsource = \"").append(CRATES_IO).append("\"\nchecksum = \"").append(checksum(f[0]))
                    .append("\"\n");
            if (f.length > 2) {
                lock.append("dependencies = [\"").append(String.join("\", \"", List.of(f).subList(2, f.length)))
                        .append("\"]\n");
            }
        }
        write(dir, "app/Cargo.lock", lock.toString());
    }

    private void vendored(String name, String version, String rest) {
        write(dir, "vendor/" + name + "/Cargo.toml", "[package]\nname = \"" + name + "\"\nversion = \"" + version
                + "\"\nlicense = \"MIT\"\n\n" + rest);
        write(dir, "vendor/" + name + "/src/lib.rs", "pub fn f() {}\n");
        write(dir, "vendor/" + name + "/.cargo-checksum.json", "{\"files\":{},\"package\":\"" + checksum(name)
                + "\"}");
    }

    private static String checksum(String name) {
        return String.format("%064x", name.hashCode() & 0xffffffffL);
    }

    private List<String> bans(String policy) {
        write(dir, "app/warden.toml", policy);
        Run run = Run.in(dir, "gate", "app", "--offline", "--format", "json", "--store", "g.db");
        List<String> found = new ArrayList<>();
        for (JsonNode finding : run.json().path("findings")) {
            String id = finding.path("id").asText();
            if (id.startsWith("feature") || id.equals("default-features-enabled")) {
                found.add(id + (finding.path("blocking").asBoolean() ? "! " : " ") + finding.path("message").asText());
            }
        }
        return found;
    }

    @Test
    void enabledFeaturesAreJudgedAsCargoEnablesThem() {
        assertThat(bans("""
                [[bans.features]]
                crate = "tls"
                deny = ["native"]
                allow = ["rustls"]
                exact = true

                [[bans.features]]
                crate = "logger"
                deny = ["kv"]

                [[bans.features]]
                crate = "value-bag"
                allow = ["std"]
                exact = true
                """)).containsExactlyInAnyOrder(
                // tls/rustls turned logger/kv on even though tls takes logger without its defaults; the app's
                // own logger = "1" keeps the defaults, so both are on (features are unified).
                "feature-banned! logger 1.0.0 has feature kv enabled that [[bans.features]] denies");
    }

    @Test
    void anAllowListNamesEveryFeatureAndExactNamesNoMore() {
        assertThat(bans("""
                [[bans.features]]
                crate = "logger"
                allow = ["std", "kv", "serde"]
                exact = true
                """)).containsExactlyInAnyOrder(
                // kv = ["value-bag/std"] also turns on the implicit feature value-bag (no "dep:value-bag" hides it)
                "feature-not-allowed! logger 1.0.0 has features default, value-bag enabled that [[bans.features]] "
                        + "does not allow",
                "feature-allowed-not-enabled! logger 1.0.0 does not have feature serde enabled, which its exact "
                        + "[[bans.features]] entry allows");
    }

    @Test
    void defaultFeaturesAtTheirLevelsUnlessAnEntryAllowsThem() {
        assertThat(bans("""
                [bans]
                external-default-features = "deny"

                [[bans.features]]
                crate = "rustls"
                allow = ["default", "std"]
                """)).containsExactlyInAnyOrder(
                "default-features-enabled! logger 1.0.0 is built with its default features "
                        + "(external-default-features = \"deny\")");
    }

    @Test
    void aManifestNotReadHereLeavesTheFeaturesUnverified() {
        write(dir, "vendor/tls/Cargo.toml", "not a manifest = [");
        assertThat(bans("""
                [[bans.features]]
                crate = "logger"
                deny = ["kv"]
                """)).containsExactly("features-unverified logger 1.0.0: its features were not checked, a manifest "
                + "that decides them was not read here (at least default, std enabled)");
    }
}
