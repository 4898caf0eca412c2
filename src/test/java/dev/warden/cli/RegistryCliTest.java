package dev.warden.cli;

import dev.warden.cargo.index.IndexEntry;
import dev.warden.cargo.index.SparseIndexClient;
import dev.warden.cargo.lock.SourceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.warden.testing.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryCliTest {

    @TempDir
    Path dir;

    private void crate(String name, String version) {
        write(dir, name + "-" + version + "/Cargo.toml", "[package]\nname = \"" + name + "\"\nversion = \"" + version
                + "\"\nedition = \"2021\"\n");
        write(dir, name + "-" + version + "/src/lib.rs", "pub fn f() {}\n");
    }

    @Test
    void publishYankAndServeARegistryCargoCanUse() throws Exception {
        crate("acme-auth", "1.0.0");
        crate("acme-auth", "1.1.0");
        Run published = Run.in(dir, "registry", "publish", "acme-auth-1.0.0", "--registry", "reg");
        assertThat(published.status()).as(published.err()).isZero();
        assertThat(published.out()).matches("published acme-auth 1\\.0\\.0 \\(cksum [0-9a-f]{64}\\) to .*reg\\n");
        assertThat(Run.in(dir, "registry", "publish", "acme-auth-1.1.0", "--registry", "reg").status()).isZero();
        Run again = Run.in(dir, "registry", "publish", "acme-auth-1.1.0", "--registry", "reg");
        assertThat(again.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(again.err()).contains("already published");
        assertThat(Run.in(dir, "registry", "yank", "acme-auth@1.1.0", "--registry", "reg").out())
                .isEqualTo("acme-auth 1.1.0 yanked\n");
        assertThat(Run.in(dir, "registry", "yank", "acme-auth", "--registry", "reg").err())
                .contains("expected NAME@VERSION");
        Run typo = Run.in(dir, "registry", "publish", "no-such-crate", "--registry", "elsewhere");
        assertThat(typo.status()).isEqualTo(Main.EXIT_ERROR);
        assertThat(typo.err()).contains("no-such-crate/Cargo.toml: file not found");
        assertThat(Run.in(dir, "registry", "yank", "acme-auth@1.0.0", "--registry", "elsewhere").err())
                .contains("elsewhere: not a registry (no index/ directory)");
        assertThat(dir.resolve("elsewhere")).doesNotExist();

        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        AtomicReference<Run> served = new AtomicReference<>();
        Thread server = new Thread(() -> served.set(Run.in(dir, "registry", "serve", "reg", "--port",
                String.valueOf(port))));
        server.start();
        String root = "http://127.0.0.1:" + port + "/";
        HttpClient http = HttpClient.newHttpClient();
        String config = null;
        for (int attempt = 0; attempt < 100 && config == null; attempt++) {
            try {
                config = http.send(HttpRequest.newBuilder(URI.create(root + "config.json")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        assertThat(config).contains("\"dl\":\"" + root + "api/v1/crates\"");
        List<IndexEntry> entries = new SparseIndexClient("sparse+" + root, Duration.ofSeconds(5))
                .versions(SourceId.cratesIo(), "acme-auth").orElseThrow();
        assertThat(entries).extracting(e -> e.version() + ":" + e.yanked()).containsExactly("1.0.0:false", "1.1.0:true");
        server.interrupt();
        server.join(10_000);
        assertThat(served.get().status()).isZero();
        assertThat(served.get().out()).contains("serving ", "sparse+" + root, "[registries.internal]");
    }
}
