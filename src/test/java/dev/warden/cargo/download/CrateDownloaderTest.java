package dev.warden.cargo.download;

import dev.warden.cargo.config.CargoConfig;
import dev.warden.cargo.config.CargoConfigLoader;
import dev.warden.cargo.lock.LockedPackage;
import dev.warden.cargo.lock.LockfileParser;
import dev.warden.core.Environment;
import dev.warden.testing.Fixtures;
import dev.warden.testing.LoopbackServer;
import dev.warden.testing.TestEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CrateDownloaderTest {

    @TempDir
    Path dir;

    private static final byte[] CRATE = "pretend this is a gzip'd tar".getBytes(StandardCharsets.UTF_8);
    private static final String CHECKSUM = sha256(CRATE);

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A package locked from {@code source} with {@code checksum}. */
    private static LockedPackage locked(String name, String version, String source, String checksum) {
        return LockfileParser.parse("""
                version = 4

                [[package]]
                name = "%s"
                version = "%s"
                source = "%s"
                checksum = "%s"
                """.formatted(name, version, source, checksum), Path.of("Cargo.lock")).packages().getFirst();
    }

    private CrateDownloader downloader(String config, Map<String, String> variables, boolean offline) {
        Fixtures.write(dir, "p/.cargo/config.toml", config);
        Environment env = TestEnv.at(dir.resolve("p"), dir.resolve("home"), variables);
        CargoConfig cargo = CargoConfigLoader.load(dir.resolve("p"), env);
        return new CrateDownloader(cargo, env, new CrateDownloader.Options(dir.resolve("cache"), offline,
                Duration.ofSeconds(5), 2));
    }

    @Test
    void templatesExpandAsCargoDocumentsThem() {
        assertThat(DownloadTemplate.expand("https://dl.example/api/v1/crates", "serde", "1.0.0", "ab"))
                .isEqualTo("https://dl.example/api/v1/crates/serde/1.0.0/download");
        assertThat(DownloadTemplate.expand("https://dl.example/{prefix}/{crate}/{crate}-{version}.crate", "Serde",
                "1.0.0", "ab")).isEqualTo("https://dl.example/Se/rd/Serde/Serde-1.0.0.crate");
        assertThat(DownloadTemplate.expand("https://dl.example/{lowerprefix}/{sha256-checksum}", "Cc", "1.0.0",
                "ab")).isEqualTo("https://dl.example/2/ab");
        assertThat(DownloadTemplate.expand("https://x/{prefix}", "syn", "2.0.0", null)).isEqualTo("https://x/3/s");
        assertThat(DownloadTemplate.expand("https://x/{prefix}", "a", "2.0.0", null)).isEqualTo("https://x/1");
        assertThat(DownloadTemplate.expand(DownloadTemplate.CRATES_IO, "serde", "1.0.0", null))
                .isEqualTo("https://static.crates.io/crates/serde/serde-1.0.0.crate");
    }

    @Test
    void aReplacedCratesIoIsDownloadedFromItsMirrorVerifiedAndCached() {
        try (LoopbackServer mirror = new LoopbackServer()) {
            mirror.serve("/config.json", "{\"dl\":\"" + mirror.url() + "files/{lowerprefix}/{crate}-{version}.crate\"}")
                    .serve("/files/se/rd/serde-1.0.0.crate", CRATE);
            CrateDownloader downloader = downloader("""
                    [source.crates-io]
                    replace-with = "mirror"

                    [source.mirror]
                    registry = "sparse+%s"
                    """.formatted(mirror.url()), Map.of(), false);
            LockedPackage serde = locked("serde", "1.0.0", "registry+https://github.com/rust-lang/crates.io-index",
                    CHECKSUM);
            CrateDownloader.Outcome first = downloader.fetch(serde);
            assertThat(first).isInstanceOfSatisfying(CrateDownloader.Fetched.class, f -> {
                assertThat(f.downloaded()).isTrue();
                assertThat(f.crateFile()).isEqualTo(dir.resolve("cache/crates/" + CHECKSUM + ".crate"));
            });
            assertThat(mirror.requests()).containsExactly("/config.json", "/files/se/rd/serde-1.0.0.crate");
            // From the content-addressed cache: no request at all, even offline.
            CrateDownloader.Outcome again = downloader("", Map.of(), true).fetch(serde);
            assertThat(again).isInstanceOfSatisfying(CrateDownloader.Fetched.class,
                    f -> assertThat(f.downloaded()).isFalse());
            assertThat(mirror.requests()).hasSize(2);
        }
    }

    @Test
    void aPoisonedCacheEntryIsFetchedAgainAndAWrongDownloadIsNeverKept() throws Exception {
        try (LoopbackServer registry = new LoopbackServer()) {
            registry.serve("/config.json", "{\"dl\":\"" + registry.url() + "dl\"}")
                    .serve("/dl/serde/1.0.0/download", CRATE);
            String config = "[registries.acme]\nindex = \"sparse+" + registry.url() + "\"\n";
            LockedPackage serde = locked("serde", "1.0.0", "sparse+" + registry.url(), CHECKSUM);
            Files.createDirectories(dir.resolve("cache/crates"));
            Files.writeString(dir.resolve("cache/crates/" + CHECKSUM + ".crate"), "tampered in the CI cache");
            assertThat(downloader(config, Map.of(), false).fetch(serde)).isInstanceOf(CrateDownloader.Fetched.class);
            assertThat(Files.readAllBytes(dir.resolve("cache/crates/" + CHECKSUM + ".crate"))).isEqualTo(CRATE);

            LockedPackage pinnedOtherwise = locked("serde", "1.0.0", "sparse+" + registry.url(), "ab".repeat(32));
            assertThat(downloader(config, Map.of(), false).fetch(pinnedOtherwise)).isInstanceOfSatisfying(
                    CrateDownloader.Failed.class, f -> {
                        assertThat(f.reason()).isEqualTo(CrateDownloader.Reason.CHECKSUM_MISMATCH);
                        assertThat(f.detail()).contains("discarded unread", CHECKSUM);
                    });
            assertThat(dir.resolve("cache/crates/" + "ab".repeat(32) + ".crate")).doesNotExist();
        }
    }

    @Test
    void failuresSayWhy() throws Exception {
        try (LoopbackServer registry = new LoopbackServer()) {
            registry.serve("/config.json", "{\"dl\":\"" + registry.url() + "dl\"}");
            String source = "sparse+" + registry.url();
            LockedPackage missing = locked("gone", "1.0.0", source, CHECKSUM);
            assertThat(downloader("", Map.of(), false).fetch(missing)).isInstanceOfSatisfying(
                    CrateDownloader.Failed.class, f -> assertThat(f.reason()).isEqualTo(CrateDownloader.Reason.NOT_FOUND));
            assertThat(downloader("", Map.of(), true).fetch(missing)).isInstanceOfSatisfying(
                    CrateDownloader.Failed.class, f -> assertThat(f.reason()).isEqualTo(CrateDownloader.Reason.OFFLINE));
            assertThat(downloader("", Map.of(), false).fetch(locked("gone", "1.0.0", source, "")))
                    .isInstanceOfSatisfying(CrateDownloader.Failed.class,
                            f -> assertThat(f.reason()).isEqualTo(CrateDownloader.Reason.NO_CHECKSUM));
        }
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        LockedPackage unreachable = locked("x", "1.0.0", "sparse+http://127.0.0.1:" + closed + "/", CHECKSUM);
        CrateDownloader once = downloader("", Map.of(), false);
        assertThat(once.fetch(unreachable)).isInstanceOfSatisfying(
                CrateDownloader.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo(CrateDownloader.Reason.UNREACHABLE);
                    assertThat(f.detail()).contains("127.0.0.1:" + closed, "ConnectException");
                });
        // The host is not asked again in this run: the next crate fails at once with the first reason.
        try (ServerSocket listening = new ServerSocket(closed, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(once.fetch(locked("y", "1.0.0", "sparse+http://127.0.0.1:" + closed + "/", CHECKSUM)))
                    .isInstanceOfSatisfying(CrateDownloader.Failed.class,
                            f -> assertThat(f.detail()).contains("ConnectException"));
        }
        LockedPackage gitIndex = locked("x", "1.0.0", "registry+https://git.example/index", CHECKSUM);
        assertThat(downloader("", Map.of(), false).fetch(gitIndex)).isInstanceOfSatisfying(
                CrateDownloader.Failed.class, f -> assertThat(f.reason()).isEqualTo(CrateDownloader.Reason.UNSUPPORTED));
    }

    @Test
    void aTokenGoesOnlyToTheRegistryItBelongsTo() {
        try (LoopbackServer registry = new LoopbackServer(); LoopbackServer elsewhere = new LoopbackServer()) {
            String config = "[registries.acme]\nindex = \"sparse+" + registry.url() + "\"\n";
            registry.serve("/config.json", "{\"dl\":\"" + registry.url() + "dl\",\"auth-required\":true}")
                    .serve("/dl/secret-sauce/1.0.0/download", CRATE);
            LockedPackage pkg = locked("secret-sauce", "1.0.0", "sparse+" + registry.url(), CHECKSUM);
            Map<String, String> token = Map.of("CARGO_REGISTRIES_ACME_TOKEN", "acme-token-value");
            assertThat(downloader(config, token, false).fetch(pkg)).isInstanceOf(CrateDownloader.Fetched.class);
            assertThat(registry.log()).filteredOn(r -> r.path().endsWith("/download")).singleElement()
                    .satisfies(r -> assertThat(r.headers().get("Authorization")).isEqualTo("acme-token-value"));
            assertThat(registry.log()).filteredOn(r -> r.path().equals("/config.json"))
                    .allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("Authorization"));

            // No token: said so, nothing sent.
            Files.deleteIfExists(dir.resolve("cache/crates/" + CHECKSUM + ".crate"));
            assertThat(downloader(config, Map.of(), false).fetch(pkg)).isInstanceOfSatisfying(
                    CrateDownloader.Failed.class, f -> {
                        assertThat(f.reason()).isEqualTo(CrateDownloader.Reason.UNAUTHORIZED);
                        assertThat(f.detail()).contains("CARGO_REGISTRIES_ACME_TOKEN").doesNotContain("acme-token");
                    });

            // A config.json that sends downloads to another host gets no token there.
            registry.serve("/config.json", "{\"dl\":\"" + elsewhere.url() + "dl\",\"auth-required\":true}");
            elsewhere.serve("/dl/secret-sauce/1.0.0/download", CRATE);
            assertThat(downloader(config, token, false).fetch(pkg)).isInstanceOfSatisfying(
                    CrateDownloader.Failed.class, f -> assertThat(f.detail()).contains("another host"));
            assertThat(elsewhere.log()).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tokensAreReadFromCredentialsTomlToo() {
        Fixtures.write(dir, "home/.cargo/credentials.toml", "[registries.acme]\ntoken = \"from-file\"\n");
        Environment env = TestEnv.at(dir, dir.resolve("home"), Map.of());
        assertThat(new RegistryCredentials(env).token("acme")).contains("from-file");
        assertThat(new RegistryCredentials(env).token("other")).isEmpty();
        Environment both = TestEnv.at(dir, dir.resolve("home"), Map.of("CARGO_REGISTRIES_ACME_TOKEN", "from-env"));
        assertThat(new RegistryCredentials(both).token("acme")).contains("from-env");
    }

    @Test
    void aLocalRegistryIsReadInPlaceAndVerified() throws Exception {
        Files.createDirectories(dir.resolve("local"));
        Files.write(dir.resolve("local/serde-1.0.0.crate"), CRATE);
        String config = """
                [source.crates-io]
                replace-with = "local"

                [source.local]
                local-registry = "%s"
                """.formatted(dir.resolve("local"));
        LockedPackage serde = locked("serde", "1.0.0", "registry+https://github.com/rust-lang/crates.io-index",
                CHECKSUM);
        assertThat(downloader(config, Map.of(), true).fetch(serde)).isInstanceOfSatisfying(
                CrateDownloader.Fetched.class, f -> assertThat(f.crateFile()).isEqualTo(dir.resolve(
                        "local/serde-1.0.0.crate")));
        Files.writeString(dir.resolve("local/serde-1.0.0.crate"), "other bytes");
        assertThat(downloader(config, Map.of(), true).fetch(serde)).isInstanceOfSatisfying(
                CrateDownloader.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(CrateDownloader.Reason.CHECKSUM_MISMATCH));
    }
}
