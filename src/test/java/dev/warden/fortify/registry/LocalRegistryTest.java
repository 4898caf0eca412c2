package dev.warden.fortify.registry;

import dev.warden.cargo.index.IndexEntry;
import dev.warden.cargo.index.SparseIndexClient;
import dev.warden.cargo.lock.Lockfile;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.cargo.lock.SourceId;
import dev.warden.core.WardenException;
import dev.warden.testing.CargoTool;
import dev.warden.testing.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRegistryTest {

    @TempDir
    Path dir;

    private Path crate(String name, String version, String extraToml) {
        Path crate = dir.resolve("src/" + name + "-" + version);
        Fixtures.write(crate, "Cargo.toml", "[package]\nname = \"" + name + "\"\nversion = \"" + version
                + "\"\nedition = \"2021\"\n" + extraToml);
        Fixtures.write(crate, "src/lib.rs", "pub fn version() -> &'static str { \"" + version + "\" }\n");
        return crate;
    }

    @Test
    void publishesAnIndexCargoCanReadAndYanks() throws Exception {
        LocalRegistry registry = LocalRegistry.at(dir.resolve("registry"));
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        LocalRegistry.Published base = registry.publish(crate("base", "1.0.0", ""), now);
        registry.publish(crate("lib", "1.0.0", "\n[dependencies]\nbase = \"1\"\n"), now);
        registry.publish(crate("lib", "1.1.0", ""), now.plusSeconds(60));
        registry.yank("lib", "1.1.0", true);
        assertThatThrownBy(() -> registry.publish(crate("lib", "1.0.0", ""), now))
                .isInstanceOf(WardenException.class).hasMessageContaining("already published");

        try (RegistryServer server = RegistryServer.start(registry, 0)) {
            SparseIndexClient client = new SparseIndexClient(server.indexUrl(), Duration.ofSeconds(5));
            List<IndexEntry> entries = client.versions(SourceId.cratesIo(), "lib").orElseThrow();
            assertThat(entries).extracting(e -> e.version() + ":" + e.yanked()).containsExactly("1.0.0:false",
                    "1.1.0:true");
            assertThat(entries.getFirst().pubtime()).isEqualTo(now);
            HttpClient http = HttpClient.newHttpClient();
            String root = server.indexUrl().substring("sparse+".length());
            assertThat(http.send(HttpRequest.newBuilder(URI.create(root + "../etc/passwd")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

            Path cargo = CargoTool.find().orElse(null);
            Assumptions.assumeTrue(cargo != null, "cargo is not installed");
            Path app = dir.resolve("app");
            Fixtures.write(app, "Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
                    + "[dependencies]\nlib = \"1\"\n");
            Fixtures.write(app, "src/main.rs", "fn main() { println!(\"{}\", lib::version()); }\n");
            Fixtures.write(app, ".cargo/config.toml", "[source.crates-io]\nreplace-with = \"local\"\n\n"
                    + "[source.local]\nregistry = \"" + server.indexUrl() + "\"\n");
            Map<String, String> env = Map.of("CARGO_HOME", dir.resolve("cargo-home").toString());
            CargoTool.Result build = CargoTool.run(cargo, app, env, "build");
            assertThat(build.status()).as(build.output()).isZero();
            Lockfile lock = LockfileParser.parse(app.resolve("Cargo.lock"));
            assertThat(lock.named("lib")).singleElement().satisfies(p -> assertThat(p.version().toString())
                    .as("the yanked 1.1.0 is skipped").isEqualTo("1.0.0"));
            assertThat(lock.named("base").getFirst().checksum()).isEqualTo(base.checksum());
            assertThat(server.requests()).contains("/api/v1/crates/lib/1.0.0/download");
            assertThat(Files.isExecutable(app.resolve("target/debug/app"))).isTrue();
        }
    }
}
