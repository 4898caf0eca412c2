package dev.warden.cargo.index;

import dev.warden.cargo.lock.SourceId;
import dev.warden.cargo.semver.Version;
import dev.warden.testing.CargoTool;
import dev.warden.testing.LoopbackServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryIndexTest {

    @TempDir
    Path dir;

    private static String line(String name, String version, boolean yanked) {
        return "{\"name\":\"" + name + "\",\"vers\":\"" + version + "\",\"deps\":[],\"cksum\":\""
                + "a".repeat(64) + "\",\"features\":{},\"yanked\":" + yanked + ",\"pubtime\":\"2026-08-20T10:00:00Z\"}";
    }

    @Test
    void indexPathsFollowCargosLayout() {
        assertThat(IndexEntries.path("a")).isEqualTo("1/a");
        assertThat(IndexEntries.path("ab")).isEqualTo("2/ab");
        assertThat(IndexEntries.path("abc")).isEqualTo("3/a/abc");
        assertThat(IndexEntries.path("Serde_JSON")).isEqualTo("se/rd/serde_json");
    }

    @Test
    void readsCargosCacheFormat() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(3);
        file.write(new byte[] {2, 0, 0, 0});
        for (String field : List.of("etag: \"abc\"", "1.0.0", line("url-parse", "1.0.0", true), "1.0.1",
                line("url-parse", "1.0.1", false))) {
            file.write(field.getBytes(StandardCharsets.UTF_8));
            file.write(0);
        }
        Path cache = dir.resolve("registry/index/index.crates.io-1949cf8c6b5b557f/.cache/ur/l-/url-parse");
        Files.createDirectories(cache.getParent());
        Files.write(cache, file.toByteArray());
        List<IndexEntry> entries = new LocalIndexCache(dir).versions(SourceId.parse("sparse+https://index.crates.io/"),
                "url-parse").orElseThrow();
        assertThat(entries).extracting(e -> e.version() + ":" + e.yanked()).containsExactly("1.0.0:true", "1.0.1:false");
        assertThat(entries.getFirst().pubtime()).isEqualTo(Instant.parse("2026-08-20T10:00:00Z"));
        assertThat(new LocalIndexCache(dir).versions(SourceId.cratesIo(), "url-parse")).isEmpty();
        Files.write(cache, new byte[] {2, 1, 0, 0, 0, 0});
        assertThat(LocalIndexCache.parse(Files.readAllBytes(cache))).isEmpty();
    }

    @Test
    void readsASparseIndexOverHttp() {
        try (LoopbackServer server = new LoopbackServer()) {
            server.serve("/config.json", "{\"dl\":\"" + server.url() + "api/v1/crates\"}");
            server.serve("/ur/l-/url-parse", line("url-parse", "1.0.0", false) + "\n" + line("url-parse", "1.0.1", true) + "\n");
            SparseIndexClient client = new SparseIndexClient("sparse+" + server.url(), Duration.ofSeconds(5));
            List<IndexEntry> entries = client.versions(SourceId.cratesIo(), "url-parse").orElseThrow();
            assertThat(entries).extracting(IndexEntry::version).containsExactly(Version.parse("1.0.0"), Version.parse("1.0.1"));
            assertThat(entries.get(1).yanked()).isTrue();
            assertThat(client.versions(SourceId.cratesIo(), "missing")).contains(List.of());
            client.versions(SourceId.cratesIo(), "url-parse");
            assertThat(server.requests()).containsExactly("/config.json", "/ur/l-/url-parse", "/mi/ss/missing");
        }
    }

    @Test
    void aUrlWithoutConfigJsonIsNotAnIndex() {
        try (LoopbackServer server = new LoopbackServer()) {
            server.serve("/ur/l-/url-parse", line("url-parse", "1.0.0", false) + "\n");
            SparseIndexClient client = new SparseIndexClient(server.url(), Duration.ofSeconds(5));
            assertThat(client.versions(SourceId.cratesIo(), "url-parse")).isEmpty();
            assertThat(client.versions(SourceId.cratesIo(), "serde")).isEmpty();
            assertThat(client.failures()).containsExactly(server.url() + "config.json: not a sparse registry index (HTTP 404)");
            assertThat(server.requests()).containsExactly("/config.json");
        }
    }

    @Test
    @Timeout(10)
    void anUnreachableOrSlowIndexMeansUnknownNeverAHang() {
        try (LoopbackServer server = new LoopbackServer()) {
            server.delay(5_000);
            SparseIndexClient slow = new SparseIndexClient(server.url(), Duration.ofMillis(300));
            assertThat(slow.versions(SourceId.cratesIo(), "serde")).isEmpty();
            assertThat(slow.failures()).singleElement().asString().contains("HttpTimeoutException");
        }
        SparseIndexClient closed = new SparseIndexClient("http://127.0.0.1:9/", Duration.ofMillis(300));
        assertThat(closed.versions(SourceId.cratesIo(), "serde")).isEqualTo(Optional.empty());
        assertThat(closed.failures()).hasSize(1);
    }

    /** Real cargo resolves against a sparse registry on loopback and writes its cache; Warden reads that file. */
    @Test
    void readsTheCacheRealCargoWrites() {
        Optional<Path> cargo = CargoTool.find();
        Assumptions.assumeTrue(cargo.isPresent(), "cargo not installed");
        try (LoopbackServer server = new LoopbackServer()) {
            server.serve("/config.json", "{\"dl\":\"" + server.url() + "dl\"}");
            server.serve("/3/l/lib", line("lib", "1.0.0", true) + "\n" + line("lib", "1.1.0", false) + "\n");
            write(dir, "project/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                    + "[dependencies]\nlib = { version = \"1\", registry = \"local\" }\n");
            write(dir, "project/src/main.rs", "fn main() {}\n");
            write(dir, "project/.cargo/config.toml", "[registries.local]\nindex = \"sparse+" + server.url() + "\"\n");
            CargoTool.Result result = CargoTool.run(cargo.get(), dir.resolve("project"),
                    Map.of("CARGO_HOME", dir.resolve("cargo-home").toString()), "generate-lockfile");
            assertThat(result.status()).as(result.output()).isZero();
            List<IndexEntry> entries = new LocalIndexCache(dir.resolve("cargo-home"))
                    .versions(SourceId.parse("sparse+" + server.url()), "lib").orElseThrow();
            assertThat(entries).extracting(e -> e.version() + ":" + e.yanked())
                    .containsExactlyInAnyOrder("1.0.0:true", "1.1.0:false");
        }
    }
}
