package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.testing.AttackProject;
import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code warden weight} on vendored crates: what each direct dependency alone brings, read from its code. */
class WeightCliTest {

    @TempDir
    Path dir;

    private void crate(String name, String version, String lib, String buildScript, String... deps) {
        Path crate = dir.resolve("vendor/" + name + "-" + version);
        StringBuilder manifest = new StringBuilder("[package]\nname = \"" + name + "\"\nversion = \"" + version
                + "\"\nedition = \"2021\"\n");
        if (buildScript != null) {
            manifest.append("build = \"build.rs\"\n");
            Fixtures.write(crate, "build.rs", buildScript);
        }
        manifest.append("\n[dependencies]\n");
        for (String dep : deps) {
            manifest.append(dep).append(" = \"1\"\n");
        }
        Fixtures.write(crate, "Cargo.toml", manifest.toString());
        Fixtures.write(crate, "src/lib.rs", lib);
        AttackProject.vendored(crate, d -> { });
    }

    private static String locked(String name, String... deps) {
        StringBuilder text = new StringBuilder("\n[[package]]\nname = \"" + name + "\"\nversion = \"1.0.0\"\nsource = \""
                + AttackProject.CRATES_IO + "\"\nchecksum = \"" + AttackProject.checksum(name + "-1.0.0") + "\"\n");
        if (deps.length > 0) {
            text.append("dependencies = [").append(String.join(", ", java.util.Arrays.stream(deps)
                    .map(d -> "\"" + d + "\"").toList())).append("]\n");
        }
        return text.toString();
    }

    @Test
    void eachDirectDependencyIsWeighedByWhatItAloneBrings() {
        crate("left-pad", "1.0.0", "pub fn pad(s: &str, n: usize) -> String { format!(\"{:>n$}\", s) }\n", null);
        crate("big", "1.0.0", "pub fn big() {}\n".repeat(400), null, "big-core", "shared");
        crate("big-core", "1.0.0", "pub unsafe fn raw() {}\npub fn core() { unsafe { raw() } }\n",
                "fn main() { println!(\"cargo:rerun-if-changed=build.rs\"); }\n");
        crate("shared", "1.0.0", "pub fn shared() {}\n", null);
        crate("other", "1.0.0", "pub fn other() {}\n", null, "shared");
        Fixtures.write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
                + "[dependencies]\nleft-pad = \"1\"\nbig = \"1\"\nother = \"1\"\n");
        Fixtures.write(dir, "app/src/main.rs", """
                use big::{big as heavy, self};
                use other::*;
                fn main() {
                    // left_pad::ignored — a comment names no item
                    let _ = left_pad::pad("x", 3);
                    heavy();
                    big::big();
                }
                """);
        Fixtures.write(dir, "app/.cargo/config.toml", "[source.crates-io]\nreplace-with = \"vendored\"\n\n"
                + "[source.vendored]\ndirectory = \"../vendor\"\n");
        Fixtures.write(dir, "app/Cargo.lock", "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "dependencies = [\"big\", \"left-pad\", \"other\"]\n" + locked("big", "big-core", "shared")
                + locked("big-core") + locked("left-pad") + locked("other", "shared") + locked("shared"));

        Run json = Run.in(dir, "weight", "app", "--offline", "--format", "json");
        assertThat(json.status()).as(json.err()).isZero();
        Map<String, JsonNode> byCrate = new LinkedHashMap<>();
        json.json().path("dependencies").forEach(d -> byCrate.put(d.path("crate").asText(), d));
        assertThat(byCrate.keySet()).containsExactly("big", "left-pad", "other"); // heaviest first
        assertThat(byCrate.get("big").path("crates").asInt()).as("shared is other's too").isEqualTo(2);
        assertThat(byCrate.get("big").path("buildCode").asInt()).isEqualTo(1);
        assertThat(byCrate.get("big").path("unsafe").asInt()).isGreaterThan(0);
        assertThat(byCrate.get("left-pad").path("trivial").asBoolean()).isTrue();
        assertThat(byCrate.get("other").path("crates").asInt()).isEqualTo(1);
        assertThat(byCrate.get("big").path("trivial").asBoolean()).isFalse();
        assertThat(byCrate.get("big").path("lines").asInt()).isEqualTo(400 + 2 + 1); // big, big-core's lib and build.rs
        assertThat(byCrate.get("big").path("itemsUsed").toString()).isEqualTo("[\"big\"]");
        assertThat(byCrate.get("left-pad").path("itemsUsed").toString()).isEqualTo("[\"pad\"]");
        assertThat(byCrate.get("other").path("itemsUsed").isNull()).as("a glob import is not counted").isTrue();

        Run text = Run.in(dir, "weight", "app", "--offline");
        assertThat(text.out()).contains("left-pad 1.0.0: 1 crate, 1 line of Rust (0.1 KB); the workspace uses 1 item "
                + "of it (pad) — small enough to consider writing yourself", "big 1.0.0: 2 crates, 403 lines of Rust",
                "other 1.0.0: 1 crate, 1 line of Rust (0.0 KB); items used: not counted (a glob or bare import)");

        // The gate says it when a change adds such a dependency, and only then.
        Fixtures.write(dir, "app/before.lock", "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n"
                + "dependencies = [\"big\", \"other\"]\n" + locked("big", "big-core", "shared")
                + locked("big-core") + locked("other", "shared") + locked("shared"));
        Run gate = Run.in(dir, "gate", "app", "--base", "app/before.lock", "--offline", "--format", "json",
                "--store", "g.db");
        List<String> trivial = new ArrayList<>();
        gate.json().path("findings").forEach(f -> {
            if (f.path("id").asText().equals("trivial-dependency")) {
                trivial.add(f.path("message").asText());
            }
        });
        assertThat(trivial).containsExactly("the change adds left-pad, which brings 1 crate and 1 line of code for "
                + "pad: consider writing it yourself");
    }
}
